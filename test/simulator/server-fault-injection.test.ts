import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { waitUntil } from './helpers/wait-until.js';
import { decodeResponse, encodeCall, faultOf, post, valueOf } from './helpers/xml-rpc-post.js';

describe('server: fault injection', () => {
  let sim: Simulator;
  beforeEach(async () => {
    // Real time scale: nothing in these tests waits for the cluster, and states must not move under them.
    sim = await startSimulator({ password: 'secret', databases: ['exa_db1', 'exa_db2'] });
  });
  afterEach(() => sim.stop());

  it('fail: a UsageError by default, for a number of calls, without touching the model', async () => {
    sim.faults.fail('stopDatabase', { times: 1 });
    assert.equal(await faultOf(`${sim.url}/db_exa_db1`, 'stopDatabase'), 'Unexpected Zope exception: UsageError: injected failure of db_exa_db1.stopDatabase');
    assert.equal(sim.model.getDatabaseState('exa_db1'), 'running');
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'stopDatabase'), null, 'times: 1 used up');
    const last = sim.calls.at(-2);
    assert.deepEqual([last?.outcome, last?.injected], ['fault', true]);
  });

  it('fail: object-qualified rules match one object only; custom exception and message', async () => {
    sim.faults.fail('db_exa_db2.getDatabaseState', { fault: 'SystemError', message: 'boom' });
    assert.equal(await valueOf(sim.url, 'db_exa_db1.getDatabaseState'), 'running');
    assert.equal(await faultOf(sim.url, 'db_exa_db2.getDatabaseState'), 'Unexpected Zope exception: SystemError: boom');
    assert.equal(await faultOf(`${sim.url}/db_exa_db2`, 'getDatabaseState'), 'Unexpected Zope exception: SystemError: boom');
    sim.faults.fail('cluster.getNodeList', { fault: 'NotFound' });
    assert.equal(
      await faultOf(sim.url, 'getNodeList'),
      "Unexpected Zope exception: NotFound: Object: <NodeCluster object at 0x7f3a2c1b9d50>, name: 'getNodeList'",
    );
  });

  it('fail: a rule naming the first argument matches only calls with that argument', async () => {
    sim.faults.fail('cluster.getHardwareInformation(n0012)', { message: 'no iLO' });
    assert.match(String(await valueOf(sim.url, 'getHardwareInformation', ['n0011'])), /dmidecode/);
    assert.equal(await faultOf(sim.url, 'getHardwareInformation', ['n0012']), 'Unexpected Zope exception: UsageError: no iLO');
  });

  it('hang: never answers, keeps the socket open, and the model is not called', async () => {
    sim.faults.hang('stopDatabase', { times: 1 });
    const signal = AbortSignal.timeout(300);
    await assert.rejects(post(`${sim.url}/db_exa_db1`, encodeCall('stopDatabase'), { signal }), { name: 'AbortError' });
    assert.equal(sim.calls.at(-1)?.outcome, 'hang');
    assert.equal(sim.model.getDatabaseState('exa_db1'), 'running');
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'stopDatabase'), null);
  });

  it('refuseConnections: the matching call is dropped, later connections are refused until comeBack', async () => {
    sim.faults.refuseConnections('db_exa_db1.stopDatabase');
    assert.equal(await valueOf(`${sim.url}/db_exa_db2`, 'getDatabaseState'), 'running', 'other calls are answered');
    await assert.rejects(post(`${sim.url}/db_exa_db1`, encodeCall('stopDatabase')), /socket hang up|ECONNRESET/);
    assert.deepEqual([sim.calls.at(-1)?.outcome, sim.calls.at(-1)?.injected], ['dropped', true]);
    assert.equal(sim.model.getDatabaseState('exa_db1'), 'running', 'the model was not called');
    await waitUntil('connections refused', async () => {
      try {
        await post(sim.url, encodeCall('getNodeList'));
        return false;
      } catch (error) {
        return /ECONNREFUSED/.test(String((error as { code?: string }).code ?? error));
      }
    });
    await sim.comeBack();
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'stopDatabase'), null, 'answers again, and the rule was used up');
  });

  it('slow and latency: delay the answer, then answer normally', async () => {
    sim.faults.slow('getNodeList', 300);
    let t = Date.now();
    assert.deepEqual(await valueOf(sim.url, 'getNodeList'), ['n0011', 'n0012', 'n0013', 'n0014']);
    assert.ok(Date.now() - t >= 290, `getNodeList took ${Date.now() - t} ms`);
    t = Date.now();
    await valueOf(sim.url, 'getDatabaseList');
    assert.ok(Date.now() - t < 250, 'other methods are not slowed');
    sim.faults.latency(100);
    t = Date.now();
    await valueOf(sim.url, 'getDatabaseList');
    assert.ok(Date.now() - t >= 90, 'latency applies to every call');
  });

  it('malformed: the model acts, the answer is broken XML', async () => {
    sim.faults.malformed('db_exa_db1.stopDatabase');
    const res = await post(`${sim.url}/db_exa_db1`, encodeCall('stopDatabase'));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
    await assert.rejects(decodeResponse(res.body));
    assert.equal(sim.model.getDatabaseState('exa_db1'), 'shutdown');
    assert.equal(sim.calls.at(-1)?.outcome, 'malformed');
  });

  it('unauthorized: 401 for one method even with good credentials', async () => {
    sim.faults.unauthorized('getServiceState', { times: 1 });
    const res = await post(sim.url, encodeCall('getServiceState'));
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'basic realm="Zope"');
    assert.deepEqual([sim.calls.at(-1)?.outcome, sim.calls.at(-1)?.injected], ['http-401', true]);
    assert.equal((await valueOf(sim.url, 'getServiceState') as unknown[]).length, 4);
  });

  it('downAfterCalls: answers n more calls, then connection refused until comeBack()', async () => {
    sim.faults.downAfterCalls(2);
    await valueOf(sim.url, 'getNodeList');
    await valueOf(sim.url, 'getNodeList');
    await assert.rejects(valueOf(sim.url, 'getNodeList'), { code: 'ECONNREFUSED' });
    await sim.comeBack();
    assert.deepEqual(await valueOf(sim.url, 'getDatabaseList'), ['exa_db1', 'exa_db2']);
    sim.faults.downAfterCalls(0);
    await waitUntil('the server to go down', () => valueOf(sim.url, 'getNodeList').then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED'));
  });

  it('clear: removes every transport fault and the latency', async () => {
    sim.faults.fail('getNodeList');
    sim.faults.latency(500);
    sim.faults.clear();
    const t = Date.now();
    assert.deepEqual((await valueOf(sim.url, 'getNodeList') as string[]).length, 4);
    assert.ok(Date.now() - t < 400);
  });

  it('cluster faults: master, busy database, missing iLO, hanging boot, failing storage', async () => {
    sim.faults.setMaster('n0011');
    assert.equal(await valueOf(sim.url, 'getEXAoperationMaster'), 'n0011');
    sim.faults.setDatabaseOperation('exa_db1', 'Backup');
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'getDatabaseOperation'), 'Backup');
    assert.match(await faultOf(`${sim.url}/db_exa_db1`, 'stopDatabase'), /UsageError: Database exa_db1 is busy with operation Backup/);

    const cold = await startSimulator({ password: 'secret', cold: true, nodes: 2, timeScale: 0.0001 });
    try {
      cold.faults.nodesWithoutOutOfBandManagement(['n0012']);
      assert.match(await faultOf(cold.url, 'startupNode', ['n0012']), /UsageError: Node n0012 has no out-of-band management interface/);
      cold.faults.nodesWithoutOutOfBandManagement([]);
      cold.faults.neverFinishBooting('n0012');
      cold.faults.failStorageStart({ message: 'EXAStorage refuses', times: 1 });
      await valueOf(cold.url, 'startupNode', ['n0011']);
      await valueOf(cold.url, 'startupNode', ['n0012']);
      await waitUntil('n0011 running', () => cold.model.getNodeState('n0011').status === 'Running');
      assert.match(await faultOf(cold.url, 'storage.startEXAStorage', [['n0012']]), /UsageError: EXAStorage refuses/);
      assert.equal(cold.model.getNodeState('n0012').status, 'Unknown');
    } finally {
      await cold.stop();
    }
  });
});

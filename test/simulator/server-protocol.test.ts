import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { encodeCall, faultOf, post, valueOf, xmlRpcCall } from './helpers/xml-rpc-post.js';

describe('server: protocol over HTTP', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ password: 'secret', databases: ['exa_db1', 'my db'] });
  });
  after(() => sim.stop());

  it('serves http://127.0.0.1:<port>/cluster1', () => {
    assert.equal(sim.url, `http://127.0.0.1:${sim.port}/cluster1`);
    assert.ok(sim.port > 0);
    assert.equal(sim.certificatePem, undefined);
  });

  it('answers 401 with a zope Basic challenge and HTML for missing or wrong credentials', async () => {
    for (const auth of [null, 'admin:wrong', 'root:secret']) {
      const res = await post(sim.url, encodeCall('getNodeList'), { auth });
      assert.equal(res.status, 401);
      assert.equal(res.headers['www-authenticate'], 'basic realm="Zope"');
      assert.match(res.headers['content-type'] ?? '', /^text\/html/);
      assert.match(res.body, /<html>.*Unauthorized/s);
    }
    assert.deepEqual(
      sim.calls.slice(-3).map((c) => [c.object, c.method, c.outcome]),
      Array.from({ length: 3 }, () => ['cluster', 'getNodeList', 'http-401']),
    );
  });

  it('answers 404 for a path outside the cluster, 405 for GET, 400 for a body that is not XML-RPC', async () => {
    assert.equal((await post(sim.url.replace('/cluster1', '/cluster2'), encodeCall('getNodeList'))).status, 404);
    assert.equal((await post(sim.url.replace('/cluster1', '/'), encodeCall('getNodeList'))).status, 404);
    assert.equal(sim.calls.at(-1)?.outcome, 'http-404');
    assert.equal((await post(sim.url, '', { method: 'GET' })).status, 405);
    assert.equal((await post(sim.url, '<methodCall><oops')).status, 400);
  });

  it('routes by URL path and by dotted method name, also with a trailing slash and URL-encoded names', async () => {
    assert.deepEqual(await valueOf(sim.url, 'getNodeList'), ['n0011', 'n0012', 'n0013', 'n0014']);
    assert.deepEqual(await valueOf(`${sim.url}/`, 'getDatabaseList'), ['exa_db1', 'my db']);
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'getDatabaseState'), 'running');
    assert.equal(await valueOf(sim.url, 'db_exa_db1.getDatabaseState'), 'running');
    assert.equal(await valueOf(`${sim.url}/db_my%20db`, 'getDatabaseConnectionState'), 'Yes');
    assert.equal(await valueOf(`${sim.url}/storage`, 'serviceIsOnline'), true);
    assert.equal(await valueOf(sim.url, 'storage.serviceIsOnline'), true);
    assert.deepEqual(await valueOf(`${sim.url}/n0011`, 'getNodeState'), { status: 'Running' });
    assert.equal(await valueOf(sim.url, 'getCurrentLicenseServer'), 10);
    const [position, count, entries] = (await valueOf(sim.url, 'logservice1.logEntries')) as [number, number, unknown[]];
    assert.equal(typeof position, 'number');
    assert.equal(count, entries.length);
  });

  it('sends faults as HTTP 200 text/xml with zope NotFound, UsageError and TypeError texts', async () => {
    const notFound = await xmlRpcCall(sim.url, 'db_wrongname.startDatabase');
    assert.equal(notFound.status, 200);
    assert.equal(notFound.headers['content-type'], 'text/xml;charset=utf-8');
    assert.deepEqual(notFound.decoded, {
      kind: 'fault',
      faultCode: -1,
      faultString: "Unexpected Zope exception: NotFound: Object: <NodeCluster object at 0x7f3a2c1b9d50>, name: 'db_wrongname'",
    });
    assert.equal(
      await faultOf(sim.url, 'getNodeListt'),
      "Unexpected Zope exception: NotFound: Object: <NodeCluster object at 0x7f3a2c1b9d50>, name: 'getNodeListt'",
    );
    assert.match(await faultOf(`${sim.url}/db_exa_db1`, 'startDatabase'), /^Unexpected Zope exception: UsageError: Database exa_db1 must not be running/);
    assert.equal(await faultOf(`${sim.url}/storage`, 'serviceIsOnline', [1]), 'Unexpected Zope exception: TypeError: serviceIsOnline() takes exactly 1 argument (2 given)');
  });

  it('returns <nil/> from stopDatabase and startDatabase', async () => {
    const stop = await xmlRpcCall(`${sim.url}/db_my%20db`, 'stopDatabase');
    assert.match(stop.body, /<params><param><value><nil\/><\/value><\/param><\/params>/);
    assert.deepEqual(stop.decoded, { kind: 'value', value: null });
  });

  it('records every call in order with object, method, params and outcome', async () => {
    const from = sim.calls.length;
    await valueOf(sim.url, 'getHardwareInformation', ['n0012', 1]);
    await valueOf(`${sim.url}/logservice1`, 'logEntriesTagged', ['bot']);
    await faultOf(sim.url, 'db_nope.getDatabaseState');
    assert.deepEqual(
      sim.calls.slice(from).map(({ object, method, params, outcome, injected }) => ({ object, method, params, outcome, injected })),
      [
        { object: 'cluster', method: 'getHardwareInformation', params: ['n0012', 1], outcome: 'ok', injected: false },
        { object: 'logservice1', method: 'logEntriesTagged', params: ['bot'], outcome: 'ok', injected: false },
        { object: 'db_nope', method: 'getDatabaseState', params: [], outcome: 'fault', injected: false },
      ],
    );
    assert.match(sim.calls.at(-1)?.faultString ?? '', /NotFound/);
    assert.ok(sim.calls.every((c, i) => i === 0 || c.at >= (sim.calls[i - 1]?.at ?? 0)));
  });

  it('records violations the server accepted', async () => {
    await valueOf(`${sim.url}/n0014`, 'shutdownNode');
    assert.deepEqual(
      sim.violations.map((v) => [v.kind, 'node' in v ? v.node : '']),
      [
        ['data-node-shutdown-with-storage-online', 'n0014'],
        ['data-node-shutdown-with-database-running', 'n0014'],
      ],
    );
  });
});

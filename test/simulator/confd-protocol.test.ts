import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startConfdSimulator, type ConfdSimulator } from '../../simulator/index.js';
import { exec, get, rpc, value } from './helpers/confd-client.js';
import { encodeCall, post } from './helpers/xml-rpc-post.js';

describe('confd: protocol', () => {
  let sim: ConfdSimulator;
  before(async () => {
    sim = await startConfdSimulator({ password: 'secret', timeScale: 0.001 });
  });
  after(() => sim.stop());

  it('serves HTTPS only and answers 401 on missing or bad credentials', async () => {
    assert.match(sim.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    for (const auth of [null, 'admin:wrong', 'nobody:secret']) {
      const res = await post(sim.url, encodeCall('job_list'), { auth, ca: sim.certificatePem });
      assert.equal(res.status, 401);
      assert.match(String(res.headers['www-authenticate']), /^Basic /);
    }
    assert.equal(sim.calls.filter((c) => c.outcome === 'http-401').length, 3);
  });

  it('serves XML-RPC on /, /RPC2 and /rpc2, and 404 elsewhere', async () => {
    for (const path of ['', 'RPC2', 'rpc2']) {
      assert.deepEqual(await value(sim, 'job_exec', ['db_list'], undefined, `${sim.url}${path}`).then((r) => (r as { result_output: unknown }).result_output), ['DB1']);
    }
    const res = await post(`${sim.url}cluster1`, encodeCall('job_list'), { auth: 'admin:secret', ca: sim.certificatePem });
    assert.equal(res.status, 404);
  });

  it('answers /master with an address the caller can reach, ?info_type=name with the name, /is_master', async () => {
    assert.deepEqual([(await get(sim, '/master')).body, (await get(sim, '/master?info_type=name')).body], ['127.0.0.1', 'n11']);
    assert.equal((await get(sim, '/is_master')).body, 'True');
  });

  it('has the success shape of the reference, and none for db_stop/db_start', async () => {
    const r = await exec(sim, 'db_state', { db_name: 'DB1' });
    assert.deepEqual(Object.keys(r).sort(), ['result_code', 'result_desc', 'result_jobid', 'result_name', 'result_output']);
    assert.deepEqual([r.result_code, r.result_name, r.result_desc, r.result_output], [0, 'OK', 'Success', 'running']);
    assert.match(r.result_jobid, /^11\.\d+$/);
    const stop = await exec(sim, 'db_stop', { db_name: 'DB1' });
    assert.deepEqual(Object.keys(stop).sort(), ['result_code', 'result_desc', 'result_jobid', 'result_name']);
    assert.equal((await exec(sim, 'db_state', { db_name: 'DB1' })).result_output, 'setup', 'db_stop blocked until setup');
    assert.equal((await exec(sim, 'db_start', { db_name: 'DB1' })).result_code, 0);
    assert.equal((await exec(sim, 'db_state', { db_name: 'DB1' })).result_output, 'running', 'db_start blocked until running');
  });

  it('job_start returns an id string; job_wait, job_finished, job_result follow it', async () => {
    const id = await value(sim, 'job_start', ['db_list']);
    assert.equal(typeof id, 'string');
    assert.equal(await value(sim, 'job_wait', [id]), true);
    assert.equal(await value(sim, 'job_finished', [id]), true);
    assert.deepEqual((await value(sim, 'job_result', [id]) as { result_output: unknown }).result_output, ['DB1']);
    const unknown = await rpc(sim, 'job_result', ['99.99']);
    assert.equal(unknown.kind, 'fault');
  });

  it('job_desc, job_list, job_help and system.listMethods', async () => {
    assert.deepEqual(await value(sim, 'job_desc', ['node_state']), [true, ['Get the state of all nodes.', [], [], [], ['root'], ['root', 'exaadm']]]);
    assert.deepEqual(await value(sim, 'job_desc', ['nope']), [false, "Job 'nope' does not exist."]);
    assert.ok((await value(sim, 'job_list') as string[]).includes('log_collect'));
    assert.match(String(await value(sim, 'job_help', ['db_start'])), /optional parameters: +cluster, maintenance, timeout/);
    assert.ok((await value(sim, 'system.listMethods') as string[]).includes('job_exec'));
    assert.equal((await rpc(sim, 'no_such_method')).kind, 'fault');
  });

  it('unknown jobs and wrong parameters are job results with result_code != 0', async () => {
    const unknown = await exec(sim, 'db_frobnicate');
    assert.deepEqual([unknown.result_code, unknown.result_name], [6, 'UnknownJob']);
    const missing = await exec(sim, 'db_state');
    assert.deepEqual([missing.result_code, missing.result_name], [2, 'InvalidParameters']);
    assert.match(missing.result_desc, /Missing mandatory parameters for job 'db_state': db_name/);
    const extra = await exec(sim, 'db_state', { db_name: 'DB1', colour: 'red' });
    assert.match(extra.result_desc, /Unknown parameters .*colour/);
    const nodb = await exec(sim, 'db_state', { db_name: 'DB9' });
    assert.deepEqual([nodb.result_name, nodb.result_desc], ['NotFound', "Database 'DB9' does not exist."]);
    assert.equal(sim.calls.filter((c) => c.outcome === 'job-failed').length, 4);
  });

  it('maps an injected failure onto the job result', async () => {
    sim.faults.fail('db_stop(DB1)', { fault: 'JobFailed', message: 'boom', times: 1 });
    const r = await exec(sim, 'db_stop', { db_name: 'DB1' });
    assert.deepEqual([r.result_code, r.result_name, r.result_desc], [1, 'JobFailed', 'boom']);
    assert.equal(sim.model.getDatabaseState('DB1'), 'running', 'the model was not called');
    assert.equal(sim.calls.at(-1)?.injected, true);
    sim.faults.clear();
  });
});

describe('confd: readings', () => {
  it('jobFailures fault and jobStartReturns ok-pair', async () => {
    const sim = await startConfdSimulator({ password: 'secret', jobFailures: 'fault', jobStartReturns: 'ok-pair' });
    try {
      const d = await rpc(sim, 'job_exec', ['db_state', { params: { db_name: 'DB9' } }]);
      assert.deepEqual(d.kind === 'fault' ? [d.faultCode, d.faultString] : d, [4, "NotFound: Database 'DB9' does not exist."]);
      const pair = (await value(sim, 'job_start', ['db_list'])) as [boolean, string];
      assert.equal(pair[0], true);
      assert.match(pair[1], /^11\.\d+$/);
    } finally {
      await sim.stop();
    }
  });
});

describe('confd: one listener per node', () => {
  it('non-masters answer 302 to the master, /master names it, /is_master per node', async () => {
    const sim = await startConfdSimulator({ password: 'secret', nodesListen: 3 });
    try {
      const n12 = sim.nodeUrls['12'] as string;
      const n11 = sim.nodeUrls['11'] as string;
      const res = await post(n12, encodeCall('job_exec', ['db_list']), { auth: 'admin:secret', ca: sim.certificatePem });
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, n11);
      const rpc2 = await post(`${n12}RPC2`, encodeCall('job_list'), { auth: 'admin:secret', ca: sim.certificatePem });
      assert.equal(rpc2.headers.location, `${n11}RPC2`);
      assert.equal((await get(sim, '/master', n12)).body, new URL(n11).host);
      assert.equal((await get(sim, '/master?info_type=name', n12)).body, 'n11');
      assert.deepEqual([(await get(sim, '/is_master', n11)).body, (await get(sim, '/is_master', n12)).body], ['True', 'False']);
      assert.equal(sim.calls.filter((c) => c.outcome === 'http-302').length, 2);
    } finally {
      await sim.stop();
    }
  });
});

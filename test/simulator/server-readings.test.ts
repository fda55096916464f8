// The readings the reference leaves open, as a client sees them over HTTP: blocking storage calls,
// EXAoperation restarting (gone, then back) and its web server answering 503 pages while it comes up.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';
import { waitUntil } from './helpers/wait-until.js';
import { encodeCall, post, valueOf } from './helpers/xml-rpc-post.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions>): Promise<Simulator> {
  sim = await startSimulator({ password: 'secret', nodes: 2, onError: () => undefined, ...options });
  return sim;
}

describe('server: readings the reference leaves open', () => {
  it("storageCalls 'blocking' (default): startEXAStorage and stopEXAStorage answer once done", async () => {
    // 0.4 s to start and 0.3 s to stop at this scale.
    const s = await start({ cold: true, timeScale: 0.02, durations: { bootMin: 1, bootMax: 1, storageStart: 20, storageStop: 15 } });
    await Promise.all(['n0011', 'n0012'].map((n) => valueOf(s.url, 'startupNode', [n])));
    await waitUntil('nodes running', async () => (await valueOf(s.url, 'getNodeState', ['n0012']) as { status: string }).status === 'Running');
    let t = Date.now();
    assert.equal(await valueOf(`${s.url}/storage`, 'startEXAStorage'), 'OK');
    assert.ok(Date.now() - t >= 350, `answered after ${Date.now() - t} ms, storage takes 400 ms`);
    assert.equal(await valueOf(`${s.url}/storage`, 'serviceIsOnline'), true, 'online when the call answers');
    t = Date.now();
    assert.equal(await valueOf(`${s.url}/storage`, 'stopEXAStorage'), 'OK');
    assert.ok(Date.now() - t >= 250, `answered after ${Date.now() - t} ms, storage takes 300 ms to stop`);
    assert.equal(await valueOf(`${s.url}/storage`, 'serviceIsOnline'), false);
    assert.deepEqual(s.violations, []);
  });

  it('a blocking call still under way when the server goes offline is dropped, not answered', async () => {
    const s = await start({ cold: true, timeScale: 1, durations: { bootMin: 0, bootMax: 0, storageStart: 60 } });
    await Promise.all(['n0011', 'n0012'].map((n) => valueOf(s.url, 'startupNode', [n])));
    await waitUntil('nodes running', async () => (await valueOf(s.url, 'getNodeState', ['n0012']) as { status: string }).status === 'Running');
    const answer = post(`${s.url}/storage`, encodeCall('startEXAStorage')).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code ?? 'error',
    );
    await waitUntil('call arrived', () => Promise.resolve(s.calls.some((c) => c.method === 'startEXAStorage')));
    await s.goOffline();
    assert.equal(await answer, 'ECONNRESET');
    assert.equal(s.calls.find((c) => c.method === 'startEXAStorage')?.outcome, 'dropped');
  });

  it('faults.restartExaoperation: the call is dropped, connections are refused, then it answers again by itself', async () => {
    const s = await start({ timeScale: 0.01 });
    s.faults.restartExaoperation('getServiceState', 40);
    const dropped = await post(s.url, encodeCall('getServiceState')).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    assert.equal(dropped, 'ECONNRESET');
    const refused = await post(s.url, encodeCall('getNodeList')).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    );
    assert.equal(refused, 'ECONNREFUSED');
    await waitUntil('back after 0.4 s', async () => (await post(s.url, encodeCall('getNodeList')).then((r) => r.status, () => 0)) === 200);
    assert.deepEqual(await valueOf(s.url, 'getNodeList'), ['n0011', 'n0012']);
  });

  it("comingUp 'html-503': while EXAoperation starts, its web server answers HTTP 503 with an HTML page", async () => {
    const s = await start({ timeScale: 0.01, comingUp: 'html-503' });
    s.restartExaoperation(60);
    await waitUntil('web server up', async () => (await post(s.url, encodeCall('getNodeList')).then((r) => r.status, () => 0)) === 503);
    const page = await post(s.url, encodeCall('getNodeList'));
    assert.equal(page.status, 503);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<html>.*Service Unavailable/s);
    assert.ok(s.calls.some((c) => c.outcome === 'http-503'));
    await waitUntil('EXAoperation up', async () => (await post(s.url, encodeCall('getNodeList')).then((r) => r.status, () => 0)) === 200);
  });

  it('each database has its own client port', async () => {
    const s = await start({ databases: ['exa_db1', 'exa_db2'], databasePortBase: 9100 });
    assert.equal(await valueOf(`${s.url}/db_exa_db1`, 'getDatabaseConnectionString'), '10.0.0.11..12:9100');
    assert.equal(await valueOf(`${s.url}/db_exa_db2`, 'getDatabaseConnectionString'), '10.0.0.11..12:9101');
  });
});

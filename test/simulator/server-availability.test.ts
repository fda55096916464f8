import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { startSimulator } from '../../simulator/index.js';
import { waitUntil } from './helpers/wait-until.js';
import { encodeCall, post, valueOf } from './helpers/xml-rpc-post.js';

const refused = (url: string): Promise<boolean> =>
  valueOf(url, 'getNodeList').then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );

describe('server: availability', () => {
  it('stops answering after shutdownNode(n0010) and answers again on the same port after power-on', async () => {
    // Time scale 0.01: license-server shutdown 5 s → 50 ms, EXAoperation start 30 s → 300 ms.
    const sim = await startSimulator({ password: 'secret', cold: true, timeScale: 0.01 });
    try {
      assert.equal(await valueOf(sim.url, 'shutdownNode', ['n0010']), null, 'the call itself is answered');
      assert.deepEqual(sim.violations, []);
      await waitUntil('connection refused', () => refused(sim.url), { timeoutMs: 2000 });
      const down = Date.now();
      sim.powerOnLicenseServer();
      await waitUntil('EXAoperation to answer again', () => valueOf(sim.url, 'getNodeList').catch(() => false), { timeoutMs: 3000 });
      assert.ok(Date.now() - down >= 250, 'not before the EXAoperation start delay');
      assert.deepEqual(await valueOf(sim.url, 'getNodeState', ['n0010']), { status: 'Running' });
    } finally {
      await sim.stop();
    }
  });

  it('goOffline/comeBack: connection refused in between, same port after', async () => {
    const sim = await startSimulator({ password: 'secret' });
    try {
      await sim.goOffline();
      assert.equal(await refused(sim.url), true);
      await sim.comeBack();
      assert.deepEqual(await valueOf(sim.url, 'getDatabaseList'), ['exa_db1']);
    } finally {
      await sim.stop();
    }
  });

  it('goOffline destroys keep-alive sockets so clients cannot keep talking to a vanished server', async () => {
    const sim = await startSimulator({ password: 'secret' });
    const agent = new Agent({ keepAlive: true });
    try {
      const socketSeen = new Promise<Socket>((resolve) => {
        const req = request(sim.url, { method: 'POST', agent, auth: 'admin:secret' }, (res) => res.resume());
        req.on('socket', resolve);
        req.end(encodeCall('getNodeList'));
      });
      const socket = await socketSeen;
      await waitUntil('the socket to be idle in the pool', () => Object.values(agent.freeSockets).flat().length === 1);
      const closed = once(socket, 'close');
      await sim.goOffline();
      await closed;
    } finally {
      agent.destroy();
      await sim.stop();
    }
  });

  it('stop() closes hanging requests and is idempotent', async () => {
    const sim = await startSimulator({ password: 'secret' });
    sim.faults.hang('getNodeList');
    const pending = post(sim.url, encodeCall('getNodeList'));
    await waitUntil('the call to arrive', () => sim.calls.at(-1)?.outcome === 'hang');
    const t = Date.now();
    await sim.stop();
    await sim.stop();
    assert.ok(Date.now() - t < 1000);
    await assert.rejects(pending, /socket hang up|ECONNRESET/);
    assert.equal(await refused(sim.url), true);
  });

  it('slow calls in flight end as dropped when the server goes offline', async () => {
    const sim = await startSimulator({ password: 'secret' });
    try {
      sim.faults.slow('getNodeList', 5000);
      const pending = post(sim.url, encodeCall('getNodeList'));
      await waitUntil('the call to arrive', () => sim.calls.length === 1);
      await sim.goOffline();
      await assert.rejects(pending);
      assert.equal(sim.calls[0]?.outcome, 'dropped');
    } finally {
      await sim.stop();
    }
  });
});

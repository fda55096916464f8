// Scenario 9: health, readiness and metrics on the bot's own HTTP port (HTTP mode: the same port
// as /slack/events, unsigned). Liveness reports readiness in its body; /metrics shows XML-RPC
// latency from the start and counts operations once one has finished.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, startStack, textOf, USERS, type Stack } from './harness.js';

describe('health, readiness and metrics (HTTP mode)', () => {
  let stack: Stack;
  before(async () => {
    // Only shut-downs need approval here, so a database stop runs straight away.
    stack = await startStack({ env: { EXA_APPROVAL_REQUIRED_FOR: 'cluster-shutdown' }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  const get = async (path: string): Promise<{ status: number; type: string; body: string }> => {
    const res = await fetch(`${stack.botUrl}${path}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  it('GET /healthz: liveness only, 200 JSON', async () => {
    const calls = stack.sim.calls.length;
    const res = await get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.type, /application\/json/);
    assert.deepEqual(JSON.parse(res.body), { live: true });
    assert.equal(stack.sim.calls.length, calls, 'liveness asks no EXAoperation');
  });

  it('GET /readyz: 200 when the bot can take Slack requests, with each cluster in the body', async () => {
    const res = await get('/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), {
      ready: true,
      accepting: true,
      slack: { connected: true },
      journal: { writable: true },
      clusters: [{ name: 'cluster1', reachable: true }],
    });
  });

  it('GET /metrics: XML-RPC latency always; operations counted after one finished', async () => {
    const before = await get('/metrics');
    assert.equal(before.status, 200);
    assert.match(before.type, /text\/plain/);
    assert.match(before.body, /# TYPE exa_chatops_xmlrpc_call_duration_seconds histogram/);
    // The readiness probe above called getNodeList.
    assert.match(before.body, /exa_chatops_xmlrpc_call_duration_seconds_count\{method="getNodeList",outcome="ok"\} [1-9]/);
    assert.doesNotMatch(before.body, /^exa_chatops_operations_total\{/m, 'no operation has finished yet');

    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const queued = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Queued as op-1/)[0], 3000, 'the queued notice');
    assert.match(textOf(queued), /Nothing is ahead of it, so it starts now/);
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db1/).find((m) => /Succeeded/.test(textOf(m))), 5000, 'op-1 to finish');

    const afterOp = await get('/metrics');
    assert.match(afterOp.body, /^exa_chatops_operations_total\{kind="database-stop",outcome="succeeded"\} 1$/m);
    assert.match(afterOp.body, /exa_chatops_xmlrpc_call_duration_seconds_count\{method="stopDatabase",outcome="ok"\} 1/);
    assert.match(afterOp.body, /exa_chatops_step_duration_seconds_count\{action="stop-database"\} 1/);
  });

  it('listens on an ephemeral port (PORT=0) of 127.0.0.1 only (overrides.host)', async (t) => {
    assert.ok(stack.port > 0 && stack.port !== 3000);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (!outside) {
      t.skip('this machine has no non-loopback IPv4 address to try');
      return;
    }
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: outside, port: stack.port, timeout: 1000 });
      socket.on('connect', () => (socket.destroy(), resolve('connected')));
      socket.on('timeout', () => (socket.destroy(), resolve('timeout')));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.notEqual(outcome, 'connected', `the bot answered on ${outside}`);
  });

  it('stays ready while an EXAoperation is unreachable (after a shut-down, say); the cluster shows in the body and the metrics', async () => {
    await stack.sim.goOffline();
    try {
      // A fresh probe: the readiness cache lasts 15 s, so a bot restarted on the same config reads now.
      await stack.bot.stop(0);
      await stack.startAnotherBot();
      const res = await get('/readyz');
      assert.equal(res.status, 200);
      const body = JSON.parse(res.body) as { ready: boolean; clusters: { reachable: boolean }[] };
      assert.equal(body.ready, true);
      assert.equal(body.clusters[0]?.reachable, false);
      const metrics = await get('/metrics');
      assert.match(metrics.body, /^exa_chatops_cluster_reachable\{cluster="cluster1"\} 0$/m);
    } finally {
      await stack.sim.comeBack();
    }
  });

  it('answers an unknown path with 404, not with the Slack endpoint', async () => {
    const res = await get('/nope');
    assert.equal(res.status, 404);
  });
});

describe('health and metrics on a port of their own (HEALTH_PORT)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { HEALTH_PORT: '0' } });
  });
  after(async () => {
    await stack.close();
  });

  it('serves /healthz, /readyz and /metrics there, and only /slack/events on PORT', async () => {
    const healthPort = stack.bot.healthPort;
    assert.ok(healthPort !== undefined && healthPort !== stack.port);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      assert.equal((await fetch(`http://127.0.0.1:${healthPort}${path}`)).status, 200, path);
      assert.equal((await fetch(`${stack.botUrl}${path}`)).status, 404, `${path} is not on the Slack port`);
    }
    const status = await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'status' });
    assert.equal(status.outcome, 'ok');
  });
});

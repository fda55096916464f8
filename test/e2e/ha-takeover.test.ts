// Two replicas of `npm start` on one PostgreSQL (issue 15). The first holds the cluster's executor
// lock; the second waits as a standby (it takes Slack requests and forwards them). When the executor dies —
// kill -9 during a database stop wait, during the storage stop, just after the data nodes were
// told to shut down, or its database connection cut — the standby takes the lock within the
// bound, says in the operation's thread that it took over, and finishes the shut-down: every
// destructive call exactly once, and no unsafe transition in the simulator.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { postToBot } from '../fakes/slack/http-delivery.js';
import { slackDeliveryHeaders } from '../fakes/slack/signing.js';
import { FULL_SHUTDOWN_CALLS } from '../helpers/sim-cluster.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { botMessages, CHANNELS, mutatingCalls, nextEphemeral, textOf, USERS } from './harness.js';
import { replicas, useHaLab, STANDING_BY, STARTED, startedPort, TAKEOVER_BOUND_MS, type Pair } from './ha-lab.js';

const WAIT_STEP = 'Wait until database exa_db1 is stopped';

const ha = useHaLab();

const pair = (database: string, durations?: Readonly<Record<string, number>>): Promise<Pair> => ha.lab.pair(database, durations);

/** A shut-down requested and approved through the active replica; resolves with its progress message once `until` holds. */
async function approvedShutdown(p: Pair, until: () => Promise<boolean>, what: string): Promise<string> {
  const { fake } = p.stack;
  await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown' });
  const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 8000, 'the approval request');
  const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
  assert.equal(clicked.outcome, 'ok');
  const deadline = Date.now() + 20_000;
  while (!(await until())) {
    assert.ok(Date.now() < deadline, `the shut-down got to: ${what}`);
    await sleep(10);
  }
  const progress = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Shut-down of cluster cluster1/)[0], 5000, 'the progress message');
  return progress.ts;
}

const waitingForDb1 = (p: Pair) => async () => (await p.journal()).some((r) => r['type'] === 'step' && r['title'] === WAIT_STEP && r['outcome'] === 'started');
const calls = (p: Pair, call: string, times = 1) => async () => mutatingCalls(p.stack.sim).filter((c) => c === call).length >= times;
const dataNodesTold = (p: Pair) => async () => ['n0011', 'n0012', 'n0013', 'n0014'].every((n) => mutatingCalls(p.stack.sim).includes(`cluster.shutdownNode(${n})`));

/** What the standby must do after it took over: say so in the thread, finish, repeat nothing. */
async function assertFinishedByStandby(p: Pair, progressTs: string): Promise<void> {
  const { fake, sim } = p.stack;
  const done = await fake
    .waitFor(() => (/Succeeded in/.test(textOf(fake.message(CHANNELS.ops, progressTs))) ? fake.message(CHANNELS.ops, progressTs) : undefined), 30_000, 'the shut-down to finish')
    .catch((error: unknown) => {
      throw new Error(`${String(error)}; the progress message reads: ${textOf(fake.message(CHANNELS.ops, progressTs))}`);
    });
  assert.match(textOf(done), /Taken over by [^ ]+\/\d+ after the replica running it stopped/);
  const thread = fake.messages(CHANNELS.ops).filter((m) => m.threadTs === progressTs).map((m) => textOf(m));
  assert.ok(thread.some((t) => /Taken over by [^ ]+\/\d+ after the replica running it stopped: going on from step \d+/.test(t)), `the takeover is told in the thread: ${thread.join(' | ')}`);
  assert.ok(thread.some((t) => /<@U0OP> op-1 \(shut-down of cluster cluster1\) succeeded\./.test(t)), 'the requester is told of the end');
  assert.equal(botMessages(fake, CHANNELS.ops, /op-1: Shut-down of cluster cluster1/).length, 1, 'one progress message, carried on by the standby');
  const journal = await p.journal();
  assert.equal(journal.filter((r) => r['type'] === 'finished' && r['opId'] === 'op-1').length, 1, 'closed exactly once');
  assert.equal(journal.find((r) => r['type'] === 'finished')?.['outcome'], 'succeeded');
  assert.equal(journal.filter((r) => r['type'] === 'reattached').length, 1);
  assert.ok((await p.audit()).some((e) => e['action'] === 'reattached' && e['opId'] === 'op-1'));
  assert.deepEqual(mutatingCalls(sim), FULL_SHUTDOWN_CALLS, 'every destructive call exactly once, in order');
  assert.deepEqual(sim.violations, []);
}


/** kill -9 of the executor once `until` holds; the standby finishes. Returns the takeover time. */
async function killedAt(database: string, durations: Readonly<Record<string, number>>, until: (p: Pair) => () => Promise<boolean>, what: string): Promise<number> {
  const p = await pair(database, durations);
  try {
    const url = ha.server.urlFor(database);
    const { first, second, secondHealth } = await replicas(p, url, url);
    const progressTs = await approvedShutdown(p, until(p), what);
    const killed = Date.now();
    first.proc.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const port = await startedPort(p.stack, second, 'the standby', TAKEOVER_BOUND_MS + 5000);
    const takeoverMs = Date.now() - killed;
    assert.ok(takeoverMs < TAKEOVER_BOUND_MS, `took over in ${takeoverMs} ms`);
    p.stack.fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    await assertFinishedByStandby(p, progressTs);
    assert.match(await (await fetch(`http://127.0.0.1:${secondHealth}/metrics`)).text(), /^exa_chatops_executor 1$/m, 'the new executor says so');
    assert.equal((await fetch(`http://127.0.0.1:${secondHealth}/readyz`)).status, 200);
    p.stack.capturedTexts.push(first.output(), second.output());
    second.proc.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    return takeoverMs;
  } finally {
    await p.db.end();
    await p.stack.close();
  }
}

describe('the executor killed (kill -9) mid shut-down: the standby finishes it', { timeout: 240_000 }, () => {
  it('during the wait for a database to stop', async () => {
    await killedAt('wait', { databaseStop: 2500 }, waitingForDb1, 'the wait for exa_db1');
  });

  it('while EXAStorage stops (the call sent, not answered)', async () => {
    await killedAt('storage', { storageStop: 1000 }, (p) => calls(p, 'storage.stopEXAStorage()'), 'the storage stop');
  });

  it('just after the data nodes were told to shut down', async () => {
    await killedAt('nodes', { nodeShutdown: 1000 }, dataNodesTold, 'shutdownNode of every data node');
  });
});

describe('the executor cut off from PostgreSQL', { timeout: 180_000 }, () => {
  let p: Pair | undefined;
  let proxy: TcpProxy | undefined;
  after(async () => {
    await proxy?.close();
    await p?.db.end();
    await p?.stack.close();
  });

  it('stops at once and exits 1, says nothing more in Slack; the standby takes over and finishes', async () => {
    p = await pair('cut');
    proxy = await startTcpProxy(ha.server.port);
    const { first, second, firstPort } = await replicas(p, ha.server.urlFor('cut').replace(`:${ha.server.port}/`, `:${proxy.port}/`), ha.server.urlFor('cut'));
    const progressTs = await approvedShutdown(p, waitingForDb1(p), 'the wait for exa_db1');
    // A signed request the executor took: after the takeover the same bytes are still a replay.
    const body = new URLSearchParams({ team_id: p.stack.fake.teamId, channel_id: CHANNELS.ops, user_id: USERS.view, command: '/exa', text: 'queue', response_url: 'http://127.0.0.1:9/nowhere', trigger_id: '1.2.3' }).toString();
    const headers = slackDeliveryHeaders(p.stack.fake.signingSecret, body, {});
    assert.equal((await postToBot(`http://127.0.0.1:${firstPort}/slack/events`, headers, body, 3000)).status, 200);
    await sleep(300); // shared with the other replica in the background
    proxy.cut({ refuseNew: true });
    const exit = await first.exited;
    assert.equal(exit.code, 1, `the cut-off executor exits 1 (output: ${first.output().slice(-600)})`);
    assert.match(first.output(), /lost the executor lock of cluster cluster1/);
    const port = await startedPort(p.stack, second, 'the standby', TAKEOVER_BOUND_MS + 5000);
    p.stack.fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    await assertFinishedByStandby(p, progressTs);
    assert.equal((await postToBot(`http://127.0.0.1:${port}/slack/events`, headers, body, 3000)).status, 401, 'a replay of what the dead executor took is refused');
    await p.stack.fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
    assert.match(textOf(await nextEphemeral(p.stack.fake, USERS.view, CHANNELS.ops, 0)), /Nothing is running or waiting on cluster cluster1/);
    p.stack.capturedTexts.push(first.output(), second.output());
    second.proc.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
  });
});

describe('two replicas started at the same moment on a new database', { timeout: 120_000 }, () => {
  it('migrate once between them; exactly one executes, the other stands by', async () => {
    const p = await pair('together');
    try {
      const url = ha.server.urlFor('together');
      const both = [p.replica('x', url), p.replica('y', url)];
      await p.stack.fake.waitFor(() => both.some((b) => STARTED.test(b.output())) || undefined, 30_000, 'one replica to start');
      await p.stack.fake.waitFor(() => both.some((b) => /standby: cluster cluster1 is executed by/.test(b.output())) || undefined, 10_000, 'the other to stand by');
      await sleep(1000);
      assert.equal(both.filter((b) => STARTED.test(b.output())).length, 1, 'exactly one executes');
      assert.equal(both.filter((b) => STANDING_BY.test(b.output())).length, 2, 'both take Slack requests');
      const versions = await p.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.rows.map((r) => r.version), [1, 2, 3, 4, 5]);
      const executors = await p.db.query<{ epoch: string }>('SELECT epoch FROM cluster_executor');
      assert.deepEqual(executors.rows.map((r) => Number(r.epoch)), [1], 'one holder, never two');
      for (const b of both) p.stack.capturedTexts.push(b.output());
      for (const b of both) b.proc.kill('SIGTERM');
      for (const b of both) assert.equal((await b.exited).code, 0);
    } finally {
      await p.db.end();
      await p.stack.close();
    }
  });
});

describe('a request waiting for approval when the executor dies', { timeout: 120_000 }, () => {
  it('waits on at the standby: Approve on the message the dead one posted works, and the stop runs once', async () => {
    const p = await pair('waiting', { databaseStop: 500 });
    try {
      const url = ha.server.urlFor('waiting');
      const { fake, sim } = p.stack;
      const { first, second } = await replicas(p, url, url);
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 8000, 'the approval request');
      // Its position is journalled just after the post: wait for it before the kill.
      const deadline = Date.now() + 5000;
      while (!(await p.journal()).some((r) => r['type'] === 'message' && r['role'] === 'approval')) {
        assert.ok(Date.now() < deadline, 'the approval request is journalled');
        await sleep(20);
      }
      first.proc.kill('SIGKILL');
      await first.exited;
      fake.setRequestUrl(`http://127.0.0.1:${await startedPort(p.stack, second, 'the standby', TAKEOVER_BOUND_MS + 5000)}/slack/events`);
      const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
      assert.equal(clicked.outcome, 'ok');
      await fake.waitFor(() => (/Approved by <@U0APP>/.test(textOf(fake.message(CHANNELS.ops, request.ts))) ? true : undefined), 5000, 'the approval request edited by the standby');
      await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db2/).find((m) => /Succeeded/.test(textOf(m))), 20_000, 'the stop to finish');
      assert.deepEqual(mutatingCalls(sim), ['db_exa_db2.stopDatabase()']);
      assert.deepEqual(sim.violations, []);
      p.stack.capturedTexts.push(first.output(), second.output());
      second.proc.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
    } finally {
      await p.db.end();
      await p.stack.close();
    }
  });
});

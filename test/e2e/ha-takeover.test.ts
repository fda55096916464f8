// Two replicas of `npm start` on one PostgreSQL (issue 15). The first holds the cluster's executor
// lock and serves Slack; the second waits as a standby, not connected. When the executor dies —
// kill -9 during a database stop wait, or its database connection cut — the standby takes the
// lock within the bound, reports in the channel where the operation stood (and corrects the
// progress message the dead one left), and runs nothing twice: no destructive call is repeated and
// the simulator records no unsafe transition.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { botMessages, CHANNELS, mutatingCalls, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';
import { ROOT, spawnBot, type SpawnedBot } from './spawn-bot.js';

const SLOW_DB_STOP = { durations: { databaseStop: 5000 } };
const WAIT_STEP = 'Wait until database exa_db1 is stopped';
const TAKEOVER_BOUND_MS = 15_000;
const STARTED = /exa-chatops started \(HTTP mode\), port (\d+)/;

let server: PostgresServer;
const dirs: string[] = [];
const children: SpawnedBot[] = [];
before(async () => {
  server = await startPostgres();
});
after(async () => {
  for (const child of children) child.proc.kill('SIGKILL');
  await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Pair {
  readonly stack: Stack;
  readonly db: pg.Client;
  journal(): Promise<Record<string, unknown>[]>;
  audit(): Promise<Record<string, unknown>[]>;
  replica(name: string, url: string): SpawnedBot;
}

async function pair(database: string): Promise<Pair> {
  const url = await server.createDatabase(database);
  const stack = await startStack({ sim: SLOW_DB_STOP, startBot: false });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-ha-'));
  dirs.push(dir);
  return {
    stack,
    db,
    journal: async () => (await db.query<{ record: Record<string, unknown> }>('SELECT record FROM journal ORDER BY seq')).rows.map((r) => r.record),
    audit: async () => (await db.query<{ entry: Record<string, unknown> }>('SELECT entry FROM audit ORDER BY seq')).rows.map((r) => r.entry),
    replica(name, replicaUrl) {
      // Each replica has its own DATA_DIR (its replay window), and the URL in a file of mode 600.
      const urlFile = join(dir, `${name}-database-url`);
      writeFileSync(urlFile, `${replicaUrl}\n`, { mode: 0o600 });
      chmodSync(urlFile, 0o600);
      const child = spawnBot(join(ROOT, 'src', 'main.ts'), {
        ...stack.env,
        DATA_DIR: join(dir, name),
        DATABASE_URL_FILE: urlFile,
        EXA_EXECUTOR_POLL_SECONDS: '0.5',
        LOG_LEVEL: 'info',
      });
      children.push(child);
      return child;
    },
  };
}

async function startedPort(stack: Stack, bot: SpawnedBot, what: string, timeoutMs = 30_000): Promise<string> {
  return stack.fake.waitFor(() => STARTED.exec(bot.output())?.[1], timeoutMs, `${what} to start (output: ${bot.output().slice(-600)})`);
}

/** A shut-down requested and approved through the active replica, running its wait for exa_db1. */
async function shutdownWaitingForDb1(p: Pair): Promise<string> {
  const { fake } = p.stack;
  await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown' });
  const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 8000, 'the approval request');
  const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
  assert.equal(clicked.outcome, 'ok');
  const deadline = Date.now() + 10_000;
  while (!(await p.journal()).some((r) => r['type'] === 'step' && r['title'] === WAIT_STEP && r['outcome'] === 'started')) {
    assert.ok(Date.now() < deadline, 'the shut-down waits for exa_db1');
    await sleep(50);
  }
  const progress = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Shut-down of cluster cluster1/)[0], 5000, 'the progress message');
  return progress.ts;
}

/** What the standby must do after it took over: report, correct the old message, repeat nothing. */
async function assertTakenOver(p: Pair, progressTs: string, callsAtLoss: readonly string[]): Promise<void> {
  const { fake, sim } = p.stack;
  const report = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /:x: Operation op-1 \(cluster shut-down on cluster1, requested by U0OP\) was interrupted/)[0], 10_000, 'the recovery report');
  assert.match(textOf(report), /during step 4 'Wait until database exa_db1 is stopped'.*It was not resumed/s);
  await fake.waitFor(() => /op-1: interrupted by a restart, not resumed/.test(textOf(fake.message(CHANNELS.ops, progressTs))) || undefined, 5000, 'the progress message corrected').catch((error: unknown) => {
    throw new Error(`${String(error)}; it reads: ${textOf(fake.message(CHANNELS.ops, progressTs))}`);
  });
  const journal = await p.journal();
  assert.equal(journal.filter((r) => r['type'] === 'finished' && r['opId'] === 'op-1').length, 1, 'closed exactly once');
  assert.equal(journal.find((r) => r['type'] === 'finished' && r['opId'] === 'op-1')?.['outcome'], 'interrupted');
  assert.ok((await p.audit()).some((e) => e['action'] === 'interrupted' && e['opId'] === 'op-1'));
  await sleep(500);
  assert.deepEqual(mutatingCalls(sim), callsAtLoss, 'no destructive call repeated, nothing resumed');
  assert.deepEqual(sim.violations, []);
  // The new executor takes commands, and ids go on from the shared sequence.
  await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
  await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2:/)[0], 8000, 'a new request on the new executor');
}

describe('two replicas on one PostgreSQL', { timeout: 180_000 }, () => {
  let p: Pair | undefined;
  after(async () => {
    await p?.db.end();
    await p?.stack.close();
  });

  it('the standby waits unready; kill -9 of the executor mid shut-down: the standby takes over within the bound and runs nothing twice', async () => {
    p = await pair('killed');
    const { fake, sim } = p.stack;
    const url = server.urlFor('killed');
    const first = p.replica('a', url);
    fake.setRequestUrl(`http://127.0.0.1:${await startedPort(p.stack, first, 'the first replica')}/slack/events`);
    const second = p.replica('b', url);
    await fake.waitFor(() => /standby: cluster cluster1 is executed by [^ ]+\/\d+/.test(second.output()) || undefined, 30_000, `the second replica to stand by (output: ${second.output().slice(-600)})`);
    assert.doesNotMatch(second.output(), STARTED, 'a standby does not serve Slack');

    const progressTs = await shutdownWaitingForDb1(p);
    const callsAtKill = mutatingCalls(sim);
    assert.deepEqual(callsAtKill, ['db_exa_db1.stopDatabase()']);
    const killedAt = Date.now();
    first.proc.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const port = await startedPort(p.stack, second, 'the standby', TAKEOVER_BOUND_MS + 5000);
    const takeoverMs = Date.now() - killedAt;
    assert.ok(takeoverMs < TAKEOVER_BOUND_MS, `took over in ${takeoverMs} ms`);
    fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    await assertTakenOver(p, progressTs, callsAtKill);
    p.stack.capturedTexts.push(first.output(), second.output());
    second.proc.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
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

  it('stops at once and exits 1; the standby takes over, and the cut-off one cannot write', async () => {
    p = await pair('cut');
    const { fake, sim } = p.stack;
    proxy = await startTcpProxy(server.port);
    const first = p.replica('a', server.urlFor('cut').replace(`:${server.port}/`, `:${proxy.port}/`));
    fake.setRequestUrl(`http://127.0.0.1:${await startedPort(p.stack, first, 'the first replica')}/slack/events`);
    const second = p.replica('b', server.urlFor('cut'));
    await fake.waitFor(() => /standby: cluster cluster1 is executed by/.test(second.output()) || undefined, 30_000, 'the second replica to stand by');

    const progressTs = await shutdownWaitingForDb1(p);
    const callsAtCut = mutatingCalls(sim);
    proxy.cut({ refuseNew: true });
    const exit = await first.exited;
    assert.equal(exit.code, 1, `the cut-off executor exits 1 (output: ${first.output().slice(-600)})`);
    assert.match(first.output(), /lost the executor lock of cluster cluster1/);
    const port = await startedPort(p.stack, second, 'the standby', TAKEOVER_BOUND_MS + 5000);
    fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    await assertTakenOver(p, progressTs, callsAtCut);
    // Whatever the cut-off replica told the requester on its way out, the record has one end only.
    const ends = (await p.journal()).filter((r) => r['type'] === 'finished');
    assert.equal(ends.length, 1);
    await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
    assert.match(textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0)), /op-2/);
    p.stack.capturedTexts.push(first.output(), second.output());
    second.proc.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
  });
});

// Two replicas on one PostgreSQL (issue 15): how long a standby takes to go on after the executor
// is killed, over a chain of kills, and what the database store costs the Slack side next to the
// file store.
//
// Takeover: one database stop whose wait never ends (the simulator's stop takes days), so every
// round kills the replica that runs it (kill -9) while a fresh standby waits. Timed from the kill
// to the standby holding the lock (its log line) and to its first call to EXAoperation (a TCP
// relay in front of the simulator notes the first bytes after the kill). Over the whole chain the
// destructive call (stopDatabase) must have been sent exactly once.
//
// Store cost: the same bot with the files and with PostgreSQL, each in a process of its own (the
// compiled entry point): ack p99 of bursts of /exa status, and request → approval request posted
// (the request is written to the journal and the audit log, and numbered, before it is posted).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../simulator/index.js';
import { botMessages, CHANNELS, USERS } from '../test/e2e/harness.js';
import { startFakeSlack, type FakeSlack } from '../test/fakes/slack/index.js';
import { startPostgres, type PostgresServer } from '../test/helpers/postgres.js';
import { mutatingCalls } from '../test/helpers/sim-cluster.js';
import { benchEnv } from './bench-env.js';
import { startSimulatorProcess } from './sim-process.js';
import { median, percentile, spread, type BenchResult } from './stats.js';

const ENTRY = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
const LOCK_HELD = /this replica executes every configured cluster/;
const STARTED = /started \(HTTP mode\), port (\d+)/;
const STANDBY = /standby: cluster cluster1 is executed by/;
/** Every replica logs it once it takes Slack requests; a standby forwards them to the executor. */
const STANDING_BY = /standing by \(HTTP mode\), port (\d+)/;

interface Replica {
  readonly child: ChildProcess;
  output(): string;
  /** performance.now() when a line matching `pattern` first appeared. */
  when(pattern: RegExp): number | undefined;
}

function spawnReplica(env: Readonly<Record<string, string>>): Replica {
  const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const seen: { pattern: RegExp; at: number }[] = [];
  const patterns = [LOCK_HELD, STARTED, STANDBY];
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const pattern of patterns) if (!seen.some((s) => s.pattern === pattern) && pattern.test(output)) seen.push({ pattern, at: performance.now() });
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output: () => output, when: (pattern) => seen.find((s) => s.pattern === pattern)?.at };
}

/** A relay to the simulator that notes when bytes first arrive after `arm()`. */
async function startRelay(target: number): Promise<{ port: number; arm(): void; first(): number | undefined; close(): Promise<void> }> {
  let armed = false;
  let first: number | undefined;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', () => {
      if (armed && first === undefined) first = performance.now();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    arm: () => {
      armed = true;
      first = undefined;
    },
    first: () => first,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  for (const [key, id] of Object.entries(USERS)) fake.addUser(id, { name: key });
  fake.addChannel(CHANNELS.ops, { name: 'exa-ops', members: Object.values(USERS) });
  fake.addChannel(CHANNELS.other, { name: 'other-team', members: Object.values(USERS) });
  return fake;
}

function urlFile(dir: string, url: string): string {
  const path = join(dir, `database-url-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, `${url}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

const until = async (check: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

async function takeovers(pg: PostgresServer, kills: number): Promise<BenchResult[]> {
  const sim: Simulator = await startSimulator({ password: 'bench-Secret-4711', nodes: 4, databases: ['exa_db1', 'exa_db2'], timeScale: 0.002, durations: { databaseStop: 1e9 }, onError: () => undefined });
  const relay = await startRelay(sim.port);
  const fake = await fakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-bench-ha-'));
  const url = await pg.createDatabase('takeover');
  const setup = benchEnv({ url: sim.url.replace(`:${sim.port}/`, `:${relay.port}/`), user: sim.user, password: 'bench-Secret-4711' }, fake, {
    EXA_TIMEOUT_MS: '2000',
    EXA_POLL_INTERVAL_MS: '200',
    DATABASE_URL_FILE: urlFile(dir, url),
    EXA_EXECUTOR_POLL_SECONDS: '0.5',
  });
  const replicas: Replica[] = [];
  const replica = (name: string): Replica => {
    const r = spawnReplica({ ...setup.env, DATA_DIR: join(dir, name) });
    replicas.push(r);
    return r;
  };
  const toLock: number[] = [];
  const toCall: number[] = [];
  try {
    let active = replica('r0');
    await until(() => active.when(STARTED) !== undefined, 30_000, 'the first replica');
    fake.setRequestUrl(`http://127.0.0.1:${STARTED.exec(active.output())?.[1] ?? ''}/slack/events`);
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 10_000, 'the approval request');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    await until(() => mutatingCalls(sim).includes('db_exa_db1.stopDatabase()'), 10_000, 'the stop to be sent');
    for (let round = 1; round <= kills; round += 1) {
      const standby = replica(`r${round}`);
      await until(() => standby.when(STANDBY) !== undefined, 30_000, `standby ${round}`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the wait polls on
      relay.arm();
      const killed = performance.now();
      active.child.kill('SIGKILL');
      await until(() => standby.when(STARTED) !== undefined && relay.first() !== undefined, 30_000, `takeover ${round}`);
      toLock.push((standby.when(LOCK_HELD) ?? NaN) - killed);
      toCall.push((relay.first() ?? NaN) - killed);
      fake.setRequestUrl(`http://127.0.0.1:${STARTED.exec(standby.output())?.[1] ?? ''}/slack/events`);
      active = standby;
    }
    const destructive = mutatingCalls(sim).filter((c) => c === 'db_exa_db1.stopDatabase()').length;
    return [
      { name: `takeover after kill -9 of the executor (${kills} kills, one database stop wait): to the lock, median`, value: median(toLock), unit: 'ms', display: `${median(toLock).toFixed(0)} (${spread(toLock)}, worst ${Math.max(...toLock).toFixed(0)})` },
      {
        name: '… to the standby\'s first call to EXAoperation, median (worst)',
        value: median(toCall),
        unit: 'ms',
        target: '< 15000 (worst)',
        pass: Math.max(...toCall) < 15_000,
        display: `${median(toCall).toFixed(0)} (${spread(toCall)}, worst ${Math.max(...toCall).toFixed(0)})`,
        detail: { toLock, toCall },
      },
      { name: `… destructive calls sent again over the ${kills} takeovers (stopDatabase sent once, then taken over ${kills} times)`, value: destructive - 1, unit: 'calls', target: '0', pass: destructive === 1 },
    ];
  } finally {
    for (const r of replicas) r.child.kill('SIGKILL');
    await relay.close();
    await fake.close();
    await sim.stop();
    setup.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ack p99 of bursts of /exa status, and request → approval request posted, for one store; with
 * `viaStandby`, two replicas on the database and every request sent to the standby (which
 * forwards it to the executor through PostgreSQL).
 */
async function storeCost(pg: PostgresServer | undefined, bursts: number, requests: number, viaStandby = false): Promise<{ ackP99: number; ackP50: number; request: number[] }> {
  // The simulator in a process of its own: the fake Slack times the acks and must have its event loop to itself.
  const sim = await startSimulatorProcess({ nodes: 4, databases: ['exa_db1', 'exa_db2'], timeScale: 0.002 });
  const fake = await fakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-bench-store-'));
  const extra = pg ? { DATABASE_URL_FILE: urlFile(dir, await pg.createDatabase(`cost_${Date.now()}`)) } : {};
  const setup = benchEnv(sim, fake, { EXA_TIMEOUT_MS: '2000', EXA_POLL_INTERVAL_MS: '20', ...extra });
  const executor = spawnReplica({ ...setup.env, DATA_DIR: join(dir, 'executor') });
  const standby = viaStandby ? spawnReplica({ ...setup.env, DATA_DIR: join(dir, 'standby') }) : undefined;
  const bots = [executor, ...(standby ? [standby] : [])];
  try {
    await until(() => executor.when(STARTED) !== undefined, 30_000, 'the bot');
    if (standby) await until(() => standby.when(STANDBY) !== undefined && STANDING_BY.test(standby.output()), 30_000, 'the standby');
    const port = standby ? STANDING_BY.exec(standby.output())?.[1] : STARTED.exec(executor.output())?.[1];
    fake.setRequestUrl(`http://127.0.0.1:${port ?? ''}/slack/events`);
    const acks: number[] = [];
    // One burst first, not counted: the first answers after a start run cold code (see the slack section).
    await Promise.all(Array.from({ length: 100 }, () => fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' })));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let burst = 0; burst < bursts; burst += 1) {
      const deliveries = await Promise.all(Array.from({ length: 100 }, () => fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' })));
      acks.push(...deliveries.map((d) => d.elapsedMs));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const request: number[] = [];
    for (let i = 0; i < requests; i += 1) {
      const before = botMessages(fake, CHANNELS.ops, /Approval needed for/).length;
      const sent = performance.now();
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
      const posted = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for/)[before], 10_000, 'the approval request');
      request.push(performance.now() - sent);
      await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: posted.ts, actionId: 'exa_reject' });
      await fake.waitFor(() => (/Rejected by/.test(JSON.stringify(fake.message(CHANNELS.ops, posted.ts)?.blocks ?? [])) ? true : undefined), 10_000, 'the rejection');
    }
    return { ackP99: percentile(acks, 99), ackP50: percentile(acks, 50), request };
  } finally {
    for (const bot of bots) bot.child.kill('SIGTERM');
    await Promise.all(bots.map((bot) => new Promise((resolve) => bot.child.once('exit', resolve))));
    await fake.close();
    await sim.stop();
    setup.remove();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTakeover(options: { readonly kills: number; readonly bursts: number; readonly requests: number }): Promise<BenchResult[]> {
  const pg = await startPostgres();
  try {
    const results = await takeovers(pg, options.kills);
    const files = await storeCost(undefined, options.bursts, options.requests);
    const database = await storeCost(pg, options.bursts, options.requests);
    const forwarded = await storeCost(pg, options.bursts, options.requests, true);
    return [
      ...results,
      {
        name: `ack p99 of ${options.bursts} bursts of 100 /exa status after a warm-up burst: PostgreSQL store vs file store`,
        value: database.ackP99,
        unit: 'ms',
        display: `${database.ackP99.toFixed(0)} vs ${files.ackP99.toFixed(0)} (p50 ${database.ackP50.toFixed(0)} vs ${files.ackP50.toFixed(0)})`,
      },
      {
        name: `request → approval request posted, median of ${options.requests}: PostgreSQL store vs file store`,
        value: median(database.request),
        unit: 'ms',
        display: `${median(database.request).toFixed(0)} (${spread(database.request)}) vs ${median(files.request).toFixed(0)} (${spread(files.request)})`,
      },
      {
        name: `the same through the standby (forwarded to the executor through PostgreSQL): ack p99 (p50); request → approval request posted, median of ${options.requests}`,
        value: median(forwarded.request),
        unit: 'ms',
        display: `${forwarded.ackP99.toFixed(0)} (${forwarded.ackP50.toFixed(0)}); ${median(forwarded.request).toFixed(0)} (${spread(forwarded.request)})`,
      },
    ];
  } finally {
    await pg.stop();
  }
}

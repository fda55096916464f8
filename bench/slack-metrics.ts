// The Slack side, with the real bot against the loopback fake of Slack and the simulator: ack
// latency for a burst of commands while an operation runs and EXAoperation hangs; Slack API and
// XML-RPC calls per operation; progress edits per second; 429s at Slack's published tiers; memory
// idle and after notifications.
//
// Three processes, as in production three machines: the bot (bot-process.ts: the compiled entry
// point, NODE_ENV=production), the simulator (sim-process.ts) and this one, which holds only the
// fake Slack and the driver. The acks are timed by the fake, so its event loop must not be busy
// answering XML-RPC calls; the bot's memory is its own.
import { spawn } from 'node:child_process';
import { buttonsOf, CHANNELS, USERS } from '../test/e2e/harness.js';
import { startFakeSlack, type DeliveryResult, type FakeMessage, type FakeSlack } from '../test/fakes/slack/index.js';
import { FAST } from '../test/helpers/sim-cluster.js';
import { benchEnv } from './bench-env.js';
import { startBotProcess, type BotProcess, type MemorySample } from './bot-process.js';
import { startSimulatorProcess, type SimProcess } from './sim-process.js';
import { median, percentile, spread, type BenchResult } from './stats.js';

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface SlackStack {
  readonly fake: FakeSlack;
  readonly sim: SimProcess;
  readonly bot: BotProcess;
  /** Stops the bot and the fake Slack; the simulator is the caller's. */
  close(): Promise<void>;
}

export async function startSlackStack(sim: SimProcess, env: Readonly<Record<string, string>>, nodeArgs: readonly string[] = []): Promise<SlackStack> {
  const fake = await startFakeSlack();
  for (const [key, id] of Object.entries(USERS)) fake.addUser(id, { name: key });
  const everyone = Object.values(USERS);
  fake.addChannel(CHANNELS.ops, { name: 'exa-ops', members: everyone });
  fake.addChannel(CHANNELS.other, { name: 'other-team', members: everyone });
  const setup = benchEnv(sim, fake, { EXA_TIMEOUT_MS: '2000', EXA_POLL_INTERVAL_MS: '20', ...env });
  try {
    const bot = await startBotProcess({ fake, env: setup.env, nodeArgs });
    return {
      fake,
      sim,
      bot,
      close: async () => {
        await bot.stop();
        await fake.close();
        setup.remove();
      },
    };
  } catch (error) {
    await fake.close();
    setup.remove();
    throw error;
  }
}

/** `count` viewers typing `/exa status` at the same moment, as the fake delivers them. */
function statusBurst(fake: FakeSlack, count: number): Promise<DeliveryResult[]> {
  return Promise.all(Array.from({ length: count }, () => fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' })));
}

const FINISHED = /: (succeeded|failed|refused|cancelled|interrupted)$/;
const BURSTS = 3;
const REPETITIONS = 3;

/**
 * What the fake Slack itself adds to an ack time: the same bursts against a server in another
 * process that answers every delivery at once. The fake signs, connects and times all the
 * deliveries of a burst from one event loop, so part of each figure is its own.
 */
async function instantAckFloor(fake: FakeSlack, botUrl: string, commands: number): Promise<{ p50: number; p99: number }> {
  const script =
    "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.writeHead(200,{'content-type':'text/plain'});r.end('')})});" +
    "s.listen(0,'127.0.0.1',()=>console.log(s.address().port));process.on('disconnect',()=>process.exit(0));";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<string>((resolve) => child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
    const times: number[] = [];
    for (let burst = 0; burst < BURSTS; burst += 1) {
      const deliveries = await statusBurst(fake, commands);
      times.push(...deliveries.map((d) => d.elapsedMs));
      await settle(300);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    fake.setRequestUrl(botUrl);
    child.kill();
  }
}

/** `cpuProfileDir`: run the bot with --cpu-prof, to see where its time goes (not used by `npm run bench`). */
export async function benchSlack(options: { commands: number; notifications: number; cpuProfileDir?: string }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // A database start and stop long enough (10 s and 8 s) for several progress edits.
  const sim = await startSimulatorProcess({ nodes: 4, databases: ['exa_db1', 'exa_db2'], timeScale: FAST, durations: { databaseStart: 5000, databaseStop: 4000 } });
  const stack = await startSlackStack(sim, { EXA_APPROVAL_REQUIRED_FOR: 'cluster-shutdown' }, options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []);
  try {
    const { fake } = stack;
    fake.setRateLimiting(true);
    await settle(2000);
    const quiet = await stack.bot.memory();

    // 1. Ack latency: bursts of commands while an operation runs and EXAoperation hangs, in
    // REPETITIONS rounds (a stop, a start, a stop of exa_db1), each figure the median of the rounds'
    // with their range: one round's p99 is its 3rd-slowest of 300 acks, and moves with machine load.
    // The bot runs for weeks; its first commands after a start run in V8's interpreter. One burst
    // before the measured ones warms the request path, and its own figure shows what a cold start costs.
    const cold = await statusBurst(fake, options.commands);
    await settle(1500);
    const rounds: { p50: number; p99: number; max: number; floor: { p50: number; p99: number } }[] = [];
    let missed = 0;
    for (let round = 0; round < REPETITIONS; round += 1) {
      const floor = await instantAckFloor(fake, stack.bot.requestUrl, options.commands);
      const opPosts = fake.messages(CHANNELS.ops).length;
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: round % 2 === 0 ? 'db stop exa_db1' : 'db start exa_db1' });
      await settle(500);
      await sim.fault('hang', 'getNodeList');
      await sim.fault('hang', 'getDatabaseList');
      const acks: number[] = [];
      for (let burst = 0; burst < BURSTS; burst += 1) {
        const deliveries = await statusBurst(fake, options.commands);
        acks.push(...deliveries.map((d) => d.elapsedMs));
        missed += deliveries.filter((d) => d.outcome !== 'ok').length;
        await settle(700);
      }
      rounds.push({ p50: percentile(acks, 50), p99: percentile(acks, 99), max: Math.max(...acks), floor });
      await sim.fault('clear');
      // The operation ends; the hung status reads time out (EXA_TIMEOUT_MS) and are answered.
      await fake.waitFor(() => fake.messages(CHANNELS.ops).slice(opPosts).find((m) => FINISHED.test(m.text)), 30_000, 'the end of the database operation');
      await settle(3000);
    }
    const figure = (pick: (r: (typeof rounds)[number]) => number): { value: number; display: string } => {
      const values = rounds.map(pick);
      const value = median(values);
      return { value, display: `${value.toFixed(0)} (${spread(values)})` };
    };
    const p99 = figure((r) => r.p99);
    const burst = `${BURSTS} bursts of ${options.commands} commands`;
    results.push(
      { name: `ack latency p50, ${burst} during an operation, EXAoperation hung (median of ${REPETITIONS} rounds)`, unit: 'ms', ...figure((r) => r.p50) },
      { name: 'ack latency p99', unit: 'ms', ...p99, target: '< 100', pass: p99.value < 100, detail: { rounds } },
      { name: 'acks missed (over 3 s)', value: missed, unit: 'commands', target: '0', pass: missed === 0 },
      { name: "ack latency p50 of an instant responder in another process (the fake's own part)", unit: 'ms', ...figure((r) => r.floor.p50) },
      { name: 'ack latency p99 of that instant responder', unit: 'ms', ...figure((r) => r.floor.p99) },
      { name: 'ack latency p99 of the first burst after the bot started (cold code, EXAoperation answering)', value: percentile(cold.map((d) => d.elapsedMs), 99), unit: 'ms' },
    );

    // 2. Calls per operation: a database start, and a full shut-down (with its approval).
    for (const [label, text, approve] of [
      ['database start', 'db start exa_db1', false],
      ['cluster shut-down', 'shutdown', true],
    ] as const) {
      const apiBefore = fake.apiCalls().length;
      const rpcBefore = await sim.callCount();
      const postsBefore = fake.messages(CHANNELS.ops).length;
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text });
      if (approve) {
        const request = await fake.waitFor(() => fake.messages(CHANNELS.ops).slice(postsBefore).find((m) => /Approval needed/.test(m.text)), 5000, 'approval request');
        const opId = String(buttonsOf(request).get('exa_approve')?.['value'] ?? '');
        await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve', value: opId });
      }
      await fake.waitFor(() => fake.messages(CHANNELS.ops).slice(postsBefore).find((m) => FINISHED.test(m.text)), 60_000, `the end of the ${label}`);
      await settle(1500);
      const edits = (m: FakeMessage): number[] => m.history.filter((h) => h.via === 'chat.update').map((h) => h.at);
      const progress = [...fake.messages(CHANNELS.ops).slice(postsBefore)].sort((a, b) => edits(b).length - edits(a).length)[0];
      const times = progress ? edits(progress) : [];
      let fastest = Infinity;
      for (let i = 1; i < times.length; i += 1) fastest = Math.min(fastest, (times[i] ?? 0) - (times[i - 1] ?? 0));
      const measured = times.length >= 2;
      results.push(
        { name: `${label}: Slack API calls`, value: fake.apiCalls().length - apiBefore, unit: 'calls' },
        { name: `${label}: XML-RPC calls`, value: (await sim.callCount()) - rpcBefore, unit: 'calls' },
        {
          name: `${label}: shortest gap between progress edits (${times.length} edits)`,
          value: measured ? fastest : NaN,
          unit: 'ms',
          target: '>= 1000 (one edit per second)',
          // Fewer than two edits is no evidence either way.
          ...(measured ? { pass: fastest >= 990 } : { display: `n/a (${times.length} edit${times.length === 1 ? '' : 's'})` }),
        },
      );
    }
    const limited = fake.apiCalls().filter((c) => c.status === 429).length;
    results.push(
      { name: '429 answers at Slack’s published tiers (rate limiting on)', value: limited, unit: 'answers', target: '0', pass: limited === 0 },
      { name: 'bot resident memory idle, 4-node cluster, notifications off (after GC)', value: quiet.rssMb, unit: 'MB', detail: { ...quiet } },
    );
  } finally {
    await stack.close();
    await sim.stop();
  }

  results.push(...(await benchMemory(options.notifications)));
  return results;
}

/** Least-squares slope of ys over 0, 1, 2, …. */
function slope(ys: readonly number[]): number {
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? NaN : num / den;
}

/**
 * Memory of the bot's own process, always after forced full GCs (memory-probe.mjs), each figure
 * the lowest of five samples since work in flight only ever adds to it. Idle: a bot watching a
 * 64-node, 8-database cluster at the default interval, nothing else to do. Growth: a second bot
 * watching the same cluster every 100 ms, through rounds of 1,000 log entries each (written over
 * 3 s, then posted as grouped notices). The first rounds warm up (code compiled, the watcher's
 * de-duplication window of 2,000 entries filled, pools sized); a leak is growth that goes on round
 * after round, so it is the least-squares slope of the live heap over the rounds after WARM_UP.
 * The live heap leaves out compiled code, which the JIT keeps adding to for a while.
 */
const ROUNDS = 7;
const WARM_UP = 2;

export async function benchMemory(notifications: number): Promise<BenchResult[]> {
  const sim = await startSimulatorProcess({ nodes: 64, databases: Array.from({ length: 8 }, (_, i) => `exa_db${i + 1}`), timeScale: FAST });
  try {
    // Idle as in production: notifications on, the cluster watched at the default interval (10 s).
    const quiet = await startSlackStack(sim, { EXA_NOTIFY_CHANNEL: CHANNELS.other, EXA_NOTIFY_MIN_PRIORITY: 'Warning' });
    let idle: MemorySample;
    try {
      await settle(5000);
      idle = await lowestOf(quiet.bot, 5);
    } finally {
      await quiet.close();
    }
    return await memoryUnderLoad(sim, idle, notifications);
  } finally {
    await sim.stop();
  }
}

/** Several samples; the lowest of each figure, since work in flight only ever adds to it. */
async function lowestOf(bot: BotProcess, count: number): Promise<MemorySample> {
  const samples: MemorySample[] = [];
  for (let i = 0; i < count; i += 1) {
    samples.push(await bot.memory());
    await settle(150);
  }
  const lowest = (pick: (s: MemorySample) => number): number => Math.min(...samples.map(pick));
  return {
    rssMb: lowest((s) => s.rssMb),
    rssAnonMb: lowest((s) => s.rssAnonMb),
    rssFileMb: lowest((s) => s.rssFileMb),
    heapUsedMb: lowest((s) => s.heapUsedMb),
    heapDataMb: lowest((s) => s.heapDataMb),
    externalMb: lowest((s) => s.externalMb),
  };
}

async function memoryUnderLoad(sim: SimProcess, idle: MemorySample, notifications: number): Promise<BenchResult[]> {
  // The same cluster polled every 100 ms: a minute of this is hours of XML-RPC calls at 10 s.
  const stack = await startSlackStack(sim, { EXA_NOTIFY_CHANNEL: CHANNELS.other, EXA_WATCH_INTERVAL_MS: '100', EXA_NOTIFY_MIN_PRIORITY: 'Warning' });
  const { fake, bot } = stack;
  let written = 0;
  const round = async (): Promise<MemorySample> => {
    for (let i = 0; i < notifications; i += 100) {
      await sim.writeLogEntries(
        Array.from({ length: 100 }, (_, k) => ({ system: 'EXAoperation', node: 'n0011', message: `bench warning ${written + i + k}`, priority: 'Warning' as const })),
      );
      await settle(300);
    }
    written += notifications;
    // Until the grouped notices are posted: the message count stands still for 2 s.
    let last = -1;
    for (let waited = 0; waited < 15_000; waited += 1000) {
      const now = fake.messages(CHANNELS.other).length;
      if (now === last && waited >= 2000) break;
      last = now;
      await settle(1000);
    }
    return lowestOf(bot, 5);
  };
  try {
    await settle(3000);
    const start = await lowestOf(bot, 5);
    const rounds: MemorySample[] = [];
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await round());
    const first = rounds[0] as MemorySample;
    const last = rounds[rounds.length - 1] as MemorySample;
    const growth = slope(rounds.slice(WARM_UP - 1).map((r) => r.heapDataMb));
    const posted = fake.messages(CHANNELS.other).length;
    // Acks under the other loads of issue 13: one more round of notifications (not counted above),
    // and meanwhile a burst of commands, each a status read of this 64-node cluster (shared reads).
    // This bot has taken no command yet: a first burst warms its request path (as in benchSlack).
    await statusBurst(fake, 100);
    await settle(2000);
    const during = round();
    await settle(500);
    const burst = await statusBurst(fake, 100);
    await during;
    const busyAcks = burst.map((d) => d.elapsedMs);
    const busyP99 = percentile(busyAcks, 99);
    const mb = (s: MemorySample) => ({ ...s });
    return [
      {
        name: 'bot resident memory, idle: 64-node cluster watched every 10 s (own process, after GC)',
        value: idle.rssMb,
        unit: 'MB',
        target: '< 100',
        pass: idle.rssMb < 100,
        detail: mb(idle),
      },
      { name: 'bot resident memory, the same cluster watched every 100 ms, before notifications', value: start.rssMb, unit: 'MB', detail: mb(start) },
      { name: `bot resident memory after ${notifications} notifications (after GC)`, value: first.rssMb, unit: 'MB', detail: mb(first) },
      { name: `bot resident memory after ${ROUNDS * notifications} notifications (after GC)`, value: last.rssMb, unit: 'MB', detail: mb(last) },
      { name: `bot live heap: before → after ${notifications} notifications (warm-up)`, value: first.heapDataMb - start.heapDataMb, unit: 'MB' },
      {
        name: `bot live heap growth per ${notifications} notifications after warm-up (slope, rounds ${WARM_UP}–${ROUNDS})`,
        value: growth,
        unit: 'MB',
        target: '< 0.1 (no growth)',
        pass: growth < 0.1,
        detail: { heapDataMbPerRound: rounds.map((r) => r.heapDataMb), heapUsedMbPerRound: rounds.map((r) => r.heapUsedMb), rssMbPerRound: rounds.map((r) => r.rssMb) },
      },
      { name: `channel messages for ${ROUNDS * notifications} notifications (grouped)`, value: posted, unit: 'messages' },
      {
        name: `ack latency p99, 100 commands while ${notifications} notifications are processed, each a 64-node status read`,
        value: busyP99,
        unit: 'ms',
        target: '< 100',
        pass: busyP99 < 100 && burst.every((d) => d.outcome === 'ok'),
        detail: { p50: percentile(busyAcks, 50), max: Math.max(...busyAcks), notOk: burst.filter((d) => d.outcome !== 'ok').length },
      },
    ];
  } finally {
    await stack.close();
  }
}

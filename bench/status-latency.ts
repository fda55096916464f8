// `/exa status` latency on a large simulated cluster with 20 ms added to every XML-RPC call,
// measured on the code path the command takes once acked: the real bot (createBot, configured by
// loadConfig from an environment as in production), its OperationService and the command handler
// that renders the answer — only the ack and the delivery to Slack are left out. Against it: a
// client making the same calls one by one, as the article's snippets do. The simulator runs in a
// process of its own.
import { createBot } from '../src/bot.js';
import { handleCommand } from '../src/commands/handle-command.js';
import { parseCommand } from '../src/commands/parse-command.js';
import { loadConfig } from '../src/config/load-config.js';
import { createExaOperationClient, type ExaOperationClient } from '../src/exaoperation/client.js';
import { createTransport } from '../src/exaoperation/transport.js';
import { silentLogger } from '../src/logging/logger.js';
import { benchEnv } from './bench-env.js';
import { startSimulatorProcess } from './sim-process.js';
import { median, spread, type BenchResult } from './stats.js';
import type { FakeMessage } from '../test/fakes/slack/index.js';
import { CHANNELS, USERS } from '../test/e2e/harness.js';
import { startSlackStack } from './slack-metrics.js';
import { BUDGET_WINDOW_MS } from '../src/exaoperation/call-budget.js';

async function sequentialStatus(client: ExaOperationClient): Promise<number> {
  let calls = 0;
  const count = <T>(value: T): T => {
    calls += 1;
    return value;
  };
  const nodes = count(await client.getNodeList());
  const databases = count(await client.getDatabaseList());
  count(await client.getServiceState());
  count(await client.getEXAoperationMaster());
  count(await client.serviceIsOnline());
  for (const node of nodes) count(await client.getNodeState(node));
  for (const db of databases) count(await client.getDatabaseInfo(db));
  return calls;
}

export async function benchStatusLatency(options: { nodes: number; databases: number; latencyMs: number; runs: number }): Promise<BenchResult[]> {
  const databases = Array.from({ length: options.databases }, (_, i) => `exa_db${i + 1}`);
  const sim = await startSimulatorProcess({ nodes: options.nodes, databases });
  await sim.fault('latency', options.latencyMs);
  // Slack is never contacted: the bot is built, not started.
  const setup = benchEnv(sim, { apiUrl: 'http://127.0.0.1:9/api/', botToken: 'xoxb-bench', signingSecret: 'bench-signing-secret' });
  const bot = createBot(loadConfig(setup.env), { logger: silentLogger });
  const cluster = bot.service.clusterNames()[0] ?? 'cluster1';
  const command = parseCommand('status');
  const status = async (): Promise<number> => {
    const started = performance.now();
    const reply = await handleCommand(command, { service: bot.service, user: 'U0VIEW', defaultCluster: cluster });
    const elapsed = performance.now() - started;
    const expected = `${options.nodes}/${options.nodes} nodes online`;
    if (!reply.message.title.includes(expected)) throw new Error(`/exa status did not answer with the cluster state: ${reply.message.title}`);
    return elapsed;
  };
  const transport = createTransport({ url: sim.url, user: sim.user, password: sim.password });
  const client = createExaOperationClient(transport);
  try {
    // The first status after the bot started knows no node names yet: lists first, then the rest.
    const first = await status();
    const bot20: number[] = [];
    const sequential: number[] = [];
    let calls = 0;
    for (let i = 0; i < options.runs; i += 1) {
      bot20.push(await status());
      const t = performance.now();
      calls = await sequentialStatus(client);
      sequential.push(performance.now() - t);
    }
    const botMs = median(bot20);
    const seqMs = median(sequential);
    const roundTrips = botMs / options.latencyMs;
    const size = `${options.nodes} nodes / ${options.databases} dbs, +${options.latencyMs} ms per call`;
    return [
      { name: `/exa status latency, ${size} (bot, median of ${options.runs})`, value: botMs, unit: 'ms', display: `${botMs.toFixed(1)} (${spread(bot20, 1)})`, detail: { runs: bot20 } },
      { name: 'status latency, sequential client (same calls one by one)', value: seqMs, unit: 'ms' },
      { name: 'status speed-up over the sequential client', value: seqMs / botMs, unit: 'x', target: '>= 20', pass: seqMs / botMs >= 20 },
      { name: 'status latency in round-trips (latency / added latency)', value: roundTrips, unit: 'RTT', target: '<= 3', pass: roundTrips <= 3 },
      { name: 'first status after the bot started (lists first, new connections)', value: first, unit: 'ms' },
      { name: 'XML-RPC calls per status', value: calls, unit: 'calls' },
    ];
  } finally {
    transport.close();
    await bot.stop(0);
    setup.remove();
    await sim.stop();
  }
}

/**
 * The same status end to end through the fake Slack, with the bot in its own process: from the
 * slash command leaving the fake to the tables arriving there (ack, reads, rendering and the post),
 * timed by the fake's own record of when the answer arrived (no polling interval in the figure).
 * The bot is a long-running process: the first answers after its start run in V8's interpreter
 * (the first is reported on its own), so `warmup` answers are taken before the measured ones.
 */
export async function benchStatusEndToEnd(options: { nodes: number; databases: number; latencyMs: number; runs: number; warmup: number }): Promise<BenchResult[]> {
  const databases = Array.from({ length: options.databases }, (_, i) => `exa_db${i + 1}`);
  const sim = await startSimulatorProcess({ nodes: options.nodes, databases });
  await sim.fault('latency', options.latencyMs);
  const stack = await startSlackStack(sim, { EXA_TIMEOUT_MS: '30000' });
  try {
    const { fake } = stack;
    const tables = (): FakeMessage[] =>
      [...fake.messages(CHANNELS.ops), ...fake.ephemerals(USERS.op, CHANNELS.ops)].filter((m) => m.text.includes(`${options.nodes}/${options.nodes} nodes online`));
    const once = async (): Promise<number> => {
      const before = new Set(tables().map((m) => `${m.kind} ${m.ts}`));
      const started = Date.now();
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'status' });
      const answer = await fake.waitFor(() => tables().find((m) => !before.has(`${m.kind} ${m.ts}`)), 10_000, 'the status tables');
      return (answer.history[0]?.at ?? Number.NaN) - started;
    };
    // One status a little over a second apart: back to back, the 77 calls of each would queue for
    // the call budget (100 per second per cluster), which is the budget working, not the latency.
    const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, BUDGET_WINDOW_MS + 100));
    const first = await once(); // cold: no node names known, no connections, no compiled code
    for (let i = 0; i < options.warmup; i += 1) {
      await pause();
      await once();
    }
    const runs: number[] = [];
    for (let i = 0; i < options.runs; i += 1) {
      await pause();
      runs.push(await once());
    }
    const ms = median(runs);
    const rtt = ms / options.latencyMs;
    return [
      {
        name: `/exa status end to end through the fake Slack, ${options.nodes} nodes (median of ${options.runs} after ${options.warmup + 1} warm-up)`,
        value: ms,
        unit: 'ms',
        display: `${ms.toFixed(0)} (${spread(runs)})`,
        detail: { runs },
      },
      { name: 'the same in round-trips of the added latency', value: rtt, unit: 'RTT', target: '<= 3', pass: rtt <= 3 },
      { name: 'the first status end to end after the bot started (cold)', value: first, unit: 'ms' },
    ];
  } finally {
    await stack.close();
    await sim.stop();
  }
}

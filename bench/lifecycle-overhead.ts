// Cold start-up and full shut-down of a large simulated cluster: wall time against the critical
// path (the simulator's own durations), i.e. what the orchestration adds; and the same plans run
// by a client that polls every 5 s, as Exasol's published start/stop scripts do.
import { createExaOperationClient } from '../src/exaoperation/client.js';
import { createTransport } from '../src/exaoperation/transport.js';
import { buildPlan } from '../src/lifecycle/build-plan.js';
import { Cancellation } from '../src/lifecycle/cancellation.js';
import { defaultProfile, type ClusterProfile } from '../src/lifecycle/cluster-profile.js';
import type { OperationKind } from '../src/lifecycle/operation-kind.js';
import { runPlan } from '../src/lifecycle/run-plan.js';
import { readClusterSnapshot } from '../src/lifecycle/snapshot.js';
import { systemClock } from '../src/util/clock.js';
import { DEFAULT_DURATIONS as D } from '../simulator/model/durations.js';
import { startSimulatorProcess } from './sim-process.js';
import type { BenchResult } from './stats.js';

export interface OverheadOptions {
  readonly nodes: number;
  readonly databases: number;
  readonly timeScale: number;
  /** The bot's poll interval and the scripts' one, in simulated seconds. */
  readonly botPollSeconds: number;
  readonly scriptPollSeconds: number;
}

/** Critical paths from the simulator's durations, in simulated seconds. */
export function criticalPaths(databases: number): { startup: number; shutdown: number } {
  return {
    startup: D.bootMax + D.storageStart + databases * (D.databaseStart + D.databaseConnectDelay),
    shutdown: databases * D.databaseStop + D.storageStop + D.nodeShutdown,
  };
}

async function timeOperation(url: string, password: string, profile: ClusterProfile, operation: OperationKind, counter: { calls: number }): Promise<number> {
  const transport = createTransport({ url, user: 'admin', password }, { observe: () => void (counter.calls += 1) });
  const client = createExaOperationClient(transport);
  try {
    const started = performance.now();
    const plan = buildPlan(operation, await readClusterSnapshot(client), profile);
    const outcome = await runPlan({ opId: 'bench', plan, client, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
    if (outcome.kind !== 'succeeded') throw new Error(`${operation.kind} did not succeed: ${JSON.stringify(outcome)}`);
    return performance.now() - started;
  } finally {
    transport.close();
  }
}

async function runBoth(options: OverheadOptions, pollSeconds: number): Promise<{ startup: number; shutdown: number; calls: { startup: number; shutdown: number } }> {
  const databases = Array.from({ length: options.databases }, (_, i) => `exa_db${i + 1}`).join(',');
  const sim = await startSimulatorProcess(['--nodes', String(options.nodes), '--databases', databases, '--time-scale', String(options.timeScale), '--cold']);
  const scaled = (seconds: number): number => seconds * 1000 * options.timeScale;
  const profile: ClusterProfile = {
    ...defaultProfile('bench'),
    plugins: [],
    pollIntervalMs: scaled(pollSeconds),
    timeouts: { exaoperationMs: 600_000, nodeBootMs: 600_000, storageMs: 600_000, databaseStartMs: 600_000, databaseStopMs: 600_000, nodeShutdownMs: 600_000 },
  };
  try {
    const startupCalls = { calls: 0 };
    const shutdownCalls = { calls: 0 };
    const startup = await timeOperation(sim.url, sim.password, profile, { kind: 'cluster-startup' }, startupCalls);
    // The shut-down's last step takes the simulator down, as a real license server would.
    const shutdown = await timeOperation(sim.url, sim.password, profile, { kind: 'cluster-shutdown' }, shutdownCalls);
    // Back to simulated seconds: what this would take on a real cluster.
    return {
      startup: startup / 1000 / options.timeScale,
      shutdown: shutdown / 1000 / options.timeScale,
      calls: { startup: startupCalls.calls, shutdown: shutdownCalls.calls },
    };
  } finally {
    await sim.stop();
  }
}

export async function benchLifecycleOverhead(options: OverheadOptions): Promise<BenchResult[]> {
  const critical = criticalPaths(options.databases);
  const bot = await runBoth(options, options.botPollSeconds);
  const scripts = await runBoth(options, options.scriptPollSeconds);
  const size = `${options.nodes} nodes / ${options.databases} dbs`;
  const results: BenchResult[] = [];
  for (const kind of ['startup', 'shutdown'] as const) {
    const overhead = bot[kind] - critical[kind];
    const budget = 1 + 0.02 * critical[kind];
    results.push(
      { name: `cold ${kind}, ${size}: critical path (simulator durations)`, value: critical[kind], unit: 's' },
      { name: `cold ${kind}: bot wall time (poll ${options.botPollSeconds} s)`, value: bot[kind], unit: 's' },
      { name: `cold ${kind}: bot orchestration overhead`, value: overhead, unit: 's', target: `< ${budget.toFixed(1)} (1 s + 2 %)`, pass: overhead < budget },
      { name: `cold ${kind}: 5-s polling script overhead`, value: scripts[kind] - critical[kind], unit: 's' },
      { name: `cold ${kind}: XML-RPC calls (bot)`, value: bot.calls[kind], unit: 'calls' },
    );
  }
  return results;
}

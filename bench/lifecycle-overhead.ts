// Cold start-up and full shut-down of a large simulated cluster: wall time against the critical
// path (the simulator's own durations), i.e. what the orchestration adds; and the same procedure
// run by a client that calls one by one and sleeps 5 s between probes, as Exasol's published
// start/stop scripts do (script-client.ts).
//
// Method. A real cluster takes minutes, so the simulator runs at a time scale s (0.2: a 145-s boot
// takes 29 s). Dividing the run's wall time by s, as such, would be unfair to the bot: its fixed
// intervals (the first poll after 250 ms, the 5-s cap) would be 1/s times too coarse for the
// compressed cluster. So the bot and the script run on a clock on the simulator's footing
// (sim-clock.ts): now() is simulated time and sleep(ms) sleeps ms × s. The bot runs with its default
// profile (250-ms first poll, 2-% growth, 5-s cap, production deadlines) and every interval it or
// the script uses is the one it would use against a real cluster, compressed exactly like the
// simulator's durations. What cannot be compressed is the real work (XML-RPC round-trips, CPU):
// divided by s it counts 1/s times (5×) too much. The wall times below (real seconds / s) are
// therefore upper bounds for both clients, and so is the overhead (wall − critical path) checked
// against the target (1 s + 2 % of the critical path). The critical path is the sum of the
// simulator's durations along the procedure both clients follow. The real seconds at scale s are
// in the JSON (`detail`). Bot and script run at the same time, each against a simulator process of
// its own: both mostly sleep, and the section takes half as long.
import { exaoperationBackend } from '../src/backend/exaoperation-backend.js';
import { createExaOperationClient } from '../src/exaoperation/client.js';
import { createTransport } from '../src/exaoperation/transport.js';
import { buildPlan } from '../src/lifecycle/build-plan.js';
import { Cancellation } from '../src/lifecycle/cancellation.js';
import { defaultProfile, type ClusterProfile } from '../src/lifecycle/cluster-profile.js';
import type { OperationKind } from '../src/lifecycle/operation-kind.js';
import { runPlan } from '../src/lifecycle/run-plan.js';
import { readClusterSnapshot } from '../src/lifecycle/snapshot.js';
import { DEFAULT_DURATIONS as D } from '../simulator/model/durations.js';
import { scriptShutdown, scriptStartup } from './script-client.js';
import { simulatedClock, type SimulatedClock } from './sim-clock.js';
import { startSimulatorProcess } from './sim-process.js';
import type { BenchResult } from './stats.js';

export interface OverheadOptions {
  readonly nodes: number;
  readonly databases: number;
  readonly timeScale: number;
  /** The scripts' fixed sleep between probes, in simulated seconds (5). */
  readonly scriptPollSeconds: number;
}

type Kind = 'startup' | 'shutdown';

/** Critical paths from the simulator's durations, in simulated seconds, along the article's order. */
export function criticalPaths(databases: number): Record<Kind, number> {
  return {
    // Nodes boot in parallel (the slowest decides), then storage, then each database in turn
    // until it accepts connections.
    startup: D.bootMax + D.storageStart + databases * (D.databaseStart + D.databaseConnectDelay),
    // Each database in turn, storage, the data nodes in parallel, then the license server until
    // EXAoperation falls silent.
    shutdown: databases * D.databaseStop + D.storageStop + D.nodeShutdown + D.licenseServerShutdown,
  };
}

interface Timing {
  /** Wall time in simulated seconds (real seconds / time scale): an upper bound, see the method. */
  readonly wall: number;
  /** Measured at the time scale, real seconds. */
  readonly real: number;
  /** Of which spent sleeping, real seconds. */
  readonly sleptReal: number;
  readonly calls: number;
}

type Runner = (client: ReturnType<typeof createExaOperationClient>, clock: SimulatedClock, kind: Kind) => Promise<void>;

const profile: ClusterProfile = { ...defaultProfile('bench'), plugins: [] };

const botRunner: Runner = async (client, clock, kind) => {
  const operation: OperationKind = { kind: kind === 'startup' ? 'cluster-startup' : 'cluster-shutdown' };
  // What the operation service does: the plan from a fresh snapshot, then the run.
  const plan = buildPlan(operation, await readClusterSnapshot(client, { now: () => clock.now() }), profile);
  const outcome = await runPlan({ opId: 'bench', plan, backend: exaoperationBackend(client, profile), profile, clock, cancellation: new Cancellation(), onEvent: () => undefined });
  if (outcome.kind !== 'succeeded') throw new Error(`bot ${kind} did not succeed: ${JSON.stringify(outcome)}`);
};

const scriptRunner =
  (pollSeconds: number): Runner =>
  async (client, clock, kind) => {
    const options = { client, clock, pollMs: pollSeconds * 1000, licenseServer: profile.licenseServers[0] ?? 'n0010' };
    await (kind === 'startup' ? scriptStartup(options) : scriptShutdown(options));
  };

async function timeOne(url: string, password: string, timeScale: number, kind: Kind, run: Runner): Promise<Timing> {
  let calls = 0;
  const transport = createTransport({ url, user: 'admin', password }, { observe: () => void (calls += 1) });
  const client = createExaOperationClient(transport);
  const clock = simulatedClock(timeScale);
  try {
    const started = performance.now();
    await run(client, clock, kind);
    const real = performance.now() - started;
    const slept = clock.sleptRealMs;
    return { wall: real / 1000 / timeScale, real: real / 1000, sleptReal: slept / 1000, calls };
  } finally {
    transport.close();
  }
}

/** A cold start-up, then a full shut-down, on a fresh simulator of its own. */
async function runBoth(options: OverheadOptions, run: Runner): Promise<Record<Kind, Timing>> {
  const databases = Array.from({ length: options.databases }, (_, i) => `exa_db${i + 1}`);
  const sim = await startSimulatorProcess({ nodes: options.nodes, databases, timeScale: options.timeScale, cold: true });
  try {
    const startup = await timeOne(sim.url, sim.password, options.timeScale, 'startup', run);
    // The shut-down's last step takes the simulator's XML-RPC down, as a real license server would.
    const shutdown = await timeOne(sim.url, sim.password, options.timeScale, 'shutdown', run);
    return { startup, shutdown };
  } finally {
    await sim.stop();
  }
}

export async function benchLifecycleOverhead(options: OverheadOptions): Promise<BenchResult[]> {
  const critical = criticalPaths(options.databases);
  const [bot, script] = await Promise.all([runBoth(options, botRunner), runBoth(options, scriptRunner(options.scriptPollSeconds))]);
  const size = `${options.nodes} nodes / ${options.databases} dbs`;
  const results: BenchResult[] = [];
  for (const kind of ['startup', 'shutdown'] as const) {
    const overhead = bot[kind].wall - critical[kind];
    const budget = 1 + 0.02 * critical[kind];
    const label = kind === 'startup' ? 'cold start-up' : 'full shut-down';
    const detail = (t: Timing) => ({ realSeconds: t.real, sleptRealSeconds: t.sleptReal, timeScale: options.timeScale });
    results.push(
      { name: `${label}, ${size}: critical path (simulator durations)`, value: critical[kind], unit: 's' },
      { name: `${label}: bot wall time (upper bound, see method)`, value: bot[kind].wall, unit: 's', detail: detail(bot[kind]) },
      { name: `${label}: bot orchestration overhead`, value: overhead, unit: 's', target: `< ${budget.toFixed(2)} (1 s + 2 %)`, pass: overhead < budget },
      {
        name: `${label}: ${options.scriptPollSeconds}-s polling script wall time`,
        value: script[kind].wall,
        unit: 's',
        detail: detail(script[kind]),
      },
      { name: `${label}: ${options.scriptPollSeconds}-s polling script overhead`, value: script[kind].wall - critical[kind], unit: 's' },
      { name: `${label}: bot faster than the script by`, value: script[kind].wall - bot[kind].wall, unit: 's' },
      { name: `${label}: XML-RPC calls (bot)`, value: bot[kind].calls, unit: 'calls' },
      { name: `${label}: XML-RPC calls (script)`, value: script[kind].calls, unit: 'calls' },
    );
  }
  return results;
}

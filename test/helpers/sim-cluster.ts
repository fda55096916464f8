import { createExaOperationClient, type ExaOperationClient } from '../../src/exaoperation/client.js';
import { createTransport } from '../../src/exaoperation/transport.js';
import { defaultProfile, type ClusterProfile } from '../../src/lifecycle/cluster-profile.js';
import { before, describe } from 'node:test';
import { startSimulator, type PoweringOffStatus, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export const SIM_PASSWORD = 'sim-Secret-4711';

/** Fast but realistic ratios: a 120 s boot takes 0.24 s. */
export const FAST = 0.002;

export interface SimCluster {
  readonly sim: Simulator;
  readonly client: ExaOperationClient;
  readonly profile: ClusterProfile;
  stop(): Promise<void>;
}

/**
 * Where the reference is silent, the simulator offers each plausible reading (simulator/ASSUMPTIONS.md),
 * and the lifecycle suite runs the bot under each combination that matters: the defaults Exasol's
 * scripts imply, and every other reading at once. Suites run one after another within a file, so
 * the reading a suite sets in `before` is the one its simulators get.
 */
export interface Reading {
  readonly label: string;
  readonly options: Partial<SimulatorOptions>;
}

export const READINGS: readonly Reading[] = [
  {
    label: "defaults: storage calls block until done, a node powering off reports 'Running', calls on what is already there are refused",
    options: { storageCalls: 'blocking', poweringOffStatus: 'Running', alreadyInState: 'usage-error', comingUp: 'refused' },
  },
  {
    label: "other readings: storage calls answer at once, a node powering off reports 'Suspended', calls on what is already there are no-ops, 503 pages while EXAoperation comes up, plugin failure status 1",
    options: { storageCalls: 'immediate', poweringOffStatus: 'Suspended', alreadyInState: 'no-op', comingUp: 'html-503', pluginFailureStatus: 1 },
  },
];

/** What a node powering off reports, per reading (kept for tests that vary only that). */
export const POWERING_OFF_READINGS: readonly PoweringOffStatus[] = ['Running', 'Suspended'];
let currentReading: Partial<SimulatorOptions> = {};

export function forEachReading(body: (reading: Reading) => void): void {
  for (const reading of READINGS) {
    describe(reading.label, () => {
      before(() => {
        currentReading = reading.options;
      });
      body(reading);
    });
  }
}

/** A simulator and a real client talking XML-RPC to it over loopback. */
export async function startSimCluster(
  options: Partial<SimulatorOptions> = {},
  profile: Partial<ClusterProfile> = {},
  /** The client's per-call deadline. */
  callTimeoutMs = 2000,
  /** The client's call budget (calls per second); none by default. */
  maxCallsPerSecond?: number,
): Promise<SimCluster> {
  const sim = await startSimulator({
    password: SIM_PASSWORD,
    nodes: 4,
    databases: ['exa_db1', 'exa_db2'],
    timeScale: FAST,
    onError: () => undefined,
    ...currentReading,
    ...options,
  });
  const transport = createTransport({
    url: sim.url,
    user: 'admin',
    password: SIM_PASSWORD,
    timeoutMs: callTimeoutMs,
    ...(maxCallsPerSecond === undefined ? {} : { maxCallsPerSecond }),
    ...(sim.certificatePem ? { tls: { caPem: sim.certificatePem } } : {}),
  });
  const client = createExaOperationClient(transport);
  const base = defaultProfile('cluster1');
  return {
    sim,
    client,
    profile: {
      ...base,
      pollIntervalMs: 20,
      plugins: [{ name: 'Administration.vmware-tools', runningText: 'is running' }],
      timeouts: { exaoperationMs: 5000, nodeBootMs: 5000, storageMs: 5000, databaseStartMs: 5000, databaseStopMs: 5000, nodeShutdownMs: 5000 },
      ...profile,
    },
    stop: async () => {
      transport.close();
      await sim.stop();
    },
  };
}

const PARALLEL = new Set(['startupNode', 'shutdownNode']);
const MUTATING = new Set(['startupNode', 'shutdownNode', 'startEXAStorage', 'stopEXAStorage', 'startDatabase', 'stopDatabase']);

/** License servers have node numbers 2 to 10 (reference §3.5). */
function isLicenseServer(node: unknown): boolean {
  return typeof node === 'string' && /^n\d{4}$/.test(node) && Number(node.slice(1)) <= 10;
}

/** A full shut-down of the default cluster (4 data nodes, exa_db1 and exa_db2), in the article's order. */
export const FULL_SHUTDOWN_CALLS: readonly string[] = [
  'db_exa_db1.stopDatabase()',
  'db_exa_db2.stopDatabase()',
  'storage.stopEXAStorage()',
  'cluster.shutdownNode(n0011)',
  'cluster.shutdownNode(n0012)',
  'cluster.shutdownNode(n0013)',
  'cluster.shutdownNode(n0014)',
  'cluster.shutdownNode(n0010)',
];

/**
 * The calls that change the cluster, as 'object.method(args)', in the order the simulator got
 * them. Nodes are powered on and shut down in parallel, so the arrival order within a run of the
 * same method is not fixed: each such run is sorted, which keeps every ordering between steps.
 */
export function mutatingCalls(sim: Simulator): string[] {
  const calls = sim.calls
    .filter((c) => MUTATING.has(c.method) || (c.method === 'callPlugin' && c.params[2] !== 'STATUS'))
    .map((c) => ({
      // Only data-node power calls run in parallel; the license server always stands alone.
      method: PARALLEL.has(c.method) && !isLicenseServer(c.params[0]) ? `${c.object}.${c.method}` : `#${String(c.at)}${c.method}${String(c.params[0])}${Math.random()}`,
      text: `${c.object}.${c.method}(${c.params.filter((p) => typeof p === 'string' && p !== '').join(',')})`,
    }));
  const out: string[] = [];
  for (let i = 0; i < calls.length; ) {
    let j = i;
    while (j < calls.length && calls[j]?.method === calls[i]?.method) j += 1;
    out.push(...calls.slice(i, j).map((c) => c.text).sort());
    i = j;
  }
  return out;
}

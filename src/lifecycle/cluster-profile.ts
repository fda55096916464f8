import type { HostPower } from '../hosts/host-power.js';
/** Deadlines of the waits, per kind of step. Physical nodes take 15–25 minutes to reboot. */
export interface StepTimeouts {
  readonly exaoperationMs: number;
  readonly nodeBootMs: number;
  readonly storageMs: number;
  readonly databaseStartMs: number;
  readonly databaseStopMs: number;
  readonly nodeShutdownMs: number;
}

export interface PluginProfile {
  /** As in showPluginList, e.g. 'Administration.vmware-tools'. */
  readonly name: string;
  /** Text the plugin's STATUS output contains when its daemon runs (the article: 'vmtoolsd is running'). */
  readonly runningText: string;
}

/** What the bot knows about one cluster beyond what EXAoperation tells it. */
export interface ClusterProfile {
  readonly name: string;
  /** License server nodes: must be the EXAoperation master to shut down, and go down last. */
  readonly licenseServers: readonly string[];
  /**
   * startupNode needs an out-of-band management card (iLO, iDRAC, IPMI) configured in EXAoperation:
   * true for every data node, false for none, or the nodes that have one. The others are powered
   * on by hand; the start-up waits for them all the same.
   */
  readonly outOfBandManagement: boolean | readonly string[];
  readonly plugins: readonly PluginProfile[];
  /** logserviceN to follow for boot and connection messages. */
  readonly logservice: number;
  /** The longest pause between two polls of a wait; waits start at 250 ms and slow down to this. */
  readonly pollIntervalMs: number;
  readonly timeouts: StepTimeouts;
  /** Exasol 8: the operator's host actions for the power step; none = the bot never powers hosts. */
  readonly hostPower?: HostPower;
}

export const DEFAULT_TIMEOUTS: StepTimeouts = {
  exaoperationMs: 10 * 60_000,
  nodeBootMs: 30 * 60_000,
  storageMs: 10 * 60_000,
  databaseStartMs: 20 * 60_000,
  databaseStopMs: 20 * 60_000,
  nodeShutdownMs: 15 * 60_000,
};

export function defaultProfile(name: string): ClusterProfile {
  return {
    name,
    licenseServers: ['n0010'],
    outOfBandManagement: true,
    plugins: [],
    logservice: 1,
    pollIntervalMs: 5000,
    timeouts: DEFAULT_TIMEOUTS,
  };
}

/** May the bot power this node on with startupNode? */
export function hasOutOfBandManagement(profile: ClusterProfile, node: string): boolean {
  const oob = profile.outOfBandManagement;
  return typeof oob === 'boolean' ? oob : oob.includes(node);
}

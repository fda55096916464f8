import { AppError } from '../errors/app-error.js';
import type { ExaOperationClient } from '../exaoperation/client.js';
import type { LogEntry, NodeStatus } from '../exaoperation/types.js';
import { buildPlan } from '../lifecycle/build-plan.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import { projectSnapshot } from '../lifecycle/project-snapshot.js';
import { readClusterSnapshot, type ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { Clock } from '../util/clock.js';

export interface ManagedCluster {
  readonly client: ExaOperationClient;
  readonly profile: ClusterProfile;
}

/** A plan forecast for the state after the operations ahead of it, and which those were. */
export interface ForecastPlan {
  readonly plan: Plan;
  readonly after: readonly { readonly id: string; readonly operation: OperationKind }[];
}

/** The read side: status, plans (now, or after what is queued), logs and nodes. Changes nothing. */
export class ClusterReader {
  constructor(
    private readonly clusters: ReadonlyMap<string, ManagedCluster>,
    private readonly clock: Clock,
  ) {}

  names(): string[] {
    return [...this.clusters.keys()];
  }

  get(name: string): ManagedCluster {
    const managed = this.clusters.get(name);
    if (!managed) throw this.unknown(name);
    return managed;
  }

  unknown(name: string): AppError {
    return new AppError('UNKNOWN_CLUSTER', `There is no cluster '${name}'. Known clusters: ${this.names().join(', ') || 'none'}.`);
  }

  async status(cluster: string, signal?: AbortSignal): Promise<ClusterSnapshot> {
    const { client } = this.get(cluster);
    return readClusterSnapshot(client, { ...(signal ? { signal } : {}), now: () => this.clock.now() });
  }

  /** The dry run: exact steps against the current state, with failing preconditions as blockers. */
  async plan(cluster: string, operation: OperationKind, signal?: AbortSignal): Promise<Plan> {
    return buildPlan(operation, await this.status(cluster, signal), this.get(cluster).profile);
  }

  /**
   * The plan as it will run after `ahead` (what runs and waits in the cluster's queue, in order),
   * each assumed to succeed: what an approver must see to approve what will really happen.
   */
  async planAfter(cluster: string, operation: OperationKind, ahead: ForecastPlan['after']): Promise<ForecastPlan> {
    let snapshot = await this.status(cluster);
    for (const op of ahead) snapshot = projectSnapshot(snapshot, op.operation);
    return { plan: buildPlan(operation, snapshot, this.get(cluster).profile), after: ahead };
  }

  /** The newest `count` entries of the profile's logservice, newest first (as EXAoperation sends them). */
  async logs(cluster: string, count: number, signal?: AbortSignal): Promise<readonly LogEntry[]> {
    const { client, profile } = this.get(cluster);
    const { entries } = await client.logEntries(profile.logservice, signal ? { signal } : {});
    return entries.slice(0, Math.max(0, count));
  }

  /** Every data node's state and the article's online test (dmidecode answers), read in parallel. */
  async nodes(
    cluster: string,
    signal?: AbortSignal,
  ): Promise<{
    readonly takenAt: number;
    readonly master: string;
    readonly licenseServers: readonly string[];
    readonly nodes: readonly { readonly name: string; readonly status: NodeStatus; readonly online: boolean }[];
  }> {
    const { client, profile } = this.get(cluster);
    const call = signal ? { signal } : {};
    const [names, master] = await Promise.all([client.getNodeList(call), client.getEXAoperationMaster(call)]);
    const nodes = await Promise.all(
      names.map(async (name) => {
        const [state, hardware] = await Promise.all([client.getNodeState(name, call), client.getHardwareInformation(name, call)]);
        return { name, status: state.status, online: hardware.online };
      }),
    );
    return { takenAt: this.clock.now(), master, licenseServers: profile.licenseServers, nodes };
  }
}

import { AppError } from '../errors/app-error.js';
import type { ClusterBackend, NodesReport } from '../backend/cluster-backend.js';
import type { LogEntry } from '../exaoperation/types.js';
import { buildPlan } from '../lifecycle/build-plan.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import { projectSnapshot } from '../lifecycle/project-snapshot.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { Clock } from '../util/clock.js';

export interface ManagedCluster {
  readonly backend: ClusterBackend;
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
    return this.get(cluster).backend.snapshot({ ...(signal ? { signal } : {}), now: () => this.clock.now() });
  }

  /** The dry run: exact steps against the current state, with failing preconditions as blockers. */
  async plan(cluster: string, operation: OperationKind, signal?: AbortSignal): Promise<Plan> {
    return this.build(cluster, operation, await this.stateFor(cluster, operation, signal));
  }

  /**
   * The state a plan starts from. A start-up of a cluster whose service cannot answer until its
   * hosts are powered on (Exasol 8 with host actions) starts from what the backend knows without it.
   */
  private async stateFor(cluster: string, operation: OperationKind, signal?: AbortSignal): Promise<ClusterSnapshot> {
    try {
      return await this.status(cluster, signal);
    } catch (error) {
      const { backend } = this.get(cluster);
      const down = operation.kind === 'cluster-startup' && backend.isNotUpYet(error) ? backend.snapshotWhileDown?.(error) : undefined;
      if (down) return { ...down, takenAt: this.clock.now() };
      throw error;
    }
  }

  /**
   * The plan as it will run after `ahead` (what runs and waits in the cluster's queue, in order),
   * each assumed to succeed: what an approver must see to approve what will really happen.
   */
  async planAfter(cluster: string, operation: OperationKind, ahead: ForecastPlan['after']): Promise<ForecastPlan> {
    let snapshot = await this.stateFor(cluster, operation);
    for (const op of ahead) snapshot = projectSnapshot(snapshot, op.operation);
    return { plan: this.build(cluster, operation, snapshot), after: ahead };
  }

  /** The plan for this state, with the steps the cluster's backend can take. */
  build(cluster: string, operation: OperationKind, snapshot: ClusterSnapshot): Plan {
    const { profile, backend } = this.get(cluster);
    return buildPlan(operation, snapshot, profile, backend.capabilities);
  }

  /** The newest `count` log entries, newest first. */
  async logs(cluster: string, count: number, signal?: AbortSignal): Promise<readonly LogEntry[]> {
    return this.get(cluster).backend.logs(count, signal ? { signal } : {});
  }

  /** Every data node's state and whether it is powered (EXAoperation: the article's dmidecode test). */
  async nodes(cluster: string, signal?: AbortSignal): Promise<NodesReport> {
    const report = await this.get(cluster).backend.nodes(signal ? { signal } : {});
    return { ...report, takenAt: this.clock.now() };
  }
}

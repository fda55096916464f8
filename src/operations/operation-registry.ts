import { Cancellation } from '../lifecycle/cancellation.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import { isActive, type OperationRecord, type ScheduleRef } from './operation-record.js';

export interface QueueView {
  readonly running: OperationRecord | undefined;
  readonly pending: readonly OperationRecord[];
  readonly awaitingApproval: readonly OperationRecord[];
}

export interface NewOperation {
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  readonly channel?: string;
  /** Why, as the requester said (`-- …`). */
  readonly reason?: string;
  /** Break-glass: overrides a freeze window or a hold (the requester is an approver; one more approval). */
  readonly override?: true;
  readonly schedule?: ScheduleRef;
}

const RECENT_LIMIT = 50;

/** The operations the bot knows, in memory: ids, lookups and the queue view. */
export class OperationRegistry {
  private readonly ops = new Map<string, OperationRecord>();

  /** A new record, not yet known to anyone: the ledger writes it, then `add` makes it visible. */
  draft(id: string, input: NewOperation, at: number, plan: Plan | undefined): OperationRecord {
    return {
      id,
      cluster: input.cluster,
      operation: input.operation,
      requestedBy: input.requestedBy,
      channel: input.channel,
      reason: input.reason,
      ...(input.override ? { override: true as const } : {}),
      ...(input.schedule ? { schedule: input.schedule } : {}),
      requestedAt: at,
      plan,
      approvedBy: undefined,
      approvedActions: undefined,
      status: { kind: 'queued' },
      cancellation: new Cancellation(),
    };
  }

  add(op: OperationRecord): void {
    this.ops.set(op.id, op);
  }

  get(id: string): OperationRecord | undefined {
    return this.ops.get(id);
  }

  all(): IterableIterator<OperationRecord> {
    return this.ops.values();
  }

  /** Active operations of a cluster in queue order (running first, then by id). */
  active(cluster: string): OperationRecord[] {
    return [...this.ops.values()].filter((op) => op.cluster === cluster && isActive(op));
  }

  queue(cluster: string): QueueView {
    const mine = this.active(cluster);
    return {
      running: mine.find((op) => op.status.kind === 'running'),
      pending: mine.filter((op) => op.status.kind === 'queued'),
      awaitingApproval: mine.filter((op) => op.status.kind === 'awaiting-approval'),
    };
  }

  recent(cluster: string): OperationRecord[] {
    return [...this.ops.values()].filter((op) => op.cluster === cluster && !isActive(op));
  }

  /** Keeps finished operations for the queue view, within a bound, so memory does not grow. */
  trim(): string[] {
    const finished = [...this.ops.values()].filter((op) => !isActive(op));
    const dropped = finished.slice(0, Math.max(0, finished.length - RECENT_LIMIT));
    for (const op of dropped) this.ops.delete(op.id);
    return dropped.map((op) => op.id);
  }
}

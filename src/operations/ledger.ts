import type { ApprovedAction } from '../lifecycle/approved-actions.js';
import { describeOperation } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { OperationOutcome, ProgressEvent } from '../lifecycle/progress.js';
import type { Logger } from '../logging/logger.js';
import type { OperationStore } from '../store/operation-store.js';
import type { MessageRole } from './journal-record.js';
import type { OperationRecord } from './operation-record.js';
import { recordProgress } from './record-progress.js';
import { plannedStep } from './reattach.js';

/** Who asked and where: the part of a request the ledger writes before the operation exists. */
export interface Requester {
  readonly cluster: string;
  readonly requestedBy: string;
  readonly channel?: string | undefined;
  readonly operation: string;
  readonly reason?: string | undefined;
  readonly override?: true | undefined;
  readonly schedule?: { readonly id: string; readonly configuredBy: string } | undefined;
}

/**
 * Every write of every transition, journal first, then the audit log, and one log line. Callers
 * await the write here BEFORE they change anything in memory or tell anyone: a write that fails
 * (disk full, read-only volume, the database gone or another replica's fence) leaves the
 * operation where it was, and the caller says so. Since a write takes time, callers guard the
 * state they check before it against a second caller in between (approval-workflow.ts).
 */
export class Ledger {
  private readonly journal: OperationStore['journal'];
  private readonly audit: OperationStore['audit'];

  constructor(
    store: OperationStore,
    private readonly logger: Logger,
  ) {
    this.journal = store.journal;
    this.audit = store.audit;
  }

  async requested(op: OperationRecord): Promise<void> {
    const channel = op.channel ? { channel: op.channel } : {};
    const plan = op.plan ? { plan: op.plan.steps.map(plannedStep) } : {};
    const reason = op.reason === undefined ? {} : { reason: op.reason };
    const marks = { ...(op.override ? { override: true as const } : {}), ...(op.schedule ? { schedule: op.schedule.id, scheduledBy: op.schedule.configuredBy } : {}) };
    await this.journal.append({ type: 'requested', opId: op.id, cluster: op.cluster, operation: op.operation, requestedBy: op.requestedBy, ...channel, ...reason, ...marks, ...plan });
    await this.audit.record({ action: 'requested', actor: op.requestedBy, cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation), ...channel, ...reason, ...marks });
    this.info('requested', op, op.requestedBy);
  }

  /** A request turned away before it got an id: still on the record, with who asked and why. */
  async refused(who: Requester, message: string): Promise<void> {
    await this.audit.record({
      action: 'refused',
      actor: who.requestedBy,
      cluster: who.cluster,
      operation: who.operation,
      ...(who.channel === undefined ? {} : { channel: who.channel }),
      ...(who.reason === undefined ? {} : { reason: who.reason }),
      ...(who.override ? { override: true } : {}),
      ...(who.schedule ? { schedule: who.schedule.id, scheduledBy: who.schedule.configuredBy } : {}),
      detail: message,
    });
  }

  async denied(op: OperationRecord, by: string, channel: string | undefined, detail: string): Promise<void> {
    await this.audit.record({ action: 'denied', ...this.auditBase(op, by, channel), detail });
  }

  /** `approvers`: everyone counted so far, this one last. */
  async approvalAdded(op: OperationRecord, by: string, channel: string | undefined, approvers: readonly string[], need: number): Promise<void> {
    await this.journal.append({ type: 'approval-added', opId: op.id, cluster: op.cluster, by });
    await this.audit.record({ action: 'approval-added', ...this.auditBase(op, by, channel), approvers, detail: `approval ${approvers.length} of ${need}` });
    this.info(`approval ${approvers.length} of ${need}`, op, by);
  }

  async approved(op: OperationRecord, by: string, channel: string | undefined, actions: readonly ApprovedAction[], approvers: readonly string[] = [by]): Promise<void> {
    await this.journal.append({ type: 'approved', opId: op.id, cluster: op.cluster, by, actions });
    await this.audit.record({ action: 'approved', ...this.auditBase(op, by, channel), approvers });
    this.info('approved', op, by);
  }

  async rejected(op: OperationRecord, by: string, channel: string | undefined): Promise<void> {
    await this.journal.append({ type: 'rejected', opId: op.id, cluster: op.cluster, by });
    await this.audit.record({ action: 'rejected', ...this.auditBase(op, by, channel) });
    this.info('rejected', op, by);
  }

  async expired(op: OperationRecord): Promise<void> {
    await this.journal.append({ type: 'expired', opId: op.id, cluster: op.cluster });
    await this.audit.record({ action: 'expired', ...this.auditBase(op, 'system', undefined) });
    this.info('expired', op, 'system');
  }

  async cancelled(op: OperationRecord, by: string, detail: string): Promise<void> {
    await this.audit.record({ action: 'cancelled', ...this.auditBase(op, by, undefined), detail });
    this.info('cancelled', op, by);
  }

  async reapproval(op: OperationRecord, changes: readonly string[]): Promise<void> {
    await this.journal.append({ type: 'reapproval', opId: op.id, cluster: op.cluster, changes });
    await this.audit.record({ action: 'reapproval', ...this.auditBase(op, 'system', undefined), detail: `needs a new approval: ${changes.join('; ')}` });
    this.info('back to approval', op, 'system');
  }

  async started(op: OperationRecord, plan: Plan): Promise<void> {
    await this.journal.append({ type: 'started', opId: op.id, cluster: op.cluster, steps: plan.steps.map(plannedStep) });
    this.info('started', op, 'system');
  }

  /** A replica that took over goes on with `op` (PostgreSQL store); written before it acts. */
  async reattached(op: OperationRecord, by: string, fromStepId: string | undefined, note: string): Promise<void> {
    await this.journal.append({ type: 'reattached', opId: op.id, cluster: op.cluster, by, note, ...(fromStepId === undefined ? {} : { fromStepId }) });
    await this.audit.record({ action: 'reattached', ...this.auditBase(op, 'system', undefined), detail: note });
    this.info(fromStepId === undefined ? 'taken over before it started' : `taken over at step ${fromStepId}`, op, by);
  }

  async progress(op: OperationRecord, event: ProgressEvent): Promise<void> {
    await recordProgress(this.journal, this.audit, op, event);
    if (event.type === 'step-finished') this.info(`step ${event.step.id} ${event.result.kind}`, op, 'system');
  }

  async finished(op: OperationRecord, outcome: OperationOutcome, reason: string | undefined): Promise<void> {
    const stepId = 'stepId' in outcome && outcome.stepId ? { stepId: outcome.stepId } : {};
    await this.journal.append({ type: 'finished', opId: op.id, cluster: op.cluster, outcome: outcome.kind, ...(reason ? { reason } : {}), ...stepId });
    await this.audit.record({ action: 'finished', ...this.auditBase(op, 'system', undefined), detail: reason ? `${outcome.kind}: ${reason}` : outcome.kind });
    this.info(`finished: ${outcome.kind}`, op, 'system');
  }

  async message(op: OperationRecord, role: MessageRole, channel: string, ts: string): Promise<void> {
    await this.journal.append({ type: 'message', opId: op.id, cluster: op.cluster, role, channel, ts });
  }

  /** Every entry of an operation carries its reason, its override flag and its schedule, so an export needs no join. */
  private auditBase(op: OperationRecord, actor: string, channel: string | undefined) {
    return {
      actor,
      cluster: op.cluster,
      opId: op.id,
      operation: describeOperation(op.operation),
      ...(channel === undefined ? {} : { channel }),
      ...(op.reason === undefined ? {} : { reason: op.reason }),
      ...(op.override ? { override: true as const } : {}),
      ...(op.schedule ? { schedule: op.schedule.id, scheduledBy: op.schedule.configuredBy } : {}),
    };
  }

  private info(transition: string, op: OperationRecord, user: string): void {
    this.logger.info(`operation ${transition}`, { opId: op.id, cluster: op.cluster, operation: describeOperation(op.operation), user });
  }
}

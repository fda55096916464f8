import type { ApprovedAction } from '../lifecycle/approved-actions.js';
import { describeOperation } from '../lifecycle/operation-kind.js';
import type { Plan } from '../lifecycle/plan.js';
import type { OperationOutcome, ProgressEvent } from '../lifecycle/progress.js';
import type { Logger } from '../logging/logger.js';
import type { AuditLog } from './audit-log.js';
import type { Journal } from './journal.js';
import type { MessageRole } from './journal-record.js';
import type { OperationRecord } from './operation-record.js';
import { recordProgress } from './record-progress.js';

/** Who asked and where: the part of a request the ledger writes before the operation exists. */
export interface Requester {
  readonly cluster: string;
  readonly requestedBy: string;
  readonly channel?: string | undefined;
  readonly operation: string;
}

/**
 * Every write of every transition, journal first, then the audit log, and one log line. Callers
 * write here BEFORE they change anything in memory or tell anyone: a write that throws (disk
 * full, read-only volume) leaves the operation where it was, and the caller says so.
 */
export class Ledger {
  constructor(
    private readonly journal: Journal,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {}

  requested(op: OperationRecord): void {
    const channel = op.channel ? { channel: op.channel } : {};
    this.journal.append({ type: 'requested', opId: op.id, cluster: op.cluster, operation: op.operation, requestedBy: op.requestedBy, ...channel });
    this.audit.record({ action: 'requested', actor: op.requestedBy, cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation), ...channel });
    this.info('requested', op, op.requestedBy);
  }

  /** A request turned away before it got an id: still on the record, with who asked and why. */
  refused(who: Requester, message: string): void {
    this.audit.record({
      action: 'refused',
      actor: who.requestedBy,
      cluster: who.cluster,
      operation: who.operation,
      ...(who.channel === undefined ? {} : { channel: who.channel }),
      detail: message,
    });
  }

  denied(op: OperationRecord, by: string, channel: string | undefined, detail: string): void {
    this.audit.record({ action: 'denied', ...this.auditBase(op, by, channel), detail });
  }

  approved(op: OperationRecord, by: string, channel: string | undefined, actions: readonly ApprovedAction[]): void {
    this.journal.append({ type: 'approved', opId: op.id, cluster: op.cluster, by, actions });
    this.audit.record({ action: 'approved', ...this.auditBase(op, by, channel) });
    this.info('approved', op, by);
  }

  rejected(op: OperationRecord, by: string, channel: string | undefined): void {
    this.journal.append({ type: 'rejected', opId: op.id, cluster: op.cluster, by });
    this.audit.record({ action: 'rejected', ...this.auditBase(op, by, channel) });
    this.info('rejected', op, by);
  }

  expired(op: OperationRecord): void {
    this.journal.append({ type: 'expired', opId: op.id, cluster: op.cluster });
    this.audit.record({ action: 'expired', ...this.auditBase(op, 'system', undefined) });
    this.info('expired', op, 'system');
  }

  cancelled(op: OperationRecord, by: string, detail: string): void {
    this.audit.record({ action: 'cancelled', ...this.auditBase(op, by, undefined), detail });
    this.info('cancelled', op, by);
  }

  reapproval(op: OperationRecord, changes: readonly string[]): void {
    this.journal.append({ type: 'reapproval', opId: op.id, cluster: op.cluster, changes });
    this.audit.record({ action: 'reapproval', ...this.auditBase(op, 'system', undefined), detail: `needs a new approval: ${changes.join('; ')}` });
    this.info('back to approval', op, 'system');
  }

  started(op: OperationRecord, plan: Plan): void {
    this.journal.append({ type: 'started', opId: op.id, cluster: op.cluster, steps: plan.steps.map(({ id, title }) => ({ id, title })) });
    this.info('started', op, 'system');
  }

  progress(op: OperationRecord, event: ProgressEvent): void {
    recordProgress(this.journal, this.audit, op, event);
    if (event.type === 'step-finished') this.info(`step ${event.step.id} ${event.result.kind}`, op, 'system');
  }

  finished(op: OperationRecord, outcome: OperationOutcome, reason: string | undefined): void {
    const stepId = 'stepId' in outcome && outcome.stepId ? { stepId: outcome.stepId } : {};
    this.journal.append({ type: 'finished', opId: op.id, cluster: op.cluster, outcome: outcome.kind, ...(reason ? { reason } : {}), ...stepId });
    this.audit.record({ action: 'finished', ...this.auditBase(op, 'system', undefined), detail: reason ? `${outcome.kind}: ${reason}` : outcome.kind });
    this.info(`finished: ${outcome.kind}`, op, 'system');
  }

  message(op: OperationRecord, role: MessageRole, channel: string, ts: string): void {
    this.journal.append({ type: 'message', opId: op.id, cluster: op.cluster, role, channel, ts });
  }

  private auditBase(op: OperationRecord, actor: string, channel: string | undefined) {
    return { actor, cluster: op.cluster, opId: op.id, operation: describeOperation(op.operation), ...(channel === undefined ? {} : { channel }) };
  }

  private info(transition: string, op: OperationRecord, user: string): void {
    this.logger.info(`operation ${transition}`, { opId: op.id, cluster: op.cluster, operation: describeOperation(op.operation), user });
  }
}

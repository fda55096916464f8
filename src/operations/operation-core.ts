import { isAppError } from '../errors/app-error.js';
import type { OperationOutcome, ProgressEvent } from '../lifecycle/progress.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../util/clock.js';
import type { ChangeGate } from '../change-control/change-gate.js';
import type { ApprovalPolicy } from './approval-policy.js';
import type { ClusterReader } from './cluster-reader.js';
import type { ClusterQueues } from './cluster-queue.js';
import type { Ledger } from './ledger.js';
import type { OperationEvents } from './operation-events.js';
import type { OperationRecord } from './operation-record.js';
import type { OperationRegistry } from './operation-registry.js';

/** What the parts of the operations core share; built once by the OperationService facade. */
export interface OperationCore {
  readonly registry: OperationRegistry;
  readonly ledger: Ledger;
  /** A new operation id from the store (unique across replicas on one database). */
  readonly allocateId: () => Promise<string>;
  readonly events: OperationEvents;
  readonly queues: ClusterQueues;
  readonly reader: ClusterReader;
  readonly clock: Clock;
  readonly approval: ApprovalPolicy;
  /** Freeze windows and holds; absent: nothing is ever frozen (the demo, most tests). */
  readonly gate: ChangeGate | undefined;
  readonly logger: Logger;
  /** Soft stop (SIGTERM): running operations end at their next safe point. */
  readonly stopping: AbortSignal;
  /** Hard stop, after the grace period: whatever runs is cut and recorded as interrupted. */
  readonly halting: AbortSignal;
}

/** Operations whose end is being written: a second close while the write is out does nothing. */
const closing = new WeakSet<OperationRecord>();

/**
 * Ends an operation: the journal and audit first, then memory, then the one final event. If the
 * write fails (disk full), the operation still ends in memory and the requester is told, with the
 * write failure added to the reason: nothing is left looking as if it still ran. Exactly one
 * close of an operation writes and emits, however many race to it.
 */
export async function closeOperation(core: OperationCore, op: OperationRecord, outcome: OperationOutcome, event?: Extract<ProgressEvent, { type: 'finished' }>): Promise<void> {
  if (op.status.kind === 'finished' || closing.has(op)) return;
  closing.add(op);
  let final = outcome;
  try {
    await core.ledger.finished(op, outcome, outcomeReason(outcome));
  } catch (error) {
    const why = isAppError(error) ? error.message : String(error);
    core.logger.error('could not record the end of an operation', { opId: op.id, error: why });
    final = { kind: 'failed', stepId: 'stepId' in outcome ? (outcome.stepId ?? '') : '', reason: `${outcomeReason(outcome) ?? outcome.kind}; and its end could not be recorded: ${why}`, code: 'JOURNAL_WRITE_FAILED' };
  }
  op.status = { kind: 'finished', outcome: final };
  closing.delete(op);
  const finished = event && final === outcome ? event : { type: 'finished' as const, outcome: final, snapshot: event?.snapshot, at: core.clock.now() };
  core.events.emit({ type: 'progress', op, event: finished });
  for (const id of core.registry.trim()) core.events.forget(id);
}

export function outcomeReason(outcome: OperationOutcome): string | undefined {
  switch (outcome.kind) {
    case 'succeeded':
      return outcome.warnings ? `${outcome.warnings} warning(s)` : undefined;
    case 'failed':
      return outcome.reason;
    case 'refused':
      return outcome.reasons.join('; ');
    case 'cancelled':
      return `cancelled by ${outcome.by} ${outcome.where}`;
    case 'interrupted':
      return outcome.reason;
  }
}

export function errorMessage(error: unknown): string {
  return isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
}

import { describeOperation, type OperationKind } from '../lifecycle/operation-kind.js';
import { describeRecovery } from '../messages/recovery-text.js';
import type { AuditWriter, JournalStore } from '../store/operation-store.js';
import type { ApprovedAction } from '../lifecycle/approved-actions.js';
import type { MessageRef, MessageRole, PlannedStep, StepOutcome, JournalRecord } from './journal-record.js';

export interface UnfinishedOperation {
  readonly opId: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  /** Where it was requested, so the restart report goes back to that channel. */
  readonly channel?: string;
  readonly reason?: string;
  /** 'pending': requested (maybe approved) but never started; 'running': started, not finished. */
  readonly phase: 'pending' | 'running';
  readonly approvedBy?: string;
  /** Approvals counted so far of several needed (M-of-N), with when each was journalled. */
  readonly approvals?: readonly { readonly by: string; readonly at: number }[];
  readonly override?: true;
  readonly schedule?: { readonly id: string; readonly configuredBy: string };
  /** What the approver approved; the run may do no more (also after a takeover). */
  readonly approvedActions?: readonly ApprovedAction[];
  /** When it was requested (ms), from the 'requested' record. */
  readonly requestedAt: number;
  /** The plan from the 'started' record; empty while pending. */
  readonly steps: readonly PlannedStep[];
  /** The plan its approval request showed ('requested'); gone once a changed plan asked again. */
  readonly requestedPlan?: readonly PlannedStep[];
  readonly lastStep?: { readonly id: string; readonly title: string; readonly outcome: StepOutcome };
  /** The last outcome of each step of the current run (a takeover starts a run of its own). */
  readonly outcomes: Readonly<Record<string, StepOutcome>>;
  /** Its approval request and progress message in Slack, when they were posted. */
  readonly messages: Partial<Record<MessageRole, MessageRef>>;
}

/**
 * Operations that were neither finished nor reported after a restart. Rejected and expired
 * requests count as closed: nothing ran and the requester was told at the time.
 *
 * An operation is only known through its 'requested' record. That record is always the first
 * one of an operation and is synced before anything else is written for it, and only the last
 * line of the file can be torn, so every operation that has other records also has it.
 */
export function findUnfinished(records: readonly JournalRecord[]): UnfinishedOperation[] {
  const open = new Map<string, Mutable<UnfinishedOperation>>();
  for (const record of records) {
    if (record.type === 'requested') {
      open.set(record.opId, {
        opId: record.opId,
        cluster: record.cluster,
        operation: record.operation,
        requestedBy: record.requestedBy,
        ...(record.channel === undefined ? {} : { channel: record.channel }),
        ...(record.reason === undefined ? {} : { reason: record.reason }),
        ...(record.override ? { override: true as const } : {}),
        ...(record.schedule === undefined ? {} : { schedule: { id: record.schedule, configuredBy: record.scheduledBy ?? 'unknown' } }),
        phase: 'pending',
        requestedAt: Date.parse(record.at),
        ...(record.plan === undefined ? {} : { requestedPlan: record.plan }),
        steps: [],
        outcomes: {},
        messages: {},
      });
      continue;
    }
    const op = open.get(record.opId);
    if (op === undefined) continue;
    switch (record.type) {
      case 'approval-added':
        // One person counts once, whatever the journal holds.
        if (!op.approvals?.some((a) => a.by === record.by)) op.approvals = [...(op.approvals ?? []), { by: record.by, at: Date.parse(record.at) }];
        break;
      case 'approved':
        op.approvedBy = record.by;
        if (record.actions !== undefined) op.approvedActions = record.actions;
        break;
      case 'reapproval':
        delete op.approvals;
        delete op.approvedBy;
        delete op.approvedActions;
        delete op.requestedPlan;
        break;
      case 'started':
        op.phase = 'running';
        op.steps = record.steps;
        op.outcomes = {};
        break;
      case 'step':
        op.lastStep = { id: record.stepId, title: record.title, outcome: record.outcome };
        op.outcomes = { ...op.outcomes, [record.stepId]: record.outcome };
        break;
      case 'message':
        op.messages = { ...op.messages, [record.role]: { channel: record.channel, ts: record.ts } };
        break;
      case 'rejected':
      case 'expired':
      case 'finished':
      case 'recovered':
        open.delete(record.opId);
        break;
    }
  }
  return [...open.values()];
}

export interface RecoveryReport extends UnfinishedOperation {
  /** For the channel and the log: what was cut off, where, and what to do now. */
  readonly message: string;
}

/**
 * Run once at start-up, before the bot takes requests. Closes every unfinished operation in the
 * journal and reports it. It never resumes anything: the cluster may have changed while the bot
 * was down, so a person looks at it and asks again. With an audit log, each report is also
 * recorded there as 'interrupted', so the human record is as complete as the journal.
 */
export async function recoverJournal(journal: JournalStore, audit?: AuditWriter): Promise<RecoveryReport[]> {
  const reports: RecoveryReport[] = [];
  for (const op of findUnfinished(await journal.read())) reports.push(await closeUnfinished(op, journal, audit));
  return reports;
}

/** Closes one operation a restart (or a takeover) found unfinished, on the record, and says so. */
export async function closeUnfinished(op: UnfinishedOperation, journal: JournalStore, audit?: AuditWriter): Promise<RecoveryReport> {
  const step = op.lastStep === undefined ? {} : { stepId: op.lastStep.id };
  const base = { opId: op.opId, cluster: op.cluster };
  if (op.phase === 'running') {
    await journal.append({ type: 'recovered', ...base, reportedAs: 'interrupted', ...step, ...stepTitle(op) });
    await journal.append({ type: 'finished', ...base, outcome: 'interrupted', reason: 'interrupted by a restart; not resumed', ...step });
  } else {
    await journal.append({ type: 'recovered', ...base, reportedAs: 'not-run' });
    await journal.append({ type: 'finished', ...base, outcome: 'refused', reason: 'dropped by a restart before it started; request it again' });
  }
  const message = describeRecovery(op);
  await audit?.record({ action: 'interrupted', actor: 'system', ...base, operation: describeOperation(op.operation), detail: message });
  return { ...op, message };
}

function stepTitle(op: UnfinishedOperation): { stepTitle?: string } {
  return op.lastStep === undefined ? {} : { stepTitle: op.lastStep.title };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };


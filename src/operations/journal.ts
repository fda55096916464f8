import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { describeOperation, type OperationKind } from '../lifecycle/operation-kind.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { AuditLog } from './audit-log.js';
import { openJsonlAppender, readJsonl } from './jsonl-file.js';

/**
 * The operation journal: what each operation went through, written before the action it
 * describes, so after a crash we know which operation was cut off and in which step. Records hold
 * only ids, names, Slack user ids and reasons; never a credential or a request option.
 */
interface RecordBase {
  readonly at: string;
  readonly opId: string;
  readonly cluster: string;
}

export interface PlannedStep {
  readonly id: string;
  readonly title: string;
}

export type StepOutcome = 'started' | 'done' | 'skipped' | 'failed';
export type MessageRole = 'approval' | 'progress';

export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}
export type FinishOutcome = 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'refused';

export type JournalRecord =
  | (RecordBase & { readonly type: 'requested'; readonly operation: OperationKind; readonly requestedBy: string; readonly channel?: string })
  | (RecordBase & { readonly type: 'approved'; readonly by: string })
  | (RecordBase & { readonly type: 'rejected'; readonly by: string; readonly reason?: string })
  | (RecordBase & { readonly type: 'expired' })
  | (RecordBase & { readonly type: 'started'; readonly steps: readonly PlannedStep[] })
  | (RecordBase & {
      readonly type: 'step';
      readonly stepId: string;
      readonly title: string;
      readonly outcome: StepOutcome;
      readonly reason?: string;
      readonly durationMs?: number;
    })
  | (RecordBase & { readonly type: 'finished'; readonly outcome: FinishOutcome; readonly reason?: string; readonly stepId?: string })
  /** Where the operation's Slack message is, so a restart can update what the old run left behind. */
  | (RecordBase & { readonly type: 'message'; readonly role: MessageRole; readonly channel: string; readonly ts: string })
  | (RecordBase & {
      readonly type: 'recovered';
      readonly reportedAs: 'interrupted' | 'not-run';
      readonly stepId?: string;
      readonly stepTitle?: string;
    });

/** A record as the caller gives it: the journal stamps `at` itself. */
export type JournalInput = { [T in JournalRecord['type']]: Omit<Extract<JournalRecord, { type: T }>, 'at'> }[JournalRecord['type']];

export interface Journal {
  /** On disk when it returns (see jsonl-file.ts). Throws an AppError if it could not be written. */
  append(record: JournalInput): JournalRecord;
  /** Every readable record in order; a torn last line from a kill is left out. */
  read(): JournalRecord[];
  close(): void;
}

export function createJournal(dataDir: string, clock: Clock = systemClock): Journal {
  const path = join(dataDir, 'journal.jsonl');
  const file = openJsonlAppender(path);
  return {
    append(input) {
      // Rebuilt from the known fields, so an excess property that slipped past the type checker
      // (a spread options object, say) never reaches the disk.
      const record = parseJournalRecord({ ...input, at: new Date(clock.now()).toISOString() });
      if (record === undefined) {
        throw new AppError('invalid-journal-record', `Refused to record a malformed '${input.type}' entry for ${input.opId}.`);
      }
      file.append(record);
      return record;
    },
    read: () => readJsonl(path).records.flatMap((raw) => parseJournalRecord(raw) ?? []),
    close: () => file.close(),
  };
}

/** 'op-<n>' one above the largest id seen, so ids stay unique across restarts. */
export function nextOperationId(records: readonly JournalRecord[]): string {
  let max = 0;
  for (const record of records) {
    const n = /^op-(\d+)$/.exec(record.opId)?.[1];
    if (n !== undefined) max = Math.max(max, Number(n));
  }
  return `op-${max + 1}`;
}

export interface UnfinishedOperation {
  readonly opId: string;
  readonly cluster: string;
  readonly operation: OperationKind;
  readonly requestedBy: string;
  /** Where it was requested, so the restart report goes back to that channel. */
  readonly channel?: string;
  /** 'pending': requested (maybe approved) but never started; 'running': started, not finished. */
  readonly phase: 'pending' | 'running';
  readonly approvedBy?: string;
  /** The plan from the 'started' record; empty while pending. */
  readonly steps: readonly PlannedStep[];
  readonly lastStep?: { readonly id: string; readonly title: string; readonly outcome: StepOutcome };
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
        phase: 'pending',
        steps: [],
        messages: {},
      });
      continue;
    }
    const op = open.get(record.opId);
    if (op === undefined) continue;
    switch (record.type) {
      case 'approved':
        op.approvedBy = record.by;
        break;
      case 'started':
        op.phase = 'running';
        op.steps = record.steps;
        break;
      case 'step':
        op.lastStep = { id: record.stepId, title: record.title, outcome: record.outcome };
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
export function recoverJournal(journal: Journal, audit?: AuditLog): RecoveryReport[] {
  return findUnfinished(journal.read()).map((op) => {
    const step = op.lastStep === undefined ? {} : { stepId: op.lastStep.id };
    const base = { opId: op.opId, cluster: op.cluster };
    if (op.phase === 'running') {
      journal.append({ type: 'recovered', ...base, reportedAs: 'interrupted', ...step, ...stepTitle(op) });
      journal.append({ type: 'finished', ...base, outcome: 'interrupted', reason: 'interrupted by a restart; not resumed', ...step });
    } else {
      journal.append({ type: 'recovered', ...base, reportedAs: 'not-run' });
      journal.append({ type: 'finished', ...base, outcome: 'refused', reason: 'dropped by a restart before it started; request it again' });
    }
    const message = describeRecovery(op);
    audit?.record({ action: 'interrupted', actor: 'system', ...base, operation: describeOperation(op.operation), detail: message });
    return { ...op, message };
  });
}

export function describeRecovery(op: UnfinishedOperation): string {
  const what = `Operation ${op.opId} (${describeOperation(op.operation)} on ${op.cluster}, requested by ${op.requestedBy})`;
  if (op.phase === 'pending') {
    const waiting = op.approvedBy === undefined ? 'it was waiting for approval' : `it was approved by ${op.approvedBy} and waiting for its turn`;
    return `${what} had not started when the bot restarted (${waiting}). It was dropped and not run: request it again if it is still needed.`;
  }
  return `${what} was interrupted by a restart ${where(op)}. It was not resumed: check the cluster with /exa status and request it again if needed.`;
}

function where(op: UnfinishedOperation): string {
  const last = op.lastStep;
  if (last === undefined) return 'after it started, before its first step';
  const index = op.steps.findIndex((s) => s.id === last.id);
  const name = `step ${index >= 0 ? `${index + 1} ` : ''}'${last.title}'`;
  switch (last.outcome) {
    case 'started':
      return `during ${name} (started, not finished)`;
    case 'failed':
      return `after ${name} failed, before the operation was closed`;
    case 'done':
    case 'skipped': {
      const next = index >= 0 ? op.steps[index + 1] : undefined;
      const before = next === undefined ? 'before the operation was closed' : `before step ${index + 2} '${next.title}'`;
      return `after ${name} was ${last.outcome === 'done' ? 'done' : 'skipped'}, ${before}`;
    }
  }
}

function stepTitle(op: UnfinishedOperation): { stepTitle?: string } {
  return op.lastStep === undefined ? {} : { stepTitle: op.lastStep.title };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// ---- reading records back: the file is input like any other and is checked field by field ----

const STEP_OUTCOMES: readonly string[] = ['started', 'done', 'skipped', 'failed'] satisfies StepOutcome[];
const FINISH_OUTCOMES: readonly string[] = ['succeeded', 'failed', 'cancelled', 'interrupted', 'refused'] satisfies FinishOutcome[];

export function parseJournalRecord(raw: unknown): JournalRecord | undefined {
  if (!isObject(raw)) return undefined;
  const { at, opId, cluster } = raw;
  if (typeof at !== 'string' || typeof opId !== 'string' || typeof cluster !== 'string') return undefined;
  const base = { at, opId, cluster };
  switch (raw.type) {
    case 'requested': {
      const operation = parseOperationKind(raw.operation);
      if (operation === undefined || typeof raw.requestedBy !== 'string') return undefined;
      return { type: 'requested', ...base, operation, requestedBy: raw.requestedBy, ...optional('channel', raw.channel) };
    }
    case 'approved':
      return typeof raw.by === 'string' ? { type: 'approved', ...base, by: raw.by } : undefined;
    case 'rejected':
      return typeof raw.by === 'string' ? { type: 'rejected', ...base, by: raw.by, ...optional('reason', raw.reason) } : undefined;
    case 'expired':
      return { type: 'expired', ...base };
    case 'started': {
      if (!Array.isArray(raw.steps)) return undefined;
      const steps = raw.steps.flatMap((s: unknown) =>
        isObject(s) && typeof s.id === 'string' && typeof s.title === 'string' ? [{ id: s.id, title: s.title }] : [],
      );
      return steps.length === raw.steps.length ? { type: 'started', ...base, steps } : undefined;
    }
    case 'step': {
      const { stepId, title, outcome, durationMs } = raw;
      if (typeof stepId !== 'string' || typeof title !== 'string' || !isOneOf(outcome, STEP_OUTCOMES)) return undefined;
      const duration = typeof durationMs === 'number' && Number.isFinite(durationMs) ? { durationMs } : {};
      return { type: 'step', ...base, stepId, title, outcome: outcome as StepOutcome, ...optional('reason', raw.reason), ...duration };
    }
    case 'finished':
      if (!isOneOf(raw.outcome, FINISH_OUTCOMES)) return undefined;
      return {
        type: 'finished',
        ...base,
        outcome: raw.outcome as FinishOutcome,
        ...optional('reason', raw.reason),
        ...optional('stepId', raw.stepId),
      };
    case 'message':
      if ((raw.role !== 'approval' && raw.role !== 'progress') || typeof raw.channel !== 'string' || typeof raw.ts !== 'string') return undefined;
      return { type: 'message', ...base, role: raw.role, channel: raw.channel, ts: raw.ts };
    case 'recovered':
      if (raw.reportedAs !== 'interrupted' && raw.reportedAs !== 'not-run') return undefined;
      return {
        type: 'recovered',
        ...base,
        reportedAs: raw.reportedAs,
        ...optional('stepId', raw.stepId),
        ...optional('stepTitle', raw.stepTitle),
      };
    default:
      return undefined;
  }
}

function parseOperationKind(raw: unknown): OperationKind | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.kind) {
    case 'cluster-startup':
    case 'cluster-shutdown':
    case 'storage-start':
    case 'storage-stop':
      return { kind: raw.kind };
    case 'database-start':
    case 'database-stop':
      return typeof raw.database === 'string' ? { kind: raw.kind, database: raw.database } : undefined;
    default:
      return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf(value: unknown, allowed: readonly string[]): value is string {
  return typeof value === 'string' && allowed.includes(value);
}

/** exactOptionalPropertyTypes: an absent field is left out, never written as undefined. */
function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' ? ({ [key]: value } as { [P in K]?: string }) : {};
}

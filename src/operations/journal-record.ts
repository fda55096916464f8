import type { ApprovedAction } from '../lifecycle/approved-actions.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';

/**
 * The journal's record format. The operation journal: what each operation went through, written before the action it
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
  /**
   * What the step does and on what, and whether the plan meant it to act: enough for a replica
   * that takes over to run the rest of the approved plan (reattach.ts). Absent in older journals.
   */
  readonly action?: ApprovedAction;
  readonly expect?: 'act' | 'skip';
}

export type StepOutcome = 'started' | 'done' | 'skipped' | 'failed';
export type MessageRole = 'approval' | 'progress';

export interface MessageRef {
  readonly channel: string;
  readonly ts: string;
}
export type FinishOutcome = 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'refused';

export type JournalRecord =
  /** `plan`: the plan its approval request shows (when it needs one), so a replica taking over can ask on. */
  | (RecordBase & {
      readonly type: 'requested';
      readonly operation: OperationKind;
      readonly requestedBy: string;
      readonly channel?: string;
      readonly reason?: string;
      readonly plan?: readonly PlannedStep[];
      /** Break-glass over a freeze or a hold; a schedule's run (its id and who configured it). */
      readonly override?: true;
      readonly schedule?: string;
      readonly scheduledBy?: string;
    })
  /** One approval of several (M-of-N): counted, the request still waits. */
  | (RecordBase & { readonly type: 'approval-added'; readonly by: string })
  /** `actions`: what the approver approved (acting steps and targets); the run may do no more. */
  | (RecordBase & { readonly type: 'approved'; readonly by: string; readonly actions?: readonly ApprovedAction[] })
  /** The rebuilt plan would do more than was approved: back to awaiting approval, with what changed. */
  | (RecordBase & { readonly type: 'reapproval'; readonly changes: readonly string[] })
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
  /**
   * A replica took the operation over from one that died (PostgreSQL store): it goes on from
   * `fromStepId` (absent: it is queued again, not yet started); `note` says why that is safe.
   */
  | (RecordBase & { readonly type: 'reattached'; readonly by: string; readonly fromStepId?: string; readonly note: string })
  | (RecordBase & {
      readonly type: 'recovered';
      readonly reportedAs: 'interrupted' | 'not-run';
      readonly stepId?: string;
      readonly stepTitle?: string;
    });

/** A record as the caller gives it: the journal stamps `at` itself. */
export type JournalInput = { [T in JournalRecord['type']]: Omit<Extract<JournalRecord, { type: T }>, 'at'> }[JournalRecord['type']];

/** 'op-<n>' one above the largest id seen, so ids stay unique across restarts. */
export function nextOperationId(records: readonly JournalRecord[]): string {
  let max = 0;
  for (const record of records) {
    const n = /^op-(\d+)$/.exec(record.opId)?.[1];
    if (n !== undefined) max = Math.max(max, Number(n));
  }
  return `op-${max + 1}`;
}

/** Every record type this bot writes (and parses back). */
export const JOURNAL_TYPES: readonly string[] = ['requested', 'approval-added', 'approved', 'reapproval', 'rejected', 'expired', 'started', 'step', 'finished', 'message', 'reattached', 'recovered'] satisfies JournalRecord['type'][];

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
      const request = {
        type: 'requested' as const,
        ...base,
        operation,
        requestedBy: raw.requestedBy,
        ...optional('channel', raw.channel),
        ...optional('reason', raw.reason),
        ...(raw.override === true ? { override: true as const } : {}),
        ...optional('schedule', raw.schedule),
        ...optional('scheduledBy', raw.scheduledBy),
      };
      if (raw.plan === undefined) return request;
      const plan = parseSteps(raw.plan);
      return plan === undefined ? undefined : { ...request, plan };
    }
    case 'approval-added':
      return typeof raw.by === 'string' ? { type: 'approval-added', ...base, by: raw.by } : undefined;
    case 'approved': {
      if (typeof raw.by !== 'string') return undefined;
      if (raw.actions === undefined) return { type: 'approved', ...base, by: raw.by };
      const actions = parseActions(raw.actions);
      return actions === undefined ? undefined : { type: 'approved', ...base, by: raw.by, actions };
    }
    case 'reapproval':
      return Array.isArray(raw.changes) && raw.changes.every((c: unknown) => typeof c === 'string')
        ? { type: 'reapproval', ...base, changes: raw.changes as string[] }
        : undefined;
    case 'rejected':
      return typeof raw.by === 'string' ? { type: 'rejected', ...base, by: raw.by, ...optional('reason', raw.reason) } : undefined;
    case 'expired':
      return { type: 'expired', ...base };
    case 'started': {
      const steps = parseSteps(raw.steps);
      return steps === undefined ? undefined : { type: 'started', ...base, steps };
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
    case 'reattached':
      if (typeof raw.by !== 'string' || typeof raw.note !== 'string') return undefined;
      return { type: 'reattached', ...base, by: raw.by, note: raw.note, ...optional('fromStepId', raw.fromStepId) };
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

/** Steps of a plan as journalled: every one must parse, or the record is damaged. */
function parseSteps(raw: unknown): PlannedStep[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const steps = raw.flatMap((s: unknown): PlannedStep[] => {
    if (!isObject(s) || typeof s.id !== 'string' || typeof s.title !== 'string') return [];
    if (s.action === undefined) return [{ id: s.id, title: s.title }];
    const [action] = parseActions([s.action]) ?? [];
    if (action === undefined || (s.expect !== 'act' && s.expect !== 'skip')) return [];
    return [{ id: s.id, title: s.title, action, expect: s.expect }];
  });
  return steps.length === raw.length ? steps : undefined;
}

function parseOperationKind(raw: unknown): OperationKind | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.kind) {
    case 'cluster-startup':
    case 'storage-start':
    case 'storage-stop':
      return { kind: raw.kind };
    case 'cluster-shutdown':
      return raw.abortBackup === true ? { kind: raw.kind, abortBackup: true } : { kind: raw.kind };
    case 'database-start':
      return typeof raw.database === 'string' ? { kind: raw.kind, database: raw.database } : undefined;
    case 'database-stop':
      if (typeof raw.database !== 'string') return undefined;
      return raw.abortBackup === true ? { kind: raw.kind, database: raw.database, abortBackup: true } : { kind: raw.kind, database: raw.database };
    default:
      return undefined;
  }
}

function parseActions(raw: unknown): ApprovedAction[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const actions = raw.flatMap((a: unknown) =>
    isObject(a) && typeof a.kind === 'string' && Array.isArray(a.targets) && a.targets.every((t: unknown) => typeof t === 'string')
      ? [{ kind: a.kind as ApprovedAction['kind'], targets: a.targets as string[] }]
      : [],
  );
  return actions.length === raw.length ? actions : undefined;
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

import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { systemClock, type Clock } from '../util/clock.js';
import { openJsonlAppender, readJsonl } from './jsonl-file.js';
import { DEFAULT_ROTATE_BYTES, rotateIfLarge } from './rotation.js';

/**
 * The audit log answers "who asked for what, who let it happen, and how did it end", for people
 * rather than for recovery (that is the journal's job). Append-only, one JSON line per event.
 * Entries carry Slack user ids, cluster and database names, operation ids and reasons: never a
 * credential, a URL with a password in it, or a raw request.
 */
export type AuditAction =
  | 'requested'
  | 'refused'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'denied'
  | 'expired'
  | 'step'
  | 'finished'
  | 'interrupted'
  | 'reapproval'
  | 'reattached'
  /** One approval of several (M-of-N): the operation still waits for more. */
  | 'approval-added'
  /** A hold on a cluster set or lifted (`/exa hold`, `/exa unhold`, or its time ran out). */
  | 'held'
  | 'unheld'
  /** A scheduled run: snoozed, skipped, missed (the bot was down at its time), or fired. */
  | 'snoozed'
  | 'skipped'
  | 'missed'
  | 'scheduled';

interface AuditFields {
  /** A Slack user id, or 'system' for what the bot did on its own (expiry, steps, recovery). */
  readonly actor: string;
  readonly cluster: string;
  readonly opId?: string;
  /** Human description, e.g. from describeOperation(). */
  readonly operation?: string;
  readonly channel?: string;
  /** The reason, or the step and its outcome. */
  readonly detail?: string;
  /** Why, as the requester (or whoever set a hold, or broke the glass) said. */
  readonly reason?: string;
  /** Everyone whose approval counted, in order (on 'approved' and 'approval-added'). */
  readonly approvers?: readonly string[];
  /** Break-glass: the operation overrides a freeze window or a hold. */
  readonly override?: boolean;
  /** The schedule that requested the operation (its id), and who configured it. */
  readonly schedule?: string;
  readonly scheduledBy?: string;
}

/** What the caller records; the log stamps `at`. */
export type AuditInput =
  | (AuditFields & { readonly action: 'requested'; readonly opId: string; readonly operation: string })
  | (AuditFields & {
      readonly action: 'approved' | 'approval-added' | 'rejected' | 'cancelled' | 'expired' | 'step' | 'finished' | 'interrupted' | 'reapproval' | 'reattached';
      readonly opId: string;
    })
  // A refusal may come before an operation gets an id: not allowed to ask at all (denied), or a
  // request the cluster's state or the bot's own state turned away (refused). Holds and schedule
  // events belong to a cluster, not to an operation (a fired schedule's operation is 'requested').
  | (AuditFields & { readonly action: 'denied' | 'refused' | 'held' | 'unheld' | 'snoozed' | 'skipped' | 'missed' | 'scheduled' });

export type AuditEntry = AuditInput & { readonly at: string };

export interface AuditLog {
  /** On disk when it returns. Throws an AppError if it could not be written. */
  record(entry: AuditInput): AuditEntry;
  read(): AuditEntry[];
  close(): void;
}

/**
 * At start, an audit log over the size limit is rotated: it moves to `audit-<time>.jsonl` (kept
 * whole, for people and SIEMs) and a fresh one begins. Nothing in it is needed to run.
 */
export function createAuditLog(dataDir: string, clock: Clock = systemClock, options: { readonly rotateBytes?: number } = {}): AuditLog {
  const path = join(dataDir, 'audit.jsonl');
  rotateIfLarge(path, options.rotateBytes ?? DEFAULT_ROTATE_BYTES, new Date(clock.now()).toISOString(), () => []);
  const file = openJsonlAppender(path);
  return {
    record(input) {
      // Rebuilt from the known fields, so nothing the type checker let through reaches the disk.
      const entry = parseAuditEntry({ ...input, at: new Date(clock.now()).toISOString() });
      if (entry === undefined) {
        throw new AppError('invalid-audit-entry', `Refused to write a malformed '${input.action}' audit entry.`);
      }
      file.append(entry);
      return entry;
    },
    read: () => readJsonl(path).records.flatMap((raw) => parseAuditEntry(raw) ?? []),
    close: () => file.close(),
  };
}

const ACTIONS: readonly string[] = [
  'requested',
  'refused',
  'approved',
  'rejected',
  'cancelled',
  'denied',
  'expired',
  'step',
  'finished',
  'interrupted',
  'reapproval',
  'reattached',
  'approval-added',
  'held',
  'unheld',
  'snoozed',
  'skipped',
  'missed',
  'scheduled',
] satisfies AuditAction[];

const WITHOUT_OPERATION: readonly string[] = ['denied', 'refused', 'held', 'unheld', 'snoozed', 'skipped', 'missed', 'scheduled'];

export function parseAuditEntry(raw: unknown): AuditEntry | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const { at, action, actor, cluster, opId, operation } = r;
  if (typeof at !== 'string' || typeof actor !== 'string' || typeof cluster !== 'string') return undefined;
  if (typeof action !== 'string' || !ACTIONS.includes(action)) return undefined;
  // Key order is fixed so lines read the same way in a terminal.
  const common = {
    at,
    actor,
    cluster,
    ...optional('channel', r.channel),
    ...optional('detail', r.detail),
    ...optional('reason', r.reason),
    ...(Array.isArray(r.approvers) && r.approvers.every((a) => typeof a === 'string') ? { approvers: r.approvers as string[] } : {}),
    ...(r.override === true ? { override: true } : {}),
    ...optional('schedule', r.schedule),
    ...optional('scheduledBy', r.scheduledBy),
  };
  if (WITHOUT_OPERATION.includes(action)) {
    return { action: action as 'denied', ...common, ...optional('opId', opId), ...optional('operation', operation) };
  }
  if (typeof opId !== 'string') return undefined;
  if (action === 'requested') {
    return typeof operation === 'string' ? { action, ...common, opId, operation } : undefined;
  }
  return { action: action as Exclude<AuditAction, 'requested' | 'denied' | 'refused'>, ...common, opId, ...optional('operation', operation) };
}

/** exactOptionalPropertyTypes: an absent field is left out, never written as undefined. */
function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' ? ({ [key]: value } as { [P in K]?: string }) : {};
}

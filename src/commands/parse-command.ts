import { MAX_HOLD_MS } from '../change-control/holds.js';
import type { OperationKind } from '../lifecycle/operation-kind.js';
import { DEFAULT_LOG_COUNT, MAX_LOG_COUNT, OPERATION_USAGE, VERBS, type Verb } from './command-catalogue.js';
import { didYouMean } from './suggest.js';

/**
 * One `/exa` command, parsed. `cluster` is absent when not typed: the adapter supplies its default.
 * Anything that does not parse is `invalid` with a message that says how to fix it.
 */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'status'; readonly cluster?: string }
  | { readonly kind: 'nodes'; readonly cluster?: string }
  /** `reason`: what followed ` -- ` (`/exa shutdown prod -- quarterly patching`), trimmed. */
  /** `override`: --break-glass, an approver acting in a freeze window or a hold. */
  | { readonly kind: 'request'; readonly operation: OperationKind; readonly cluster?: string; readonly reason?: string; readonly override?: true }
  /** `/exa hold [cluster] DURATION -- reason`: no destructive operation until it ends or is lifted. */
  | { readonly kind: 'hold'; readonly durationMs: number; readonly cluster?: string; readonly reason?: string }
  | { readonly kind: 'unhold'; readonly cluster?: string }
  /** `/exa audit [cluster] [since]`: `since` as typed (7d, 2026-12-01), checked by the handler. */
  | { readonly kind: 'audit'; readonly cluster?: string; readonly since?: string }
  | { readonly kind: 'schedules'; readonly cluster?: string }
  | { readonly kind: 'plan'; readonly operation: OperationKind; readonly cluster?: string }
  | { readonly kind: 'queue'; readonly cluster?: string }
  | { readonly kind: 'logs'; readonly count: number; readonly cluster?: string }
  | { readonly kind: 'cancel'; readonly opId: string }
  /** `typedName`: the cluster's name, typed to approve the shut-down of a critical cluster. */
  | { readonly kind: 'approve'; readonly opId: string; readonly typedName?: string }
  | { readonly kind: 'reject'; readonly opId: string }
  | { readonly kind: 'invalid'; readonly message: string };

type Invalid = Extract<Command, { kind: 'invalid' }>;

// Names end up in EXAoperation URLs and in chat messages: letters, digits, '_' and '-' only.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const OP_ID = /^(?:op-)?(\d{1,9})$/i;
const NUMBER = /^[+-]?\d+$/;

/** Accepts the text after the slash command or the whole line, with or without a leading '/exa'. */
export function parseCommand(input: string): Command {
  // Text copied from a bot message may carry the zero-width joiners the Slack renderer inserts.
  const cleaned = input.replace(/[\u200b-\u200d\u2060\ufeff]/gu, '');
  // Everything after a standalone `--` is the reason (Slack may have turned it into an en or em dash).
  const split = /(?:^|\s)(?:--|\u2013|\u2014)(?:\s|$)/u.exec(cleaned);
  const head = split ? cleaned.slice(0, split.index) : cleaned;
  // Control characters would format or break the messages and logs it appears in.
  const reason = split ? cleaned.slice(split.index + split[0].length).replace(/\p{Cc}/gu, ' ').replace(/\s+/gu, ' ').trim() : undefined;
  const command = parseWords(head);
  if (command.kind === 'hold' && reason === undefined) return invalid('A hold needs a reason after --, so whoever is refused knows why: e.g. /exa hold prod 4h -- migration running.');
  if (reason === undefined) return command;
  if (command.kind === 'invalid') return command;
  if (command.kind === 'hold') {
    if (reason === '' || reason.length > MAX_REASON) return invalid(reason === '' ? 'The reason after -- is empty: say why, e.g. /exa hold prod 4h -- migration running.' : `The reason is ${reason.length} characters long; keep it to ${MAX_REASON}.`);
    return { ...command, reason };
  }
  if (command.kind !== 'request') return invalid('A reason (after --) goes with an operation request or a hold only, e.g. /exa shutdown -- quarterly patching.');
  if (reason === '') return invalid('The reason after -- is empty: say why, e.g. /exa shutdown -- quarterly patching.');
  if (reason.length > MAX_REASON) return invalid(`The reason is ${reason.length} characters long; keep it to ${MAX_REASON}.`);
  // A flag after the reason would silently not apply, while the approver reads it in the reason.
  for (const flag of [ABORT_BACKUP, BREAK_GLASS]) {
    if (reason.split(' ').some((w) => w.toLowerCase() === flag)) return invalid(`${flag} goes before the --, e.g. /exa shutdown ${flag} -- quarterly patching.`);
  }
  return { ...command, reason };
}

/** A reason is shown in the approval request, the progress message and the audit log: one line. */
export const MAX_REASON = 300;

function parseWords(input: string): Command {
  const words = input.trim().split(/\s+/u).filter((w) => w !== '');
  if (words[0]?.toLowerCase() === '/exa') words.shift();
  const [first, ...args] = words;
  if (first === undefined) return { kind: 'help' };
  const verb = first.toLowerCase();
  if (!isVerb(verb)) {
    return invalid(`Unknown subcommand ${quote(first)}.${didYouMean(first, VERBS)} Try /exa help.`);
  }
  switch (verb) {
    case 'help':
      return { kind: 'help' };
    case 'status':
    case 'nodes':
    case 'queue':
      return withCluster(args, `/exa ${verb} [cluster]`, (cluster) => ({ kind: verb, ...cluster }));
    case 'startup':
    case 'shutdown':
    case 'db':
    case 'storage': {
      // --break-glass may stand anywhere after the operation, like --abort-backup.
      const override = args.some((w) => w.toLowerCase() === BREAK_GLASS);
      const parsed = parseOperation([first, ...args.filter((w) => w.toLowerCase() !== BREAK_GLASS)], '');
      if ('kind' in parsed) return parsed;
      return withCluster(parsed.rest, parsed.usage, (cluster) => ({ kind: 'request', operation: parsed.operation, ...cluster, ...(override ? { override: true as const } : {}) }));
    }
    case 'hold':
      return parseHold(args);
    case 'unhold':
    case 'schedules':
      return withCluster(args, `/exa ${verb} [cluster]`, (cluster) => ({ kind: verb, ...cluster }));
    case 'audit': {
      // A word that looks like a time is the since; the other one is the cluster.
      const since = args.filter((w) => SINCE.test(w));
      const rest = args.filter((w) => !SINCE.test(w));
      if (since.length > 1) return invalid(`Two times given (${since.map(quote).join(', ')}): expected /exa audit [cluster] [since], e.g. /exa audit prod 7d.`);
      return withCluster(rest, '/exa audit [cluster] [since]', (cluster) => ({ kind: 'audit', ...cluster, ...(since[0] === undefined ? {} : { since: since[0] }) }));
    }
    case 'plan': {
      if (args.length === 0) {
        return invalid(`Missing operation to plan: expected /exa plan ${OPERATION_USAGE} [cluster], e.g. /exa plan shutdown.`);
      }
      const parsed = parseOperation(args, 'plan ');
      if ('kind' in parsed) return parsed;
      return withCluster(parsed.rest, parsed.usage, (cluster) => ({ kind: 'plan', operation: parsed.operation, ...cluster }));
    }
    case 'logs':
      return parseLogs(args);
    case 'cancel':
    case 'approve':
    case 'reject':
      return parseOpId(verb, args);
  }
}

interface ParsedOperation {
  readonly operation: OperationKind;
  readonly rest: readonly string[];
  readonly usage: string;
}

const ABORT_BACKUP = '--abort-backup';
const BREAK_GLASS = '--break-glass';
/** 30m, 12h, 7d, 2w or a date (2026-12-01, 2026-12-01T10:00Z): the since of /exa audit. */
const SINCE = /^(?:\d+[mhdw]|\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?)$/i;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i;

/** `/exa hold [cluster] DURATION`: 4h, 90m, 1h30m, 2d; at most a week. */
function parseHold(args: readonly string[]): Command {
  const usage = '/exa hold [cluster] DURATION -- reason, e.g. /exa hold prod 4h -- migration running';
  const duration = args.at(-1);
  const match = duration === undefined ? null : DURATION.exec(duration);
  if (duration === undefined || !match || duration === '') return invalid(`Missing or unreadable duration${duration === undefined ? '' : ` ${quote(duration)}`}: expected ${usage} (durations like 30m, 4h, 1h30m, 2d).`);
  const ms = ((Number(match[1] ?? 0) * 24 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 60_000;
  if (ms <= 0) return invalid(`The hold's duration ${quote(duration)} is zero: give one like 4h.`);
  if (ms > MAX_HOLD_MS) return invalid(`A hold lasts at most ${MAX_HOLD_MS / 86_400_000} days; ${quote(duration)} is longer. Set a shorter one, and set it again if it is still needed.`);
  return withCluster(args.slice(0, -1), usage, (cluster) => ({ kind: 'hold', durationMs: ms, ...cluster }));
}

/**
 * The operation and what is left (the cluster). `--abort-backup` (Exasol 8) may stand anywhere
 * after the operation of a database stop or a shut-down, and nowhere else.
 */
function parseOperation(words: readonly string[], prefix: string): ParsedOperation | Invalid {
  const flagged = words.some((w) => w.toLowerCase() === ABORT_BACKUP);
  const parsed = parseOperationWords(words.filter((w) => w.toLowerCase() !== ABORT_BACKUP), prefix);
  if (!flagged || 'kind' in parsed) return parsed;
  const { operation } = parsed;
  if (operation.kind === 'database-stop' || operation.kind === 'cluster-shutdown') return { ...parsed, operation: { ...operation, abortBackup: true } };
  return invalid(`${ABORT_BACKUP} applies to /exa db stop NAME and /exa shutdown only.`);
}

/** startup | shutdown | db start|stop NAME | storage start|stop, followed by whatever is left. */
function parseOperationWords(words: readonly string[], prefix: string): ParsedOperation | Invalid {
  const [what = '', action, name, ...rest] = words;
  switch (what.toLowerCase()) {
    case 'startup':
      return { operation: { kind: 'cluster-startup' }, rest: words.slice(1), usage: `/exa ${prefix}startup [cluster]` };
    case 'shutdown':
      return { operation: { kind: 'cluster-shutdown' }, rest: words.slice(1), usage: `/exa ${prefix}shutdown [${ABORT_BACKUP}] [cluster]` };
    case 'db': {
      const usage = `/exa ${prefix}db start NAME [cluster] or /exa ${prefix}db stop NAME [cluster]`;
      const verb = startOrStop('db', action, usage);
      if (typeof verb !== 'string') return verb;
      if (name === undefined) {
        return invalid(`Missing database name: expected /exa ${prefix}db ${verb} NAME [cluster], e.g. /exa ${prefix}db ${verb} exa_db1 (see /exa status for the names).`);
      }
      if (!NAME.test(name)) return invalid(badName('database', name));
      const operation: OperationKind = { kind: verb === 'start' ? 'database-start' : 'database-stop', database: name };
      return { operation, rest, usage: `/exa ${prefix}db ${verb} NAME ${verb === 'stop' ? `[${ABORT_BACKUP}] ` : ''}[cluster]` };
    }
    case 'storage': {
      const usage = `/exa ${prefix}storage start [cluster] or /exa ${prefix}storage stop [cluster]`;
      const verb = startOrStop('storage', action, usage);
      if (typeof verb !== 'string') return verb;
      const operation: OperationKind = { kind: verb === 'start' ? 'storage-start' : 'storage-stop' };
      return { operation, rest: words.slice(2), usage: `/exa ${prefix}storage ${verb} [cluster]` };
    }
    default:
      return invalid(
        `Unknown operation ${quote(what)} to plan.${didYouMean(what, ['startup', 'shutdown', 'db', 'storage'])} ` +
          `Expected /exa plan ${OPERATION_USAGE} [cluster].`,
      );
  }
}

function startOrStop(what: string, action: string | undefined, usage: string): 'start' | 'stop' | Invalid {
  if (action === undefined) return invalid(`Missing action after '${what}': expected ${usage}.`);
  const lower = action.toLowerCase();
  if (lower === 'start' || lower === 'stop') return lower;
  return invalid(`Unknown action ${quote(action)} after '${what}'.${didYouMean(action, ['start', 'stop'])} Expected ${usage}.`);
}

function withCluster(rest: readonly string[], usage: string, build: (cluster: { cluster?: string }) => Command): Command {
  const [cluster, ...extra] = rest;
  if (extra.length > 0) return invalid(`Too many arguments: expected ${usage}, got ${quote(extra.join(' '))} after ${quote(cluster ?? '')}.`);
  if (cluster === undefined) return build({});
  if (!NAME.test(cluster)) return invalid(badName('cluster', cluster));
  return build({ cluster });
}

function parseLogs(args: readonly string[]): Command {
  const usage = '/exa logs [N] [cluster]';
  const [first] = args;
  if (first === undefined || !NUMBER.test(first)) {
    return withCluster(args, usage, (cluster) => ({ kind: 'logs', count: DEFAULT_LOG_COUNT, ...cluster }));
  }
  const count = Number(first);
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_LOG_COUNT) {
    return invalid(`Log count out of range: expected 1 to ${MAX_LOG_COUNT}, got ${quote(first)}. E.g. /exa logs 50.`);
  }
  return withCluster(args.slice(1), usage, (cluster) => ({ kind: 'logs', count, ...cluster }));
}

function parseOpId(verb: 'cancel' | 'approve' | 'reject', args: readonly string[]): Command {
  const [id, ...rest] = args;
  if (id === undefined) return invalid(`Missing operation id: expected /exa ${verb} ID, e.g. /exa ${verb} op-3 (see /exa queue for the ids).`);
  const match = OP_ID.exec(id);
  if (!match) return invalid(`${quote(id)} is not an operation id: expected op-N, e.g. /exa ${verb} op-3 (see /exa queue for the ids).`);
  const opId = `op-${Number(match[1])}`;
  // A critical cluster's shut-down is approved with the cluster's name: /exa approve op-3 prod.
  if (verb === 'approve' && rest.length === 1 && rest[0] !== undefined) return { kind: verb, opId, typedName: rest[0] };
  if (rest.length > 0) return invalid(`Too many arguments: expected /exa ${verb} ID${verb === 'approve' ? ' [CLUSTER]' : ''}, got ${quote(rest.join(' '))} after the id.`);
  return { kind: verb, opId };
}

function badName(what: 'cluster' | 'database', name: string): string {
  return `Invalid ${what} name ${quote(name)}: expected letters, digits, '_' or '-' (at most 64 characters).`;
}

function isVerb(word: string): word is Verb {
  return (VERBS as readonly string[]).includes(word);
}

function invalid(message: string): Invalid {
  return { kind: 'invalid', message };
}

/** Echoes what the user typed, cut short and without control characters, so it cannot flood or format. */
export function quote(value: string): string {
  const clean = value.replace(/\p{Cc}/gu, '?');
  return `'${clean.length > 40 ? `${clean.slice(0, 39)}…` : clean}'`;
}

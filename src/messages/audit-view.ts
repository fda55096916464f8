import { filterAudit } from '../audit/audit-query.js';
import type { AuditEntry } from '../operations/audit-log.js';
import { formatTimestamp } from './labels.js';
import { context, header, people, text, user, type Block, type Inline, type Message } from './message.js';

export interface AuditSummaryOptions {
  /** One cluster, or all of them. */
  readonly cluster?: string | undefined;
  readonly since: Date;
  readonly now: Date;
  /** How many of the newest operations get a line of their own (default 10, at most 20). */
  readonly limit?: number | undefined;
}

const DEFAULT_LIMIT = 10;
/** Far below Slack's 50 blocks; the text budget below usually ends the list first anyway. */
const MAX_LIMIT = 20;
/**
 * Slack takes about 12,000 characters of blocks in all (block-limits.ts keeps 11,000); the lines
 * get 8,000 of them, as escaped for Slack in the worst case (estimated), so the renderer never
 * has to cut the end (the export hint) off. A line is at most ~1,000 of them.
 */
const LINES_BUDGET = 8000;
const MAX_APPROVERS = 5;
/** Outcomes in the order people look for them; any other kind follows, alphabetically. */
const OUTCOME_ORDER = ['succeeded', 'failed', 'cancelled', 'interrupted', 'refused'];

interface OperationLine {
  readonly requested: AuditEntry;
  readonly approvers: string[];
  state: string;
  override: boolean;
}

/**
 * `/exa audit [cluster] [since]`: what happened in a window, for the one who asked. Counts first,
 * then the newest operations one line each, then where the whole export is. Everything users
 * typed (reasons, details) stays plain text, which the adapters escape; only ids the audit log
 * holds as actors and approvers become people, so a reason cannot mention anyone.
 */
export function renderAuditSummary(entries: readonly AuditEntry[], opts: AuditSummaryOptions): Message {
  const scope = opts.cluster === undefined ? 'all clusters' : `cluster ${opts.cluster}`;
  const since = formatTimestamp(opts.since.getTime());
  const heading = `Audit of ${scope} since ${since}`;
  const window = filterAudit(entries, { ...(opts.cluster === undefined ? {} : { cluster: opts.cluster }), since: opts.since });
  const exportHint = context(
    `The whole log, with every step and detail: npm run audit -- --since ${isoForCli(opts.since)}${opts.cluster === undefined ? '' : ` --cluster ${shellWord(opts.cluster)}`} --format csv`,
  );
  if (window.length === 0) {
    return { title: `${heading}: nothing recorded`, blocks: [header(heading), text(`Nothing was recorded for ${scope} in the last ${span(opts.now.getTime() - opts.since.getTime())}.`), exportHint] };
  }

  const requested = window.filter((e) => e.action === 'requested');
  const scheduled = requested.filter((e) => e.schedule !== undefined).length;
  const refused = window.filter((e) => e.action === 'refused').length;
  const finished = countBy(window.filter((e) => e.action === 'finished').map((e) => outcomeKind(e.detail)));
  // Distinct operations: one break-glass request is often marked on its request and its approval.
  const overrides = new Set(window.flatMap((e, i) => (e.override === true ? [e.opId ?? `#${i}`] : []))).size;
  const finishedText = finished.length === 0 ? 'none' : finished.map(([kind, n]) => `${n} ${kind}`).join(', ');
  const counts = [
    `• Operations requested: ${requested.length}${scheduled > 0 ? ` (scheduled runs: ${scheduled})` : ''}`,
    `• Finished: ${finishedText}`,
    `• Refused: ${refused}`,
    `• Break-glass overrides: ${overrides}`,
  ].join('\n');

  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number.isFinite(opts.limit) ? (opts.limit ?? DEFAULT_LIMIT) : DEFAULT_LIMIT)));
  const operations = operationLines(window);
  const newest = withinBudget([...operations].sort((a, b) => Date.parse(b.requested.at) - Date.parse(a.requested.at)).slice(0, limit).map(line));
  const more = operations.length > newest.length ? [context(`Showing the newest ${newest.length} of ${operations.length} operations.`)] : [];
  const blocks: Block[] = [
    header(heading),
    text(counts),
    ...(newest.length > 0 ? [text(`Newest operations (of the last ${span(opts.now.getTime() - opts.since.getTime())}):`, 'strong')] : []),
    ...newest,
    ...more,
    exportHint,
  ];
  const overrideTitle = overrides > 0 ? `, ${overrides} break-glass` : '';
  return { title: `${heading}: ${requested.length} requested, ${finished.reduce((n, [, c]) => n + c, 0)} finished, ${refused} refused${overrideTitle}`, blocks };
}

/** The operations requested in the window, with what became of them (as far as the window tells). */
function operationLines(window: readonly AuditEntry[]): OperationLine[] {
  const byId = new Map<string, OperationLine>();
  for (const entry of window) {
    if (entry.opId === undefined) continue;
    if (entry.action === 'requested') {
      byId.set(entry.opId, { requested: entry, approvers: [], state: 'waiting for approval', override: entry.override === true });
      continue;
    }
    const op = byId.get(entry.opId);
    if (op === undefined) continue;
    if (entry.override === true) op.override = true;
    if (entry.action === 'approved' || entry.action === 'approval-added') {
      for (const who of entry.approvers ?? [entry.actor]) if (!op.approvers.includes(who)) op.approvers.push(who);
    }
    op.state = stateAfter(entry) ?? op.state;
  }
  return [...byId.values()];
}

function stateAfter(entry: AuditEntry): string | undefined {
  switch (entry.action) {
    case 'approved':
      return 'approved';
    case 'approval-added':
      return 'waiting for more approvals';
    case 'step':
    case 'reattached':
      return 'running';
    case 'reapproval':
      return 'waiting for a new approval';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired without a decision';
    case 'cancelled':
      return 'cancelled';
    case 'interrupted':
      return 'interrupted';
    case 'finished':
      return cut(entry.detail ?? 'finished', 120);
    default:
      return undefined;
  }
}

function line(op: OperationLine): Block {
  const r = op.requested;
  const approvers = op.approvers.slice(0, MAX_APPROVERS);
  const extra = op.approvers.length - approvers.length;
  const parts: Inline[] = [
    ...(op.override ? ['BREAK-GLASS · '] : []),
    `${cut(r.opId ?? '?', 30)} ${r.at.slice(0, 16).replace('T', ' ')}: ${cut(r.operation ?? 'operation', 80)} on ${cut(r.cluster, 40)}, requested by `,
    person(r.actor),
    ...(r.reason === undefined ? [] : [`, reason: “${cut(r.reason, 150)}”`]),
    ...(approvers.length === 0 ? [] : [', approved by ', ...approvers.flatMap((id, i) => (i === 0 ? [person(id)] : [', ', person(id)])), ...(extra > 0 ? [` and ${extra} more`] : [])]),
    ` → ${op.state}`,
    ...(r.schedule === undefined ? [] : [` · schedule ${cut(r.schedule, 40)}`, ...(r.scheduledBy === undefined ? [] : [' (set up by ', person(r.scheduledBy), ')'])]),
  ];
  return people(parts);
}

/** A Slack user as a person; 'system', 'schedule:<id>' and anything else as the text it is. */
function person(id: string): Inline {
  return /^[UW][A-Z0-9]+$/.test(id) ? user(id) : cut(id, 40);
}

/** The newest lines that fit LINES_BUDGET (at least one). */
function withinBudget(lines: readonly Block[]): Block[] {
  let left = LINES_BUDGET;
  const kept: Block[] = [];
  for (const block of lines) {
    const size = block.kind === 'people' ? block.parts.reduce((n, part) => n + (typeof part === 'string' ? escapedSize(part) : 16), 80) : 0;
    if (kept.length > 0 && size > left) break;
    left -= size;
    kept.push(block);
  }
  return kept;
}

/** Slack's escaping at its worst (&amp; for &, &lt; &gt; for < >, a joiner after * _ ~ and `), then JSON's for " and \\. */
function escapedSize(value: string): number {
  let size = value.length;
  for (const c of value) size += c === '&' ? 4 : c === '<' || c === '>' ? 3 : '*_~`"\\'.includes(c) ? 1 : 0;
  return size;
}

/** 'failed: step 3 timed out' → 'failed'; the ledger writes the outcome's kind first. */
function outcomeKind(detail: string | undefined): string {
  return /^[a-z][a-z-]*/i.exec(detail?.trim() ?? '')?.[0]?.toLowerCase() ?? 'unknown';
}

function countBy(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const rank = (kind: string): number => (OUTCOME_ORDER.includes(kind) ? OUTCOME_ORDER.indexOf(kind) : OUTCOME_ORDER.length);
  return [...counts].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The window's length in words: '7 days', '12 hours', '30 minutes'. */
function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes >= 2 * 24 * 60) return plural(Math.round(minutes / (24 * 60)), 'day');
  if (minutes >= 2 * 60) return plural(Math.round(minutes / 60), 'hour');
  return plural(minutes, 'minute');
}

/** As short as parseSince takes it back: 2026-12-01T10:00Z, with seconds only when there are any. */
function isoForCli(at: Date): string {
  const iso = at.toISOString();
  if (iso.endsWith(':00.000Z')) return `${iso.slice(0, 16)}Z`;
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** A cluster name as one shell word, quoted only when it needs to be. */
function shellWord(value: string): string {
  return /^[\w.@%+=:,/-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** On one line (a reason may hold newlines), and at most `max` characters. */
function cut(raw: string, max: number): string {
  const value = raw.replace(/\s+/g, ' ').trim();
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

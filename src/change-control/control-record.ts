// The change-control record (issue 17): holds, snoozes, skips and how far each schedule has been
// dealt with, append-only, so a restart knows what was decided before it (controls.jsonl in the
// data directory, or the control_record table of the PostgreSQL store). Like the journal it holds
// ids, names, times and reasons only.

export type ControlRecord =
  /** A hold on a cluster until `until` (ms): destructive operations are refused until then. */
  | { readonly type: 'hold'; readonly cluster: string; readonly by: string; readonly reason: string; readonly until: number; readonly at: number }
  | { readonly type: 'unhold'; readonly cluster: string; readonly by: string; readonly at: number }
  /** A schedule's run at `occurrence` (ms) moved to `until`, or not run at all. */
  | { readonly type: 'snooze'; readonly schedule: string; readonly occurrence: number; readonly until: number; readonly by: string; readonly at: number }
  | { readonly type: 'skip'; readonly schedule: string; readonly occurrence: number; readonly by: string; readonly at: number }
  /** Every run of the schedule up to `through` (ms) was fired, refused or reported as missed. */
  | { readonly type: 'settled'; readonly schedule: string; readonly through: number; readonly at: number };

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const time = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Field by field, as the journal's records: the file is input like any other. */
export function parseControlRecord(raw: unknown): ControlRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (!time(r.at)) return undefined;
  switch (r.type) {
    case 'hold':
      return text(r.cluster) && text(r.by) && text(r.reason) && time(r.until) ? { type: 'hold', cluster: r.cluster, by: r.by, reason: r.reason, until: r.until, at: r.at } : undefined;
    case 'unhold':
      return text(r.cluster) && text(r.by) ? { type: 'unhold', cluster: r.cluster, by: r.by, at: r.at } : undefined;
    case 'snooze':
      return text(r.schedule) && time(r.occurrence) && time(r.until) && text(r.by) ? { type: 'snooze', schedule: r.schedule, occurrence: r.occurrence, until: r.until, by: r.by, at: r.at } : undefined;
    case 'skip':
      return text(r.schedule) && time(r.occurrence) && text(r.by) ? { type: 'skip', schedule: r.schedule, occurrence: r.occurrence, by: r.by, at: r.at } : undefined;
    case 'settled':
      return text(r.schedule) && time(r.through) ? { type: 'settled', schedule: r.schedule, through: r.through, at: r.at } : undefined;
    default:
      return undefined;
  }
}

import { Cron } from 'croner';
import type { OperationName } from '../lifecycle/operation-kind.js';

/**
 * Freeze windows (issue 17, item 3): weekly ones ("Fri 18:00" to "Mon 06:00") and dated ones
 * ("2026-12-21 00:00" to "2027-01-04 06:00"), each in its own time zone. Weekly windows compare
 * wall-clock time in that zone, so a window means the same hours in summer and in winter; the
 * instants (when a window ends) come from croner, which knows the zone's daylight-saving rules.
 */
export type FreezeWindow = FreezeCommon & (WeeklyTimes | DatedTimes);

interface FreezeCommon {
  readonly name: string;
  readonly clusters: readonly string[] | '*';
  readonly operations: readonly OperationName[];
  readonly timeZone: string;
  readonly reason: string;
}

/** Minutes since Sunday 00:00, local time. */
interface WeeklyTimes {
  readonly kind: 'weekly';
  readonly from: number;
  readonly to: number;
}

interface DatedTimes {
  readonly kind: 'dated';
  readonly fromAt: number;
  readonly toAt: number;
}

export interface ActiveFreeze {
  readonly window: FreezeWindow;
  /** When it ends (ms). */
  readonly until: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKLY = /^([A-Za-z]{3})[a-z]*\s+([01]?\d|2[0-3]):([0-5]\d)$/;
const DATED = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):([0-5]\d)$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The times of a window as configured, or the problem with them (said so the operator can fix it). */
export function parseWindowTimes(from: string, to: string, timeZone: string): WeeklyTimes | DatedTimes | string {
  if (!isTimeZone(timeZone)) return `"timeZone" '${timeZone}' is not an IANA time zone such as Europe/Berlin or UTC`;
  const weekly = [WEEKLY.exec(from.trim()), WEEKLY.exec(to.trim())];
  if (weekly[0] && weekly[1]) {
    const [a, b] = weekly.map((m) => weekMinute(m as RegExpExecArray));
    if (a === undefined || b === undefined) return `"from" and "to" must name days of the week (Mon, Tue, …), got '${from}' and '${to}'`;
    if (a === b) return `"from" and "to" are the same time ('${from}'); a window needs a length`;
    return { kind: 'weekly', from: a, to: b };
  }
  const dated = [DATED.exec(from.trim()), DATED.exec(to.trim())];
  if (dated[0] && dated[1]) {
    const [fromAt, toAt] = [from, to].map((t) => localInstant(t.trim().replace(' ', 'T'), timeZone));
    if (fromAt === undefined || toAt === undefined) return `"from" '${from}' or "to" '${to}' is not a real date and time`;
    if (toAt <= fromAt) return `"to" ('${to}') must come after "from" ('${from}')`;
    return { kind: 'dated', fromAt, toAt };
  }
  return `"from" and "to" must both be weekly times like "Fri 18:00" and "Mon 06:00", or both dates like "2026-12-21 00:00", got '${from}' and '${to}'`;
}

/** The first window that freezes `operation` on `cluster` at `now`, and when it ends. */
export function activeFreeze(windows: readonly FreezeWindow[], cluster: string, operation: OperationName, now: number): ActiveFreeze | undefined {
  for (const window of windows) {
    if (window.clusters !== '*' && !window.clusters.includes(cluster)) continue;
    if (!window.operations.includes(operation)) continue;
    const until = endIfInside(window, now);
    if (until !== undefined) return { window, until };
  }
  return undefined;
}

function endIfInside(window: FreezeWindow, now: number): number | undefined {
  if (window.kind === 'dated') return now >= window.fromAt && now < window.toAt ? window.toAt : undefined;
  const m = localWeekMinute(now, window.timeZone);
  const inside = window.from < window.to ? m >= window.from && m < window.to : m >= window.from || m < window.to;
  if (!inside) return undefined;
  const day = Math.floor(window.to / 1440);
  const minute = window.to % 1440;
  const end = new Cron(`${minute % 60} ${Math.floor(minute / 60)} * * ${day}`, { timezone: window.timeZone, paused: true }).nextRun(new Date(now));
  return end?.getTime() ?? now;
}

function weekMinute(match: RegExpExecArray): number | undefined {
  const day = DAYS.indexOf((match[1] ?? '').toLowerCase() as (typeof DAYS)[number]);
  if (day < 0) return undefined;
  return day * 1440 + Number(match[2]) * 60 + Number(match[3]);
}

/** Minutes since Sunday 00:00 of the wall clock in `timeZone` at `at`. */
export function localWeekMinute(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday').toLowerCase() as (typeof DAYS)[number]);
  return day * 1440 + Number(get('hour')) * 60 + Number(get('minute'));
}

/** A local date and time in a zone as an instant (a time the zone skips moves forward, as croner does). */
function localInstant(iso: string, timeZone: string): number | undefined {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  // croner rolls 30 February over to 2 March: a date that does not exist is refused here.
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return undefined;
  try {
    return new Cron(`${iso}:00`, { timezone: timeZone, paused: true }).nextRun(new Date(0))?.getTime();
  } catch {
    return undefined;
  }
}

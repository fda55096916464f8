import { Cron } from 'croner';
import type { ScheduleConfig } from '../config/change-control-config.js';
import type { ControlRecord } from './control-record.js';

/**
 * What the control record says about one schedule, and what comes next: pure, so the scheduler's
 * timing is tested without timers. An occurrence is named by its cron time (ms); a snooze moves
 * when it runs, not what it is.
 */
export interface ScheduleState {
  /** Every occurrence up to this (ms) was fired, refused, skipped or reported as missed. */
  settledThrough: number | undefined;
  readonly snoozed: Map<number, { readonly until: number; readonly by: string }>;
  readonly skipped: Map<number, string>;
}

export function emptyState(): ScheduleState {
  return { settledThrough: undefined, snoozed: new Map(), skipped: new Map() };
}

export function applyRecord(state: ScheduleState, record: ControlRecord): void {
  switch (record.type) {
    case 'snooze':
      state.snoozed.set(record.occurrence, { until: record.until, by: record.by });
      return;
    case 'skip':
      state.skipped.set(record.occurrence, record.by);
      return;
    case 'settled':
      state.settledThrough = Math.max(state.settledThrough ?? record.through, record.through);
      return;
    default:
      return;
  }
}

export function cronOf(schedule: Pick<ScheduleConfig, 'cron' | 'timeZone'>): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timeZone, paused: true });
}

/** The first occurrence after `after` (ms), in the schedule's zone (croner knows its daylight saving). */
export function nextOccurrence(cron: Cron, after: number): number | undefined {
  return cron.nextRun(new Date(after))?.getTime();
}

/** The occurrence to deal with next, and when it is due (a snooze moves the due time). */
export interface Upcoming {
  readonly occurrence: number;
  readonly due: number;
  readonly snoozedBy?: string;
  readonly skippedBy?: string;
}

export function upcoming(cron: Cron, state: ScheduleState, now: number): Upcoming | undefined {
  const from = state.settledThrough ?? now;
  const occurrence = nextOccurrence(cron, from);
  if (occurrence === undefined) return undefined;
  const snooze = state.snoozed.get(occurrence);
  const skippedBy = state.skipped.get(occurrence);
  return { occurrence, due: snooze?.until ?? occurrence, ...(snooze ? { snoozedBy: snooze.by } : {}), ...(skippedBy ? { skippedBy } : {}) };
}

/**
 * Occurrences whose time passed while nobody ran them (the bot was down): due before `now`,
 * after what was settled. At most `limit`; never run late, only reported.
 */
export function missedSince(cron: Cron, state: ScheduleState, now: number, limit = 20): Upcoming[] {
  if (state.settledThrough === undefined) return [];
  const missed: Upcoming[] = [];
  let after = state.settledThrough;
  while (missed.length < limit) {
    const next = upcoming(cron, { ...state, settledThrough: after }, now);
    if (!next || next.due > now) break;
    missed.push(next);
    after = next.occurrence;
  }
  return missed;
}

import type { Cron } from 'croner';
import type { ScheduleConfig } from '../config/change-control-config.js';
import { describeOperation } from '../lifecycle/operation-kind.js';
import { formatTimestamp } from '../messages/labels.js';
import type { Logger } from '../logging/logger.js';
import type { RequestInput, RequestResult } from '../operations/approval-workflow.js';
import { errorMessage } from '../operations/operation-core.js';
import type { AuditWriter } from '../store/operation-store.js';
import type { Clock } from '../util/clock.js';
import type { ScheduleSource } from './change-control.js';
import type { ControlRecord } from './control-record.js';
import type { ControlStore } from './control-store.js';
import { applyRecord, cronOf, emptyState, missedSince, upcoming, type ScheduleState, type Upcoming } from './schedule-plan.js';
import type { ScheduleView } from './schedule-view-model.js';

/** What a schedule's notice says at each point of its occurrence's life. */
export type NoticeState =
  | { readonly kind: 'upcoming'; readonly due: number; readonly snoozedBy?: string }
  | { readonly kind: 'skipped'; readonly by: string }
  | { readonly kind: 'fired'; readonly result: RequestResult }
  | { readonly kind: 'missed'; readonly due: number };

/** Where notices go (Slack: one message per occurrence, edited as it changes). */
export interface ScheduleNotices {
  show(schedule: ScheduleConfig, occurrence: number, state: NoticeState): Promise<void>;
}

export const SNOOZE_MS = 3600_000;
/**
 * A run this much past its time is missed, not run: the bot was down, or its host slept. Late is
 * worse than not at all for a stop planned for 20:00 (people plan around it), and a person can
 * always ask for it now.
 */
export const MAX_LATE_MS = 5 * 60_000;
/** Missed runs reported one by one after a restart; beyond that, the channel would only see a flood. */
export const MAX_MISSED_REPORTED = 5;

export type ScheduleAction = { readonly kind: 'done'; readonly message: string } | { readonly kind: 'refused'; readonly message: string };

/**
 * Runs the configured schedules (issue 17, item 4). Before each run a notice goes out with Snooze
 * 1 h and Skip; at its time the run is requested like a person's request (plan, approval rules,
 * queue, journal), attributed to the schedule and to who configured it. What is decided (snooze,
 * skip, settled) is written to the control store before it counts, so a restart knows it; an
 * occurrence whose time passed while the bot was down is reported as missed, never run late.
 */
export class Scheduler implements ScheduleSource {
  private readonly states = new Map<string, ScheduleState>();
  private readonly crons = new Map<string, Cron>();
  /** Aborted to make a schedule's loop look again (a snooze or a skip changed what is next). */
  private readonly wakers = new Map<string, AbortController>();
  private readonly loops: Promise<void>[] = [];
  /**
   * A run being fired, snoozed or skipped (by `id@occurrence`): claimed synchronously before the
   * first await, so a Snooze clicked as the run fires either moves it or is refused, never both.
   */
  private readonly claims = new Map<string, Promise<unknown>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: {
      readonly schedules: readonly ScheduleConfig[];
      readonly store: ControlStore;
      readonly audit: AuditWriter;
      readonly clock: Clock;
      readonly request: (input: RequestInput) => Promise<RequestResult>;
      readonly notices: ScheduleNotices;
      readonly logger: Logger;
    },
  ) {
    for (const schedule of deps.schedules) {
      this.states.set(schedule.id, emptyState());
      this.crons.set(schedule.id, cronOf(schedule));
    }
  }

  /** Reads the control record back (or takes it, read once at start), reports what was missed, and starts each schedule's loop. */
  async start(given?: readonly ControlRecord[]): Promise<void> {
    const records = given ?? (await this.deps.store.read());
    for (const record of records) {
      const state = 'schedule' in record ? this.states.get(record.schedule) : undefined;
      if (state) applyRecord(state, record); // a schedule no longer configured: its records are history
    }
    const now = this.deps.clock.now();
    for (const schedule of this.deps.schedules) {
      const state = this.state(schedule.id);
      if (state.settledThrough === undefined) {
        // First start with this schedule: nothing before now was ever due under this bot.
        await this.settle(schedule, now);
        continue;
      }
      const missed = missedSince(this.cron(schedule.id), state, now, MAX_MISSED_REPORTED);
      for (const run of missed) await this.reportMissed(schedule, run);
      // A long outage: the rest are reported in one line, not one notice each.
      if (missed.length === MAX_MISSED_REPORTED && (missedSince(this.cron(schedule.id), state, now, 1).length > 0)) {
        this.deps.logger.warn(`schedule ${schedule.id} missed more than ${MAX_MISSED_REPORTED} runs while the bot was down; the older ones are reported, the rest only counted here`, { cluster: schedule.cluster });
        await this.settle(schedule, now);
      }
    }
    for (const schedule of this.deps.schedules) this.loops.push(this.loop(schedule));
  }

  async stop(): Promise<void> {
    this.stopping.abort(new Error('the bot is stopping'));
    await Promise.allSettled(this.loops);
  }

  list(cluster: string | undefined): readonly ScheduleView[] {
    const now = this.deps.clock.now();
    return this.deps.schedules
      .filter((s) => cluster === undefined || s.cluster === cluster)
      .map((s): ScheduleView => {
        const next = upcoming(this.cron(s.id), this.state(s.id), now);
        const note = next?.skippedBy ? `the run of ${new Date(next.occurrence).toISOString()} is skipped by ${next.skippedBy}` : next?.snoozedBy ? `snoozed by ${next.snoozedBy}` : undefined;
        return {
          id: s.id,
          cluster: s.cluster,
          operation: describeOperation(s.operation),
          cron: s.cron,
          timeZone: s.timeZone,
          configuredBy: s.configuredBy,
          reason: s.reason,
          waiveApproval: s.waiveApproval,
          next: next?.due,
          ...(note ? { note } : {}),
        };
      });
  }

  find(id: string): ScheduleConfig | undefined {
    return this.deps.schedules.find((s) => s.id === id);
  }

  /** Snooze 1 h: the occurrence runs an hour after it was due (again and again, if clicked again). */
  snooze(id: string, occurrence: number, by: string): Promise<ScheduleAction> {
    const schedule = this.find(id);
    const open = schedule && this.openOccurrence(schedule, occurrence);
    if (!schedule || !open) return Promise.resolve({ kind: 'refused', message: 'That run is no longer waiting: it ran, was skipped, or was missed.' });
    return this.claim(id, occurrence, () => this.snoozeClaimed(schedule, occurrence, open.due + SNOOZE_MS, by));
  }

  private async snoozeClaimed(schedule: ScheduleConfig, occurrence: number, until: number, by: string): Promise<ScheduleAction> {
    const { id } = schedule;
    try {
      await this.deps.store.append({ type: 'snooze', schedule: id, occurrence, until, by, at: this.deps.clock.now() });
      await this.deps.audit.record({ action: 'snoozed', actor: by, cluster: schedule.cluster, operation: describeOperation(schedule.operation), schedule: id, scheduledBy: schedule.configuredBy, reason: schedule.reason, detail: `run of ${formatTimestamp(occurrence)} moved to ${formatTimestamp(until)}` });
    } catch (error) {
      return { kind: 'refused', message: `The snooze could not be recorded, so the run stays as it was: ${errorMessage(error)}` };
    }
    this.state(id).snoozed.set(occurrence, { until, by });
    this.wake(id);
    await this.show(schedule, occurrence, { kind: 'upcoming', due: until, snoozedBy: by });
    return { kind: 'done', message: `Snoozed: the ${describeOperation(schedule.operation)} of ${schedule.cluster} (schedule ${id}) now runs at ${formatTimestamp(until)}.` };
  }

  /** Skip: this occurrence does not run; the next one is due as usual. */
  skip(id: string, occurrence: number, by: string): Promise<ScheduleAction> {
    const schedule = this.find(id);
    if (!schedule || !this.openOccurrence(schedule, occurrence)) return Promise.resolve({ kind: 'refused', message: 'That run is no longer waiting: it ran, was skipped, or was missed.' });
    return this.claim(id, occurrence, () => this.skipClaimed(schedule, occurrence, by));
  }

  /** Runs `work` holding the occurrence's claim; refused while another holds it. */
  private claim(id: string, occurrence: number, work: () => Promise<ScheduleAction>): Promise<ScheduleAction> {
    const key = `${id}@${occurrence}`;
    if (this.claims.has(key)) return Promise.resolve({ kind: 'refused', message: 'That run is being started or changed right now; look at its notice in a moment.' });
    const done = work().finally(() => this.claims.delete(key));
    this.claims.set(key, done);
    return done;
  }

  private async skipClaimed(schedule: ScheduleConfig, occurrence: number, by: string): Promise<ScheduleAction> {
    const { id } = schedule;
    try {
      await this.deps.store.append({ type: 'skip', schedule: id, occurrence, by, at: this.deps.clock.now() });
      await this.deps.audit.record({ action: 'skipped', actor: by, cluster: schedule.cluster, operation: describeOperation(schedule.operation), schedule: id, scheduledBy: schedule.configuredBy, reason: schedule.reason, detail: `run of ${formatTimestamp(occurrence)} skipped` });
    } catch (error) {
      return { kind: 'refused', message: `The skip could not be recorded, so the run stays as it was: ${errorMessage(error)}` };
    }
    this.state(id).skipped.set(occurrence, by);
    this.wake(id);
    await this.show(schedule, occurrence, { kind: 'skipped', by });
    return { kind: 'done', message: `Skipped: the ${describeOperation(schedule.operation)} of ${schedule.cluster} (schedule ${id}) does not run this time.` };
  }

  private openOccurrence(schedule: ScheduleConfig, occurrence: number): Upcoming | undefined {
    const next = upcoming(this.cron(schedule.id), this.state(schedule.id), this.deps.clock.now());
    return next && next.occurrence === occurrence && !next.skippedBy ? next : undefined;
  }

  /** One schedule: notice, wait, run, settle; again. A snooze or skip wakes it to look again. */
  private async loop(schedule: ScheduleConfig): Promise<void> {
    const { clock } = this.deps;
    let noticed: number | undefined;
    while (!this.stopping.signal.aborted) {
      const now = clock.now();
      const next = upcoming(this.cron(schedule.id), this.state(schedule.id), now);
      if (!next) return;
      const noticeAt = next.due - schedule.noticeMinutes * 60_000;
      let wakeAt: number;
      if (next.skippedBy) wakeAt = next.occurrence;
      else if (noticed !== next.occurrence && now >= noticeAt) {
        noticed = next.occurrence;
        await this.show(schedule, next.occurrence, { kind: 'upcoming', due: next.due, ...(next.snoozedBy ? { snoozedBy: next.snoozedBy } : {}) });
        continue;
      } else wakeAt = noticed === next.occurrence ? next.due : noticeAt;
      if (now >= wakeAt) {
        await this.run(schedule, next);
        continue;
      }
      const waker = new AbortController();
      this.wakers.set(schedule.id, waker);
      try {
        await clock.sleep(wakeAt - now, AbortSignal.any([waker.signal, this.stopping.signal]), { keepAlive: false });
      } catch {
        // Woken (snooze, skip) or stopping: look again.
      } finally {
        if (this.wakers.get(schedule.id) === waker) this.wakers.delete(schedule.id);
      }
    }
  }

  /** Due now: skipped ones are settled, the others requested as a person's request would be. */
  private async run(schedule: ScheduleConfig, next: Upcoming): Promise<void> {
    const key = `${schedule.id}@${next.occurrence}`;
    const held = this.claims.get(key);
    // A snooze or skip of this run is being written: wait for it, then look again.
    if (held) return void (await held.catch(() => undefined));
    const firing = this.fire(schedule, next).finally(() => this.claims.delete(key));
    this.claims.set(key, firing);
    await firing;
  }

  private async fire(schedule: ScheduleConfig, next: Upcoming): Promise<void> {
    if (next.skippedBy) {
      await this.settle(schedule, next.occurrence);
      return;
    }
    if (this.deps.clock.now() - next.due > MAX_LATE_MS) {
      await this.reportMissed(schedule, next);
      return;
    }
    let result: RequestResult;
    try {
      result = await this.deps.request({
        cluster: schedule.cluster,
        operation: schedule.operation,
        requestedBy: schedule.configuredBy,
        channel: schedule.channel,
        reason: `${schedule.reason} (schedule ${schedule.id})`,
        schedule: { id: schedule.id, configuredBy: schedule.configuredBy, waiveApproval: schedule.waiveApproval },
      });
    } catch (error) {
      result = { kind: 'refused', message: `The scheduled run could not be requested: ${errorMessage(error)}` };
    }
    // Settled whatever the outcome: a refused run is reported, not tried again later.
    await this.settle(schedule, next.occurrence);
    if (result.kind === 'refused' || result.kind === 'duplicate') this.deps.logger.warn(`schedule ${schedule.id} did not run`, { cluster: schedule.cluster, reason: result.message });
    await this.show(schedule, next.occurrence, { kind: 'fired', result });
  }

  private async reportMissed(schedule: ScheduleConfig, missed: Upcoming): Promise<void> {
    if (!missed.skippedBy) {
      this.deps.logger.warn(`schedule ${schedule.id} missed its run of ${formatTimestamp(missed.due)}: the bot was not running`, { cluster: schedule.cluster });
      try {
        await this.deps.audit.record({ action: 'missed', actor: 'system', cluster: schedule.cluster, operation: describeOperation(schedule.operation), schedule: schedule.id, scheduledBy: schedule.configuredBy, reason: schedule.reason, detail: `run of ${formatTimestamp(missed.due)} missed: the bot was not running; not run late` });
      } catch (error) {
        this.deps.logger.error('could not audit a missed schedule', { error: errorMessage(error) });
      }
      await this.show(schedule, missed.occurrence, { kind: 'missed', due: missed.due });
    }
    await this.settle(schedule, missed.occurrence);
  }

  /** Written before it counts; a failed write is logged and the state moves on in memory (the run is not repeated). */
  private async settle(schedule: ScheduleConfig, through: number): Promise<void> {
    try {
      await this.deps.store.append({ type: 'settled', schedule: schedule.id, through, at: this.deps.clock.now() });
    } catch (error) {
      this.deps.logger.error(`could not record that schedule ${schedule.id} was dealt with up to ${formatTimestamp(through)}; after a restart it may be reported as missed`, { error: errorMessage(error) });
    }
    const state = this.state(schedule.id);
    state.settledThrough = Math.max(state.settledThrough ?? through, through);
  }

  private async show(schedule: ScheduleConfig, occurrence: number, state: NoticeState): Promise<void> {
    try {
      await this.deps.notices.show(schedule, occurrence, state);
    } catch (error) {
      this.deps.logger.error(`could not post the notice of schedule ${schedule.id}`, { error: errorMessage(error) });
    }
  }

  private wake(id: string): void {
    this.wakers.get(id)?.abort();
  }

  private state(id: string): ScheduleState {
    return this.states.get(id) as ScheduleState;
  }

  private cron(id: string): Cron {
    return this.crons.get(id) as Cron;
  }
}

/** The scheduler of the configured schedules, or none when there are none. */
export function createScheduler(
  schedules: readonly ScheduleConfig[],
  deps: { readonly store: { readonly controls: ControlStore; readonly audit: AuditWriter }; readonly clock: Clock; readonly logger: Logger; readonly request: (input: RequestInput) => Promise<RequestResult>; readonly notices: ScheduleNotices },
): Scheduler | undefined {
  if (schedules.length === 0) return undefined;
  return new Scheduler({ schedules, store: deps.store.controls, audit: deps.store.audit, clock: deps.clock, logger: deps.logger, request: deps.request, notices: deps.notices });
}


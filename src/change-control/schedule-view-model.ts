/** One schedule as the list shows it (`/exa schedules`), whatever keeps its timers. */
export interface ScheduleView {
  readonly id: string;
  readonly cluster: string;
  /** e.g. "shut-down", "stop of database exa_db1". */
  readonly operation: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly configuredBy: string;
  readonly reason: string;
  readonly waiveApproval: boolean;
  /** The next run (ms), after snoozes and skips; undefined when it never runs again. */
  readonly next: number | undefined;
  /** What changed the next run: snoozed to a later time, or skipped. */
  readonly note?: string;
}

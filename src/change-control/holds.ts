import type { Clock } from '../util/clock.js';
import type { ControlStore } from './control-store.js';
import type { ControlRecord } from './control-record.js';

export interface Hold {
  readonly cluster: string;
  readonly by: string;
  readonly reason: string;
  /** When it ends by itself (ms). */
  readonly until: number;
  readonly at: number;
}

/** The longest hold one command sets: a hold forgotten for a month would block every night's stop. */
export const MAX_HOLD_MS = 7 * 24 * 3600_000;

/**
 * Ad-hoc holds (`/exa hold prod 4h -- migration running`): one per cluster, written to the control
 * store before it counts, read back at start so a restart keeps it. A hold ends at its time by
 * itself, or when someone lifts it.
 */
export class Holds {
  private readonly held = new Map<string, Hold>();

  constructor(
    private readonly store: ControlStore,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** Rebuilds the holds from the record (at start). */
  load(records: readonly ControlRecord[]): void {
    for (const r of records) {
      if (r.type === 'hold') this.held.set(r.cluster, { cluster: r.cluster, by: r.by, reason: r.reason, until: r.until, at: r.at });
      else if (r.type === 'unhold') this.held.delete(r.cluster);
    }
  }

  active(cluster: string): Hold | undefined {
    const hold = this.held.get(cluster);
    return hold && hold.until > this.clock.now() ? hold : undefined;
  }

  /** Sets (or replaces) the hold; durable when it resolves. */
  async set(cluster: string, by: string, reason: string, durationMs: number): Promise<Hold> {
    const at = this.clock.now();
    const hold: Hold = { cluster, by, reason, until: at + durationMs, at };
    await this.store.append({ type: 'hold', ...hold });
    this.held.set(cluster, hold);
    return hold;
  }

  /** Lifts the active hold; undefined when there was none. */
  async lift(cluster: string, by: string): Promise<Hold | undefined> {
    const hold = this.active(cluster);
    if (!hold) return undefined;
    await this.store.append({ type: 'unhold', cluster, by, at: this.clock.now() });
    this.held.delete(cluster);
    return hold;
  }
}

import type { Clock } from '../../src/util/clock.js';

/**
 * A clock that moves only when the test says: sleeps wait for `advanceTo`, which wakes them in
 * time order (letting each waker run before the next), so schedules over days run in no time.
 */
export class ManualClock implements Clock {
  private readonly sleepers: { at: number; resolve: () => void }[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper = { at: this.t + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.sleepers.indexOf(sleeper);
          if (i >= 0) this.sleepers.splice(i, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** How many sleeps are waiting (a loop that went to sleep has settled). */
  get waiting(): number {
    return this.sleepers.length;
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle();
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    this.t = Math.max(this.t, target);
    await settle();
  }

  /** Time jumps without waking anyone (a host that slept): the next advance wakes the overdue. */
  jumpTo(target: number): void {
    this.t = Math.max(this.t, target);
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.t + ms);
  }
}

/** Lets promise chains and file writes of woken work run (a few macrotask turns). */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

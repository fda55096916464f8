import { setImmediate as tick } from 'node:timers/promises';
import type { Clock } from '../../../src/util/clock.js';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock for loops that sleep: time stands still until the test moves it, and then every sleeper
 * whose time has come wakes, earliest first. Several loops (a watcher and its dispatcher) share it
 * and still see one consistent time, so a minute of backoff runs in milliseconds, the same way
 * every time. Only for code whose other waits are promises that settle within a macrotask (fakes).
 */
export class VirtualClock implements Clock {
  private t: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2024, 4, 1, 12, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper: Sleeper = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Lets pending work settle, then moves time to `until`, waking sleepers in time order on the way. */
  async runUntil(until: number): Promise<void> {
    await settle();
    for (;;) {
      const next = this.sleepers.reduce<Sleeper | undefined>(
        (a, b) => (a === undefined || b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a),
        undefined,
      );
      if (next === undefined || next.at > until) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await settle();
    }
    this.t = Math.max(this.t, until);
    await settle();
  }

  runFor(ms: number): Promise<void> {
    return this.runUntil(this.t + ms);
  }
}

async function settle(): Promise<void> {
  // Promise chains (fake calls, awaits) finish within the microtask queue of one turn; two turns
  // also cover a resolution that schedules another macrotask-free step.
  await tick();
  await tick();
}

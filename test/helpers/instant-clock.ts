import type { Clock } from '../../src/util/clock.js';

/**
 * A clock whose sleep returns at once and moves time forward by the slept amount: a wait with a
 * 30-minute deadline runs its whole course in microseconds, deterministically.
 */
export class InstantClock implements Clock {
  constructor(private t = 1_700_000_000_000) {}
  readonly sleeps: number[] = [];

  now(): number {
    return this.t;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.t += ms;
    await Promise.resolve();
    signal?.throwIfAborted();
  }
}

// A wait for "every one of these has got there" (every node online, every node off) cannot end
// while any of them has not. So a probe need not ask about all of them each time: it asks about
// one that has not got there, and only once that one has, about the rest, in the same probe. The
// wait ends on the very probe that asking everyone would end it on (one round-trip later within
// it), and until then costs EXAoperation one call per probe instead of one per node: at 32 nodes,
// a cold start-up's boot wait went from ~3,300 inventory calls to a few hundred. A full round every
// `sweepMs` keeps what the progress and a timeout message show about the others fresh.
import type { Clock } from '../util/clock.js';

/**
 * How old the last full round may get: a progress line or a timeout message about a node not
 * asked for half a minute is still true enough, while a boot of 15–25 minutes or a power-off of
 * minutes is asked about 30–50 times at most in full.
 */
export const FULL_ROUND_MS = 30_000;

/** A probe's calls take the wait's signal, when it has one. */
export type ProbeCall = { readonly signal?: AbortSignal };

/** Remembers when the last full round was; one per wait. */
export class AllReachedProbe<T, R> {
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly read: (item: T, call: ProbeCall) => Promise<R>,
    private readonly reached: (result: R) => boolean,
    private readonly clock: Pick<Clock, 'now'>,
    /** Ask about every pending item when the last full round is at least this old. */
    private readonly sweepMs = FULL_ROUND_MS,
  ) {}

  /**
   * Reads `pending` (in order, the first is the sentinel) as described above; returns what was
   * read this probe. Items not read this time are not in the map: the caller keeps what it knew.
   */
  async probe(pending: readonly T[], call: ProbeCall): Promise<Map<T, R>> {
    const results = new Map<T, R>();
    if (pending.length === 0) return results;
    const now = this.clock.now();
    let rest = pending;
    if (now - this.lastSweep < this.sweepMs) {
      const [sentinel, ...others] = pending as [T, ...T[]];
      const result = await this.read(sentinel, call);
      results.set(sentinel, result);
      if (!this.reached(result)) return results;
      rest = others;
    } else {
      this.lastSweep = now;
    }
    const read = await Promise.all(rest.map((item) => this.read(item, call)));
    rest.forEach((item, i) => results.set(item, read[i] as R));
    return results;
  }
}

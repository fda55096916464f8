import type { Clock } from '../util/clock.js';
import { LifecycleError } from './errors.js';

/** What a probe found: done (with a value), or not yet (with what it saw, for the timeout message). */
export type ProbeResult<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly seen: string };

export interface WaitOptions {
  /** What we are waiting for, as a sentence fragment: "database exa_db1 accepts connections". */
  readonly description: string;
  /** The longest pause between probes. */
  readonly intervalMs: number;
  /**
   * With this set, the pause grows with the time already waited (2 % of it, at least this much,
   * at most `intervalMs`): a wait then adds about 1 % of its own length, however long it runs,
   * instead of half a fixed interval — and a long wait does not poll EXAoperation needlessly often.
   */
  readonly minIntervalMs?: number;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Errors that mean "not yet" rather than failure, e.g. EXAoperation unreachable while it boots. */
  readonly tolerate?: (error: unknown) => boolean;
}

/**
 * The only loop in the bot that sleeps. It probes, then sleeps the interval, until the probe is
 * done, the deadline passes (STEP_TIMEOUT, naming what was last seen) or the signal aborts.
 * Probes get the signal too, so a slow XML-RPC call does not outlive a cancellation.
 */
export async function waitUntil<T>(
  probe: (signal: AbortSignal | undefined) => Promise<ProbeResult<T>>,
  options: WaitOptions,
): Promise<T> {
  const { clock, signal } = options;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let seen: string;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const result = await probe(signal);
      if (result.done) return result.value;
      seen = result.seen;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!options.tolerate?.(error)) throw error;
      seen = error instanceof Error ? error.message : String(error);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new LifecycleError(
        'STEP_TIMEOUT',
        `Gave up waiting until ${options.description} after ${formatDuration(options.timeoutMs)}; last seen: ${seen}`,
      );
    }
    await clock.sleep(Math.min(pause(options, clock.now() - started), remaining), signal);
  }
}

const PROPORTION = 0.02;

function pause(options: WaitOptions, waitedMs: number): number {
  if (options.minIntervalMs === undefined) return options.intervalMs;
  const floor = Math.min(options.minIntervalMs, options.intervalMs);
  return Math.min(options.intervalMs, Math.max(floor, waitedMs * PROPORTION));
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

import type { Clock } from '../util/clock.js';
import { LifecycleError } from './errors.js';

/** What a probe found: done (with a value), or not yet (with what it saw, for the timeout message). */
export type ProbeResult<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly seen: string };

export interface WaitOptions {
  /** What we are waiting for, as a sentence fragment: "database exa_db1 accepts connections". */
  readonly description: string;
  readonly intervalMs: number;
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
  const deadline = clock.now() + options.timeoutMs;
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
    await clock.sleep(Math.min(options.intervalMs, remaining), signal);
  }
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

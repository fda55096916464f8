// A clock on the simulator's footing, for the lifecycle benchmark (see the method in
// lifecycle-overhead.ts): the code under test thinks in simulated time, the run takes real time.
import type { Clock } from '../src/util/clock.js';

export interface SimulatedClock extends Clock {
  /** Real milliseconds spent sleeping so far (what the time scale compresses). */
  readonly sleptRealMs: number;
}

/**
 * now() is simulated time (real time elapsed since creation divided by `timeScale`, on an epoch
 * base) and sleep(ms) sleeps ms × timeScale real milliseconds. Every interval of a client using it
 * — first poll, growth, cap, deadlines, a script's fixed 5-s sleep — is therefore exactly what it
 * would be against a real cluster, only compressed like the simulator's own durations. Timer
 * lateness is not counted as sleep: it is real work of the event loop, and stays uncompressed.
 */
export function simulatedClock(timeScale: number): SimulatedClock {
  const epoch = Date.now();
  const origin = performance.now();
  let slept = 0;
  return {
    now: () => epoch + Math.round((performance.now() - origin) / timeScale),
    get sleptRealMs() {
      return slept;
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const real = Math.max(0, ms * timeScale);
        const started = performance.now();
        const account = (): void => void (slept += Math.min(real, performance.now() - started));
        const onAbort = (): void => {
          clearTimeout(timer);
          account();
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          account();
          resolve();
        }, real);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

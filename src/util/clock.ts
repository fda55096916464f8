/**
 * Time as a port. Production uses the system clock; tests pass a clock they drive, so waiting
 * for a 20-minute node boot takes no real time.
 */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. With
   * `keepAlive: false` the wait does not by itself keep the process running: a 15-minute approval
   * expiry must not hold a stopping process open (the server and the socket do that while it runs).
   */
  sleep(ms: number, signal?: AbortSignal, options?: SleepOptions): Promise<void>;
}

export interface SleepOptions {
  keepAlive?: boolean;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal, options) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      if (options?.keepAlive === false) timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

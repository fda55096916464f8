import { setMaxListeners } from 'node:events';

/** One call's signal: the caller's, if any, plus the call's own deadline. */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** True when the deadline, not the caller, ended the call. */
  timedOut(): boolean;
  /** Detaches from the caller's signal and clears the timer; call when the call has settled. */
  release(): void;
}

/**
 * Why not AbortSignal.any([caller, AbortSignal.timeout(ms)]): on Node 20 every combined signal
 * leaves an entry in the caller's signal until that signal aborts (nodejs/node#55351). The
 * watcher passes one long-lived signal to every call it makes, so each call leaked ~57 bytes for
 * the life of the bot (0.23 MB per 1,000 notifications in `npm run bench`). Linking by hand lets
 * each call let go of the caller's signal when it is done.
 */
export function callSignal(caller: AbortSignal | undefined, timeoutMs: number): CallSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`The call timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  if (caller?.aborted) controller.abort(caller.reason);
  else if (caller) {
    // A step polls 64 nodes at once under one signal: 64 listeners is normal, and each call
    // removes its own, so Node's leak warning (at 11) would only be noise here.
    setMaxListeners(0, caller);
    caller.addEventListener('abort', onCallerAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut && caller?.aborted !== true,
    release: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

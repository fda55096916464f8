import { setMaxListeners } from 'node:events';

/** A signal that aborts when any of its sources does, until released. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Detaches from every source; call when the work the signal guards is over. */
  release(): void;
}

/**
 * AbortSignal.any() on Node 20 keeps every combined signal referenced by its long-lived sources
 * (the service's stop signals live as long as the bot) until they abort (nodejs/node#55351): one
 * entry per step, forever. Linking by hand lets go when the step ends. See also call-signal.ts.
 */
export function linkSignals(sources: readonly AbortSignal[], timeoutMs?: number): LinkedSignal {
  const controller = new AbortController();
  const listeners: [AbortSignal, () => void][] = [];
  let timer: NodeJS.Timeout | undefined;
  const release = (): void => {
    for (const [source, listener] of listeners) source.removeEventListener('abort', listener);
    listeners.length = 0;
    if (timer !== undefined) clearTimeout(timer);
  };
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const listener = (): void => {
      controller.abort(source.reason);
      release();
    };
    setMaxListeners(0, source);
    source.addEventListener('abort', listener, { once: true });
    listeners.push([source, listener]);
  }
  if (controller.signal.aborted) release();
  else if (timeoutMs !== undefined) {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
      release();
    }, timeoutMs);
    timer.unref();
  }
  return { signal: controller.signal, release };
}

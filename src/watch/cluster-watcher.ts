import { randomUUID } from 'node:crypto';
import type { ClusterBackend } from '../backend/cluster-backend.js';
import { isExaOperationError } from '../exaoperation/errors.js';
import type { LogPriority } from '../exaoperation/types.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../util/clock.js';
import { linkSignals } from '../util/linked-signal.js';
import { backoffDelay, ContactTracker } from './contact.js';
import { diffSnapshots } from './diff-snapshots.js';
import type { ClusterEvent, WatchEvent } from './events.js';
import type { BatcherOptions } from './notification-batcher.js';
import { createNotificationDispatcher, type NotificationDispatcher } from './notification-dispatcher.js';
import type { NotificationSink } from './notification-sink.js';
import { ReportedFacts } from './reported-facts.js';
import { SeenEntries, type SeenEntriesOptions } from './seen-entries.js';
import { loadWatchState, saveWatchState, watchStatePath, type WatchState } from './watch-state.js';

interface CommonOptions {
  readonly cluster: string;
  /** Where this cluster's notifications go. */
  readonly channel: string;
  /** The cluster: its state, and its log through a tagged cursor. */
  readonly backend: ClusterBackend;
  /** The watcher keeps `watch-<cluster>.json` here. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Between two polls while EXAoperation answers. */
  readonly pollIntervalMs: number;
  /** Upper bound of the doubling poll interval while it does not. @default 60000 */
  readonly maxBackoffMs?: number;
  /** Failed polls in a row before "lost contact" is posted. @default 2 */
  readonly failuresBeforeLost?: number;
  /** Log entries at or above this priority are posted. @default 'Error' */
  readonly minPriority?: LogPriority;
  /** The logEntriesTagged cursor. @default one generated per data directory and cluster, and kept */
  readonly tag?: string;
  /** Aborting it stops the watcher, as stop() does. */
  readonly signal?: AbortSignal;
  readonly seen?: SeenEntriesOptions;
  /** Sees every event that is published (metrics, tests). */
  readonly onEvent?: (event: ClusterEvent) => void;
}

/**
 * Either a sink, and the watcher paces its own posts, or a dispatcher shared by the watchers of
 * several clusters, so that a channel they share gets no more posts than its rate limit allows.
 */
export type ClusterWatcherOptions = CommonOptions &
  (
    | { readonly sink: NotificationSink; readonly batching?: BatcherOptions; readonly dispatcher?: never }
    | { readonly dispatcher: NotificationDispatcher; readonly sink?: never; readonly batching?: never }
  );

export interface ClusterWatcher {
  readonly cluster: string;
  /** Starts polling; idempotent. */
  start(): void;
  /** Stops polling, saves the state and posts what still waits; idempotent. */
  stop(): Promise<void>;
  /**
   * While a lifecycle operation of the bot runs on this cluster, its own progress message shows
   * boots and connections, so the watcher keeps quiet about them and does not poll the state.
   * When it ends, the next poll reports the net change since before it, as one post.
   */
  setOperationRunning(running: boolean): void;
  /**
   * The bot's shut-down of this cluster succeeded: EXAoperation is down on purpose. No "lost
   * contact" is posted for it, and the "back" notice says that the planned outage ended.
   */
  plannedOutage(): void;
  /** Resolves once the first poll has succeeded (or the watcher stopped). */
  ready(): Promise<void>;
}

const QUIET_DURING_OPERATIONS: ReadonlySet<WatchEvent['kind']> = new Set(['node-booted', 'database-connections']);

/** Follows one cluster: its logservice through a tagged cursor, its state through polling. */
export function createClusterWatcher(options: ClusterWatcherOptions): ClusterWatcher {
  const { cluster, channel, backend, clock, logger } = options;
  for (const [name, value] of Object.entries({ pollIntervalMs: options.pollIntervalMs, maxBackoffMs: options.maxBackoffMs ?? 60_000 })) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name}: expected a number of milliseconds > 0, got ${value}`);
  }
  const failuresBeforeLost = options.failuresBeforeLost ?? 2;
  if (!(Number.isInteger(failuresBeforeLost) && failuresBeforeLost >= 1)) {
    throw new RangeError(`failuresBeforeLost: expected an integer >= 1, got ${failuresBeforeLost}`);
  }
  const minPriority = options.minPriority ?? 'Error';
  const maxBackoffMs = options.maxBackoffMs ?? 60_000;
  const path = watchStatePath(options.dataDir, cluster);
  const dispatcher =
    options.dispatcher ?? createNotificationDispatcher({ ...options.batching, sink: options.sink, clock, logger });
  const ownsDispatcher = options.dispatcher === undefined;
  const controller = new AbortController();
  let operationRunning = false;
  /** Ends the current pause between polls, if there is one. */
  let wake: (() => void) | undefined;
  let running: Promise<void> | undefined;
  let markReady = (): void => undefined;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));

  // Restored in run(): the state file is read when the watcher starts, not when it is built.
  let tag = options.tag ?? '';
  let initialised = false;
  let seen = new SeenEntries(undefined, options.seen);
  let facts = new ReportedFacts();
  let contact = new ContactTracker(failuresBeforeLost);
  let lastSnapshot: ClusterSnapshot | undefined;
  let saveFailing = false;

  function restore(): void {
    const loaded = loadWatchState(path);
    if (loaded.kind === 'unusable') {
      logger.warn(`The watcher state of cluster ${cluster} in ${path} is unusable (${loaded.problem}); taking a fresh baseline.`);
    }
    const state = loaded.kind === 'loaded' ? loaded.state : undefined;
    tag = options.tag ?? state?.tag ?? `exa-chatops-watch-${randomUUID()}`;
    if (state === undefined) return;
    initialised = true;
    seen = new SeenEntries(state.seen, options.seen);
    facts = new ReportedFacts(state.told);
    contact = new ContactTracker(failuresBeforeLost, state.lostContact);
    lastSnapshot = state.snapshot;
  }

  function persist(): void {
    const state: WatchState = { tag, seen: seen.toState(), snapshot: lastSnapshot, told: facts.toState(), lostContact: contact.lostContact };
    try {
      saveWatchState(path, state);
      saveFailing = false;
    } catch (error) {
      // Keep watching: a full disk must not silence the channel. Said once per streak.
      if (!saveFailing) logger.error(error instanceof Error ? error.message : String(error), { cluster });
      saveFailing = true;
    }
  }

  function publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    const observedAt = clock.now();
    const service = options.backend.capabilities.service;
    const stamped = events.map((event): ClusterEvent => ({ ...event, cluster, observedAt, ...(service === 'EXAoperation' ? {} : { service }) }));
    for (const event of stamped) options.onEvent?.(event);
    dispatcher.publish(channel, stamped);
  }

  async function poll(signal: AbortSignal): Promise<void> {
    const snapshot = operationRunning ? undefined : await backend.snapshot({ signal, now: () => clock.now() });
    const entries = await backend.logsSince(tag, { signal });
    const events: WatchEvent[] = [];
    const restored = contact.succeeded(clock.now());
    if (restored !== undefined) events.push(restored);
    // The first poll ever is a baseline: whatever the logservice retained before is history.
    const baseline = !initialised;
    // A tagged read normally hands out only new entries, and then only exact keys are checked: the
    // cluster clock may have been set back (setClusterTime), and the floor would drop new entries.
    // An entry we know for certain means the server is handing out old ones again (it restarted and
    // forgot our cursor): then everything older than the floor is old too.
    const replay = entries.some((entry) => seen.remembers(entry));
    let fresh = 0;
    // Log events before state changes: when both tell the same fact, the log's wording is kept.
    for (const entry of [...entries].reverse()) {
      if (replay ? seen.has(entry) : seen.remembers(entry)) continue;
      seen.add(entry);
      fresh += 1;
      if (baseline) continue;
      const event = backend.classify(entry, minPriority);
      if (event.kind === 'ignored' || (operationRunning && QUIET_DURING_OPERATIONS.has(event.kind))) continue;
      events.push(event);
    }
    let stateChanged = false;
    if (snapshot !== undefined) {
      const changes = lastSnapshot === undefined ? [] : diffSnapshots(lastSnapshot, snapshot);
      stateChanged = lastSnapshot === undefined || changes.length > 0;
      if (!baseline) events.push(...changes);
      lastSnapshot = snapshot;
    }
    const news = facts.filter(events);
    if (snapshot !== undefined) facts.learn(snapshot);
    initialised = true;
    publish(news);
    // Most polls bring nothing new; the file is written only when there is something to keep.
    if (baseline || fresh > 0 || stateChanged || restored !== undefined) persist();
    markReady();
  }

  function failed(error: unknown): void {
    const first = contact.consecutiveFailures === 0;
    const lost = contact.failed(clock.now(), error, operationRunning);
    const text = isExaOperationError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (first) logger.warn(`Watching cluster ${cluster} failed: ${text}`, { cluster });
    else logger.debug(`Watching cluster ${cluster} failed again: ${text}`, { cluster, failures: contact.consecutiveFailures });
    if (lost !== undefined) publish([lost]);
    // Before the first good poll there is no baseline to keep, and a file without one would make
    // the next start take every retained entry for news.
    if (lost !== undefined && initialised) persist();
  }

  async function run(): Promise<void> {
    const signal = controller.signal;
    restore();
    while (!signal.aborted) {
      try {
        await poll(signal);
      } catch (error) {
        if (signal.aborted) break;
        failed(error);
      }
      // An operation that ends wakes the watcher: the net change is reported at once, and a
      // silence the operation explained but no longer does is announced without a minute's backoff.
      const nap = new AbortController();
      wake = () => nap.abort();
      const sleep = linkSignals([signal, nap.signal]);
      try {
        await clock.sleep(backoffDelay(options.pollIntervalMs, contact.consecutiveFailures, maxBackoffMs), sleep.signal);
      } catch {
        // Aborted (the loop ends) or woken (the next poll starts now).
      } finally {
        sleep.release();
        wake = undefined;
      }
    }
    if (initialised) persist();
  }

  const onAbort = (): void => controller.abort();
  return {
    cluster,
    start() {
      if (running !== undefined) return;
      if (controller.signal.aborted || options.signal?.aborted === true) {
        markReady();
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (ownsDispatcher) dispatcher.start();
      running = run()
        .catch((error: unknown) => {
          logger.error(`The watcher of cluster ${cluster} stopped unexpectedly.`, { error: error instanceof Error ? error.stack : String(error) });
        })
        .finally(async () => {
          markReady();
          options.signal?.removeEventListener('abort', onAbort);
          // However the loop ended (stop() or the signal), what it published is still posted.
          if (ownsDispatcher) await dispatcher.stop();
        });
    },
    async stop() {
      controller.abort();
      markReady();
      await running;
    },
    setOperationRunning(value) {
      const ended = operationRunning && !value;
      operationRunning = value;
      if (ended) wake?.();
    },
    plannedOutage() {
      contact.expectOutage(clock.now());
      if (initialised) persist();
    },
    ready: () => readyPromise,
  };
}

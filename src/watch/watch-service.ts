import type { ClusterBackend } from '../backend/cluster-backend.js';
import type { LogPriority } from '../exaoperation/types.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../util/clock.js';
import { createClusterWatcher, type ClusterWatcher } from './cluster-watcher.js';
import type { ClusterEvent } from './events.js';
import type { BatcherOptions } from './notification-batcher.js';
import { createNotificationDispatcher } from './notification-dispatcher.js';
import type { NotificationSink } from './notification-sink.js';

export interface WatchedCluster {
  readonly cluster: string;
  readonly channel: string;
  readonly backend: ClusterBackend;
  /** @default the service's pollIntervalMs */
  readonly pollIntervalMs?: number;
  readonly tag?: string;
}

export interface WatchServiceOptions {
  readonly clusters: readonly WatchedCluster[];
  readonly sink: NotificationSink;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  readonly maxBackoffMs?: number;
  readonly minPriority?: LogPriority;
  readonly batching?: BatcherOptions;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ClusterEvent) => void;
}

export interface WatchService {
  start(): void;
  stop(): Promise<void>;
  /** Unknown cluster names are ignored: an operation may run on a cluster nobody watches. */
  setOperationRunning(cluster: string, running: boolean): void;
  /** See ClusterWatcher.plannedOutage; unknown cluster names are ignored. */
  plannedOutage(cluster: string): void;
  readonly watchers: ReadonlyMap<string, ClusterWatcher>;
}

/**
 * One watcher per cluster and one dispatcher for all of them, so a channel that gets the news of
 * several clusters still gets at most one post per window.
 */
export function createWatchService(options: WatchServiceOptions): WatchService {
  const { clock, logger } = options;
  const dispatcher = createNotificationDispatcher({ ...options.batching, sink: options.sink, clock, logger });
  const watchers = new Map<string, ClusterWatcher>();
  for (const watched of options.clusters) {
    if (watchers.has(watched.cluster)) throw new RangeError(`clusters: expected unique names, got '${watched.cluster}' twice`);
    watchers.set(
      watched.cluster,
      createClusterWatcher({
        ...watched,
        dispatcher,
        dataDir: options.dataDir,
        clock,
        logger,
        pollIntervalMs: watched.pollIntervalMs ?? options.pollIntervalMs,
        ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
        ...(options.minPriority === undefined ? {} : { minPriority: options.minPriority }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      }),
    );
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      // After the watchers: their last events are still posted.
      await dispatcher.stop();
    })());
  const onAbort = (): void => {
    stop().catch((error: unknown) => logger.error('Stopping the watchers failed.', { error: String(error) }));
  };
  return {
    watchers,
    start() {
      if (options.signal?.aborted === true) return;
      options.signal?.addEventListener('abort', onAbort, { once: true });
      dispatcher.start();
      for (const watcher of watchers.values()) watcher.start();
    },
    stop() {
      options.signal?.removeEventListener('abort', onAbort);
      return stop();
    },
    setOperationRunning(cluster, running) {
      watchers.get(cluster)?.setOperationRunning(running);
    },
    plannedOutage(cluster) {
      watchers.get(cluster)?.plannedOutage();
    },
  };
}

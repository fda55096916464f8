import type { Logger } from '../logging/logger.js';
import { renderNotification, type NotificationViewOptions, type RenderedNotification } from '../messages/notification-view.js';
import type { Clock } from '../util/clock.js';
import type { ClusterEvent } from './events.js';
import { NotificationBatcher, type Batch, type BatcherOptions } from './notification-batcher.js';
import type { NotificationSink } from './notification-sink.js';

export interface NotificationDispatcher {
  /** Queues events for a channel; returns at once. They are posted when the batcher says so. */
  publish(channel: string, events: readonly ClusterEvent[]): void;
  /** Starts the posting loop; idempotent. */
  start(): void;
  /** Stops the loop after posting whatever still waits (one post per channel); idempotent. */
  stop(): Promise<void>;
}

export interface DispatcherOptions extends BatcherOptions {
  readonly sink: NotificationSink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly render?: (events: readonly ClusterEvent[], options: NotificationViewOptions) => RenderedNotification;
}

/** How long the loop sleeps with nothing to do; a publish wakes it earlier. */
const IDLE_MS = 60_000;

/**
 * The one loop that posts notifications. Share one dispatcher between all watchers that post to
 * the same channels, so that the channel's rate limit holds whatever cluster the news is about.
 * It sleeps on the injected clock until the next batch is due, or until a publish wakes it.
 */
export function createNotificationDispatcher(options: DispatcherOptions): NotificationDispatcher {
  const { sink, clock, logger } = options;
  const render = options.render ?? renderNotification;
  const batcher = new NotificationBatcher(options);
  let stopping = false;
  // Aborted to cut the current sleep short: by a publish, or by stop(). A fresh one per sleep.
  let wake = new AbortController();
  let running: Promise<void> | undefined;

  async function deliver(batch: Batch): Promise<void> {
    const { message, thread } = render(batch.events, { omitted: batch.omitted });
    try {
      await sink.post(batch.channel, message, thread);
    } catch (error) {
      // One lost notification must not stop the next ones; the log keeps what it said.
      logger.error(`Could not post a notification to ${batch.channel}: ${message.title}`, {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      batcher.sent(batch.channel, 1 + thread.length, clock.now());
    }
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      for (const batch of batcher.takeDue(clock.now())) await deliver(batch);
      const next = batcher.nextDueAt();
      const ms = next === undefined ? IDLE_MS : Math.max(0, next - clock.now());
      try {
        await clock.sleep(ms, wake.signal);
      } catch {
        // Woken by a publish or by stop(); the loop condition tells which.
      }
      if (wake.signal.aborted) wake = new AbortController();
    }
    for (const batch of batcher.takeAll()) await deliver(batch);
  }

  return {
    publish(channel, events) {
      if (events.length === 0) return;
      batcher.add(channel, events, clock.now());
      wake.abort();
    },
    start() {
      running ??= loop().catch((error: unknown) => {
        logger.error('The notification loop stopped unexpectedly.', { error: error instanceof Error ? error.message : String(error) });
      });
    },
    async stop() {
      stopping = true;
      wake.abort();
      if (running === undefined) {
        // Never started: still deliver what was published.
        for (const batch of batcher.takeAll()) await deliver(batch);
        return;
      }
      await running;
    },
  };
}

// Notifications (issue 16, item 6): what happens to a cluster outside the bot's operations (boots
// finished, databases accepting connections, errors in the logservice, state changes), posted in
// each cluster's notify channel by the watcher.
import type { ClusterBackend } from '../../backend/cluster-backend.js';
import type { AppConfig } from '../../config/app-config.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../util/clock.js';
import type { NotificationSink } from '../../watch/notification-sink.js';
import { createWatchService, type WatchService } from '../../watch/watch-service.js';
import { renderBlocks } from '../render-blocks.js';
import type { SlackPoster } from '../slack-poster.js';

/**
 * The watcher of every cluster with a notify channel, posting through `poster`; undefined (and
 * said in the log) when none has one. During an operation its progress message tells the story,
 * so the watcher keeps quiet for that cluster (follow-operations.ts tells it).
 */
export function createNotifications(deps: {
  readonly config: Pick<AppConfig, 'clusters' | 'dataDir' | 'watch'>;
  readonly backends: ReadonlyMap<string, ClusterBackend>;
  readonly poster: SlackPoster;
  readonly clock: Clock;
  readonly logger: Logger;
}): WatchService | undefined {
  const { config, backends, logger } = deps;
  const watched = config.clusters.flatMap((c) => {
    const backend = backends.get(c.name);
    return c.notifyChannel && backend ? [{ cluster: c.name, channel: c.notifyChannel, backend }] : [];
  });
  if (watched.length === 0) {
    logger.info('notifications are off: set EXA_NOTIFY_CHANNEL (or notifyChannel per cluster) to get them');
    return undefined;
  }
  return createWatchService({
    clusters: watched,
    sink: slackNotificationSink(deps.poster),
    dataDir: config.dataDir,
    clock: deps.clock,
    logger,
    pollIntervalMs: config.watch.pollIntervalMs,
    minPriority: config.watch.minPriority,
  });
}

/**
 * Watcher notices in Slack: the summary as a channel message, the details as replies in its
 * thread, so a burst shows as one line in the channel. The watcher already paces posts per channel.
 */
export function slackNotificationSink(poster: SlackPoster): NotificationSink {
  return {
    async post(channel, message, thread) {
      const ts = await poster.post(channel, renderBlocks(message));
      for (const reply of thread) await poster.post(channel, renderBlocks(reply), ts);
    },
  };
}

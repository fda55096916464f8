import type { NotificationSink } from '../watch/notification-sink.js';
import { renderBlocks } from './render-blocks.js';
import type { SlackPoster } from './slack-poster.js';

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

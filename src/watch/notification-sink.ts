import type { Message } from '../messages/message.js';

/**
 * Where notifications go. The Slack adapter posts `message` to the channel and then each of
 * `thread` as a reply in its thread; the console prints them. The watcher has already grouped
 * and paced the posts (one per channel per window, with the replies counted), so an
 * implementation sends what it gets, in order, and may throw: the failure is logged and the
 * watcher goes on.
 */
export interface NotificationSink {
  post(channel: string, message: Message, thread: readonly Message[]): Promise<void>;
}

import type { Message } from '../../../src/messages/message.js';
import type { Clock } from '../../../src/util/clock.js';
import type { NotificationSink } from '../../../src/watch/notification-sink.js';

export interface Post {
  readonly channel: string;
  readonly message: Message;
  readonly thread: readonly Message[];
  /** Clock time of the post. */
  readonly at: number;
}

/** A sink that keeps what it got; the text helpers flatten messages for assertions. */
export class RecordingSink implements NotificationSink {
  readonly posts: Post[] = [];
  failNext = 0;

  constructor(private readonly clock: Clock) {}

  async post(channel: string, message: Message, thread: readonly Message[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('slack said no');
    }
    this.posts.push({ channel, message, thread, at: this.clock.now() });
  }

  titles(): string[] {
    return this.posts.map((p) => p.message.title);
  }

  /** Every thread line of every post (and the single line of one-event posts). */
  lines(): string[] {
    return this.posts.flatMap((p) => (p.thread.length === 0 ? blockLines(p.message).slice(1) : p.thread.flatMap(blockLines)));
  }
}

export function blockLines(message: Message): string[] {
  return message.blocks.flatMap((b) => ('text' in b ? b.text.split('\n') : []));
}

import { ErrorCode } from '@slack/web-api';
import type { Logger } from '../logging/logger.js';
import type { RenderedMessage } from './render-blocks.js';
import type { SlackPoster } from './slack-poster.js';

/**
 * One Slack message edited in place, at most once per interval (Slack's chat.update is Tier 3,
 * and a progress message should not flicker). Edits in between are coalesced: only the latest
 * state is sent. A 429 pushes the next edit past Retry-After without blocking anyone else — the
 * poster used here must not retry rate-limited calls itself, or it would send stale states.
 * The final state is always delivered, however many edits were skipped.
 */
export class ThrottledMessage {
  private latest: RenderedMessage | undefined;
  private notBefore = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private finalWanted = false;
  private readonly settled: Promise<void>;
  private resolveSettled!: () => void;
  private attemptsLeft = 5;
  /** How many edits were sent; for tests and metrics. */
  edits = 0;

  constructor(
    private readonly poster: SlackPoster,
    readonly channel: string,
    readonly ts: string,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
    /**
     * When the message was last edited by someone else (a request's decision edit, before it shows
     * the progress): the first edit here keeps the interval from that one. Default: it was just posted.
     */
    lastEditAt: number = now(),
  ) {
    this.notBefore = lastEditAt + intervalMs;
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /** Shows this state next; `final` marks the last one. Resolves at once. */
  set(message: RenderedMessage, final = false): void {
    this.latest = message;
    if (final) this.finalWanted = true;
    this.schedule();
  }

  /** Resolves once the final state is on Slack (or delivery gave up after several errors). */
  delivered(): Promise<void> {
    return this.settled;
  }

  private schedule(): void {
    if (this.timer || this.sending || !this.latest) return;
    const wait = Math.max(0, this.notBefore - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.send().finally(() => {
        this.sending = undefined;
        if (this.latest) this.schedule();
        else if (this.finalWanted) this.resolveSettled();
      });
    }, wait);
  }

  private async send(): Promise<void> {
    const message = this.latest;
    if (!message) return;
    this.latest = undefined;
    try {
      await this.poster.update(this.channel, this.ts, message);
      this.edits += 1;
      this.notBefore = this.now() + this.intervalMs;
    } catch (error) {
      const retryAfter = rateLimitedSeconds(error);
      // Keep the newest state: a later set() may already have replaced this one.
      this.latest ??= message;
      if (retryAfter !== undefined) {
        this.notBefore = this.now() + retryAfter * 1000;
        this.logger.warn('Slack rate-limited a progress edit; retrying after Retry-After', { retryAfter });
        return;
      }
      this.attemptsLeft -= 1;
      this.notBefore = this.now() + this.intervalMs * 2;
      this.logger.error('could not edit a progress message', { error: error instanceof Error ? error.message : String(error) });
      if (this.attemptsLeft <= 0) {
        this.latest = undefined;
        this.resolveSettled();
      }
    }
  }
}

function rateLimitedSeconds(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown };
  return e.code === ErrorCode.RateLimitedError && typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
}

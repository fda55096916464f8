// Token buckets per method (and per channel for chat.postMessage), using Slack's published tiers
// (§6.1). Off by default: most tests want speed; rate-limit tests switch it on explicitly.
import type { RateLimitOptions } from './types.js';

const TIER_2 = 20;
const TIER_3 = 50;
const TIER_4 = 100;

/** Requests per minute. "Special" methods get a generous tier: Slack publishes no number for them. */
export const METHOD_TIERS: Readonly<Record<string, number>> = {
  'chat.update': TIER_3,
  'chat.delete': TIER_3,
  'chat.postEphemeral': TIER_4,
  'chat.getPermalink': TIER_4,
  'views.open': TIER_4,
  'views.update': TIER_4,
  'views.publish': TIER_4,
  'users.info': TIER_4,
  'conversations.info': TIER_3,
  'usergroups.users.list': TIER_2,
  'auth.test': TIER_4,
  'apps.connections.open': TIER_3,
};

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes a token, or says how many whole seconds until one is back (Retry-After is integer seconds). */
  take(now: number): { ok: true } | { ok: false; retryAfterSec: number } {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond)) };
  }
}

export class RateLimiter {
  private options: RateLimitOptions | undefined;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(setting: boolean | RateLimitOptions | undefined) {
    this.configure(setting ?? false);
  }

  configure(setting: boolean | RateLimitOptions): void {
    this.options = setting === false ? undefined : setting === true ? {} : setting;
    this.buckets.clear();
  }

  /** Returns the Retry-After seconds when the call must be refused, otherwise undefined. */
  check(method: string, channel: string | undefined, now: number): number | undefined {
    const options = this.options;
    if (!options) return undefined;
    let key = method;
    let capacity: number;
    let perSecond: number;
    if (method === 'chat.postMessage') {
      // "about 1 message per second per channel, short bursts allowed" (§6.1).
      key = `${method}:${channel ?? ''}`;
      perSecond = options.postMessagePerSecond ?? 1;
      capacity = options.postMessageBurst ?? 3;
    } else {
      const perMinute = options.perMinute?.[method] ?? METHOD_TIERS[method] ?? TIER_3;
      perSecond = perMinute / 60;
      capacity = options.burst?.[method] ?? Math.max(1, Math.ceil(perMinute / 6));
    }
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(capacity, perSecond, now);
      this.buckets.set(key, bucket);
    }
    const taken = bucket.take(now);
    return taken.ok ? undefined : taken.retryAfterSec;
  }
}

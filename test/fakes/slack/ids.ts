import { randomBytes } from 'node:crypto';

// Random per instance so a test can never pass by hard-coding a secret, and two fakes running in
// parallel test files cannot accept each other's tokens.
export function randomHex(bytes = 12): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Slack message timestamps ("<unix seconds>.<6 digits>") double as message ids, so they must be
 * unique and strictly increasing even when several messages are posted in the same microsecond.
 */
export function createTsClock(now: () => number): { next(): string } {
  let lastMicros = 0;
  return {
    next(): string {
      lastMicros = Math.max(Math.floor(now() * 1000), lastMicros + 1);
      const seconds = Math.floor(lastMicros / 1_000_000);
      const micros = String(lastMicros % 1_000_000).padStart(6, '0');
      return `${seconds}.${micros}`;
    },
  };
}

/** Trigger ids look like Slack's ("<n>.<n>.<hex>"); bots should treat them as opaque. */
export function triggerIdFrom(counter: number): string {
  return `${Date.now()}.${counter}.${randomHex(8)}`;
}

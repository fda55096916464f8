import type { IncomingHttpHeaders } from 'node:http';

/** Slack's replay window: a signed request is good for 5 minutes. */
const WINDOW_MS = 5 * 60_000;
/** A flood of (forged) signatures must not grow memory without bound. */
const MAX_REMEMBERED = 20_000;

export type ReplayVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What Bolt's signature check leaves open (Slack notes §3): it refuses requests older than five
 * minutes but accepts future timestamps, and accepts the same signed request again within the
 * window. This refuses both. It runs before Bolt, on headers only; Bolt still verifies the HMAC,
 * so a forged signature remembered here can at worst block a request nobody could sign.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  check(headers: IncomingHttpHeaders): ReplayVerdict {
    const signature = header(headers, 'x-slack-signature');
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    // Unsigned requests (ssl_check, health) are Bolt's to judge.
    if (signature === undefined || !Number.isFinite(timestamp)) return { ok: true };
    const now = this.now();
    if (timestamp * 1000 > now + WINDOW_MS) return { ok: false, reason: 'request timestamp is in the future' };
    this.prune(now);
    if (this.seen.has(signature)) return { ok: false, reason: 'request was already received (replay)' };
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(signature, timestamp * 1000 + WINDOW_MS);
    return { ok: true };
  }

  private prune(now: number): void {
    for (const [signature, until] of this.seen) {
      if (until > now) continue;
      this.seen.delete(signature);
    }
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

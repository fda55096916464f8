import type { IncomingHttpHeaders } from 'node:http';

/** Slack's replay window: a signed request is good for 5 minutes. */
const WINDOW_MS = 5 * 60_000;
/**
 * How long a signature is remembered past its timestamp: the window, plus the second Bolt's
 * rounding adds, plus a minute of clock skew between Slack and us.
 */
const REMEMBER_MS = WINDOW_MS + 61_000;
/** Slack's v0 signature: exactly this, so one request cannot be dressed up as another. */
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

export type ReplayVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * What Bolt's signature check leaves open (Slack notes §3): it refuses requests older than five
 * minutes but accepts future timestamps, accepts the same signed request again within the window,
 * and accepts `v0=<hex>=anything` as `v0=<hex>`. Before Bolt, on headers only, `screen` refuses
 * future timestamps, any signature not exactly `v0=<64 hex>`, and signatures already used. A
 * signature is remembered only by `remember`, which runs after Bolt verified it (HTTPReceiver's
 * customPropertiesExtractor): forged signatures never enter the set, so a flood of them can
 * neither fill it nor push a real one out.
 */
export class ReplayGuard {
  /** Verified signatures (hex) → until when they are refused. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  screen(headers: IncomingHttpHeaders): ReplayVerdict {
    const signature = header(headers, 'x-slack-signature');
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    // Unsigned requests (ssl_check, health) are Bolt's to judge: it refuses them on /slack/events.
    if (signature === undefined) return { ok: true };
    const hex = SIGNATURE.exec(signature)?.[1];
    if (hex === undefined) return { ok: false, reason: 'request signature is not in Slack’s v0 format' };
    if (!Number.isFinite(timestamp)) return { ok: false, reason: 'request timestamp is missing' };
    if (timestamp * 1000 > this.now() + WINDOW_MS) return { ok: false, reason: 'request timestamp is in the future' };
    this.prune();
    if (this.seen.has(hex)) return { ok: false, reason: 'request was already received (replay)' };
    return { ok: true };
  }

  /**
   * Records a signature Bolt has verified. False when it was already recorded: two copies of one
   * request that passed `screen` at the same moment; the caller drops the second.
   */
  remember(headers: IncomingHttpHeaders): boolean {
    const hex = SIGNATURE.exec(header(headers, 'x-slack-signature') ?? '')?.[1];
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    if (hex === undefined || !Number.isFinite(timestamp)) return true;
    if (this.seen.has(hex)) return false;
    this.seen.set(hex, timestamp * 1000 + REMEMBER_MS);
    return true;
  }

  private prune(): void {
    const now = this.now();
    for (const [hex, until] of this.seen) if (until <= now) this.seen.delete(hex);
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';

/** Slack's rule (Slack notes §3): a timestamp more than 5 minutes from now, either way, is refused. */
export const WINDOW_MS = 5 * 60_000;
/**
 * How long a signature is remembered past its timestamp: the window, plus a minute of clock skew
 * between Slack and us, so it is refused as a replay until it is refused as stale anyway.
 */
const REMEMBER_MS = WINDOW_MS + 61_000;
/** Slack's v0 signature: exactly this, so one request cannot be dressed up as another. */
const SIGNATURE = /^v0=([0-9a-f]{64})$/;
/** The file is rewritten with only the live entries once it holds this many lines more than they. */
const COMPACT_SLACK = 1000;
/**
 * Expired entries are dropped at most this often: a sweep walks the whole set, and a burst of
 * deliveries must not pay for one each. An expired entry left a little longer changes nothing: its
 * timestamp is older than the window, so its request is refused as stale before the set is asked.
 */
const PRUNE_EVERY_MS = 1000;

/**
 * The window kept where every replica sees it (PostgreSQL store): every replica takes Slack
 * traffic, so a request one of them took is a replay at each of the others, and at one that
 * starts later.
 */
export interface SharedReplayWindow {
  /** The signatures still inside the window, and until when each is refused. */
  load(): Promise<readonly (readonly [string, number])[]>;
  /**
   * Records one; false when another replica recorded it first. A database that does not answer
   * says true (logged): the set in memory still guards this replica, and the shared intake drops
   * a repeated delivery by its trigger_id.
   */
  claim(signature: string, until: number): Promise<boolean>;
}

export type ReplayVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Header rules before any body is read (request-guard.ts): a signature exactly `v0=<64 hex>`, a
 * timestamp within 5 minutes of now in either direction, and a signature not used before. A
 * signature is remembered only after its HMAC was verified, so forged ones never enter the set
 * (a flood of them can neither fill it nor push a real one out). With a file, the set survives a
 * restart: a request replayed to a freshly started bot is still refused.
 */
export class ReplayGuard {
  /** Verified signatures (hex) → until when they are refused. */
  private readonly seen = new Map<string, number>();
  private lines = 0;
  private prunedAt = Number.NEGATIVE_INFINITY;
  /** The file, open for appending: one write per delivery, not an open and a close as well. */
  private fd: number | undefined;

  constructor(
    private readonly now: () => number = Date.now,
    /** JSON-lines file of remembered signatures; none keeps them in memory only. */
    private readonly file?: string,
    private readonly shared?: SharedReplayWindow,
  ) {
    if (file !== undefined) this.load(file);
  }

  /** Adds what the shared window holds (at start, before any delivery): fewer round trips after. */
  async loadShared(): Promise<void> {
    if (!this.shared) return;
    const now = this.now();
    for (const [hex, until] of await this.shared.load()) if (SIGNATURE.test(`v0=${hex}`) && until > now) this.seen.set(hex, until);
  }

  screen(headers: IncomingHttpHeaders): ReplayVerdict {
    const signature = header(headers, 'x-slack-signature');
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    if (signature === undefined) return { ok: false, reason: 'request is not signed' };
    const hex = SIGNATURE.exec(signature)?.[1];
    if (hex === undefined) return { ok: false, reason: 'request signature is not in Slack’s v0 format' };
    if (!Number.isFinite(timestamp) || !/^\d+$/.test(header(headers, 'x-slack-request-timestamp') ?? '')) {
      return { ok: false, reason: 'request timestamp is missing' };
    }
    const skew = timestamp * 1000 - this.now();
    if (skew > WINDOW_MS) return { ok: false, reason: 'request timestamp is more than 5 minutes in the future' };
    if (skew < -WINDOW_MS) return { ok: false, reason: 'request timestamp is more than 5 minutes old' };
    this.prune();
    if (this.seen.has(hex)) return { ok: false, reason: 'request was already received (replay)' };
    return { ok: true };
  }

  /**
   * Records a verified signature. False when it was already recorded: two copies of one request
   * that passed `screen` together; the caller refuses the second.
   */
  remember(headers: IncomingHttpHeaders): boolean {
    const hex = SIGNATURE.exec(header(headers, 'x-slack-signature') ?? '')?.[1];
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    if (hex === undefined || !Number.isFinite(timestamp)) return true;
    if (this.seen.has(hex)) return false;
    const until = timestamp * 1000 + REMEMBER_MS;
    this.seen.set(hex, until);
    if (this.file !== undefined) {
      // Written before the request runs; not fsynced: the page cache outlives a crash of the process.
      // A full or read-only disk must not stop Slack traffic: the set in memory still guards.
      try {
        this.fd ??= openSync(this.file, 'a', 0o600);
        writeSync(this.fd, `${JSON.stringify({ s: hex, until })}\n`);
        this.lines += 1;
      } catch {
        this.lines = Number.NEGATIVE_INFINITY; // no compaction either until a restart
      }
    }
    return true;
  }

  /**
   * After remember(): whether this replica is the first of all to take the request (always true
   * without a shared window). One round trip to the database, on the path of the ack.
   */
  async firstAmongReplicas(headers: IncomingHttpHeaders): Promise<boolean> {
    const hex = SIGNATURE.exec(header(headers, 'x-slack-signature') ?? '')?.[1];
    const timestamp = Number(header(headers, 'x-slack-request-timestamp'));
    if (!this.shared || hex === undefined || !Number.isFinite(timestamp)) return true;
    return this.shared.claim(hex, timestamp * 1000 + REMEMBER_MS);
  }

  private prune(): void {
    const now = this.now();
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    for (const [hex, until] of this.seen) if (until <= now) this.seen.delete(hex);
    if (this.file !== undefined && this.lines > this.seen.size + COMPACT_SLACK) this.compact(this.file);
  }

  private load(file: string): void {
    if (!existsSync(file)) return;
    const now = this.now();
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      try {
        const entry = JSON.parse(line) as { s?: unknown; until?: unknown };
        if (typeof entry.s === 'string' && /^[0-9a-f]{64}$/.test(entry.s) && typeof entry.until === 'number' && entry.until > now) {
          this.seen.set(entry.s, entry.until);
        }
      } catch {
        // A line cut off by a crash: nothing to remember from it.
      }
    }
    this.compact(file);
  }

  private compact(file: string): void {
    const temp = `${file}.tmp`;
    try {
      writeFileSync(temp, [...this.seen].map(([s, until]) => `${JSON.stringify({ s, until })}\n`).join(''), { mode: 0o600 });
      renameSync(temp, file);
      this.lines = this.seen.size;
      // The next line goes into the new file, not the unlinked old one.
      this.close();
    } catch {
      // As in remember(): the file is a help across restarts, the set in memory is the guard.
      this.lines = Number.NEGATIVE_INFINITY;
    }
  }

  /** Releases the file (at shut-down, and after a compaction; the next delivery opens it again). */
  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing to release.
    }
    this.fd = undefined;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Slack requests shared between replicas on PostgreSQL (issue 15): every replica takes commands and
// clicks, but only the executor acts on them. A standby forwards what it received as a row here;
// the executor claims rows (woken by NOTIFY, and polling in case a notification was missed) and
// answers through the request's response_url. Every delivery, forwarded or taken directly, is
// recorded under its key (Slack's trigger_id), so a retry that reaches the other replica is seen
// as a repeat and done nothing with. A row is either claimed by an executor or withdrawn by the
// standby that forwarded it, never both: the two are one UPDATE each on the same unclaimed row.
import type pg from 'pg';

/** The channel NOTIFY wakes the executor on. */
export const INTAKE_CHANNEL = 'exa_intake';

export interface ClaimedRequest {
  readonly key: string;
  readonly payload: unknown;
  /** How long it waited in the database before this claim, by the database's own clock. */
  readonly ageMs: number;
}

/** Slack retries come within minutes: a day of delivery keys is plenty. */
const KEEP_KEYS_MS = 24 * 3600_000;

export class PgIntake {
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pool: pg.Pool,
    private readonly holder: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A delivery this replica acts on itself: true the first time `key` is seen by any replica. */
  async takeOwn(key: string): Promise<boolean> {
    this.sweep();
    const result = await this.pool.query('INSERT INTO slack_intake (key, received_by, claimed_by, claimed_at) VALUES ($1, $2, $2, now()) ON CONFLICT (key) DO NOTHING RETURNING key', [key, this.holder]);
    return result.rowCount === 1;
  }

  /** Hands a delivery to the executor; false when `key` was seen before (a retry). */
  async forward(key: string, payload: unknown): Promise<boolean> {
    this.sweep();
    // One statement: the NOTIFY is sent when the insert commits, and only when it inserted.
    const result = await this.pool.query(
      `WITH added AS (
         INSERT INTO slack_intake (key, received_by, payload) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING key
       ) SELECT pg_notify($4, key) FROM added`,
      [key, this.holder, JSON.stringify(payload), INTAKE_CHANNEL],
    );
    return result.rowCount === 1;
  }

  /** Takes a forwarded delivery back if no executor has claimed it yet; true when it did. */
  async withdraw(key: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE slack_intake SET withdrawn = true, payload = NULL WHERE key = $1 AND claimed_by IS NULL AND NOT withdrawn RETURNING key', [key]);
    return result.rowCount === 1;
  }

  /**
   * Claims up to `limit` forwarded deliveries, oldest first. The payload (it holds a response_url,
   * good for posting into the channel for 30 minutes) is cleared in the same statement.
   */
  async claim(limit = 20): Promise<ClaimedRequest[]> {
    const result = await this.pool.query<{ key: string; payload: unknown; age_ms: string; seq: string }>(
      `WITH picked AS (
         SELECT key, payload, received_at FROM slack_intake
         WHERE claimed_by IS NULL AND NOT withdrawn ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE slack_intake s SET claimed_by = $1, claimed_at = now(), payload = NULL FROM picked
       WHERE s.key = picked.key
       RETURNING s.key, picked.payload, (extract(epoch FROM now() - picked.received_at) * 1000)::bigint AS age_ms, s.seq`,
      [this.holder, limit],
    );
    // UPDATE … RETURNING keeps no order: the oldest request is answered first.
    return [...result.rows].sort((a, b) => Number(a.seq) - Number(b.seq)).map((row) => ({ key: row.key, payload: row.payload, ageMs: Number(row.age_ms) }));
  }

  /**
   * Every delivery passes takeOwn or forward, on some replica: each sweeps old keys, at most once a
   * minute, in the background (a failed sweep changes nothing; the next one tries again).
   */
  private sweep(): void {
    if (this.now() - this.sweptAt < 60_000) return;
    this.sweptAt = this.now();
    this.forgetOlderThan(KEEP_KEYS_MS).catch(() => undefined);
  }

  /** Keys older than this are of no use (Slack retries within minutes); payloads never outlive a claim or withdrawal. */
  async forgetOlderThan(ms: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM slack_intake WHERE received_at < now() - make_interval(secs => $1)', [ms / 1000]);
    return result.rowCount ?? 0;
  }
}

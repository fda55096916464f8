// Exactly one executor per cluster (issue 15): a replica executes a cluster's operations only while
// it holds that cluster's session-level advisory lock, on a connection of its own. PostgreSQL drops
// the lock when that session ends (process killed, host gone, connection cut), so a standby can
// take over; and since a paused ex-holder may wake up still believing it holds the lock, every
// write it makes as executor carries the fencing epoch it took the lock with, checked in the same
// transaction: a takeover bumps the epoch, and the ex-holder's next write is refused.
import type { Client, ClientBase } from 'pg';
import { AppError } from '../../errors/app-error.js';

/** The advisory key of a cluster: a stable 64-bit hash, computed by PostgreSQL itself. */
const KEY_SQL = "hashtextextended('exa-chatops executor ' || $1, 0)";

export type LockState =
  | { readonly kind: 'not-held' }
  | { readonly kind: 'held'; readonly epoch: number }
  /** The lock's session ended: whatever runs must stop at its next safe point. */
  | { readonly kind: 'lost'; readonly epoch: number; readonly why: string };

/**
 * Per session, so no server setting is needed: a host that vanishes without closing its TCP
 * connection (power cut, partition) is found dead by the server after about 5 + 3 × 2 = 11 s, and
 * its lock released, instead of after the kernel's default two hours.
 */
const SERVER_KEEPALIVE = ['SET tcp_keepalives_idle = 5', 'SET tcp_keepalives_interval = 2', 'SET tcp_keepalives_count = 3'];

export interface HeartbeatOptions {
  /** Between two checks of the session. @default 2000 */
  readonly intervalMs?: number;
  /** A check that takes longer counts as a lost session. @default 3000 */
  readonly timeoutMs?: number;
}

export class ExecutorLock {
  private current: LockState = { kind: 'not-held' };
  private readonly listeners = new Set<(state: LockState) => void>();
  private heartbeat: NodeJS.Timeout | undefined;

  /**
   * @param session a connected client used for nothing else: the lock lives and dies with it.
   * @param holder who holds it, for operators reading cluster_executor (host and pid).
   */
  constructor(
    private readonly session: Client,
    readonly cluster: string,
    private readonly holder: string,
  ) {
    const lost = (why: string) => (): void => {
      if (this.current.kind === 'held') this.set({ kind: 'lost', epoch: this.current.epoch, why });
    };
    session.on('error', (error) => lost(`its database connection failed: ${error.message}`)());
    session.on('end', lost('its database connection ended'));
  }

  get state(): LockState {
    return this.current;
  }

  onChange(listener: (state: LockState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One attempt: the lock and a new epoch, or undefined while another session holds it. */
  async tryAcquire(): Promise<number | undefined> {
    if (this.current.kind === 'held') return this.current.epoch;
    if (this.current.kind === 'lost') return undefined; // a lost session never holds the lock again: a new one must
    for (const statement of SERVER_KEEPALIVE) await this.session.query(statement);
    const got = await this.session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${KEY_SQL}) AS ok`, [this.cluster]);
    if (got.rows[0]?.ok !== true) return undefined;
    try {
      // The epoch grows with every holder; the row lock this takes makes a fenced write of the
      // previous holder wait for it and then see the new epoch.
      const row = await this.session.query<{ epoch: string }>(
        `INSERT INTO cluster_executor (cluster, epoch, holder) VALUES ($1, 1, $2)
         ON CONFLICT (cluster) DO UPDATE SET epoch = cluster_executor.epoch + 1, holder = EXCLUDED.holder, acquired_at = now()
         RETURNING epoch`,
        [this.cluster, this.holder],
      );
      const epoch = Number(row.rows[0]?.epoch);
      this.set({ kind: 'held', epoch });
      return epoch;
    } catch (error) {
      await this.session.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [this.cluster]).catch(() => undefined);
      throw error;
    }
  }

  /** Tries every `intervalMs` until it holds the lock or `signal` aborts. */
  async acquire(options: { readonly intervalMs: number; readonly signal?: AbortSignal }): Promise<number> {
    for (;;) {
      options.signal?.throwIfAborted();
      const epoch = await this.tryAcquire();
      if (epoch !== undefined) return epoch;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }

  /**
   * While held, checks the session every interval: a check that fails or hangs past its deadline
   * (the database unreachable, a silent partition) makes the lock lost on this side at once, so the
   * executor stops issuing cluster calls before the server has even noticed and freed the lock.
   */
  startHeartbeat(options: HeartbeatOptions = {}): void {
    this.stopHeartbeat();
    const interval = options.intervalMs ?? 2000;
    const deadline = options.timeoutMs ?? 3000;
    const beat = async (): Promise<void> => {
      if (this.current.kind !== 'held') return;
      const epoch = this.current.epoch;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deadline);
      });
      try {
        const answer = await Promise.race([this.session.query('SELECT 1').then(() => 'ok' as const), late]);
        if (answer === 'late' && this.current.kind === 'held') this.set({ kind: 'lost', epoch, why: `its database connection did not answer within ${deadline} ms` });
      } catch (error) {
        if (this.current.kind === 'held') this.set({ kind: 'lost', epoch, why: `its database connection failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        clearTimeout(timer);
      }
      if (this.current.kind === 'held') this.heartbeat = setTimeout(() => void beat(), interval);
    };
    this.heartbeat = setTimeout(() => void beat(), interval);
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = undefined;
  }

  async release(): Promise<void> {
    this.stopHeartbeat();
    if (this.current.kind !== 'held') return;
    await this.session.query(`SELECT pg_advisory_unlock(${KEY_SQL})`, [this.cluster]);
    this.set({ kind: 'not-held' });
  }

  private set(state: LockState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}

/**
 * Runs `work` in a transaction that first checks `epoch` is still the cluster's: the write of an
 * executor that lost its lock (and the epoch with it) is refused, whatever it believes.
 */
export async function fencedTransaction<T>(client: ClientBase, cluster: string, epoch: number, work: (client: ClientBase) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const row = await client.query<{ epoch: string }>('SELECT epoch FROM cluster_executor WHERE cluster = $1 FOR SHARE', [cluster]);
    const current = row.rows[0] === undefined ? undefined : Number(row.rows[0].epoch);
    if (current !== epoch) {
      throw new AppError(
        'STORE_FENCED',
        `This replica no longer executes cluster ${cluster} (its epoch ${epoch}, the cluster's ${current ?? 'none'}): another replica took over. Nothing was written.`,
      );
    }
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

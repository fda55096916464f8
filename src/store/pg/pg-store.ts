// The operations store on PostgreSQL (DATABASE_URL, issue 15): the journal, the audit log and the
// operation ids of every replica in one database, and one executor per cluster through
// executor-lock.ts. A replica writes a cluster's journal only while it holds that cluster's lock,
// under the epoch the lock gave it: a replica that lost its lock (paused, cut off) cannot write.
import { parseControlRecord } from '../../change-control/control-record.js';
import pg from 'pg';
import { AppError, isAppError } from '../../errors/app-error.js';
import type { Logger } from '../../logging/logger.js';
import { JOURNAL_TYPES } from '../../operations/journal-record.js';
import { systemClock, type Clock } from '../../util/clock.js';
import type { SharedReplayWindow } from '../../slack/replay-guard.js';
import type { OperationStore } from '../operation-store.js';
import { ExecutorLock, type HeartbeatOptions } from './executor-lock.js';
import { migrate } from './migrations.js';
import { PgIntake } from './pg-intake.js';
import { PgAuditLog, PgJournal } from './pg-journal.js';

export interface PgStoreOptions {
  readonly url: string;
  /** The clusters this bot is configured for: it executes each only while it holds its lock. */
  readonly clusters: readonly string[];
  /** Who holds a lock, for operators reading cluster_executor: host and pid. */
  readonly holder: string;
  /** How often a standby tries for a lock another replica holds. */
  readonly pollMs: number;
  readonly heartbeat?: HeartbeatOptions;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** Where the database is, for logs and errors: host, port and database, never the user or password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'the configured database';
  }
}

/** A failure of the database itself, as the user-safe text of a store error (pg's messages name no secret). */
function unavailable(what: string, where: string, error: unknown): AppError {
  if (isAppError(error)) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new AppError('STORE_UNAVAILABLE', `Could not ${what} in PostgreSQL at ${where} (${why}), so the action was not taken. Check the database and the bot's connection to it.`);
}

export class PgStore implements OperationStore {
  readonly kind = 'postgres' as const;
  readonly journal: OperationStore['journal'];
  readonly audit: OperationStore['audit'];
  readonly controls: OperationStore['controls'];
  private readonly pool: pg.Pool;
  private readonly where: string;
  private readonly locks = new Map<string, ExecutorLock>();
  private readonly sessions: pg.Client[] = [];
  private readonly listeners = new Set<pg.Client>();
  private readonly lostListeners = new Set<(cluster: string, why: string) => void>();

  constructor(private readonly options: PgStoreOptions) {
    this.where = describeDatabase(options.url);
    // keepAlive: a connection to a database host that vanished fails instead of hanging for hours.
    // query_timeout: a query on a connection that went half-open fails instead of hanging whoever waits (an ack, a standby's answer).
    this.pool = new pg.Pool({ connectionString: options.url, max: 4, keepAlive: true, connectionTimeoutMillis: 5000, query_timeout: 10_000 });
    // An idle pooled connection that dies (a database restart) must not take the process down.
    this.pool.on('error', (error) => options.logger.warn(`a pooled PostgreSQL connection to ${this.where} failed: ${error.message}`));
    const clock = options.clock ?? systemClock;
    const journal = new PgJournal(this.pool, clock);
    const audit = new PgAuditLog(this.pool, clock);
    /** Every call to the database, with its failure as a user-safe store error. */
    const safely = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        throw unavailable(what, this.where, error);
      }
    };
    this.journal = {
      append: async (input) => {
        const lock = this.locks.get(input.cluster);
        // A cluster no longer configured has no executor anywhere: its old records are closed unfenced.
        if (lock === undefined && !options.clusters.includes(input.cluster)) return safely('record that', () => journal.append(input));
        const state = lock?.state;
        if (state?.kind !== 'held') {
          throw new AppError('STORE_NOT_EXECUTOR', `This replica does not execute cluster ${input.cluster} right now (${state?.kind === 'lost' ? state.why : 'another replica does'}), so nothing was recorded or done.`);
        }
        return safely('record that', () => journal.append(input, { cluster: input.cluster, epoch: state.epoch }));
      },
      // The journal here is never compacted: a start reads only the operations still open, not years of history.
      read: () => safely('read the journal', () => journal.readOpen()),
      // Records are parsed on their way in; one of a type this bot does not know came from a newer one.
      health: () =>
        safely('read the journal', async () => {
          const rows = await this.pool.query<{ n: string }>("SELECT count(*) AS n FROM journal WHERE NOT (record->>'type' = ANY($1))", [JOURNAL_TYPES]);
          return { damagedLines: [], unknownRecords: Number(rows.rows[0]?.n ?? 0), archived: undefined };
        }),
    };
    this.audit = { record: (input) => safely('write the audit log', () => audit.record(input)), read: (since) => safely('read the audit log', () => audit.read(since)) };
    // Holds and snoozes are not fenced by an executor lock: any replica may take them, and every
    // replica reads them back at start.
    this.controls = {
      append: (record) => safely('record that', async () => void (await this.pool.query('INSERT INTO control_record (record) VALUES ($1)', [JSON.stringify(record)]))),
      read: () =>
        safely('read the change-control record', async () => (await this.pool.query<{ record: unknown }>('SELECT record FROM control_record ORDER BY seq')).rows.flatMap((r) => parseControlRecord(r.record) ?? [])),
      close: () => undefined,
    };
  }

  /**
   * Until the database answers: retried with backoff (1 s doubling to 30 s), each failure logged
   * with where and why, so a bot started before its database waits for it instead of dying. Then
   * the schema is brought up to date (safe when replicas start together, migrations.ts).
   */
  async connect(signal: AbortSignal): Promise<void> {
    let delay = 1000;
    for (;;) {
      signal.throwIfAborted();
      try {
        const client = await this.pool.connect();
        try {
          const result = await migrate(client);
          if (result.applied.length > 0) this.options.logger.info(`PostgreSQL at ${this.where}: schema migrated to version ${result.version}`);
          return;
        } finally {
          client.release();
        }
      } catch (error) {
        // A schema from a newer bot is not a reason to wait: nothing will change it.
        if (isAppError(error)) throw error;
        this.options.logger.warn(`PostgreSQL at ${this.where} is not reachable (${error instanceof Error ? error.message : String(error)}); retrying in ${delay / 1000} s`);
        await (this.options.clock ?? systemClock).sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  /**
   * Takes every configured cluster's executor lock, waiting (as a standby) while another replica
   * holds one. `onWaiting` is told once per cluster who holds it. Each held lock is then watched:
   * a lost one is reported through onLost, and this replica must stop acting on that cluster.
   */
  async becomeExecutor(signal: AbortSignal, onWaiting: (cluster: string, holder: string) => void): Promise<void> {
    for (const cluster of this.options.clusters) {
      if (this.locks.get(cluster)?.state.kind === 'held') continue;
      let told = false;
      let delay = 1000;
      for (;;) {
        signal.throwIfAborted();
        try {
          const lock = await this.tryLock(cluster, signal, (holder) => {
            if (!told) onWaiting(cluster, holder);
            told = true;
          });
          this.locks.set(cluster, lock);
          lock.onChange((state) => {
            if (state.kind === 'lost') for (const listener of this.lostListeners) listener(cluster, state.why);
          });
          lock.startHeartbeat(this.options.heartbeat);
          break;
        } catch (error) {
          if (signal.aborted) throw error;
          // The database restarted or failed over while this replica stood by: a new session, and on.
          this.options.logger.warn(`standing by for cluster ${cluster}: the session with PostgreSQL at ${this.where} failed (${error instanceof Error ? error.message : String(error)}); trying again in ${delay / 1000} s`);
          await (this.options.clock ?? systemClock).sleep(delay, signal);
          delay = Math.min(delay * 2, 30_000);
        }
      }
    }
  }

  /** A session of its own and the lock on it, waiting while another replica holds it. */
  private async tryLock(cluster: string, signal: AbortSignal, onWaiting: (holder: string) => void): Promise<ExecutorLock> {
    const session = new pg.Client({ connectionString: this.options.url, keepAlive: true, connectionTimeoutMillis: 5000 });
    // Errors of the lock's own session reach the lock (it becomes lost); none may go unhandled.
    session.on('error', () => undefined);
    try {
      await session.connect();
      const lock = new ExecutorLock(session, cluster, this.options.holder);
      if ((await lock.tryAcquire()) === undefined) {
        const row = await this.pool.query<{ holder: string }>('SELECT holder FROM cluster_executor WHERE cluster = $1', [cluster]);
        onWaiting(row.rows[0]?.holder ?? 'another replica');
        await lock.acquire({ intervalMs: this.options.pollMs, signal });
      }
      this.sessions.push(session);
      return lock;
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
  }

  /** Tells `listener` when a held lock is lost (its session ended or stopped answering). */
  onLost(listener: (cluster: string, why: string) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** The epoch this replica executes `cluster` under, or undefined when it does not. */
  epochOf(cluster: string): number | undefined {
    const state = this.locks.get(cluster)?.state;
    return state?.kind === 'held' ? state.epoch : undefined;
  }

  /** The Slack replay window every replica shares (replay-guard.ts): read at start, written per delivery. */
  replayWindow(): SharedReplayWindow {
    const now = (): number => (this.options.clock ?? systemClock).now();
    let swept = now();
    return {
      load: async () => {
        await this.pool.query('DELETE FROM replay_signature WHERE until_ms < $1', [now()]);
        const rows = await this.pool.query<{ signature: string; until_ms: string }>('SELECT signature, until_ms FROM replay_signature WHERE until_ms > $1', [now()]);
        return rows.rows.map((row) => [row.signature, Number(row.until_ms)] as const);
      },
      claim: async (signature, until) => {
        // Expired signatures go at most once a minute (a stale request is refused before this anyway).
        if (now() - swept > 60_000) {
          swept = now();
          this.pool.query('DELETE FROM replay_signature WHERE until_ms < $1', [swept]).catch(() => undefined);
        }
        try {
          // On the path of the ack: a database slower than a second is taken as no answer.
          const added = await Promise.race([
            this.pool.query('INSERT INTO replay_signature (signature, until_ms) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING RETURNING signature', [signature, until]),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000).unref()),
          ]);
          return added.rowCount === 1;
        } catch (error) {
          this.options.logger.warn(`could not check a Slack signature against the other replicas in PostgreSQL at ${this.where}: ${error instanceof Error ? error.message : String(error)}`);
          return true;
        }
      },
    };
  }

  /** The Slack deliveries every replica shares (pg-intake.ts). */
  intake(): PgIntake {
    const clock = this.options.clock ?? systemClock;
    return new PgIntake(this.pool, this.options.holder, () => clock.now());
  }

  /**
   * Calls `onNotify` at each NOTIFY on `channel` (and once per new session, for what came while
   * there was none), on a session of its own, until `signal` aborts. A session that fails is
   * opened again after pollMs; the caller polls as well, so nothing waits on a lost notification.
   */
  listen(channel: string, onNotify: () => void, signal: AbortSignal): void {
    const clock = this.options.clock ?? systemClock;
    const session = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: this.options.url, keepAlive: true, connectionTimeoutMillis: 5000 });
      this.listeners.add(client);
      const ended = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      const abort = (): void => void client.end().catch(() => undefined);
      signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        client.on('notification', () => onNotify());
        // `channel` is one of our own identifiers (INTAKE_CHANNEL), never input.
        await client.query(`LISTEN ${channel}`);
        onNotify();
        await ended;
      } finally {
        signal.removeEventListener('abort', abort);
        this.listeners.delete(client);
        await client.end().catch(() => undefined);
      }
    };
    void (async () => {
      while (!signal.aborted) {
        await session().catch((error: unknown) => this.options.logger.warn(`listening for forwarded Slack requests in PostgreSQL at ${this.where} failed: ${error instanceof Error ? error.message : String(error)}`));
        if (!signal.aborted) await clock.sleep(this.options.pollMs, signal, { keepAlive: false }).catch(() => undefined);
      }
    })();
  }

  async allocateId(): Promise<string> {
    try {
      const row = await this.pool.query<{ id: string }>("SELECT nextval('operation_id') AS id");
      return `op-${row.rows[0]?.id ?? ''}`;
    } catch (error) {
      throw unavailable('number the operation', this.where, error);
    }
  }

  async close(): Promise<void> {
    for (const lock of this.locks.values()) await lock.release().catch(() => undefined);
    for (const session of [...this.sessions, ...this.listeners]) await session.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

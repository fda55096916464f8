// The journal and the audit log in PostgreSQL (issue 15; not wired yet): the same records as the
// JSON-lines files, parsed by the same functions, so a record that is malformed on its way in is
// refused here too. A write that belongs to an executing operation carries its cluster's fencing
// epoch and commits only while that epoch is the cluster's (executor-lock.ts).
import type { Pool, PoolClient } from 'pg';
import { AppError } from '../../errors/app-error.js';
import { parseAuditEntry, type AuditEntry, type AuditInput } from '../../operations/audit-log.js';
import { parseJournalRecord, type JournalInput, type JournalRecord } from '../../operations/journal-record.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { fencedTransaction } from './executor-lock.js';

/** The executor's claim a write is made under: the cluster and the epoch its lock gave it. */
export interface Fence {
  readonly cluster: string;
  readonly epoch: number;
}

export class PgJournal {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  /** Committed when it resolves; with a fence, refused (STORE_FENCED) once another replica took over. */
  async append(input: JournalInput, fence?: Fence): Promise<JournalRecord> {
    const record = parseJournalRecord({ ...input, at: new Date(this.clock.now()).toISOString() });
    if (record === undefined) throw new AppError('invalid-journal-record', `Refused to record a malformed '${input.type}' entry for ${input.opId}.`);
    const insert = (client: Pick<PoolClient, 'query'>) =>
      client.query('INSERT INTO journal (cluster, op_id, record, epoch) VALUES ($1, $2, $3, $4)', [record.cluster, record.opId, JSON.stringify(record), fence?.epoch ?? null]);
    if (fence === undefined) {
      await insert(this.pool);
      return record;
    }
    if (fence.cluster !== record.cluster) throw new AppError('STORE_FENCED', `A write for cluster ${record.cluster} came with the fence of cluster ${fence.cluster}; nothing was written.`);
    const client = await this.pool.connect();
    try {
      await fencedTransaction(client, fence.cluster, fence.epoch, insert);
    } finally {
      client.release();
    }
    return record;
  }

  /**
   * The records of every operation not closed yet (findUnfinished's closing records: finished,
   * rejected, expired, recovered), in the order written: what a start needs, without the history.
   */
  async readOpen(): Promise<JournalRecord[]> {
    const rows = await this.pool.query<{ record: unknown }>(
      `SELECT record FROM journal WHERE op_id IN (
         SELECT op_id FROM journal GROUP BY op_id
         HAVING NOT bool_or(record->>'type' IN ('finished', 'rejected', 'expired', 'recovered'))
       ) ORDER BY seq`,
    );
    return rows.rows.flatMap((row) => parseJournalRecord(row.record) ?? []);
  }

  /** Every record in the order written; one that no longer parses is left out, as in the file. */
  async read(): Promise<JournalRecord[]> {
    const rows = await this.pool.query<{ record: unknown }>('SELECT record FROM journal ORDER BY seq');
    return rows.rows.flatMap((row) => parseJournalRecord(row.record) ?? []);
  }
}

export class PgAuditLog {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  async record(input: AuditInput): Promise<AuditEntry> {
    const entry = parseAuditEntry({ ...input, at: new Date(this.clock.now()).toISOString() });
    if (entry === undefined) throw new AppError('invalid-audit-entry', `Refused to write a malformed '${input.action}' audit entry.`);
    await this.pool.query('INSERT INTO audit (entry) VALUES ($1)', [JSON.stringify(entry)]);
    return entry;
  }

  /** `since` (ms): entries stamped at or after it (ISO times in one format sort as text). */
  async read(since?: number): Promise<AuditEntry[]> {
    const rows =
      since === undefined
        ? await this.pool.query<{ entry: unknown }>('SELECT entry FROM audit ORDER BY seq')
        : await this.pool.query<{ entry: unknown }>("SELECT entry FROM audit WHERE entry->>'at' >= $1 ORDER BY seq", [new Date(since).toISOString()]);
    return rows.rows.flatMap((row) => parseAuditEntry(row.entry) ?? []);
  }
}

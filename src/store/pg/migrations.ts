// The PostgreSQL schema, as numbered migrations applied at start (issue 15). Each runs once, in
// order, inside one transaction that holds a transaction-level advisory lock: two replicas that
// start together serialise here, the second finds nothing left to do. A database migrated by a
// newer bot is refused rather than written with an older idea of its tables.
import type { ClientBase } from 'pg';
import { AppError } from '../../errors/app-error.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Arbitrary, fixed: the key of the advisory lock every replica takes to migrate. */
const MIGRATION_LOCK_KEY = 4_711_000_001;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal, audit, executors, idempotency keys',
    sql: `
      CREATE TABLE journal (
        seq bigserial PRIMARY KEY,
        cluster text NOT NULL,
        op_id text NOT NULL,
        record jsonb NOT NULL,
        -- The executor epoch the write was made under; NULL for writes that need no executor (requests, decisions).
        epoch bigint,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX journal_op ON journal (op_id, seq);
      CREATE TABLE audit (
        seq bigserial PRIMARY KEY,
        entry jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
      -- One row per cluster: who executes its operations, and the fencing epoch that grows with every takeover.
      CREATE TABLE cluster_executor (
        cluster text PRIMARY KEY,
        epoch bigint NOT NULL,
        holder text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now()
      );
      -- Slack retries (x-slack-retry-num) of a request another replica already took.
      CREATE TABLE slack_delivery (
        key text PRIMARY KEY,
        seen_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    name: 'operation ids from a sequence',
    // Every replica draws ids from one sequence; it starts above any id already in the journal.
    sql: `
      CREATE SEQUENCE operation_id;
      SELECT setval('operation_id', COALESCE(MAX(substring(op_id FROM 4)::bigint), 0) + 1, false) FROM journal WHERE op_id ~ '^op-[0-9]+$';
    `,
  },
  {
    version: 3,
    name: 'the shared replay window of Slack signatures',
    sql: `
      CREATE TABLE replay_signature (
        signature text PRIMARY KEY,
        -- Epoch ms until which a delivery with this signature is a replay.
        until_ms bigint NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'Slack requests shared between replicas',
    // Replaces slack_delivery (keys only): a standby forwards what it received, the executor claims it.
    sql: `
      DROP TABLE slack_delivery;
      CREATE TABLE slack_intake (
        key text PRIMARY KEY,
        seq bigserial NOT NULL,
        received_by text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        -- What a standby forwarded (the request and its response_url); NULL once claimed or withdrawn.
        payload jsonb,
        claimed_by text,
        claimed_at timestamptz,
        withdrawn boolean NOT NULL DEFAULT false
      );
      CREATE INDEX slack_intake_open ON slack_intake (seq) WHERE claimed_by IS NULL AND NOT withdrawn;
    `,
  },
  {
    version: 5,
    name: 'change control: holds, snoozes, skips, schedule progress',
    // Append-only like the journal; every replica reads it whole at start (a few records a day).
    sql: `
      CREATE TABLE control_record (
        seq bigserial PRIMARY KEY,
        record jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];

export interface MigrationResult {
  /** Versions this call applied (empty when another replica, or an earlier start, did). */
  readonly applied: readonly number[];
  readonly version: number;
}

export async function migrate(client: ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > latest) {
      throw new AppError(
        'STORE_SCHEMA_NEWER',
        `The database's schema is at version ${newest}, newer than this bot knows (${latest}): a newer exa-chatops migrated it. Run that version, or a newer one.`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { applied, version: Math.max(newest, latest) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

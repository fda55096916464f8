// The PostgreSQL journal and audit log against a real server: records round-trip exactly as the
// files keep them, a malformed one is refused, and an executor's write is fenced by its epoch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ExecutorLock } from '../../src/store/pg/executor-lock.js';
import { migrate } from '../../src/store/pg/migrations.js';
import { PgAuditLog, PgJournal } from '../../src/store/pg/pg-journal.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

let server: PostgresServer;
let pool: pg.Pool;
const clock = { now: () => Date.UTC(2026, 11, 4, 12, 0, 0) };
const sessions: pg.Client[] = [];

before(async () => {
  server = await startPostgres();
  pool = new pg.Pool({ connectionString: await server.createDatabase('store'), max: 4 });
  const client = await pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
});
after(async () => {
  for (const s of sessions) await s.end().catch(() => undefined);
  await pool.end();
  await server.stop();
});

async function lock(cluster: string, holder: string): Promise<ExecutorLock> {
  const session = new pg.Client({ connectionString: server.urlFor('store') });
  session.on('error', () => undefined);
  await session.connect();
  sessions.push(session);
  return new ExecutorLock(session, cluster, holder);
}

describe('the PostgreSQL journal and audit log', { timeout: 60_000 }, () => {
  it('keep records exactly as the file journal does, in order', async () => {
    const journal = new PgJournal(pool, clock);
    const requested = await journal.append({ type: 'requested', opId: 'op-1', cluster: 'prod', operation: { kind: 'database-stop', database: 'DB1', abortBackup: true }, requestedBy: 'U0OP', channel: 'C0OPS' });
    assert.equal(requested.at, '2026-12-04T12:00:00.000Z');
    await journal.append({ type: 'approved', opId: 'op-1', cluster: 'prod', by: 'U0APP', actions: [{ kind: 'stop-database', targets: ['DB1'] }] });
    const records = await journal.read();
    assert.deepEqual(records.map((r) => r.type), ['requested', 'approved']);
    assert.deepEqual(records[0], requested);
    await assert.rejects(journal.append({ type: 'requested', opId: 'op-2', cluster: 'prod', requestedBy: 'U0OP' } as never), /Refused to record a malformed 'requested' entry for op-2/);

    const audit = new PgAuditLog(pool, clock);
    await audit.record({ action: 'requested', actor: 'U0OP', cluster: 'prod', opId: 'op-1', operation: 'stop of database DB1' });
    assert.deepEqual((await audit.read()).map((e) => `${e.action}:${e.actor}`), ['requested:U0OP']);
  });

  it("refuse an ex-executor's write once another replica holds the cluster", async () => {
    const journal = new PgJournal(pool, clock);
    const a = await lock('fenced', 'replica-a');
    const epochA = await a.tryAcquire();
    assert.ok(epochA !== undefined);
    await journal.append({ type: 'started', opId: 'op-7', cluster: 'fenced', steps: [{ id: '1', title: 'Stop database DB1' }] }, { cluster: 'fenced', epoch: epochA });
    await a.release();
    const b = await lock('fenced', 'replica-b');
    const epochB = await b.tryAcquire();
    assert.equal(epochB, epochA + 1);
    await assert.rejects(
      journal.append({ type: 'finished', opId: 'op-7', cluster: 'fenced', outcome: 'succeeded' }, { cluster: 'fenced', epoch: epochA }),
      (error: Error & { code?: string }) => error.code === 'STORE_FENCED',
    );
    await journal.append({ type: 'finished', opId: 'op-7', cluster: 'fenced', outcome: 'interrupted', reason: 'taken over' }, { cluster: 'fenced', epoch: epochB ?? 0 });
    const ends = (await journal.read()).filter((r) => r.opId === 'op-7' && r.type === 'finished');
    assert.equal(ends.length, 1);
    assert.equal(ends[0]?.type === 'finished' ? ends[0].outcome : '', 'interrupted');
    await b.release();
  });
});

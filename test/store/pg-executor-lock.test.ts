// Against a real PostgreSQL 15 (started here, on loopback): migrations that two replicas may run
// at once, and the executor lock: one holder per cluster, a standby that takes over when the
// holder's session dies, and a fencing epoch that refuses the ex-holder's writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ExecutorLock, fencedTransaction } from '../../src/store/pg/executor-lock.js';
import { migrate, MIGRATIONS } from '../../src/store/pg/migrations.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

let server: PostgresServer;
const clients: pg.Client[] = [];
async function connect(url = server.url): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // tests cut connections on purpose
  await client.connect();
  clients.push(client);
  return client;
}

before(async () => {
  server = await startPostgres();
});
after(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  await server.stop();
});

describe('PostgreSQL schema migrations', { timeout: 60_000 }, () => {
  it('apply once, in order; a second run and a concurrent run find nothing to do', async () => {
    const url = await server.createDatabase('migrations');
    const [a, b, c] = await Promise.all([connect(url), connect(url), connect(url)]);
    assert.ok(a && b && c);
    // Two replicas starting at the same moment: one applies, the other waits on the lock and sees it done.
    const [first, second] = await Promise.all([migrate(a), migrate(b)]);
    assert.deepEqual([...first.applied, ...second.applied], MIGRATIONS.map((m) => m.version));
    assert.deepEqual((await migrate(c)).applied, []);
    const versions = await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(versions.rows.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  });

  it('refuse a database a newer bot migrated, and say what to do', async () => {
    const url = await server.createDatabase('newer');
    const client = await connect(url);
    await migrate(client);
    await client.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    await assert.rejects(migrate(client), new RegExp(`schema is at version 999, newer than this bot knows \\(${MIGRATIONS.length}\\): a newer exa-chatops migrated it`));
  });

  it('a failing migration leaves nothing half applied', async () => {
    const url = await server.createDatabase('broken');
    const client = await connect(url);
    await assert.rejects(migrate(client, [...MIGRATIONS, { version: 6, name: 'broken', sql: 'CREATE TABLE ok_part (x int); SELECT no_such_function();' }]), /no_such_function/);
    const tables = await client.query("SELECT to_regclass('journal') AS journal, to_regclass('ok_part') AS ok_part");
    assert.deepEqual(tables.rows[0], { journal: null, ok_part: null });
  });
});

describe('the executor lock', { timeout: 60_000 }, () => {
  let url: string;
  before(async () => {
    url = await server.createDatabase('executors');
    await migrate(await connect(url));
  });

  it('one holder per cluster; another cluster is independent', async () => {
    const a = new ExecutorLock(await connect(url), 'prod', 'replica-a');
    const b = new ExecutorLock(await connect(url), 'prod', 'replica-b');
    const other = new ExecutorLock(await connect(url), 'test', 'replica-b');
    const epoch = await a.tryAcquire();
    assert.ok(epoch !== undefined && epoch >= 1);
    assert.equal(await b.tryAcquire(), undefined, 'the standby does not get it');
    assert.ok((await other.tryAcquire()) !== undefined, 'another cluster has its own lock');
    await a.release();
    assert.equal(await b.tryAcquire(), epoch + 1, 'a new holder, a new epoch');
    await b.release();
    await other.release();
  });

  it("takes over when the holder's session dies, and fences the ex-holder's writes", async () => {
    const holderSession = await connect(url);
    const holder = new ExecutorLock(holderSession, 'prod8', 'replica-a');
    const standby = new ExecutorLock(await connect(url), 'prod8', 'replica-b');
    const writer = await connect(url); // the ex-holder's pool: alive, while its lock session is gone
    const oldEpoch = await holder.tryAcquire();
    assert.ok(oldEpoch !== undefined);
    const lost = new Promise<string>((resolve) => holder.onChange((s) => s.kind === 'lost' && resolve(s.why)));

    // The holder's lock session is cut, as a dead host or a network cut would.
    const pid = (await holderSession.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const started = Date.now();
    await writer.query('SELECT pg_terminate_backend($1)', [pid]);
    const newEpoch = await standby.acquire({ intervalMs: 100 });
    const takeoverMs = Date.now() - started;
    assert.equal(newEpoch, oldEpoch + 1);
    assert.ok(takeoverMs < 5000, `took over in ${takeoverMs} ms`);
    assert.match(await lost, /database connection/);

    // The ex-holder still believes its epoch: its write is refused, the new holder's goes through.
    await assert.rejects(
      fencedTransaction(writer, 'prod8', oldEpoch, (c) => c.query("INSERT INTO journal (cluster, op_id, record) VALUES ('prod8', 'op-1', '{}')")),
      (error: Error & { code?: string }) => error.code === 'STORE_FENCED' && /another replica took over\. Nothing was written/.test(error.message),
    );
    await fencedTransaction(writer, 'prod8', newEpoch, (c) => c.query("INSERT INTO journal (cluster, op_id, record, epoch) VALUES ('prod8', 'op-1', '{\"ok\":true}', $1)", [newEpoch]));
    const rows = await writer.query("SELECT record FROM journal WHERE cluster = 'prod8'");
    assert.deepEqual(rows.rows.map((r: { record: unknown }) => r.record), [{ ok: true }], 'only the new holder wrote');
    await standby.release();
  });

  it('a network cut of the holder\'s lock connection: the holder learns it lost the lock, the standby takes over', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const viaProxy = url.replace(`:${server.port}/`, `:${proxy.port}/`);
      const holder = new ExecutorLock(await connect(viaProxy), 'cut', 'replica-a');
      const standby = new ExecutorLock(await connect(url), 'cut', 'replica-b');
      const epoch = await holder.tryAcquire();
      assert.ok(epoch !== undefined);
      const lost = new Promise<string>((resolve) => holder.onChange((s) => s.kind === 'lost' && resolve(s.why)));
      const started = Date.now();
      proxy.cut({ refuseNew: true });
      assert.match(await lost, /database connection/);
      assert.equal(await standby.acquire({ intervalMs: 100 }), epoch + 1);
      assert.ok(Date.now() - started < 10_000, `took over in ${Date.now() - started} ms`);
      assert.equal(holder.state.kind, 'lost', 'the ex-holder never thinks it holds the lock again');
      await standby.release();
    } finally {
      await proxy.close();
    }
  });

  it('a silent partition: the heartbeat declares the lock lost on the holder\'s side within its deadline', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const viaProxy = url.replace(`:${server.port}/`, `:${proxy.port}/`);
      const session = await connect(viaProxy);
      const holder = new ExecutorLock(session, 'silent', 'replica-a');
      assert.ok((await holder.tryAcquire()) !== undefined);
      // The session asked the server to find a vanished peer in about 11 s, not the kernel's 2 h.
      const keepalive = await session.query<{ idle: string; interval: string; count: string }>(
        "SELECT current_setting('tcp_keepalives_idle') AS idle, current_setting('tcp_keepalives_interval') AS interval, current_setting('tcp_keepalives_count') AS count",
      );
      assert.deepEqual(keepalive.rows[0], { idle: '5', interval: '2', count: '3' });
      holder.startHeartbeat({ intervalMs: 100, timeoutMs: 500 });
      const lost = new Promise<string>((resolve) => holder.onChange((s) => s.kind === 'lost' && resolve(s.why)));
      const started = Date.now();
      proxy.freeze();
      assert.match(await lost, /did not answer within 500 ms/);
      assert.ok(Date.now() - started < 3000, `lost after ${Date.now() - started} ms`);
      assert.equal(await holder.tryAcquire(), undefined, 'a lost lock is never taken back on the same session');
      holder.stopHeartbeat();
    } finally {
      await proxy.close();
    }
  });

  it('a takeover waits for a fenced write under way: the write is whole before the new epoch, or refused', async () => {
    const a = new ExecutorLock(await connect(url), 'race', 'replica-a');
    const b = new ExecutorLock(await connect(url), 'race', 'replica-b');
    const epoch = await a.tryAcquire();
    assert.ok(epoch !== undefined);
    await a.release();
    const writer = await connect(url);
    const [write, taken] = await Promise.allSettled([
      fencedTransaction(writer, 'race', epoch, async (c) => {
        await new Promise((r) => setTimeout(r, 300)); // the write is under way when b takes over
        return c.query("INSERT INTO journal (cluster, op_id, record) VALUES ('race', 'op-1', '{}')");
      }),
      (async () => {
        await new Promise((r) => setTimeout(r, 50));
        return b.tryAcquire();
      })(),
    ]);
    // Either the write committed before the takeover (and b's epoch came after it), or it was refused.
    assert.equal(taken.status, 'fulfilled');
    assert.equal(taken.status === 'fulfilled' ? taken.value : 0, epoch + 1);
    const count = Number((await writer.query("SELECT count(*) AS n FROM journal WHERE cluster = 'race'")).rows[0].n);
    assert.equal(count, write.status === 'fulfilled' ? 1 : 0);
    await b.release();
  });
});

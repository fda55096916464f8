// The PostgreSQL store as the bot uses it, against a real server: it waits (with backoff, saying
// where and why) for a database that is not up yet, migrates, numbers operations from one
// sequence for every replica, writes a cluster's journal only while it executes that cluster,
// and reports a lost lock so the bot can stop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isAppError } from '../../src/errors/app-error.js';
import type { Logger } from '../../src/logging/logger.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

let server: PostgresServer;
const stores: PgStore[] = [];
before(async () => {
  server = await startPostgres();
});
after(async () => {
  for (const store of stores) await store.close();
  await server.stop();
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string) => void lines.push(message);
  return { lines, error: log, warn: log, info: log, debug: () => undefined };
}

function store(url: string, name: string, clusters = ['c1']): PgStore {
  const s = new PgStore({ url, clusters, holder: name, pollMs: 100, logger: recordingLogger(), heartbeat: { intervalMs: 200, timeoutMs: 500 } });
  stores.push(s);
  return s;
}

const requested = (opId: string, cluster = 'c1') => ({ type: 'requested' as const, opId, cluster, operation: { kind: 'storage-stop' as const }, requestedBy: 'U1' });

describe('the PostgreSQL store', { timeout: 60_000 }, () => {
  it('waits for a database that is not reachable yet, logging where and why, never the password', async () => {
    const url = await server.createDatabase('late');
    const proxy: TcpProxy = await startTcpProxy(server.port);
    try {
      proxy.cut({ refuseNew: true });
      const logger = recordingLogger();
      const target = url.replace(`:${server.port}/`, `:${proxy.port}/`).replace('postgres@', 'postgres:hunter2-secret@');
      const s = new PgStore({ url: target, clusters: ['c1'], holder: 'late', pollMs: 100, logger });
      stores.push(s);
      const connecting = s.connect(new AbortController().signal);
      await new Promise((r) => setTimeout(r, 1500));
      proxy.restore();
      await connecting;
      const waits = logger.lines.filter((l) => /is not reachable/.test(l));
      assert.ok(waits.length >= 1, 'the wait was logged');
      assert.match(waits[0] ?? '', new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${proxy.port}/late is not reachable \\(.+\\); retrying in 1 s`));
      assert.ok(!logger.lines.join('\n').includes('hunter2'), 'no password in the log');
      assert.match(logger.lines.join('\n'), /schema migrated to version 5/);
    } finally {
      await proxy.close();
    }
  });

  it('gives up waiting when the bot stops', async () => {
    const s = store('postgres://postgres@127.0.0.1:1/none', 'stopped');
    const stop = new AbortController();
    const connecting = s.connect(stop.signal);
    setTimeout(() => stop.abort(new Error('the bot is stopping')), 300);
    await assert.rejects(connecting, /the bot is stopping/);
  });

  it('numbers operations from one sequence for every replica, and writes a cluster only as its executor', async () => {
    const url = await server.createDatabase('two');
    const a = store(url, 'replica-a');
    const b = store(url, 'replica-b');
    await Promise.all([a.connect(new AbortController().signal), b.connect(new AbortController().signal)]);
    const ids = await Promise.all([a.allocateId(), b.allocateId(), a.allocateId(), b.allocateId()]);
    assert.deepEqual([...ids].sort(), ['op-1', 'op-2', 'op-3', 'op-4']);

    await a.becomeExecutor(new AbortController().signal, () => assert.fail('a waits for nobody'));
    await a.journal.append(requested('op-1'));
    const refused = await b.journal.append(requested('op-2')).then(() => undefined, (error: unknown) => error);
    assert.ok(isAppError(refused) && refused.code === 'STORE_NOT_EXECUTOR', String(refused));
    assert.match(refused.message, /This replica does not execute cluster c1 right now \(another replica does\), so nothing was recorded or done/);

    // b stands by until a lets go; then b writes and a cannot.
    const waiting: string[] = [];
    const standby = b.becomeExecutor(new AbortController().signal, (cluster, holder) => waiting.push(`${cluster} ${holder}`));
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(waiting, ['c1 replica-a']);
    assert.equal(b.epochOf('c1'), undefined);
    await a.close();
    await standby;
    assert.equal(b.epochOf('c1'), 2, 'the takeover bumped the epoch');
    await b.journal.append(requested('op-2'));
    assert.deepEqual((await b.journal.read()).map((r) => r.opId), ['op-1', 'op-2']);
    // A start reads only what is still open, never the history.
    await b.journal.append({ type: 'finished', opId: 'op-1', cluster: 'c1', outcome: 'succeeded' });
    assert.deepEqual((await b.journal.read()).map((r) => r.opId), ['op-2']);
    await b.audit.record({ action: 'requested', actor: 'U1', cluster: 'c1', opId: 'op-2', operation: 'storage stop' });
    assert.deepEqual(await b.journal.health(), { damagedLines: [], unknownRecords: 0, archived: undefined });
  });

  it('reports a lock whose connection is cut, and refuses that cluster\'s writes from then on', async () => {
    const url = await server.createDatabase('cut');
    const proxy = await startTcpProxy(server.port);
    try {
      const s = store(url.replace(`:${server.port}/`, `:${proxy.port}/`), 'cut-off');
      await s.connect(new AbortController().signal);
      await s.becomeExecutor(new AbortController().signal, () => undefined);
      const lost = new Promise<string>((resolve) => s.onLost((cluster, why) => resolve(`${cluster}: ${why}`)));
      proxy.freeze();
      assert.match(await lost, /^c1: its database connection (did not answer within 500 ms|failed|ended)/);
      const refused = await s.journal.append(requested('op-9')).then(() => undefined, (error: unknown) => error);
      assert.ok(isAppError(refused) && refused.code === 'STORE_NOT_EXECUTOR', String(refused));
    } finally {
      proxy.restore();
      await proxy.close();
    }
  });

  it('a restart of PostgreSQL itself: the executor loses its lock; a standby waiting through it takes over, fenced', async () => {
    const url = await server.createDatabase('failover');
    const a = store(url, 'before');
    const b = store(url, 'after');
    await a.connect(new AbortController().signal);
    await b.connect(new AbortController().signal);
    await a.becomeExecutor(new AbortController().signal, () => undefined);
    const lost = new Promise<string>((resolve) => a.onLost((cluster) => resolve(cluster)));
    const standby = b.becomeExecutor(new AbortController().signal, () => undefined);
    await new Promise((r) => setTimeout(r, 300));
    await server.restart();
    assert.equal(await lost, 'c1');
    await standby;
    assert.equal(b.epochOf('c1'), 2);
    assert.equal(a.epochOf('c1'), undefined);
    await b.journal.append(requested('op-1'));
    const refused = await a.journal.append(requested('op-2')).then(() => undefined, (error: unknown) => error);
    assert.ok(isAppError(refused) && refused.code === 'STORE_NOT_EXECUTOR');
  });
});

describe('change control in PostgreSQL', { timeout: 60_000 }, () => {
  it('keeps holds, snoozes and schedule progress for every replica, and reads the audit log since a time', async () => {
    const url = await server.createDatabase('controls');
    const a = store(url, 'a');
    await a.connect(new AbortController().signal);
    await a.controls.append({ type: 'hold', cluster: 'c1', by: 'U1', reason: 'migration', until: 2_000_000_000_000, at: 1 });
    await a.controls.append({ type: 'snooze', schedule: 'nightly', occurrence: 10, until: 3_600_010, by: 'U2', at: 2 });
    // Not fenced by the executor lock: a standby records them too, and every replica reads them.
    const b = store(url, 'b');
    await b.connect(new AbortController().signal);
    await b.controls.append({ type: 'settled', schedule: 'nightly', through: 10, at: 3 });
    assert.deepEqual((await b.controls.read()).map((r) => r.type), ['hold', 'snooze', 'settled']);
    assert.deepEqual((await a.controls.read())[0], { type: 'hold', cluster: 'c1', by: 'U1', reason: 'migration', until: 2_000_000_000_000, at: 1 });

    await a.audit.record({ action: 'held', actor: 'U1', cluster: 'c1', reason: 'migration' });
    const since = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    await a.audit.record({ action: 'unheld', actor: 'U1', cluster: 'c1', reason: 'migration' });
    assert.deepEqual((await a.audit.read?.(since))?.map((e) => e.action), ['unheld']);
  });
});

// Slack requests shared between replicas, against a real PostgreSQL: a forwarded request is
// claimed by the executor or taken back by its standby, never both; a retry reaching the other
// replica is dropped; the executor answers what a standby received through its response_url; a
// request left by a standby that died is not run late.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { silentLogger } from '../../src/logging/logger.js';
import { migrate } from '../../src/store/pg/migrations.js';
import { INTAKE_CHANNEL, PgIntake } from '../../src/store/pg/pg-intake.js';
import { PgStore } from '../../src/store/pg/pg-store.js';
import { ReplayGuard } from '../../src/slack/replay-guard.js';
import { SharedIntake } from '../../src/slack/request-intake.js';
import type { SlackDeps } from '../../src/slack/slack-deps.js';
import type { Delivery } from '../../src/slack/slack-request.js';
import { systemClock } from '../../src/util/clock.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';

let server: PostgresServer;
let pool: pg.Pool;
let url: string;

before(async () => {
  server = await startPostgres();
  url = await server.createDatabase('intake');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  const client = await pool.connect();
  try {
    await migrate(client);
  } finally {
    client.release();
  }
});
after(async () => {
  await pool.end();
  await server.stop();
});

describe('the shared intake table', { timeout: 60_000 }, () => {
  it('lets exactly one of two replicas take a delivery, directly or forwarded', async () => {
    const [a, b] = [new PgIntake(pool, 'a/1'), new PgIntake(pool, 'b/2')];
    const results = await Promise.all([a.takeOwn('trigger-1'), b.takeOwn('trigger-1')]);
    assert.deepEqual([...results].sort(), [false, true]);
    assert.equal(await b.forward('trigger-1', { x: 1 }), false, 'a retry of a delivery taken directly is not forwarded');
    assert.equal(await b.forward('trigger-2', { x: 2 }), true);
    assert.equal(await a.takeOwn('trigger-2'), false, 'nor is a forwarded one taken again');
    assert.equal(await b.forward('trigger-2', { x: 2 }), false);
  });

  it('a forwarded request is claimed or withdrawn, never both, and its payload does not outlive either', async () => {
    const executor = new PgIntake(pool, 'exec/1');
    const standby = new PgIntake(pool, 'standby/2');
    await executor.claim(); // what the test above left
    for (let i = 0; i < 20; i += 1) {
      const key = `race-${i}`;
      assert.equal(await standby.forward(key, { i }), true);
      const [claimed, withdrawn] = await Promise.all([executor.claim(), standby.withdraw(key)]);
      const took = claimed.filter((c) => c.key === key).length;
      assert.equal(took + (withdrawn ? 1 : 0), 1, `exactly one side wins (${key})`);
      if (took === 1) assert.deepEqual(claimed[0]?.payload, { i });
    }
    const left = await pool.query("SELECT count(*) AS n FROM slack_intake WHERE key LIKE 'race-%' AND payload IS NOT NULL");
    assert.equal(Number(left.rows[0].n), 0, 'no response_url is left in the database');
  });

  it('claims the oldest first, in batches, and tells how long each waited', async () => {
    const standby = new PgIntake(pool, 'standby/2');
    for (let i = 0; i < 5; i += 1) await standby.forward(`order-${i}`, { i });
    const claimed = await new PgIntake(pool, 'exec/1').claim(3);
    assert.deepEqual(claimed.map((c) => c.key), ['order-0', 'order-1', 'order-2']);
    assert.ok(claimed.every((c) => c.ageMs >= 0 && c.ageMs < 10_000));
    assert.deepEqual((await new PgIntake(pool, 'exec/1').claim(3)).map((c) => c.key), ['order-3', 'order-4']);
  });
});

interface Answer {
  readonly via: string;
  readonly text: string;
}

/** Just enough of the Slack side for a click on an operation nobody knows: the core's refusal path. */
function deps(audit: string[], work: Promise<unknown>[]): SlackDeps {
  return {
    service: { get: () => undefined } as unknown as SlackDeps['service'],
    access: {} as SlackDeps['access'],
    audit: {
      record: async (entry) => {
        audit.push(entry.detail ?? entry.action);
        return { ...entry, at: '' } as never;
      },
    },
    poster: {} as SlackDeps['poster'],
    messages: {} as SlackDeps['messages'],
    logger: silentLogger,
    redact: (text) => text,
    defaultClusterFor: () => 'cluster1',
    accepting: () => true,
    track: (w) => void work.push(w),
  };
}

function replica(holder: string, store: PgStore, answers: Answer[], audit: string[], work: Promise<unknown>[], waitMs = 3000): SharedIntake {
  return new SharedIntake({
    queue: new PgIntake(pool, holder),
    deps: deps(audit, work),
    respondTo: (responseUrl) => async (message) => void answers.push({ via: responseUrl, text: JSON.stringify(message) }),
    listen: (wake, signal) => store.listen(INTAKE_CHANNEL, wake, signal),
    redact: (text) => text,
    logger: silentLogger,
    clock: systemClock,
    waitMs,
    pollMs: 60_000, // only NOTIFY wakes the executor here: the test sees it work
  });
}

const click = (key: string): Delivery => ({ key, request: { kind: 'click', user: 'U1', channel: 'C1', action: 'approve', opId: 'op-404' }, responseUrl: `https://hooks.example/${key}` });

describe('two replicas sharing requests', { timeout: 60_000 }, () => {
  it('the executor runs what the standby received and answers through its response_url; the standby says nothing more', async () => {
    const store = new PgStore({ url, clusters: [], holder: 'exec/1', pollMs: 200, logger: silentLogger });
    const [answers, audit, work]: [Answer[], string[], Promise<unknown>[]] = [[], [], []];
    const executor = replica('exec/1', store, answers, audit, work);
    const standby = replica('standby/2', store, answers, audit, work);
    executor.execute();
    try {
      const direct: Answer[] = [];
      const taken = standby.take(click('fwd-1'), async (m) => void direct.push({ via: 'bolt', text: JSON.stringify(m) }));
      const started = Date.now();
      while (answers.length === 0) {
        assert.ok(Date.now() - started < 5000, 'the executor answers the forwarded click');
        await sleep(10);
      }
      await Promise.all(work);
      assert.equal(answers[0]?.via, 'https://hooks.example/fwd-1');
      assert.match(answers[0]?.text ?? '', /There is no operation op-404: it no longer exists/);
      assert.deepEqual(audit, ['approve refused: no such operation (it may predate a restart)']);
      // A retry of the same delivery at the executor: dropped.
      await executor.take(click('fwd-1'), async (m) => void direct.push({ via: 'bolt', text: JSON.stringify(m) }));
      await taken;
      assert.deepEqual(direct, [], 'neither the standby nor the retry answers again');
      assert.equal(answers.length, 1);
      assert.equal(audit.length, 1, 'run once');
    } finally {
      await executor.stop();
      await standby.stop();
      await store.close();
    }
  });

  it('with no executor, the standby takes its request back and says nothing was done', async () => {
    const store = new PgStore({ url, clusters: [], holder: 'standby/2', pollMs: 200, logger: silentLogger });
    const [answers, audit, work]: [Answer[], string[], Promise<unknown>[]] = [[], [], []];
    const standby = replica('standby/2', store, answers, audit, work, 300);
    const direct: string[] = [];
    await standby.take(click('alone-1'), async (m) => void direct.push(JSON.stringify(m)));
    assert.equal(direct.length, 1);
    assert.match(direct[0] ?? '', /No replica took your request within 0 s.*Nothing was done/);
    assert.equal(await new PgIntake(pool, 'late/3').claim().then((rows) => rows.filter((r) => r.key === 'alone-1').length), 0, 'an executor that comes later finds nothing to run');
    await store.close();
  });

  it('an executor that comes after a standby died does not run its request late', async () => {
    await pool.query("INSERT INTO slack_intake (key, received_by, received_at, payload) VALUES ('dead-1', 'dead/9', now() - interval '2 minutes', $1)", [JSON.stringify(click('dead-1'))]);
    const store = new PgStore({ url, clusters: [], holder: 'exec/1', pollMs: 200, logger: silentLogger });
    const [answers, audit, work]: [Answer[], string[], Promise<unknown>[]] = [[], [], []];
    const executor = replica('exec/1', store, answers, audit, work);
    executor.execute();
    try {
      const started = Date.now();
      while (!answers.some((a) => a.via.endsWith('dead-1'))) {
        assert.ok(Date.now() - started < 5000, 'the stale request is answered');
        await sleep(10);
      }
      assert.match(answers.find((a) => a.via.endsWith('dead-1'))?.text ?? '', /waited 1\d\d s for a replica to execute it, so it was not run/);
      assert.deepEqual(audit, [], 'not run');
    } finally {
      await executor.stop();
      await store.close();
    }
  });
});

describe('the replay window shared by the replicas', { timeout: 60_000 }, () => {
  it('a signed request one replica took is a replay at the other, also one started before it', async () => {
    const stores = ['a/1', 'b/2'].map((holder) => new PgStore({ url, clusters: [], holder, pollMs: 200, logger: silentLogger }));
    try {
      const [a, b] = stores.map((store) => new ReplayGuard(Date.now, undefined, store?.replayWindow()));
      await a?.loadShared();
      await b?.loadShared();
      const headers = { 'x-slack-signature': `v0=${'ef'.repeat(32)}`, 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)) };
      assert.equal(a?.remember(headers), true);
      assert.equal(await a?.firstAmongReplicas(headers), true);
      assert.deepEqual(b?.screen(headers), { ok: true }, 'b did not load it: it started before');
      assert.equal(b?.remember(headers), true);
      assert.equal(await b?.firstAmongReplicas(headers), false, 'the database says a took it');
      const late = new ReplayGuard(Date.now, undefined, stores[1]?.replayWindow());
      await late.loadShared();
      assert.equal(late.screen(headers).ok, false, 'one started after loads it');
    } finally {
      for (const store of stores) await store.close();
    }
  });
});

import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ExaOperationClient } from '../../src/exaoperation/client.js';
import { silentLogger } from '../../src/logging/logger.js';
import { systemClock } from '../../src/util/clock.js';
import { createClusterWatcher, type ClusterWatcher } from '../../src/watch/cluster-watcher.js';
import type { ClusterEvent } from '../../src/watch/events.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { waitUntil } from '../simulator/helpers/wait-until.js';
import { RecordingSink } from './helpers/recording-sink.js';
import { createTempDirs, kinds } from './helpers/watch-fixture.js';

// The watcher against the real simulator over loopback, in real (scaled) time: a 145 s boot takes
// 0.29 s, polls are 20 ms apart and a notification window is 400 ms.
const temp = createTempDirs();
let cluster: SimCluster | undefined;
const watchers: ClusterWatcher[] = [];
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.stop()));
  await cluster?.stop();
  cluster = undefined;
  temp.cleanUp();
});

interface Watch {
  readonly watcher: ClusterWatcher;
  readonly sink: RecordingSink;
  readonly events: ClusterEvent[];
}

async function watch(c: SimCluster, dataDir: string, tag?: string): Promise<Watch> {
  const sink = new RecordingSink(systemClock);
  const events: ClusterEvent[] = [];
  const watcher = createClusterWatcher({
    cluster: 'cluster1',
    channel: '#exa',
    backend: exaoperationBackend(c.client, c.profile),
    dataDir,
    clock: systemClock,
    logger: silentLogger,
    sink,
    pollIntervalMs: 20,
    maxBackoffMs: 100,
    batching: { windowMs: 400, messageIntervalMs: 20 },
    onEvent: (e) => events.push(e),
    ...(tag === undefined ? {} : { tag }),
  });
  watchers.push(watcher);
  watcher.start();
  await watcher.ready();
  return { watcher, sink, events };
}

async function stop(w: Watch): Promise<void> {
  await w.watcher.stop();
}

const accepting = (events: readonly ClusterEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'database-connections' && e.accepting ? [e.database] : [])).sort();
const booted = (events: readonly ClusterEvent[]): string[] => events.flatMap((e) => (e.kind === 'node-booted' ? [e.node] : [])).sort();

async function bootAllNodes(client: ExaOperationClient): Promise<string[]> {
  const nodes = await client.getNodeList();
  for (const node of nodes) await client.startupNode(node);
  await waitUntil('every node running', async () =>
    (await Promise.all(nodes.map((n) => client.getNodeState(n)))).every((s) => s.status.kind === 'running'),
  );
  return nodes;
}

async function startDatabase(client: ExaOperationClient, db: string): Promise<void> {
  await client.startDatabase(db);
  await waitUntil(`${db} connectible`, async () => (await client.getDatabaseConnectionState(db)).kind === 'accepting');
}

describe('cluster watcher against the simulator', () => {
  it('cold start: one boot line per node under one summary, one accepting event per database', async () => {
    cluster = await startSimCluster({ cold: true });
    const { client } = cluster;
    const w = await watch(cluster, temp.make());
    const nodes = await bootAllNodes(client);
    await client.startEXAStorage();
    await waitUntil('storage online', () => client.serviceIsOnline());
    for (const db of ['exa_db1', 'exa_db2']) await startDatabase(client, db);
    await waitUntil('both accepting events', () => accepting(w.events).length === 2);
    await delay(100);
    await stop(w);

    assert.deepEqual(booted(w.events), nodes, 'one boot event per node');
    assert.deepEqual(accepting(w.events), ['exa_db1', 'exa_db2'], 'one accepting event per database');
    assert.deepEqual(kinds(w.events, 'connection-state-changed'), [], 'the polled Yes is the same news as the log line');
    assert.deepEqual(kinds(w.events, 'node-status-changed'), [], 'the boot message already said the node is up');
    const boots = w.sink.titles().filter((t) => /booted/.test(t));
    assert.equal(boots.length, 1, w.sink.titles().join(' | '));
    assert.match(boots[0] ?? '', /^4 nodes booted on cluster1, slowest n0014 in 145 s/);
    const lines = w.sink.lines();
    assert.deepEqual(
      lines.flatMap((l) => /cluster1\/(n\d{4}): boot finished after (\d+) s$/.exec(l)?.slice(1, 3).join(' ') ?? []).sort(),
      ['n0011 100', 'n0012 115', 'n0013 130', 'n0014 145'],
    );
    assert.equal(lines.filter((l) => /exa_db1: accepting connections$/.test(l)).length, 1);
    assert.ok(w.sink.posts.length <= 4, `a few posts, got ${w.sink.titles().join(' | ')}`);
  });

  it('a restart midway repeats nothing and misses nothing, even when the cursor is lost', async () => {
    cluster = await startSimCluster({ cold: true });
    const { client } = cluster;
    const dataDir = temp.make();
    const a = await watch(cluster, dataDir);
    const nodes = await bootAllNodes(client);
    await waitUntil('every boot seen', () => booted(a.events).length === nodes.length);
    await stop(a);

    // While no watcher runs: storage and a database start.
    await client.startEXAStorage();
    await waitUntil('storage online', () => client.serviceIsOnline());
    await startDatabase(client, 'exa_db1');

    const b = await watch(cluster, dataDir);
    await waitUntil('the start while down reported', () => accepting(b.events).includes('exa_db1'));
    await startDatabase(client, 'exa_db2');
    await waitUntil('exa_db2 reported', () => accepting(b.events).includes('exa_db2'));
    await delay(100);
    await stop(b);

    // EXAoperation handing out every retained entry again (an unknown tag, as after losing its cursors).
    const c = await watch(cluster, dataDir, 'exa-chatops-watch-forgotten');
    await delay(200);
    await stop(c);

    const all = [...a.events, ...b.events];
    assert.deepEqual(booted(all), nodes);
    assert.deepEqual(booted(b.events), [], 'no boot posted twice');
    assert.deepEqual(accepting(all), ['exa_db1', 'exa_db2']);
    const signatures = all.map(({ observedAt: _, ...rest }) => JSON.stringify(rest));
    assert.equal(new Set(signatures).size, signatures.length, 'no event twice');
    assert.deepEqual(c.events, [], 'nothing re-posted from a full re-delivery');
    assert.deepEqual(c.sink.posts, []);
  });

  it('EXAoperation offline and back: one lost notice, one back notice, only the news in between', async () => {
    cluster = await startSimCluster();
    const sim = cluster.sim;
    const w = await watch(cluster, temp.make());
    await sim.goOffline();
    await waitUntil('lost contact', () => kinds(w.events, 'contact-lost').length > 0);
    // Someone stops a database from the web interface while our link is down.
    sim.model.stopDatabase('exa_db1');
    await delay(400);
    await sim.comeBack();
    await waitUntil('back in contact', () => kinds(w.events, 'contact-restored').length > 0);
    await waitUntil('the stop reported', () => w.events.some((e) => e.kind === 'database-connections' && !e.accepting));
    await delay(150);
    await stop(w);

    assert.equal(kinds(w.events, 'contact-lost').length, 1);
    const back = kinds(w.events, 'contact-restored');
    assert.equal(back.length, 1);
    assert.ok(back[0]?.kind === 'contact-restored' && back[0].downMs >= 400);
    assert.deepEqual(booted(w.events), []);
    assert.deepEqual(accepting(w.events), [], 'no old entry re-posted');
    assert.equal(w.sink.titles().filter((t) => t.includes('Lost contact with EXAoperation of cluster cluster1 (not reachable)')).length, 1);
    assert.equal(w.sink.titles().filter((t) => /Back in contact with EXAoperation of cluster cluster1 after/.test(t)).length, 1);
    assert.ok(w.sink.lines().some((l) => /exa_db1: rejecting connections$/.test(l)));
  });

  it('license server shut down and powered on again: exactly one lost and one back, nothing else', async () => {
    cluster = await startSimCluster({ cold: true });
    const { sim, client } = cluster;
    const w = await watch(cluster, temp.make());
    await client.shutdownNode('n0010');
    await waitUntil('lost contact', () => kinds(w.events, 'contact-lost').length > 0);
    sim.powerOnLicenseServer();
    await waitUntil('back in contact', () => kinds(w.events, 'contact-restored').length > 0);
    await delay(150);
    await stop(w);
    assert.deepEqual(
      w.events.map((e) => e.kind),
      ['contact-lost', 'contact-restored'],
    );
    assert.deepEqual(sim.violations, []);
  });

  it('a burst of 500 Error entries in the real logservice becomes a few grouped posts, none lost', async () => {
    cluster = await startSimCluster();
    const w = await watch(cluster, temp.make());
    for (let chunk = 0; chunk < 5; chunk++) {
      cluster.sim.model.writeLogEntries(
        Array.from({ length: 100 }, (_, i) => ({ system: 'Storage', node: 'n0012', priority: 'Error' as const, message: `volume error ${chunk * 100 + i}` })),
      );
      await delay(100);
    }
    await waitUntil('all 500 entries posted', () => {
      const counted = w.sink.titles().reduce((n, t) => n + Number(/^(\d+) log entries on cluster1 \(Error\)/.exec(t)?.[1] ?? (/Error/.test(t) ? 1 : 0)), 0);
      return counted >= 500 ? counted : undefined;
    }, { timeoutMs: 8000 });
    await stop(w);
    assert.equal(kinds(w.events, 'log-entry').length, 500, 'every entry is an event, once');
    assert.ok(w.sink.posts.length <= 5, `grouped: ${w.sink.posts.length} posts: ${w.sink.titles().join(' | ')}`);
    for (const post of w.sink.posts) assert.ok(post.thread.length <= 5, 'a bounded thread');
  });

  it('reports a database started outside the bot', async () => {
    cluster = await startSimCluster();
    const { client } = cluster;
    await client.stopDatabase('exa_db1');
    await waitUntil('exa_db1 stopped', async () => (await client.getDatabaseState('exa_db1')).kind === 'setup');
    const w = await watch(cluster, temp.make());
    await startDatabase(client, 'exa_db1');
    await waitUntil('accepting reported', () => accepting(w.events).length > 0);
    await delay(100);
    await stop(w);
    assert.deepEqual(accepting(w.events), ['exa_db1']);
    assert.ok(w.events.some((e) => e.kind === 'database-state-changed' && e.database === 'exa_db1' && e.to.kind === 'running'));
    assert.ok(w.sink.titles().some((t) => t.startsWith('Database exa_db1 on cluster1 is accepting connections')), w.sink.titles().join(' | '));
  });
});

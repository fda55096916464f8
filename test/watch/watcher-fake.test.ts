import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { silentLogger } from '../../src/logging/logger.js';
import { createClusterWatcher, type ClusterWatcher } from '../../src/watch/cluster-watcher.js';
import type { ClusterEvent } from '../../src/watch/events.js';
import { createWatchService } from '../../src/watch/watch-service.js';
import { FakeExaClient } from '../helpers/fake-exa-client.js';
import { RecordingSink } from './helpers/recording-sink.js';
import { VirtualClock } from './helpers/virtual-clock.js';
import { createTempDirs, errorEntry, kinds, recordingLogger } from './helpers/watch-fixture.js';

// Against the in-memory fake with a virtual clock: minutes of backoff and a 500-entry burst run in
// milliseconds, with exact times to assert on.
const temp = createTempDirs();
afterEach(() => temp.cleanUp());

function setUp(options: { fake?: FakeExaClient; dataDir?: string; logger?: ReturnType<typeof recordingLogger>; signal?: AbortSignal } = {}) {
  const clock = new VirtualClock();
  const fake = options.fake ?? new FakeExaClient({ nodes: 4, databases: ['exa_db1'] });
  const sink = new RecordingSink(clock);
  const events: ClusterEvent[] = [];
  const dataDir = options.dataDir ?? temp.make();
  const make = (): ClusterWatcher =>
    createClusterWatcher({
      cluster: 'cluster1',
      channel: '#exa',
      backend: exaoperationBackend(fake, defaultProfile('cluster1')),
      dataDir,
      clock,
      logger: options.logger ?? silentLogger,
      sink,
      pollIntervalMs: 1000,
      batching: { windowMs: 3000, messageIntervalMs: 1000 },
      onEvent: (e) => events.push(e),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  return { clock, fake, sink, events, dataDir, make };
}

async function started(watcher: ClusterWatcher, clock: VirtualClock): Promise<ClusterWatcher> {
  watcher.start();
  await clock.runFor(0);
  await watcher.ready();
  return watcher;
}

describe('cluster watcher against a fake EXAoperation', () => {
  it('turns a burst of 500 error entries into a few posts within the channel rate', async () => {
    const { clock, fake, sink, events, make } = setUp();
    const watcher = await started(make(), clock);
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 100; i++) fake.log.push(errorEntry(second * 100 + i));
      await clock.runFor(1000);
    }
    await clock.runFor(60_000);
    await watcher.stop();

    assert.equal(kinds(events, 'log-entry').length, 500, 'every entry is an event');
    assert.ok(sink.posts.length >= 1 && sink.posts.length <= 3, `posts: ${sink.titles().join(' | ')}`);
    const counted = sink.titles().reduce((n, t) => n + Number(/^(\d+) log entries on cluster1 \(Error\)/.exec(t)?.[1] ?? 0), 0);
    assert.equal(counted, 500, sink.titles().join(' | '));
    for (const [i, post] of sink.posts.entries()) {
      assert.ok(post.thread.length <= 5, 'a bounded thread');
      const previous = sink.posts[i - 1];
      if (previous) assert.ok(post.at - previous.at >= Math.max(3000, (1 + previous.thread.length) * 1000), 'paced');
    }
  });

  it('backs off doubling to the cap, says once that contact is lost and once that it is back, and repeats nothing', async () => {
    const { clock, fake, sink, events, make } = setUp();
    const polls: number[] = [];
    const getNodeList = fake.getNodeList.bind(fake);
    fake.getNodeList = (o) => {
      polls.push(clock.now());
      return getNodeList(o);
    };
    const watcher = await started(make(), clock);
    fake.log.push(errorEntry(1));
    await clock.runFor(5000);
    assert.equal(kinds(events, 'log-entry').length, 1);

    fake.licenseServerUp = false;
    const wentDown = polls.length;
    await clock.runFor(300_000);
    const gaps = polls.slice(wentDown).map((t, i, all) => (i === 0 ? 0 : t - (all[i - 1] ?? 0))).slice(1);
    assert.deepEqual(gaps.slice(0, 7), [2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    const firstFailure = polls[wentDown] ?? 0;

    // EXAoperation comes back having forgotten every cursor: it hands out all it retained.
    fake.licenseServerUp = true;
    fake.logEntriesTagged = async () => ({ header: [0, 0] as const, entries: [...fake.log].reverse() });
    await clock.runFor(120_000);
    await watcher.stop();

    assert.equal(kinds(events, 'contact-lost').length, 1);
    const back = kinds(events, 'contact-restored');
    assert.equal(back.length, 1);
    const backAt = back[0]?.observedAt ?? 0;
    assert.deepEqual(back[0], { kind: 'contact-restored', downMs: backAt - firstFailure, cluster: 'cluster1', observedAt: backAt });
    assert.equal(kinds(events, 'log-entry').length, 1, 'the old entry is not posted again');
    assert.equal(sink.titles().filter((t) => t === 'Lost contact with EXAoperation of cluster cluster1 (not reachable)').length, 1);
    assert.equal(sink.titles().filter((t) => /^Back in contact with EXAoperation of cluster cluster1 after \d+ min/.test(t)).length, 1);
  });

  it('a restart during an outage neither repeats the loss nor forgets it', async () => {
    const { clock, fake, events, make } = setUp();
    const first = await started(make(), clock);
    fake.licenseServerUp = false;
    await clock.runFor(30_000);
    await first.stop();
    const second = make();
    second.start();
    await clock.runFor(120_000);
    fake.licenseServerUp = true;
    await clock.runFor(120_000);
    await second.stop();
    assert.equal(kinds(events, 'contact-lost').length, 1);
    assert.equal(kinds(events, 'contact-restored').length, 1);
  });

  it("after the bot's own shut-down: no lost contact, not even across a restart, and one line when EXAoperation is back", async () => {
    const { clock, fake, sink, events, make } = setUp();
    const first = await started(make(), clock);
    // The shut-down runs: EXAoperation goes down with the license server, its last step.
    first.setOperationRunning(true);
    fake.licenseServerUp = false;
    await clock.runFor(20_000);
    first.plannedOutage();
    first.setOperationRunning(false);
    await clock.runFor(300_000);
    await first.stop();
    const second = make();
    second.start();
    await clock.runFor(300_000);
    fake.licenseServerUp = true; // someone powers the license server on; a start-up follows
    await clock.runFor(120_000);
    await second.stop();
    assert.deepEqual(kinds(events, 'contact-lost'), [], 'no false alarm');
    const back = kinds(events, 'contact-restored');
    assert.equal(back.length, 1);
    assert.equal(back[0]?.kind === 'contact-restored' && back[0].planned, true);
    const titles = sink.titles().filter((t) => /EXAoperation/.test(t));
    assert.equal(titles.length, 1, titles.join(' | '));
    assert.match(titles[0] ?? '', /^EXAoperation of cluster cluster1 is back after the planned shut-down \(down \d+ min( \d+ s)?\)$/);
  });

  it('while an operation of the bot runs, a silent EXAoperation is not announced; if the silence outlasts it, it is', async () => {
    const { clock, fake, events, make } = setUp();
    const watcher = await started(make(), clock);
    watcher.setOperationRunning(true); // e.g. a start-up while EXAoperation still boots
    fake.licenseServerUp = false;
    await clock.runFor(60_000);
    assert.deepEqual(kinds(events, 'contact-lost'), []);
    watcher.setOperationRunning(false); // the operation failed: the silence is news now
    await clock.runFor(120_000);
    await watcher.stop();
    assert.equal(kinds(events, 'contact-lost').length, 1);
  });

  it('keeps quiet about boots during an operation and sums up the net change after it', async () => {
    const fake = new FakeExaClient({ nodes: 2, databases: ['exa_db1'], cold: true });
    const { clock, sink, events, make } = setUp({ fake });
    const watcher = await started(make(), clock);
    watcher.setOperationRunning(true);
    for (const node of ['n0011', 'n0012']) await fake.startupNode(node);
    await fake.startEXAStorage();
    await fake.startDatabase('exa_db1');
    await clock.runFor(30_000);
    assert.equal(events.length, 0, 'nothing while the operation runs');
    watcher.setOperationRunning(false);
    await clock.runFor(30_000);
    await watcher.stop();
    assert.equal(sink.posts.length, 1, 'one summary');
    assert.deepEqual(
      events.map((e) => e.kind),
      [
        'storage-changed',
        'service-state-changed',
        'service-state-changed',
        'node-status-changed',
        'node-status-changed',
        'database-state-changed',
        'connection-state-changed',
      ],
    );
    assert.match(sink.titles()[0] ?? '', /Database exa_db1 on cluster1 is accepting connections/);
  });

  it('still posts new entries after the cluster clock was set back', async () => {
    const { clock, fake, events, make } = setUp();
    const watcher = await started(make(), clock);
    fake.log.push(errorEntry(100_000));
    await clock.runFor(2000);
    fake.log.push({ ...errorEntry(1), message: 'written after setClusterTime, an hour in the past' });
    await clock.runFor(2000);
    await watcher.stop();
    assert.deepEqual(
      events.flatMap((e) => (e.kind === 'log-entry' ? [e.entry.message] : [])),
      ['Disk error 100000 on /dev/sdb', 'written after setClusterTime, an hour in the past'],
    );
  });

  it('started while EXAoperation is down: one lost notice, then a quiet baseline, even from a server that repeats everything', async () => {
    const { clock, fake, events, make } = setUp();
    for (let i = 0; i < 3; i++) fake.log.push(errorEntry(i));
    fake.logEntriesTagged = async () => ({ header: [0, 0] as const, entries: [...fake.log].reverse() });
    fake.licenseServerUp = false;
    const watcher = make();
    watcher.start();
    await clock.runFor(30_000);
    fake.licenseServerUp = true;
    await clock.runFor(60_000); // the backoff has reached 32 s by now
    await watcher.ready();
    fake.log.push(errorEntry(10));
    await clock.runFor(5000);
    await watcher.stop();
    assert.deepEqual(
      events.map((e) => (e.kind === 'log-entry' ? e.entry.message : e.kind)),
      ['contact-lost', 'contact-restored', 'Disk error 10 on /dev/sdb'],
    );
  });

  it('takes a fresh baseline over a damaged state file, says so, and repairs it', async () => {
    const dataDir = temp.make();
    const path = join(dataDir, 'watch-cluster1.json');
    writeFileSync(path, '{"version":1,"tag":');
    const logger = recordingLogger();
    const fake = new FakeExaClient();
    fake.log.push(errorEntry(1));
    const { clock, events, make } = setUp({ fake, dataDir, logger });
    const watcher = await started(make(), clock);
    await clock.runFor(10_000);
    await watcher.stop();
    assert.deepEqual(events, []);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /watcher state of cluster cluster1 .* is unusable/.test(l.message)));
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as { version: number }).version, 1);
  });

  it('stops when its signal aborts, and still posts what it had found', async () => {
    const controller = new AbortController();
    const { clock, fake, sink, make } = setUp({ signal: controller.signal });
    const watcher = await started(make(), clock);
    fake.log.push(errorEntry(1));
    await clock.runFor(1000);
    assert.equal(sink.posts.length, 0, 'still inside the window');
    const callsBefore = fake.calls.length;
    controller.abort();
    await clock.runFor(10_000);
    assert.equal(sink.posts.length, 1, 'flushed without stop()');
    assert.equal(fake.calls.length, callsBefore, 'no polls after the abort');
    await watcher.stop();
    assert.equal(sink.posts.length, 1);
  });

  it('a watch service gives clusters that share a channel one post per window', async () => {
    const clock = new VirtualClock();
    const sink = new RecordingSink(clock);
    const east = new FakeExaClient();
    const west = new FakeExaClient();
    const service = createWatchService({
      clusters: [
        { cluster: 'east', channel: '#exa', backend: exaoperationBackend(east, defaultProfile('east')) },
        { cluster: 'west', channel: '#exa', backend: exaoperationBackend(west, defaultProfile('west')) },
      ],
      sink,
      dataDir: temp.make(),
      clock,
      logger: silentLogger,
      pollIntervalMs: 1000,
      batching: { windowMs: 3000 },
    });
    service.start();
    await clock.runFor(2000);
    east.log.push(errorEntry(1));
    west.log.push(errorEntry(2));
    service.setOperationRunning('nowhere', true);
    await clock.runFor(10_000);
    await service.stop();
    assert.equal(sink.posts.length, 1);
    assert.match(sink.titles()[0] ?? '', /^Error on east: Disk error 1 .*; Error on west: Disk error 2/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../src/logging/logger.js';
import type { ClusterEvent } from '../../src/watch/events.js';
import { createNotificationDispatcher } from '../../src/watch/notification-dispatcher.js';
import { RecordingSink } from './helpers/recording-sink.js';
import { VirtualClock } from './helpers/virtual-clock.js';

const stored = (cluster: string, online: boolean, observedAt = 0): ClusterEvent => ({ kind: 'storage-changed', online, cluster, observedAt });

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, error: (m) => errors.push(m), warn: () => undefined, info: () => undefined, debug: () => undefined };
}

describe('notification dispatcher', () => {
  it('posts a window after the first event, waking from its idle sleep, and paces the channel', async () => {
    const clock = new VirtualClock(0);
    const sink = new RecordingSink(clock);
    const dispatcher = createNotificationDispatcher({ sink, clock, logger: recordingLogger(), windowMs: 3000, messageIntervalMs: 1000 });
    dispatcher.start();
    await clock.runFor(10_000);
    dispatcher.publish('#ops', [stored('east', true)]);
    await clock.runFor(500);
    dispatcher.publish('#ops', [stored('west', false)]);
    await clock.runFor(5000);
    assert.deepEqual(sink.posts.map((p) => p.at), [13_000]);
    assert.equal(sink.posts[0]?.thread.length, 1, 'both clusters in one post');
    for (let i = 0; i < 10; i++) {
      dispatcher.publish('#ops', [stored('east', i % 2 === 0)]);
      await clock.runFor(700);
    }
    await clock.runFor(10_000);
    const times = sink.posts.map((p) => p.at);
    for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) >= 3000, `posts ${times.join(', ')}`);
    assert.ok(times.length <= 4, `10 events over 7 s: a few posts, got ${times.length}`);
    assert.equal(sink.lines().length, 12, 'every event has its line');
    await dispatcher.stop();
  });

  it('logs a failed post and goes on with the next', async () => {
    const clock = new VirtualClock(0);
    const sink = new RecordingSink(clock);
    const logger = recordingLogger();
    const dispatcher = createNotificationDispatcher({ sink, clock, logger, windowMs: 1000 });
    dispatcher.start();
    sink.failNext = 1;
    dispatcher.publish('#ops', [stored('east', true)]);
    await clock.runFor(2000);
    dispatcher.publish('#ops', [stored('east', false)]);
    await clock.runFor(5000);
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0] ?? '', /^Could not post a notification to #ops: .*east: EXAStorage online$/);
    assert.equal(sink.posts.length, 1);
    await dispatcher.stop();
  });

  it('delivers what waits when it stops, without waiting for the window', async () => {
    const clock = new VirtualClock(0);
    const sink = new RecordingSink(clock);
    const dispatcher = createNotificationDispatcher({ sink, clock, logger: recordingLogger(), windowMs: 60_000 });
    dispatcher.start();
    dispatcher.publish('#a', [stored('east', true)]);
    dispatcher.publish('#b', [stored('west', true)]);
    await clock.runFor(10);
    assert.equal(sink.posts.length, 0);
    await dispatcher.stop();
    assert.deepEqual(sink.posts.map((p) => p.channel), ['#a', '#b']);
    await dispatcher.stop();
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../src/watch/events.js';
import { NotificationBatcher } from '../../src/watch/notification-batcher.js';

const event = (n: number): ClusterEvent => ({ kind: 'storage-changed', online: n % 2 === 0, cluster: 'c1', observedAt: n });

describe('NotificationBatcher', () => {
  it('collects a window of events into one batch', () => {
    const b = new NotificationBatcher({ windowMs: 3000 });
    b.add('#ops', [event(1)], 1000);
    b.add('#ops', [event(2), event(3)], 2500);
    assert.equal(b.nextDueAt(), 4000);
    assert.deepEqual(b.takeDue(3999), []);
    const [batch, ...more] = b.takeDue(4000);
    assert.deepEqual(more, []);
    assert.deepEqual(batch, { channel: '#ops', events: [event(1), event(2), event(3)], omitted: 0 });
    assert.equal(b.nextDueAt(), undefined);
  });

  it('never posts to a channel twice within a window, and counts thread replies against the rate', () => {
    const b = new NotificationBatcher({ windowMs: 3000, messageIntervalMs: 1000 });
    b.add('#ops', [event(1)], 0);
    assert.equal(b.takeDue(3000).length, 1);
    b.add('#ops', [event(2)], 3001);
    assert.equal(b.nextDueAt(), 6001, 'a window after its first event');
    b.sent('#ops', 5, 3000); // a post with four replies: rest 5 s, not 3
    assert.equal(b.nextDueAt(), 8000);
    assert.deepEqual(b.takeDue(7999), []);
    assert.equal(b.takeDue(8000).length, 1);
  });

  it('keeps channels apart', () => {
    const b = new NotificationBatcher({ windowMs: 1000 });
    b.add('#a', [event(1)], 0);
    b.add('#b', [event(2)], 500);
    assert.deepEqual(b.takeDue(1000).map((x) => x.channel), ['#a']);
    assert.deepEqual(b.takeDue(1500).map((x) => x.channel), ['#b']);
  });

  it('a burst of any size is one batch; beyond the bound it is only counted', () => {
    const b = new NotificationBatcher({ windowMs: 1000, maxPendingPerChannel: 100 });
    for (let i = 0; i < 500; i++) b.add('#ops', [event(i)], i);
    const batches = b.takeDue(10_000);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]?.events.length, 100);
    assert.equal(batches[0]?.omitted, 400);
    assert.equal(b.pending('#ops'), 0);
  });

  it('hands out everything at shutdown regardless of the limits', () => {
    const b = new NotificationBatcher({ windowMs: 1000 });
    b.add('#a', [event(1)], 0);
    b.add('#b', [event(2)], 0);
    assert.deepEqual(b.takeAll().map((x) => x.channel), ['#a', '#b']);
    assert.deepEqual(b.takeAll(), []);
  });

  it('rejects nonsense settings with what it expected', () => {
    assert.throws(() => new NotificationBatcher({ windowMs: -1 }), /windowMs: expected a number >= 0, got -1/);
    assert.throws(() => new NotificationBatcher({ maxPendingPerChannel: 0 }), /maxPendingPerChannel/);
  });
});

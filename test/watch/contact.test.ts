import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import { backoffDelay, ContactTracker, describeFailure } from '../../src/watch/contact.js';

const unreachable = new ExaOperationError('EXA_UNREACHABLE', 'Cannot reach EXAoperation at https://10.0.0.10/cluster1 (ECONNREFUSED).', {
  endpoint: 'https://10.0.0.10/cluster1',
  object: 'cluster',
  method: 'getNodeList',
});

describe('contact', () => {
  it('doubles the poll interval after each failure, up to the cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => backoffDelay(1000, n, 60_000)),
      [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000],
    );
  });

  it('announces one loss per outage, after the set number of failures, and one return', () => {
    const tracker = new ContactTracker(2);
    assert.equal(tracker.failed(1000, unreachable), undefined, 'one failed poll is not an outage');
    assert.deepEqual(tracker.failed(3000, unreachable), { kind: 'contact-lost', reason: 'not reachable', detail: unreachable.message });
    for (let t = 4000; t < 10_000; t += 1000) assert.equal(tracker.failed(t, unreachable), undefined);
    assert.deepEqual(tracker.lostContact, { lostAt: 1000, reason: 'not reachable' });
    assert.deepEqual(tracker.succeeded(31_000), { kind: 'contact-restored', downMs: 30_000 });
    assert.equal(tracker.succeeded(32_000), undefined);
  });

  it('a single failure between successes says nothing', () => {
    const tracker = new ContactTracker(2);
    assert.equal(tracker.failed(1, unreachable), undefined);
    assert.equal(tracker.succeeded(2), undefined);
    assert.equal(tracker.failed(3, unreachable), undefined);
  });

  it('continues an outage announced before a restart', () => {
    const tracker = new ContactTracker(2, { lostAt: 0, reason: 'not reachable' });
    assert.equal(tracker.failed(100, unreachable), undefined);
    assert.equal(tracker.failed(200, unreachable), undefined);
    assert.deepEqual(tracker.succeeded(5000), { kind: 'contact-restored', downMs: 5000 });
  });

  it('does not quote errors that are not our own coded ones', () => {
    const failure = describeFailure(new Error('connect to https://admin:hunter2@10.0.0.10 failed'));
    assert.equal(failure.reason, 'internal error');
    assert.doesNotMatch(failure.detail, /hunter2/);
  });
});

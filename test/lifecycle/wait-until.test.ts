import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LifecycleError } from '../../src/lifecycle/errors.js';
import { formatDuration, waitUntil } from '../../src/lifecycle/wait-until.js';
import { InstantClock } from '../helpers/instant-clock.js';

describe('waitUntil', () => {
  it('polls at the interval until the probe is done', async () => {
    const clock = new InstantClock();
    let calls = 0;
    const value = await waitUntil(
      async () => (++calls === 4 ? { done: true, value: 'ready' } : { done: false, seen: `try ${calls}` }),
      { description: 'x', intervalMs: 5000, timeoutMs: 60_000, clock },
    );
    assert.equal(value, 'ready');
    assert.equal(calls, 4);
    assert.deepEqual(clock.sleeps, [5000, 5000, 5000]);
  });

  it('gives up at the deadline, naming what it waited for and what it last saw', async () => {
    const clock = new InstantClock();
    const started = clock.now();
    await assert.rejects(
      waitUntil(async () => ({ done: false, seen: 'n0012 still booting' }), {
        description: 'every node has booted',
        intervalMs: 5000,
        timeoutMs: 30 * 60_000,
        clock,
      }),
      (error: unknown) => {
        assert.ok(error instanceof LifecycleError);
        assert.equal(error.code, 'STEP_TIMEOUT');
        assert.equal(error.message, 'Gave up waiting until every node has booted after 30 min; last seen: n0012 still booting');
        return true;
      },
    );
    assert.equal(clock.now() - started, 30 * 60_000, 'the last sleep is cut to the deadline');
  });

  it('treats tolerated errors as "not yet" and rethrows others at once', async () => {
    const clock = new InstantClock();
    let calls = 0;
    const value = await waitUntil(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('ECONNREFUSED');
        return { done: true, value: calls };
      },
      { description: 'x', intervalMs: 10, timeoutMs: 1000, clock, tolerate: (e) => String(e).includes('ECONNREFUSED') },
    );
    assert.equal(value, 3);
    await assert.rejects(
      waitUntil(async () => Promise.reject(new Error('401')), { description: 'x', intervalMs: 10, timeoutMs: 1000, clock, tolerate: () => false }),
      /401/,
    );
  });

  it('stops as soon as its signal aborts, during the probe or the sleep', async () => {
    const controller = new AbortController();
    const clock = new InstantClock();
    let calls = 0;
    await assert.rejects(
      waitUntil(
        async () => {
          calls += 1;
          if (calls === 2) controller.abort(new Error('cancelled by U1'));
          return { done: false, seen: '' };
        },
        { description: 'x', intervalMs: 10, timeoutMs: 10_000, clock, signal: controller.signal },
      ),
      /cancelled by U1/,
    );
    assert.equal(calls, 2);
  });

  it('formats durations for people', () => {
    assert.equal(formatDuration(300), '0.3 s');
    assert.equal(formatDuration(45_000), '45 s');
    assert.equal(formatDuration(150_000), '2 min 30 s');
  });
});

describe('waitUntil with a growing pause', () => {
  it('starts at the minimum and grows with the time waited (2 %), up to the interval', async () => {
    const clock = new InstantClock();
    let calls = 0;
    await waitUntil(async () => (++calls > 300 ? { done: true, value: undefined } : { done: false, seen: '' }), {
      description: 'x',
      intervalMs: 5000,
      minIntervalMs: 250,
      timeoutMs: 3_600_000,
      clock,
    });
    assert.equal(clock.sleeps[0], 250);
    assert.ok(clock.sleeps.every((ms, i) => i === 0 || ms >= (clock.sleeps[i - 1] ?? 0)), 'never shrinks');
    assert.equal(clock.sleeps.at(-1), 5000, 'capped at the interval');
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    const index = clock.sleeps.findIndex((ms) => ms > 250);
    const before = clock.sleeps.slice(0, index).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((clock.sleeps[index] ?? 0) - before * 0.02) < 1, 'the pause is 2 % of the time already waited');
    assert.ok(waited > 60_000);
  });
});

// ThrottledMessage against a small fake SlackPoster: edits coalesce to the newest state, are at
// least an interval apart, wait out Retry-After after a 429, and the final state always arrives
// (or delivery gives up after repeated errors without hanging the caller). Short real intervals
// keep it fast; every bound is checked against when the poster saw each call.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ErrorCode } from '@slack/web-api';
import type { RenderedMessage } from '../../src/slack/render-blocks.js';
import type { SlackPoster } from '../../src/slack/slack-poster.js';
import { ThrottledMessage } from '../../src/slack/throttled-message.js';
import { recordingLogger } from '../e2e/harness.js';

type Behaviour = 'ok' | { readonly rateLimitedSeconds: number } | { readonly error: string } | { readonly delayMs: number };

interface Sent {
  readonly text: string;
  readonly at: number;
  readonly ok: boolean;
}

/** Answers update() as scripted (then 'ok'), and records every call with its time. */
function fakePoster(script: Behaviour[] = []): SlackPoster & { readonly sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    post: () => Promise.reject(new Error('not used')),
    ephemeral: () => Promise.reject(new Error('not used')),
    async update(_channel, _ts, message) {
      const behaviour = script.shift() ?? 'ok';
      const at = performance.now();
      if (behaviour === 'ok') {
        sent.push({ text: message.text, at, ok: true });
        return;
      }
      if ('delayMs' in behaviour) {
        await sleep(behaviour.delayMs);
        sent.push({ text: message.text, at, ok: true });
        return;
      }
      sent.push({ text: message.text, at, ok: false });
      if ('rateLimitedSeconds' in behaviour) {
        // The shape @slack/web-api gives a 429 when rejectRateLimitedCalls is on.
        throw Object.assign(new Error('A rate limit was exceeded'), { code: ErrorCode.RateLimitedError, retryAfter: behaviour.rateLimitedSeconds });
      }
      throw Object.assign(new Error(`An API error occurred: ${behaviour.error}`), { code: ErrorCode.PlatformError, data: { ok: false, error: behaviour.error } });
    },
  };
}

const state = (text: string): RenderedMessage => ({ text, blocks: [] });

/** Sets a state, then waits a moment, as progress events arrive. */
async function feed(message: ThrottledMessage, texts: readonly string[], everyMs: number): Promise<void> {
  for (const text of texts) {
    message.set(state(text));
    await sleep(everyMs);
  }
}

function gaps(sent: readonly Sent[]): number[] {
  return sent.slice(1).map((s, i) => s.at - (sent[i]?.at ?? 0));
}

describe('ThrottledMessage', () => {
  it('coalesces: only the newest state of each interval is sent, and edits are an interval apart', async () => {
    const poster = fakePoster();
    const posted = performance.now();
    const message = new ThrottledMessage(poster, 'C1', '1.000001', recordingLogger(), 100);
    await feed(message, ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'], 25); // about 225 ms of events
    message.set(state('final'), true);
    await message.delivered();

    const texts = poster.sent.map((s) => s.text);
    assert.equal(texts.at(-1), 'final');
    assert.ok(texts.length <= 4, `at most one edit per 100 ms (sent ${texts.join(', ')})`);
    assert.ok(texts.length < 10, 'states in between were skipped');
    assert.equal(new Set(texts).size, texts.length, 'no state sent twice');
    assert.ok((poster.sent[0]?.at ?? 0) - posted >= 98, 'the first edit waits an interval after the post');
    for (const gap of gaps(poster.sent)) assert.ok(gap >= 98, `edits ${Math.round(gap)} ms apart`);
    assert.equal(message.edits, texts.length);
  });

  it('after a 429 waits Retry-After, then sends the newest state rather than the refused one', async () => {
    const logger = recordingLogger();
    const poster = fakePoster([{ rateLimitedSeconds: 0.3 }]);
    const message = new ThrottledMessage(poster, 'C1', '1.000001', logger, 50);
    message.set(state('a'));
    await sleep(80); // the edit of 'a' was refused with 429
    assert.deepEqual(
      poster.sent.map((s) => [s.text, s.ok]),
      [['a', false]],
    );
    message.set(state('b'));
    message.set(state('final'), true);
    await message.delivered();

    assert.deepEqual(
      poster.sent.map((s) => [s.text, s.ok]),
      [
        ['a', false],
        ['final', true],
      ],
    );
    const waited = gaps(poster.sent)[0] ?? 0;
    assert.ok(waited >= 295, `the retry came ${Math.round(waited)} ms after the 429 (Retry-After: 0.3 s)`);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /rate-limited a progress edit/.test(l.message) && l.meta?.['retryAfter'] === 0.3));
  });

  it('retries a refused state when nothing newer came', async () => {
    const poster = fakePoster([{ rateLimitedSeconds: 0.1 }]);
    const message = new ThrottledMessage(poster, 'C1', '1.000001', recordingLogger(), 30);
    message.set(state('final'), true);
    await message.delivered();
    assert.deepEqual(
      poster.sent.map((s) => [s.text, s.ok]),
      [
        ['final', false],
        ['final', true],
      ],
    );
  });

  it('delivers the final state after errors in between', async () => {
    const logger = recordingLogger();
    const poster = fakePoster([{ error: 'internal_error' }, { error: 'fatal_error' }]);
    const message = new ThrottledMessage(poster, 'C1', '1.000001', logger, 20);
    message.set(state('a'));
    message.set(state('final'), true);
    await message.delivered();
    assert.deepEqual(
      poster.sent.map((s) => [s.text, s.ok]),
      [
        ['final', false],
        ['final', false],
        ['final', true],
      ],
    );
    for (const gap of gaps(poster.sent)) assert.ok(gap >= 38, `after an error the next try waits two intervals (${Math.round(gap)} ms)`);
    assert.equal(logger.lines.filter((l) => l.level === 'error').length, 2);
  });

  it('delivers a final state set while an edit is in flight, after that edit', async () => {
    const poster = fakePoster([{ delayMs: 80 }]);
    const message = new ThrottledMessage(poster, 'C1', '1.000001', recordingLogger(), 30);
    message.set(state('a'));
    await sleep(50); // 'a' is on its way
    message.set(state('final'), true);
    await message.delivered();
    assert.deepEqual(
      poster.sent.map((s) => s.text),
      ['a', 'final'],
    );
    assert.ok((gaps(poster.sent)[0] ?? 0) >= 80 + 28, 'not before the slow edit returned plus an interval');
  });

  it('gives up after repeated errors: delivered() resolves instead of hanging a shutdown', async () => {
    const logger = recordingLogger();
    const poster = fakePoster(Array.from({ length: 20 }, () => ({ error: 'channel_not_found' })));
    const message = new ThrottledMessage(poster, 'C1', '1.000001', logger, 10);
    message.set(state('final'), true);
    const outcome = await Promise.race([message.delivered().then(() => 'resolved'), sleep(2000).then(() => 'hung')]);
    assert.equal(outcome, 'resolved');
    assert.equal(poster.sent.length, 5, 'five attempts, then it stops');
    await sleep(100);
    assert.equal(poster.sent.length, 5, 'and nothing more is sent');
  });
});

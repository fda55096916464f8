// Throttling and injected faults: the wire format (429 + Retry-After, 5xx) must be what
// @slack/web-api reacts to, or the bot's retry handling would be tested against fiction.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/index.js';
import { recordingLogger } from './bolt-helpers.js';

let fake: FakeSlack;

async function post(method: string, form: Record<string, string>): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> | string }> {
  const res = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  let body: Record<string, unknown> | string = text;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Injected 5xx answers are plain text on purpose.
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}

const client = (options: webApi.WebClientOptions = {}) =>
  new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: recordingLogger(), ...options });

before(async () => {
  fake = await startFakeSlack();
  fake.addUser('U0ALICE', { name: 'alice' });
  fake.addChannel('C0OPS', { members: ['U0ALICE'] });
  fake.addChannel('C0DEV', { members: ['U0ALICE'] });
  fake.addUserGroup('S0OPS', ['U0ALICE']);
});
after(() => fake.close());
beforeEach(() => fake.reset());

describe('rate limiting', () => {
  it('is off by default', async () => {
    for (let i = 0; i < 10; i += 1) assert.equal((await post('chat.postMessage', { channel: 'C0OPS', text: `${i}` })).status, 200);
  });

  it('limits chat.postMessage per channel (burst 3, then 1/s) with 429 and Retry-After', async () => {
    fake.setRateLimiting(true);
    for (let i = 0; i < 3; i += 1) assert.equal((await post('chat.postMessage', { channel: 'C0OPS', text: `${i}` })).status, 200);
    const limited = await post('chat.postMessage', { channel: 'C0OPS', text: 'one too many' });
    assert.equal(limited.status, 429);
    assert.equal(limited.retryAfter, '1');
    assert.deepEqual(limited.body, { ok: false, error: 'ratelimited' });
    assert.equal((await post('chat.postMessage', { channel: 'C0DEV', text: 'other channel' })).status, 200);
    fake.advanceTime(1000);
    assert.equal((await post('chat.postMessage', { channel: 'C0OPS', text: 'after a second' })).status, 200);
    assert.equal(fake.apiCalls('chat.postMessage').filter((c) => c.status === 429).length, 1);
    assert.equal(fake.messages('C0OPS').length, 4);
  });

  it('uses the method tier: usergroups.users.list is Tier 2 (20/min, burst 4)', async () => {
    fake.setRateLimiting(true);
    for (let i = 0; i < 4; i += 1) assert.equal((await post('usergroups.users.list', { usergroup: 'S0OPS' })).status, 200);
    const limited = await post('usergroups.users.list', { usergroup: 'S0OPS' });
    assert.equal(limited.status, 429);
    assert.equal(limited.retryAfter, '3', 'one token every 3 s at 20/min');
  });

  it('takes per-method overrides and is switched off again by reset()', async () => {
    fake.setRateLimiting({ perMinute: { 'chat.update': 60 }, burst: { 'chat.update': 1 } });
    const ts = (await client().chat.postMessage({ channel: 'C0OPS', text: 'p' })).ts ?? '';
    assert.equal((await post('chat.update', { channel: 'C0OPS', ts, text: 'a' })).status, 200);
    assert.equal((await post('chat.update', { channel: 'C0OPS', ts, text: 'b' })).status, 429);
    fake.reset();
    assert.equal((await post('chat.update', { channel: 'C0OPS', ts: (await client().chat.postMessage({ channel: 'C0OPS', text: 'p' })).ts ?? '', text: 'c' })).status, 200);
  });

  it('is seen by WebClient as a rate limit (rejectRateLimitedCalls surfaces retryAfter)', async () => {
    fake.injectFault('chat.postMessage', { rateLimitedSeconds: 7 });
    await assert.rejects(client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C0OPS', text: 'x' }), (error: unknown) => {
      assert.ok(error instanceof webApi.WebAPIRateLimitedError);
      assert.equal(error.retryAfter, 7);
      return true;
    });
  });
});

describe('injectFault', () => {
  it('answers a platform error for `times` calls, then behaves normally', async () => {
    const fault = fake.injectFault('chat.update', { error: 'edit_window_closed', times: 2 });
    const ts = (await client().chat.postMessage({ channel: 'C0OPS', text: 'p' })).ts ?? '';
    for (let i = 0; i < 2; i += 1) {
      await assert.rejects(client().chat.update({ channel: 'C0OPS', ts, text: 'x' }), (e: unknown) => e instanceof webApi.WebAPIPlatformError && e.data.error === 'edit_window_closed');
    }
    await client().chat.update({ channel: 'C0OPS', ts, text: 'finally' });
    assert.equal(fault.hits, 2);
    assert.equal(fault.remaining, 0);
    assert.equal(fake.message('C0OPS', ts)?.text, 'finally');
  });

  it('answers an HTTP 5xx that WebClient reports as WebAPIHTTPError', async () => {
    fake.injectFault('chat.postMessage', { status: 503 });
    await assert.rejects(client().chat.postMessage({ channel: 'C0OPS', text: 'x' }), (e: unknown) => e instanceof webApi.WebAPIHTTPError && e.statusCode === 503);
    assert.equal(fake.apiCalls('chat.postMessage')[0]?.error, 'http_503');
    assert.equal(fake.messages('C0OPS').length, 0);
  });

  it('delays, matches params with `when`, applies to every method with "*", and can be cancelled', async () => {
    const slow = fake.injectFault('chat.postMessage', { delayMs: 150, when: (p) => p['channel'] === 'C0DEV' });
    await client().chat.postMessage({ channel: 'C0OPS', text: 'not matched' });
    assert.equal(slow.hits, 0);
    const started = Date.now();
    await client().chat.postMessage({ channel: 'C0DEV', text: 'slow' });
    assert.ok(Date.now() - started >= 140);
    assert.equal(slow.hits, 1);

    const everything = fake.injectFault('*', { error: 'fatal_error', times: Infinity });
    assert.deepEqual((await post('auth.test', {})).body, { ok: false, error: 'fatal_error' });
    assert.deepEqual((await post('users.info', { user: 'U0ALICE' })).body, { ok: false, error: 'fatal_error' });
    assert.equal(everything.hits, 2);
    everything.cancel();
    assert.equal(((await post('auth.test', {})).body as Record<string, unknown>)['ok'], true);
  });
});

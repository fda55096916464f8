// response_url semantics (§1.3): 5 uses, 30 minutes, ephemeral by default, and replace/delete of
// the original message (ephemerals too), posted the way Bolt's respond() does.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { RESPONSE_URL_LIFETIME_MS, startFakeSlack, type FakeSlack } from '../fakes/slack/index.js';
import { recordingLogger } from './bolt-helpers.js';
import { startDummyBot } from './dummy-bot.js';

let fake: FakeSlack;
let bot: Awaited<ReturnType<typeof startDummyBot>>;
let client: webApi.WebClient;

const button = [{ type: 'actions', block_id: 'a', elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' } }] }];

/** Like Bolt's respond(): POST application/json to the absolute URL. */
async function respond(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

async function commandUrl(): Promise<string> {
  return (await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '' })).responseUrl;
}

async function clickUrl(ephemeral = false): Promise<{ url: string; ts: string }> {
  const ts = ephemeral
    ? ((await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'pick', blocks: button })).message_ts ?? '')
    : ((await client.chat.postMessage({ channel: 'C0OPS', text: 'pick', blocks: button })).ts ?? '');
  const click = await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: ts, actionId: 'go' });
  return { url: click.responseUrl, ts };
}

before(async () => {
  fake = await startFakeSlack();
  fake.addUser('U0ALICE', { name: 'alice' });
  fake.addChannel('C0OPS', { members: ['U0ALICE'] });
  bot = await startDummyBot();
  fake.setRequestUrl(bot.url);
  client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: recordingLogger() });
});
after(async () => {
  await bot.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('response_url limits', () => {
  it('allows 5 uses, then answers 404 used_url', async () => {
    const url = await commandUrl();
    for (let i = 1; i <= 5; i += 1) assert.equal((await respond(url, { text: `update ${i}` })).status, 200);
    assert.deepEqual(await respond(url, { text: 'sixth' }), { status: 404, text: 'used_url' });
    assert.equal(fake.ephemerals('U0ALICE').length, 5);
    assert.deepEqual(fake.apiCalls('response_url').map((c) => c.status), [200, 200, 200, 200, 200, 404]);
  });

  it('expires after 30 minutes and rejects unknown ids', async () => {
    const url = await commandUrl();
    fake.advanceTime(RESPONSE_URL_LIFETIME_MS + 1);
    assert.deepEqual(await respond(url, { text: 'late' }), { status: 404, text: 'expired_url' });
    assert.equal((await respond(`${fake.baseUrl}/response/nope`, { text: 'x' })).status, 404);
  });

  it('takes injected faults under the method name response_url', async () => {
    const url = await commandUrl();
    fake.injectFault('response_url', { status: 500 });
    assert.equal((await respond(url, { text: 'x' })).status, 500);
    assert.equal((await respond(url, { text: 'x' })).status, 200);
  });
});

describe('response_url replies', () => {
  it('posts ephemeral by default and to the channel with in_channel', async () => {
    const url = await commandUrl();
    await respond(url, { text: 'just you' });
    await respond(url, { text: 'everyone', response_type: 'in_channel' });
    assert.deepEqual(fake.ephemerals('U0ALICE', 'C0OPS').map((m) => m.text), ['just you']);
    assert.deepEqual(fake.messages('C0OPS').map((m) => [m.text, m.user]), [['everyone', fake.botUserId]]);
  });

  it('replaces and deletes the clicked message', async () => {
    const { url, ts } = await clickUrl();
    assert.equal((await respond(url, { replace_original: true, text: 'done', blocks: [] })).status, 200);
    const replaced = fake.message('C0OPS', ts);
    assert.equal(replaced?.text, 'done');
    assert.deepEqual(replaced?.history.map((v) => v.via), ['chat.postMessage', 'response_url']);
    assert.equal((await respond(url, { delete_original: true })).status, 200);
    assert.equal(fake.message('C0OPS', ts)?.deleted, true);
    assert.equal((await respond(url, { replace_original: true, text: 'gone' })).status, 404);
  });

  it('replaces an ephemeral, which chat.update cannot', async () => {
    const { url, ts } = await clickUrl(true);
    await respond(url, { replace_original: true, text: 'approved' });
    const eph = fake.ephemerals('U0ALICE', 'C0OPS').find((m) => m.ts === ts);
    assert.deepEqual(eph?.history.map((v) => v.text), ['pick', 'approved']);
  });

  it('for a command, replace_original replaces the last reply', async () => {
    const url = await commandUrl();
    assert.equal((await respond(url, { replace_original: true, text: 'nothing yet' })).status, 404);
    await respond(url, { text: 'working…' });
    await respond(url, { replace_original: true, text: 'finished' });
    assert.deepEqual(fake.ephemerals('U0ALICE').map((m) => m.history.map((v) => v.text)), [['working…', 'finished']]);
  });

  it('rejects empty or invalid messages with 400', async () => {
    const url = await commandUrl();
    assert.equal((await respond(url, {})).status, 400);
    const invalid = await respond(url, { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] });
    assert.equal(invalid.status, 400);
    assert.match(invalid.text, /invalid_blocks/);
  });
});

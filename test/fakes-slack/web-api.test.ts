// Web API behaviour of the fake, checked through the real @slack/web-api client (as the bot uses
// it) and through raw fetch where the exact wire format matters.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { MAX_TEXT_LENGTH, startFakeSlack, type FakeSlack } from '../fakes/slack/index.js';
import { recordingLogger } from './bolt-helpers.js';

let fake: FakeSlack;
let client: webApi.WebClient;

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

async function slackError(call: Promise<unknown>): Promise<webApi.WebAPIPlatformError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof webApi.WebAPIPlatformError, `expected a platform error, got ${String(error)}`);
    return error;
  }
  assert.fail('call succeeded');
}

async function rawCall(method: string, init: { token?: string; form?: Record<string, string>; json?: unknown }): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = init.token ? { authorization: `Bearer ${init.token}` } : {};
  let body: string;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form ?? {}).toString();
  }
  const res = await fetch(`${fake.apiUrl}${method}`, { method: 'POST', headers, body });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

before(async () => {
  fake = await startFakeSlack();
  fake.addUser('U0ALICE', { name: 'alice' });
  fake.addUser('U0BOB', { name: 'bob', isAdmin: true });
  fake.addChannel('C0OPS', { name: 'ops', members: ['U0ALICE'] });
  fake.addChannel('C0NOBOT', { name: 'elsewhere', botIsMember: false });
  fake.addChannel('G0SECRET', { name: 'secret', isPrivate: true, botIsMember: false });
  fake.addUserGroup('S0APPROVERS', ['U0BOB']);
  client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: recordingLogger() });
});
after(() => fake.close());
beforeEach(() => fake.reset());

describe('authentication', () => {
  it('answers not_authed, invalid_auth and not_allowed_token_type like Slack', async () => {
    assert.equal((await rawCall('auth.test', {}))['error'], 'not_authed');
    assert.equal((await rawCall('auth.test', { token: 'xoxb-guessed' }))['error'], 'invalid_auth');
    assert.equal((await rawCall('chat.postMessage', { token: fake.appToken, form: { channel: 'C0OPS', text: 'x' } }))['error'], 'not_allowed_token_type');
    assert.equal((await rawCall('apps.connections.open', { token: fake.botToken }))['error'], 'not_allowed_token_type');
    // The app token must travel in the header for apps.connections.open (§4.1).
    assert.equal((await rawCall('apps.connections.open', { form: { token: fake.appToken } }))['error'], 'not_authed');
    assert.deepEqual(fake.apiCalls().map((c) => c.tokenKind), ['none', 'unknown', 'app', 'bot', 'app']);
  });

  it('accepts the token as a form field and JSON bodies with a Bearer header', async () => {
    const viaField = await rawCall('auth.test', { form: { token: fake.botToken } });
    assert.equal(viaField['user_id'], fake.botUserId);
    assert.equal(viaField['bot_id'], fake.botId);
    const viaJson = await rawCall('chat.postMessage', { token: fake.botToken, json: { channel: 'C0OPS', blocks: [section('hi')] } });
    assert.equal(viaJson['ok'], true);
    assert.equal(fake.apiCalls('chat.postMessage')[0]?.params['token'], undefined, 'tokens are never recorded');
  });

  it('answers missing_scope with needed and provided', async () => {
    const narrow = await startFakeSlack({ botScopes: ['chat:write'] });
    try {
      const c = new webApi.WebClient(narrow.botToken, { slackApiUrl: narrow.apiUrl, retryConfig: { retries: 0 }, logger: recordingLogger() });
      const error = await slackError(c.users.info({ user: narrow.botUserId }));
      assert.equal(error.data.error, 'missing_scope');
      assert.equal((error.data as { needed?: string }).needed, 'users:read');
    } finally {
      await narrow.close();
    }
  });
});

describe('chat methods', () => {
  it('gives strictly increasing ts and keeps every version of an edited message', async () => {
    const posted = await Promise.all(Array.from({ length: 20 }, (_, i) => client.chat.postMessage({ channel: 'C0OPS', text: `m${i}` })));
    const stamps = fake.messages('C0OPS').map((m) => m.ts);
    assert.equal(new Set(stamps).size, 20);
    assert.deepEqual([...stamps].sort(), stamps);
    const ts = posted[0]?.ts ?? '';
    for (const step of ['1/3', '2/3', '3/3']) await client.chat.update({ channel: 'C0OPS', ts, text: step, blocks: [section(step)] });
    await client.chat.update({ channel: 'C0OPS', ts, text: 'done' });
    const message = fake.message('C0OPS', ts);
    assert.deepEqual(message?.history.map((v) => v.text), ['m0', '1/3', '2/3', '3/3', 'done']);
    assert.deepEqual(message?.blocks, [section('3/3')], 'chat.update keeps blocks it is not sent');
  });

  it('enforces channel access: channel_not_found, not_in_channel, is_archived', async () => {
    assert.equal((await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).data.error, 'channel_not_found');
    assert.equal((await slackError(client.chat.postMessage({ channel: 'C0NOBOT', text: 'x' }))).data.error, 'not_in_channel');
    assert.equal((await slackError(client.chat.postMessage({ channel: 'G0SECRET', text: 'x' }))).data.error, 'not_in_channel');
    assert.equal((await slackError(client.conversations.info({ channel: 'G0SECRET' }))).data.error, 'channel_not_found');
    fake.addChannel('C0OLD', { name: 'old' });
    fake.archiveChannel('C0OLD');
    assert.equal((await slackError(client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).data.error, 'is_archived');
    const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'psst' });
    assert.equal(dm.channel, 'D0ALICE', 'posting to a user id opens the DM');
  });

  it('refuses edits of missing, foreign or ephemeral messages', async () => {
    const human = fake.postAsUser('U0ALICE', 'C0OPS', 'hello bot');
    assert.equal((await slackError(client.chat.update({ channel: 'C0OPS', ts: human, text: 'x' }))).data.error, 'cant_update_message');
    assert.equal((await slackError(client.chat.delete({ channel: 'C0OPS', ts: human }))).data.error, 'cant_delete_message');
    assert.equal((await slackError(client.chat.update({ channel: 'C0OPS', ts: '1.000001', text: 'x' }))).data.error, 'message_not_found');
    const eph = await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'only you' });
    assert.equal((await slackError(client.chat.update({ channel: 'C0OPS', ts: eph.message_ts ?? '', text: 'x' }))).data.error, 'message_not_found');
    assert.equal(fake.ephemerals('U0ALICE', 'C0OPS')[0]?.text, 'only you');
    assert.equal((await slackError(client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0BOB', text: 'x' }))).data.error, 'user_not_in_channel');
    const mine = await client.chat.postMessage({ channel: 'C0OPS', text: 'bye' });
    await client.chat.delete({ channel: 'C0OPS', ts: mine.ts ?? '' });
    assert.equal(fake.message('C0OPS', mine.ts ?? '')?.deleted, true);
    assert.equal(fake.messages('C0OPS').some((m) => m.ts === mine.ts), false);
  });

  it('answers no_text, truncates text over 40k and rejects invalid blocks with an errors list', async () => {
    assert.equal((await slackError(client.chat.postMessage({ channel: 'C0OPS', text: '' }))).data.error, 'no_text');
    const long = await client.chat.postMessage({ channel: 'C0OPS', text: 'x'.repeat(MAX_TEXT_LENGTH + 10) });
    assert.equal(fake.message('C0OPS', long.ts ?? '')?.text.length, MAX_TEXT_LENGTH);
    const error = await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 'x', blocks: [section('y'.repeat(3001))] }));
    assert.equal(error.data.error, 'invalid_blocks');
    assert.deepEqual((error.data as { errors?: string[] }).errors, ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    const format = await rawCall('chat.postMessage', { token: fake.botToken, form: { channel: 'C0OPS', text: 'x', blocks: '[{not json' } });
    assert.equal(format['error'], 'invalid_blocks_format');
  });
});

describe('directory methods', () => {
  it('answers users.info, conversations.info and usergroups.users.list', async () => {
    const user = await client.users.info({ user: 'U0BOB' });
    assert.equal(user.user?.name, 'bob');
    assert.equal(user.user?.is_admin, true);
    assert.equal((await slackError(client.users.info({ user: 'U0NOBODY' }))).data.error, 'user_not_found');
    const info = await client.conversations.info({ channel: 'C0OPS' });
    assert.equal(info.channel?.name, 'ops');
    assert.equal(info.channel?.is_member, true);
    assert.deepEqual((await client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users, ['U0BOB']);
    assert.equal((await slackError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).data.error, 'no_such_subteam');
    const perma = await client.chat.getPermalink({ channel: 'C0OPS', message_ts: (await client.chat.postMessage({ channel: 'C0OPS', text: 'a' })).ts ?? '' });
    assert.match(perma.permalink ?? '', /^https:\/\/fake-team\.slack\.com\/archives\/C0OPS\/p\d+$/);
  });

  it('answers unknown_method and records every call with its outcome', async () => {
    assert.equal((await rawCall('files.upload', { token: fake.botToken }))['error'], 'unknown_method');
    const call = fake.apiCalls('files.upload')[0];
    assert.equal(call?.ok, false);
    assert.equal(call?.error, 'unknown_method');
    assert.equal(call?.status, 200);
  });
});

// What the fake sends to a bot in HTTP mode (format, signature, payload shape) and how it reads the
// answer (ack replies, timeouts), checked against a bare endpoint and Bolt's own verifier.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { verifySlackRequest, webApi } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/index.js';
import { recordingLogger } from './bolt-helpers.js';
import { startDummyBot, type DummyAnswer, type ReceivedRequest } from './dummy-bot.js';

let fake: FakeSlack;
let bot: Awaited<ReturnType<typeof startDummyBot>>;
let answer: (req: ReceivedRequest) => DummyAnswer = () => ({});
let client: webApi.WebClient;

const approval = [
  { type: 'section', block_id: 'q', text: { type: 'mrkdwn', text: 'Start?' } },
  { type: 'actions', block_id: 'a', elements: [{ type: 'button', action_id: 'approve', value: 'job-1', text: { type: 'plain_text', text: 'Go' } }] },
];

interface ClickPayload {
  type: string;
  container: Record<string, unknown>;
  message?: { ts: string; blocks: unknown };
  actions: Array<{ block_id: string; action_id: string; value?: string }>;
  user: { id: string };
  team: { id: string };
}

function clickPayload(req: ReceivedRequest | undefined): ClickPayload {
  return JSON.parse(new URLSearchParams(req?.body).get('payload') ?? '{}') as ClickPayload;
}

function verify(req: ReceivedRequest | undefined): void {
  assert.ok(req);
  verifySlackRequest({
    signingSecret: fake.signingSecret,
    body: req.body,
    headers: {
      'x-slack-signature': String(req.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
    },
  });
}

before(async () => {
  fake = await startFakeSlack({ ackTimeoutMs: 300, httpGraceMs: 200 });
  fake.addUser('U0ALICE', { name: 'alice' });
  fake.addChannel('C0OPS', { name: 'ops', members: ['U0ALICE'] });
  bot = await startDummyBot((req) => answer(req));
  fake.setRequestUrl(bot.url);
  client = new webApi.WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: recordingLogger() });
});
after(async () => {
  await bot.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  bot.requests.length = 0;
  answer = () => ({});
});

describe('HTTP deliveries', () => {
  it('send a slash command as signed flat form fields with the exact content type', async () => {
    const result = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'start job-1' });
    assert.equal(result.outcome, 'ok');
    const req = bot.requests[0];
    assert.equal(req?.headers['content-type'], 'application/x-www-form-urlencoded');
    verify(req);
    const form = Object.fromEntries(new URLSearchParams(req?.body));
    assert.equal(form['command'], '/exa');
    assert.equal(form['text'], 'start job-1');
    assert.equal(form['team_id'], fake.teamId);
    assert.equal(form['channel_id'], 'C0OPS');
    assert.equal(form['user_id'], 'U0ALICE');
    assert.equal(form['api_app_id'], fake.appId);
    assert.equal(form['response_url'], result.responseUrl);
    assert.ok(result.responseUrl.startsWith(`${fake.baseUrl}/response/`));
  });

  it('send a click as payload=<JSON> built from the stored message', async () => {
    const ts = (await client.chat.postMessage({ channel: 'C0OPS', text: 'Start?', blocks: approval })).ts ?? '';
    await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: ts, actionId: 'approve' });
    verify(bot.requests[0]);
    const payload = clickPayload(bot.requests[0]);
    assert.equal(payload.type, 'block_actions');
    assert.deepEqual(payload.container, { type: 'message', message_ts: ts, channel_id: 'C0OPS', is_ephemeral: false });
    assert.equal(payload.message?.ts, ts);
    assert.deepEqual(payload.message?.blocks, approval);
    const action = payload.actions[0];
    assert.deepEqual({ block_id: action?.block_id, action_id: action?.action_id, value: action?.value }, { block_id: 'a', action_id: 'approve', value: 'job-1' });
    assert.equal(payload.user.id, 'U0ALICE');
    assert.equal(payload.team.id, fake.teamId);

    await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: ts, actionId: 'approve', value: 'job-999' });
    assert.equal(clickPayload(bot.requests[1]).actions[0]?.value, 'job-999');
  });

  it('click an ephemeral: is_ephemeral and no message, as Slack does', async () => {
    const ts = (await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'Start?', blocks: approval })).message_ts ?? '';
    await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: ts, actionId: 'approve' });
    const payload = clickPayload(bot.requests[0]);
    assert.equal(payload.container['is_ephemeral'], true);
    assert.equal(payload.message, undefined);
  });

  it('can forge: wrong signature, stale timestamp, other team', async () => {
    await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x', signature: 'wrong' });
    assert.throws(() => verify(bot.requests[0]));
    await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x', timestampSec: Math.floor(Date.now() / 1000) - 301 });
    assert.throws(() => verify(bot.requests[1]), /stale/);
    await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x', teamId: 'T0OTHER' });
    assert.equal(new URLSearchParams(bot.requests[2]?.body).get('team_id'), 'T0OTHER');
  });

  it('turn an ack body into a reply: JSON message, in_channel, plain text; invalid blocks are reported', async () => {
    answer = () => ({ contentType: 'application/json', body: JSON.stringify({ text: 'only you' }) });
    assert.equal((await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'a' })).reply?.kind, 'ephemeral');
    answer = () => ({ contentType: 'application/json', body: JSON.stringify({ response_type: 'in_channel', text: 'everyone' }) });
    const inChannel = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'b' });
    assert.equal(inChannel.reply?.kind, 'message');
    assert.equal(fake.messages('C0OPS')[0]?.history[0]?.via, 'command_ack');
    answer = () => ({ body: 'plain words' });
    assert.equal((await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'c' })).reply?.text, 'plain words');
    answer = () => ({ contentType: 'application/json', body: JSON.stringify({ text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }) });
    const invalid = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'd' });
    assert.equal(invalid.reply, undefined);
    assert.equal(invalid.replyError, 'invalid_blocks');
  });

  it('record operation_timeout for a late answer and dispatch_failed for an error status', async () => {
    answer = () => ({ delayMs: 400, contentType: 'application/json', body: JSON.stringify({ text: 'too late' }) });
    const late = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x' });
    assert.equal(late.outcome, 'operation_timeout');
    assert.equal(late.status, 200);
    assert.equal(late.reply, undefined, 'Slack shows an error, not the late body');
    answer = () => ({ delayMs: 2000 });
    const never = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x' });
    assert.equal(never.status, 0, 'aborted after ackTimeoutMs + httpGraceMs');
    assert.equal(never.outcome, 'operation_timeout');
    answer = () => ({ status: 500 });
    assert.equal((await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'x' })).outcome, 'dispatch_failed');
    assert.deepEqual(fake.deliveries().map((d) => d.outcome), ['operation_timeout', 'operation_timeout', 'dispatch_failed']);
  });

  it('fail loudly on test mistakes: unknown user, channel, message or button', async () => {
    await assert.rejects(fake.slashCommand({ user: 'U0NOBODY', channel: 'C0OPS', text: '' }), /unknown user U0NOBODY/);
    await assert.rejects(fake.slashCommand({ user: 'U0ALICE', channel: 'C0NOPE', text: '' }), /unknown channel C0NOPE/);
    await assert.rejects(fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: '1.000000', actionId: 'x' }), /no message 1.000000/);
    const ts = (await client.chat.postMessage({ channel: 'C0OPS', text: 'Start?', blocks: approval })).ts ?? '';
    await assert.rejects(fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: ts, actionId: 'deny' }), /buttons: a\/approve/);
    await assert.rejects(fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '', via: 'socket' }), /no open Socket Mode connection/);
  });
});

describe('trigger ids and views.open', () => {
  const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Confirm' }, blocks: [] };

  it('accepts a trigger once, within 3 s', async () => {
    const first = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '' });
    const opened = await client.views.open({ trigger_id: first.triggerId, view });
    assert.ok(opened.view?.id);
    assert.equal(fake.views()[0]?.triggerId, first.triggerId);
    await assert.rejects(client.views.open({ trigger_id: first.triggerId, view }), /exchanged_trigger_id/);

    const second = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '' });
    fake.advanceTime(3001);
    await assert.rejects(client.views.open({ trigger_id: second.triggerId, view }), /expired_trigger_id/);
    await assert.rejects(client.views.open({ trigger_id: '1.2.3', view }), /invalid_trigger_id/);
  });
});

describe('modals: views.update, state and submissions', () => {
  const select = {
    type: 'input',
    block_id: 'pick',
    dispatch_action: true,
    label: { type: 'plain_text', text: 'Pick' },
    element: { type: 'static_select', action_id: 'pick', options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }, { text: { type: 'plain_text', text: 'B' }, value: 'b' }] },
  };
  const note = { type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'note' } };
  const form = { type: 'modal', callback_id: 'f', title: { type: 'plain_text', text: 'Form' }, submit: { type: 'plain_text', text: 'Go' }, blocks: [select, note] };

  async function open(): Promise<string> {
    const command = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '' });
    const opened = await client.views.open({ trigger_id: command.triggerId, view: form as never });
    return opened.view?.id ?? '';
  }

  it("refuses what Slack refuses: a long title, inputs without submit, an initial option that is not one of the select's", async () => {
    const trigger = async () => (await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '' })).triggerId;
    await assert.rejects(client.views.open({ trigger_id: await trigger(), view: { ...form, title: { type: 'plain_text', text: 'x'.repeat(25) } } as never }), /invalid_arguments/);
    await assert.rejects(client.views.open({ trigger_id: await trigger(), view: { ...form, submit: undefined } as never }), /invalid_arguments/);
    const bad = { ...select, element: { ...select.element, initial_option: { text: { type: 'plain_text', text: 'C' }, value: 'c' } } };
    await assert.rejects(client.views.open({ trigger_id: await trigger(), view: { ...form, blocks: [bad] } as never }), /invalid_blocks/);
  });

  it('a dispatching select sends block_actions with the view and its state; an update with an old hash is refused', async () => {
    const id = await open();
    const result = await fake.selectInView({ user: 'U0ALICE', viewId: id, blockId: 'pick', actionId: 'pick', value: 'b' });
    const payload = JSON.parse(new URLSearchParams(bot.requests.at(-1)?.body).get('payload') ?? '{}') as { container: unknown; view: { id: string; hash: string; state: { values: Record<string, Record<string, { selected_option: { value: string } }>> } } };
    assert.equal(result?.kind, 'block_actions');
    assert.deepEqual(payload.container, { type: 'view', view_id: id });
    assert.equal(payload.view.state.values['pick']?.['pick']?.selected_option.value, 'b');
    const updated = await client.views.update({ view_id: id, hash: payload.view.hash, view: form as never });
    assert.notEqual(updated.view?.hash, payload.view.hash);
    await assert.rejects(client.views.update({ view_id: id, hash: payload.view.hash, view: form as never }), /hash_conflict/);
    assert.equal(fake.view(id)?.values['pick']?.['pick'], 'b', 'the user\'s pick survives an update that keeps its ids');
    // Even where the new view names another initial option, as in Slack; a new block id starts afresh.
    const withInitial = { ...select, element: { ...select.element, initial_option: { text: { type: 'plain_text', text: 'A' }, value: 'a' } } };
    await client.views.update({ view_id: id, view: { ...form, blocks: [withInitial, note] } as never });
    assert.equal(fake.view(id)?.values['pick']?.['pick'], 'b');
    await client.views.update({ view_id: id, view: { ...form, blocks: [{ ...withInitial, block_id: 'pick2' }, note] } as never });
    assert.equal(fake.view(id)?.values['pick2']?.['pick'], 'a');
  });

  it('a submission applies response_action: errors keep the modal open, an empty ack closes it', async () => {
    const id = await open();
    await assert.rejects(fake.submitView({ user: 'U0ALICE', viewId: id }), /required input pick/);
    await fake.selectInView({ user: 'U0ALICE', viewId: id, blockId: 'pick', actionId: 'pick', value: 'a' });
    fake.typeInView({ user: 'U0ALICE', viewId: id, blockId: 'note', actionId: 'note', text: 'hi' });
    answer = () => ({ contentType: 'application/json', body: JSON.stringify({ response_action: 'errors', errors: { note: 'Say more.' } }) });
    await fake.submitView({ user: 'U0ALICE', viewId: id });
    assert.deepEqual(fake.view(id)?.errors, { note: 'Say more.' });
    assert.equal(fake.view(id)?.open, true);
    answer = () => ({});
    const done = await fake.submitView({ user: 'U0ALICE', viewId: id });
    assert.equal(done.kind, 'view_submission');
    assert.equal(fake.view(id)?.open, false);
  });
});

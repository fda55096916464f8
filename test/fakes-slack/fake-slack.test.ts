// The fake proven against the real thing: a minimal Bolt 5 App in HTTP mode and in Socket Mode,
// driven only through the fake. If these pass, e2e tests of the bot can trust the fake's wiring.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { App, SocketModeReceiver, type BlockAction, type ButtonAction } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/index.js';
import { clientOptionsFor, recordingLogger, requestUrlOf } from './bolt-helpers.js';

const approvalBlocks = (job: string) => [
  { type: 'section', block_id: `ask-${job}`, text: { type: 'mrkdwn', text: `Start *${job}*?` } },
  {
    type: 'actions',
    block_id: `decide-${job}`,
    elements: [
      { type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: job },
      { type: 'button', action_id: 'deny', text: { type: 'plain_text', text: 'Deny' }, style: 'danger', value: job },
    ],
  },
];

/** The same tiny bot for both modes: /exa acks and posts an approval; the button edits it. */
function registerBot(app: App, seen: { teams: string[] }): void {
  app.command('/exa', async ({ ack, command, client }) => {
    seen.teams.push(command.team_id);
    if (command.text === 'status') {
      await ack({ response_type: 'ephemeral', text: 'all clusters running' });
      return;
    }
    await ack();
    const job = command.text.replace(/^start\s+/, '');
    await client.chat.postMessage({ channel: command.channel_id, text: `Start ${job}?`, blocks: approvalBlocks(job) });
  });
  app.action<BlockAction<ButtonAction>>('approve', async ({ ack, body, action, client, respond }) => {
    await ack();
    await respond({ text: 'starting…', replace_original: false });
    const channel = body.channel?.id ?? '';
    const ts = body.message?.ts ?? '';
    await client.chat.update({ channel, ts, text: `Approved by <@${body.user.id}>: ${action.value ?? ''}`, blocks: [] });
  });
}

function seedWorkspace(fake: FakeSlack): void {
  fake.addUser('U0ALICE', { name: 'alice' });
  fake.addChannel('C0OPS', { name: 'ops', members: ['U0ALICE'] });
}

describe('real Bolt App in HTTP mode against the fake', () => {
  let fake: FakeSlack;
  let app: App;
  const seen = { teams: [] as string[] };
  const logger = recordingLogger();

  before(async () => {
    // Start the fake before `new App`: the constructor calls auth.test at once (§10.5).
    fake = await startFakeSlack();
    seedWorkspace(fake);
    app = new App({ token: fake.botToken, signingSecret: fake.signingSecret, clientOptions: clientOptionsFor(fake.apiUrl), logger });
    registerBot(app, seen);
    app.command('/slow', async ({ ack }) => {
      await sleep(3100);
      await ack().catch(() => undefined); // Bolt already answered 404; the late ack fails by design.
    });
    fake.setRequestUrl(requestUrlOf(await app.start({ port: 0, host: '127.0.0.1' })));
  });
  after(async () => {
    await app.stop();
    await fake.close();
  });

  it('acks a command within 3 s, then posts; a click updates the message in place', async () => {
    const command = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'start job-42' });
    assert.equal(command.via, 'http');
    assert.equal(command.status, 200);
    assert.equal(command.outcome, 'ok');
    assert.ok(command.elapsedMs < 3000, `ack took ${command.elapsedMs} ms`);

    const posted = await fake.waitFor(() => fake.messages('C0OPS')[0], 2000, 'the approval message');
    assert.equal(posted.user, fake.botUserId);
    const postCall = fake.apiCalls('chat.postMessage')[0];
    assert.equal(postCall?.tokenKind, 'bot');
    assert.equal(postCall?.params['team_id'], fake.teamId, 'Bolt adds team_id to listener clients');

    const click = await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: posted.ts, actionId: 'approve' });
    assert.equal(click.outcome, 'ok');
    assert.equal(click.body, '', 'block_actions are acked with an empty 200');
    const updated = await fake.waitFor(() => {
      const m = fake.message('C0OPS', posted.ts);
      return m && m.history.length === 2 ? m : undefined;
    });
    assert.equal(updated.text, 'Approved by <@U0ALICE>: job-42');
    assert.deepEqual(updated.blocks, []);
    assert.deepEqual(updated.history.map((v) => v.via), ['chat.postMessage', 'chat.update']);
    const ephemeral = await fake.waitFor(() => fake.ephemerals('U0ALICE', 'C0OPS')[0], 2000, 'respond() ephemeral');
    assert.equal(ephemeral.text, 'starting…');
    assert.equal(fake.apiCalls('response_url')[0]?.status, 200);
  });

  it('turns a JSON ack body into an ephemeral reply', async () => {
    const result = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status' });
    assert.equal(result.outcome, 'ok');
    assert.equal(result.reply?.kind, 'ephemeral');
    assert.equal(result.reply?.recipient, 'U0ALICE');
    assert.equal(result.reply?.text, 'all clusters running');
  });

  it('is rejected with 401 for a forged signature or a stale timestamp', async () => {
    const before = seen.teams.length;
    const forged = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status', signature: 'wrong' });
    assert.equal(forged.status, 401);
    assert.equal(forged.outcome, 'dispatch_failed');
    const unsigned = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status', signature: 'missing' });
    assert.equal(unsigned.status, 401);
    const stale = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status', timestampSec: Math.floor(Date.now() / 1000) - 360 });
    assert.equal(stale.status, 401);
    assert.equal(seen.teams.length, before, 'no listener ran');
  });

  it('passes another team id through: single-workspace Bolt does not check it, the bot must', async () => {
    const result = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status', teamId: 'T0OTHER' });
    assert.equal(result.status, 200);
    assert.equal(seen.teams.at(-1), 'T0OTHER');
  });

  it('records operation_timeout when the ack misses 3 s (Bolt answers 404 at 3001 ms)', async () => {
    const result = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '', command: '/slow' });
    assert.equal(result.outcome, 'operation_timeout');
    assert.equal(result.status, 404);
    assert.ok(result.elapsedMs >= 3000);
    assert.equal(fake.deliveries().at(-1)?.outcome, 'operation_timeout');
  });
});

describe('real Bolt App in Socket Mode against the fake', () => {
  it('connects, takes a command and a click over the socket, and reconnects after a disconnect', async () => {
    const fake = await startFakeSlack();
    seedWorkspace(fake);
    const seen = { teams: [] as string[] };
    const app = new App({ token: fake.botToken, appToken: fake.appToken, socketMode: true, clientOptions: clientOptionsFor(fake.apiUrl), logger: recordingLogger() });
    registerBot(app, seen);
    try {
      await app.start();
      assert.ok(fake.isSocketConnected());
      // Boot sequence (§11.1): auth.test with the bot token, apps.connections.open with the app token.
      const boot = fake.apiCalls().map((c) => `${c.method}:${c.tokenKind}`);
      assert.ok(boot.includes('auth.test:bot') && boot.includes('apps.connections.open:app'), boot.join(', '));

      const status = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status' });
      assert.equal(status.via, 'socket');
      assert.equal(status.outcome, 'ok');
      assert.deepEqual(status.ackPayload, { response_type: 'ephemeral', text: 'all clusters running' });
      assert.equal(status.reply?.text, 'all clusters running');

      await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'start job-7' });
      const posted = await fake.waitFor(() => fake.messages('C0OPS')[0]);
      const click = await fake.clickButton({ user: 'U0ALICE', channel: 'C0OPS', messageTs: posted.ts, actionId: 'approve' });
      assert.deepEqual(click.ackPayload, {}, 'socket-mode always sends a payload key');
      await fake.waitFor(() => fake.message('C0OPS', posted.ts)?.text === 'Approved by <@U0ALICE>: job-7');

      // The client closes, waits clientPingTimeout (5 s by default) and opens a new connection.
      fake.disconnect('refresh_requested');
      await fake.waitFor(() => fake.connections().length === 2 && fake.isSocketConnected(), 9000, 'a reconnect');
      assert.equal(fake.connections()[0]?.closeCode, 1000);
      assert.equal(fake.apiCalls('apps.connections.open').length, 2);
      const again = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status' });
      assert.equal(again.outcome, 'ok');
      assert.equal(fake.socketFrames().filter((f) => f.direction === 'to_app' && (f.data as { type?: string }).type === 'hello').length, 2);
    } finally {
      await app.stop();
      await fake.close();
    }
  });

  it('reconnects after a dropped socket and records a missed ack deadline', async () => {
    const fake = await startFakeSlack({ ackTimeoutMs: 300 });
    seedWorkspace(fake);
    const logger = recordingLogger();
    const clientOptions = clientOptionsFor(fake.apiUrl);
    // A receiver of our own to shorten the reconnect delay (App does not pass clientPingTimeout on).
    const receiver = new SocketModeReceiver({ appToken: fake.appToken, clientPingTimeout: 1000, logger, installerOptions: { clientOptions } });
    const app = new App({ token: fake.botToken, receiver, clientOptions, logger });
    registerBot(app, { teams: [] });
    app.command('/slow', async ({ ack }) => {
      await sleep(500);
      await ack();
    });
    try {
      await app.start();
      fake.terminate();
      await fake.waitFor(() => fake.connections().length === 2 && fake.isSocketConnected(), 4000, 'a reconnect');
      assert.equal(fake.connections()[0]?.closeCode, 1006);
      assert.equal((await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: 'status' })).outcome, 'ok');

      const slow = await fake.slashCommand({ user: 'U0ALICE', channel: 'C0OPS', text: '', command: '/slow' });
      assert.equal(slow.outcome, 'operation_timeout');
      assert.equal(slow.reply, undefined);
      const late = await fake.waitFor(() => fake.deliveries().find((d) => d.envelopeId === slow.envelopeId && d.lateAckMs !== undefined));
      assert.ok((late.lateAckMs ?? 0) >= 300);
    } finally {
      await app.stop();
      await fake.close();
    }
  });
});

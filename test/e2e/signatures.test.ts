// Scenario 4: what may reach the bot. Forged or replayed (stale) deliveries are rejected with 401
// before any listener runs; a request from another workspace is refused; a button click on a
// request that belongs to another channel is refused and audited.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage } from '../fakes/slack/index.js';
import { postToBot } from '../fakes/slack/http-delivery.js';
import { slackDeliveryHeaders } from '../fakes/slack/signing.js';
import { botMessages, buttonsOf, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('request verification and origin checks (HTTP mode)', () => {
  let stack: Stack;
  let request: FakeMessage;
  before(async () => {
    stack = await startStack({ bot: { editIntervalMs: 100 } });
    // One pending request to aim the forged clicks at.
    await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    request = await stack.fake.waitFor(() => botMessages(stack.fake, CHANNELS.ops, /Approval needed for op-1/)[0], 3000, 'the approval request');
  });
  after(async () => {
    await stack.close();
  });

  /** After a refused delivery: give a wrongly started listener time to act, then check that none did. */
  async function assertNothingRan(before: ReturnType<typeof snapshot>): Promise<void> {
    await sleep(300);
    assert.equal(stack.sim.calls.length, before.calls, 'no EXAoperation call');
    assert.equal(stack.audit().length, before.audit, 'no audit entry');
    assert.equal(stack.fake.messages(CHANNELS.ops).length, before.messages, 'nothing posted');
    assert.equal(stack.fake.ephemerals().length, before.ephemerals, 'nobody was answered');
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval');
  }
  const snapshot = () => ({
    calls: stack.sim.calls.length,
    audit: stack.audit().length,
    messages: stack.fake.messages(CHANNELS.ops).length,
    ephemerals: stack.fake.ephemerals().length,
  });

  for (const [name, tamper] of [
    ['a wrong signature', { signature: 'wrong' }],
    ['no signature', { signature: 'missing' }],
    ['a timestamp older than 5 minutes', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ] as const) {
    it(`rejects a slash command with ${name} (401) and runs nothing`, async () => {
      const before = snapshot();
      const delivered = await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown', ...tamper });
      assert.equal(delivered.status, 401);
      assert.equal(delivered.outcome, 'dispatch_failed');
      await assertNothingRan(before);
    });

    it(`rejects a button click with ${name} (401): the request stays unapproved`, async () => {
      const before = snapshot();
      const delivered = await stack.fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve', ...tamper });
      assert.equal(delivered.status, 401);
      await assertNothingRan(before);
      assert.equal(stack.sim.calls.filter((c) => c.method === 'stopDatabase').length, 0);
    });
  }

  /** A correctly signed /exa command, built by hand so the very same bytes can be sent twice. */
  function signedCommand(text: string, timestampSec?: number) {
    const body = new URLSearchParams({
      team_id: stack.fake.teamId,
      channel_id: CHANNELS.ops,
      user_id: USERS.op,
      command: '/exa',
      text,
      response_url: 'http://127.0.0.1:9/nowhere',
      trigger_id: '1.2.3',
    }).toString();
    const headers = slackDeliveryHeaders(stack.fake.signingSecret, body, timestampSec === undefined ? {} : { timestampSec });
    return { body, headers, send: () => postToBot(`${stack.botUrl}/slack/events`, headers, body, 3000) };
  }

  it('rejects a replayed request (the same signed bytes again, within 5 minutes) with 401', async () => {
    const command = signedCommand('db stop exa_db2');
    const first = await command.send();
    assert.equal(first.status, 200);
    await stack.fake.waitFor(() => botMessages(stack.fake, CHANNELS.ops, /Approval needed for op-2/)[0], 3000, 'the approval request of the original');
    const before = snapshot();
    const replayed = await command.send();
    assert.equal(replayed.status, 401);
    await sleep(300);
    assert.equal(stack.fake.messages(CHANNELS.ops).length, before.messages, 'the replay posted nothing');
    assert.equal(stack.bot.service.get('op-3'), undefined, 'and created no operation');
    assert.ok(stack.logger.lines.some((l) => l.level === 'warn' && /refused a Slack request: request was already received \(replay\)/.test(l.message)));
    // Dressed up: Bolt reads only the part before a second '=', so this is the same signature.
    const dressed = await postToBot(`${stack.botUrl}/slack/events`, { ...command.headers, 'x-slack-signature': `${command.headers['x-slack-signature'] ?? ''}=1` }, command.body, 3000);
    assert.equal(dressed.status, 401);
    // Forged signatures are never remembered, so a flood of them cannot push the real one out.
    for (let i = 0; i < 20; i++) {
      const forged = await postToBot(`${stack.botUrl}/slack/events`, { ...command.headers, 'x-slack-signature': `v0=${i.toString(16).padStart(64, 'a')}` }, command.body, 3000);
      assert.equal(forged.status, 401);
    }
    assert.equal((await command.send()).status, 401, 'still refused after the flood');
    assert.equal(stack.fake.messages(CHANNELS.ops).length, before.messages);
    // Clean up: op-2 is rejected so the remaining tests see only op-1 pending.
    assert.equal((await stack.bot.service.reject('op-2', USERS.app)).kind, 'rejected');
  });

  it('rejects a request signed with a timestamp in the future (Bolt alone would accept it)', async () => {
    const before = snapshot();
    const future = await signedCommand('shutdown', Math.floor(Date.now() / 1000) + 10 * 60).send();
    assert.equal(future.status, 401);
    await assertNothingRan(before);
  });

  it('refuses a slash command from another workspace, saying so, and runs nothing', async () => {
    const before = snapshot();
    const delivered = await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown', teamId: 'T0OTHERTEAM' });
    assert.equal(delivered.status, 200, 'signed correctly, so Bolt lets it through; the bot itself refuses');
    assert.match(textOf(delivered.reply), /This bot does not serve your workspace/);
    assert.ok(stack.logger.lines.some((l) => l.level === 'warn' && /refused a command from another workspace/.test(l.message)));
    // The refusal is the ack, and it is on the record; nothing else happens.
    await sleep(300);
    const denied = stack.audit().slice(before.audit);
    assert.deepEqual(
      denied.map((e) => [e['action'], e['actor'], e['channel'], e['detail']]),
      [['denied', `T0OTHERTEAM/${USERS.op}`, CHANNELS.ops, '/exa shutdown: from another workspace (T0OTHERTEAM)']],
    );
    assert.equal(stack.sim.calls.length, before.calls);
    assert.equal(stack.fake.messages(CHANNELS.ops).length, before.messages);
  });

  it('ignores an Approve click from another workspace', async () => {
    const before = snapshot();
    const delivered = await stack.fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve', teamId: 'T0OTHERTEAM' });
    assert.equal(delivered.status, 200);
    await assertNothingRan({ ...before, audit: before.audit + 1 });
    assert.equal(stack.audit().at(-1)?.['actor'], `T0OTHERTEAM/${USERS.app}`);
    assert.ok(stack.logger.lines.some((l) => l.level === 'warn' && /refused a button click from another workspace/.test(l.message)));
  });

  it("refuses an Approve click on a copy of the request in another channel, and audits it", async () => {
    const { fake } = stack;
    // Someone pastes the request, buttons and all, into another channel where /exa is allowed too.
    const copy = fake.postAsUser(USERS.op, CHANNELS.other, 'copy of the request', [...(request.blocks as never[])]);
    assert.equal(buttonsOf(fake.message(CHANNELS.other, copy)).get('exa_approve')?.['value'], 'op-1');
    const delivered = await fake.clickButton({ user: USERS.app, channel: CHANNELS.other, messageTs: copy, actionId: 'exa_approve' });
    assert.equal(delivered.outcome, 'ok');

    const reason = await nextEphemeral(fake, USERS.app, CHANNELS.other, 0);
    assert.match(textOf(reason), /You cannot approve op-1 here: it was requested in another channel\. Do it there\./);
    const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['opId'] === 'op-1' && e['channel'] === CHANNELS.other);
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.['actor'], USERS.app);
    assert.equal(denied[0]?.['channel'], CHANNELS.other);
    assert.equal(denied[0]?.['opId'], 'op-1');
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval');
    await sleep(200);
    assert.equal(stack.sim.calls.filter((c) => c.method === 'stopDatabase').length, 0, 'nothing ran');
  });

  it('refuses a typed approve of a request from another channel, and audits it', async () => {
    const { fake } = stack;
    const seen = fake.ephemerals(USERS.app, CHANNELS.other).length;
    const refusals = (): number => stack.audit().filter((e) => e['action'] === 'denied' && e['channel'] === CHANNELS.other && /^approve refused: the request belongs to another channel/.test(String(e['detail']))).length;
    const before = refusals();
    await fake.slashCommand({ user: USERS.app, channel: CHANNELS.other, text: 'approve op-1' });
    const reason = await nextEphemeral(fake, USERS.app, CHANNELS.other, seen);
    assert.match(textOf(reason), /You cannot approve op-1 here: it was requested in another channel\. Do it there\./);
    await stack.fake.waitFor(() => refusals() > before || undefined, 2000, 'the refusal on the record');
    assert.equal(refusals(), before + 1, 'one entry, the same words as a click\'s');
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval');
  });

  it('refuses a click whose value was tampered with to name an operation that does not exist', async () => {
    const { fake } = stack;
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve', value: 'op-999' });
    const reason = await nextEphemeral(fake, USERS.app, CHANNELS.ops, 0);
    assert.match(textOf(reason), /There is no operation op-999: it no longer exists/);
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval');
  });
});

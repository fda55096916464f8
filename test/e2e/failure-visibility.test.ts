// Issue 12: every failure reaches the person who asked. A start-up typed while EXAoperation does
// not answer shows its wait at once as the first step; when it gives up before its plan exists the
// one message says why, and the requester is mentioned in its thread. The log has one info line
// per transition.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, startStack, textOf, USERS, type Stack } from './harness.js';

describe('failures before the first step reach the requester (HTTP mode)', () => {
  let stack: Stack;
  before(async () => {
    // 0.02 minutes = 1.2 s for EXAoperation to answer.
    stack = await startStack({ sim: { cold: true }, env: { EXA_WAIT_EXAOPERATION_MINUTES: '0.02' }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  it('a start-up while EXAoperation is silent: its wait shows at once, then the failure and a mention of the requester', async () => {
    const { fake, sim } = stack;
    await sim.goOffline();
    const started = Date.now();
    const answer = await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'startup' });
    assert.equal(answer.outcome, 'ok');
    const waiting = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Start-up of cluster cluster1/)[0], 1000, 'the progress message, at once');
    assert.ok(Date.now() - started < 1000);
    assert.match(textOf(waiting.history[0]), /Wait until EXAoperation answers/);

    const failed = await fake.waitFor(() => {
      const m = botMessages(fake, CHANNELS.ops, /op-1: Start-up of cluster cluster1/)[0];
      return m && /Failed before the first step/.test(textOf(m)) ? m : undefined;
    }, 5000, 'the failure in the same message');
    assert.match(textOf(failed), /could not read the cluster state: Gave up waiting until EXAoperation answers/);
    const notice = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === failed.ts), 3000, 'the end notice in its thread');
    assert.match(textOf(notice), /<@U0OP> op-1 \(start-up of cluster cluster1\) failed before its first step: could not read the cluster state/);
    assert.equal(botMessages(fake, CHANNELS.ops, /op-1: Start-up/).length, 1, 'one message, edited in place');

    const infos = stack.logger.lines.filter((l) => l.level === 'info' && l.meta?.['opId'] === 'op-1').map((l) => l.message);
    assert.deepEqual(infos, ['operation requested', 'operation finished: failed']);
    assert.ok(stack.logger.lines.filter((l) => l.meta?.['opId'] === 'op-1').every((l) => l.meta?.['cluster'] === 'cluster1' && typeof l.meta?.['user'] === 'string'));
    await sim.comeBack();
  });

  it('an approved stop whose cluster cannot be read when its turn comes: the failure is posted, the requester mentioned', async () => {
    const { fake, sim } = stack;
    await sim.comeBack();
    // A storage stop needs an approval; EXAoperation goes away between the request and its turn.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'storage stop' });
    const approval = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2/)[0], 3000, 'the approval request');
    await sim.goOffline();
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: approval.ts, actionId: 'exa_approve' });
    const failed = await fake.waitFor(() => {
      const m = botMessages(fake, CHANNELS.ops, /op-2: /).find((x) => /Failed before the first step/.test(textOf(x)));
      return m;
    }, 5000, 'the failure posted');
    assert.match(textOf(failed), /could not read the cluster state: Cannot reach EXAoperation/);
    const notice = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === failed.ts), 3000, 'the end notice');
    assert.match(textOf(notice), /<@U0OP> op-2 .* failed before its first step/);
    await sim.comeBack();
  });
});

describe('a request in a channel the bot is not in (HTTP mode)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { EXA_ALLOWED_CHANNELS: `${CHANNELS.ops},C0NOBOT,G0NOBOT` } });
    const people = Object.values(USERS);
    stack.fake.addChannel('C0NOBOT', { name: 'no-bot', members: people, botIsMember: false });
    stack.fake.addChannel('G0NOBOT', { name: 'private-no-bot', members: people, botIsMember: false, isPrivate: true });
  });
  after(async () => {
    await stack.close();
  });

  for (const channel of ['C0NOBOT', 'G0NOBOT']) {
    it(`is refused at once with how to invite the bot, and leaves nothing waiting (${channel.startsWith('G') ? 'private' : 'public'})`, async () => {
      const { fake } = stack;
      const before = fake.ephemerals(USERS.op, channel).length;
      const operations = () => stack.bot.service.queue('cluster1').pending.length + stack.bot.service.recent('cluster1').length;
      const known = operations();
      await fake.slashCommand({ user: USERS.op, channel, text: 'db stop exa_db1' });
      const answer = await fake.waitFor(() => fake.ephemerals(USERS.op, channel)[before], 3000, 'the ephemeral answer');
      assert.match(textOf(answer), /I am not a member of this channel.*Invite me with \/invite @exa-chatops, then ask again\. Nothing was started\./s);
      assert.equal(operations(), known, 'no operation was created');
      const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['channel'] === channel);
      assert.match(String(denied.at(-1)?.['detail']), /the bot is not a member of this channel/);
      // The same request in a channel with the bot is not blocked by anything left over.
      const approvals = botMessages(fake, CHANNELS.ops, /Approval needed for op-\d/).length;
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-\d/)[approvals], 3000, 'the approval request');
      const id = /Approval needed for (op-\d+)/.exec(textOf(request))?.[1] ?? '';
      assert.equal((await stack.bot.service.reject(id, USERS.app)).kind, 'rejected');
    });
  }
});

describe('a request whose approval request cannot be posted (no channels:read scope to ask first)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { EXA_ALLOWED_CHANNELS: `${CHANNELS.ops},C0NOBOT` }, fake: { botScopes: ['commands', 'chat:write', 'usergroups:read'] } });
    stack.fake.addChannel('C0NOBOT', { name: 'no-bot', members: Object.values(USERS), botIsMember: false });
  });
  after(async () => {
    await stack.close();
  });

  it('withdraws the request instead of leaving it to block retries, and says how to invite the bot', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: 'C0NOBOT', text: 'db stop exa_db1' });
    const answer = await fake.waitFor(() => fake.ephemerals(USERS.op, 'C0NOBOT')[0], 3000, 'the ephemeral answer');
    assert.match(textOf(answer), /I could not post in this channel \(not_in_channel\)\. Invite me first: \/invite @exa-chatops\. Request op-1 was withdrawn/);
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'finished');
    // A retry in a channel with the bot is not blocked as a duplicate.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2/)[0], 3000, 'the new approval request');
  });
});

// People, not ids (issue 16, item 1): in Slack every person the bot names is a mention — in the
// queue, in a refusal naming the operation in the way, in "cancelled by", in the end notice — and
// with EXA_NOTIFY_REQUESTER_DM the requester also gets the outcome as a direct message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('people in what the bot says', { timeout: 60_000 }, () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ env: { EXA_NOTIFY_REQUESTER_DM: 'true' }, sim: { durations: { databaseStop: 2500 } } });
  });
  after(async () => {
    await stack.close();
  });

  it('mentions who requested, approved and cancelled, and sends the requester the outcome directly', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 5000, 'the approval request');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    const progress = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db2/)[0], 5000, 'the progress message');

    await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
    const queue = textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0));
    assert.match(queue, /op-1: stop of database exa_db2, running step \d+ of \d+: .*; requested by <@U0OP>, approved by <@U0APP>/);

    await fake.slashCommand({ user: USERS.both, channel: CHANNELS.ops, text: 'db start exa_db2' });
    const refused = textOf(await nextEphemeral(fake, USERS.both, CHANNELS.ops, 0));
    assert.match(refused, /conflicts with op-1 \(stop of database exa_db2, requested by <@U0OP>, running\)/);

    await fake.slashCommand({ user: USERS.both, channel: CHANNELS.ops, text: 'cancel op-1' });
    await fake.waitFor(() => (/Cancelled by <@U0BOTH> during step/.test(textOf(fake.message(CHANNELS.ops, progress.ts))) ? true : undefined), 10_000, 'the progress message to say who cancelled');
    const notice = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === progress.ts && /was cancelled/.test(textOf(m))), 5000, 'the end notice');
    assert.match(textOf(notice), /<@U0OP> op-1 \(stop of database exa_db2 on cluster cluster1\) was cancelled by <@U0BOTH> during step/);

    // The app's DM with the requester: Slack opens it for a post to the user id.
    const dm = await fake.waitFor(() => fake.messages(`D${USERS.op.slice(1)}`)[0], 5000, 'the direct message');
    assert.match(textOf(dm), /op-1 \(stop of database exa_db2 on cluster cluster1\) was cancelled by <@U0BOTH>/);
    assert.match(textOf(dm), /You requested it in <#C0OPS>; its progress message there has every step in its thread\./);
    assert.doesNotMatch(textOf(dm), /<@U0OP>/, 'nobody is mentioned in their own DM');
  });
});

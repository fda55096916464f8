// Scenario: a cold start-up from Slack. No approval (start-up is not destructive); one progress
// message, edited in place, gets one line per node (powered on → booted in N s) and the summary
// "4/4 nodes booted, slowest … in N s", then the databases accepting connections; the channel is
// not flooded with a message per node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, mutatingCalls, startStack, textOf, USERS, type Stack } from './harness.js';

describe('a cold start-up from Slack', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sim: { cold: true }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  it('reports each node booting and the summary in the one progress message', async () => {
    const { fake } = stack;
    const posted = fake.messages(CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'startup' });
    await fake.waitFor(() => stack.bot.service.get('op-1')?.status.kind === 'finished', 20_000, 'the start-up to finish');
    const outcome = stack.bot.service.get('op-1')?.status;
    assert.ok(outcome?.kind === 'finished' && outcome.outcome.kind === 'succeeded', JSON.stringify(outcome));

    const [progress] = botMessages(fake, CHANNELS.ops, /op-1: Start-up of cluster cluster1/);
    assert.ok(progress, 'the progress message');
    const final = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, progress.ts);
      return m && /Succeeded/.test(textOf(m)) ? m : undefined;
    }, 5000, 'the final state');
    const text = textOf(final);
    for (const node of ['n0011', 'n0012', 'n0013', 'n0014']) {
      assert.match(text, new RegExp(`${node} powered on → booted in \\d+ s`), node);
    }
    assert.match(text, /4\/4 nodes booted, slowest n001\d in \d+ s/);
    assert.match(text, /exa_db1.*accept/s);
    assert.ok((final.history?.length ?? 0) > 2, 'edited in place as it went');
    // One queued notice and one progress message: not a message per node.
    const mine = fake.messages(CHANNELS.ops).slice(posted).filter((m) => m.user === fake.botUserId);
    const inChannel = mine.filter((m) => m.threadTs === undefined);
    assert.ok(inChannel.length <= 2, inChannel.map((m) => m.text).join(' | '));
    // The requester is told, in the progress message's thread (an edit notifies nobody).
    const notice = mine.filter((m) => m.threadTs !== undefined);
    assert.equal(notice.length, 1);
    assert.equal(notice[0]?.threadTs, final.ts);
    assert.match(textOf(notice[0] as typeof final), /<@U0OP> op-1 \(start-up of cluster cluster1\) succeeded\./);
    assert.equal(mutatingCalls(stack.sim).filter((c) => c.includes('startupNode')).length, 4);
    assert.deepEqual(stack.sim.violations, []);
  });
});

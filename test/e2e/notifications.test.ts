// Issue 5 in Slack: the watcher posts to the notification channel what happens outside the bot
// (a database stopped and started from EXAoperation's web interface), once, and keeps quiet about
// what an operation's own progress message already shows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, startStack, textOf, USERS, type Stack } from './harness.js';

describe('notifications in the channel (HTTP mode)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      env: { EXA_NOTIFY_CHANNEL: CHANNELS.other, EXA_WATCH_INTERVAL_MS: '100', EXA_APPROVAL_REQUIRED_FOR: 'cluster-shutdown' },
      bot: { editIntervalMs: 100 },
    });
  });
  after(async () => {
    await stack.close();
  });

  it('reports a database stopped and started outside the bot, each change once', async () => {
    const { fake, sim } = stack;
    await new Promise((r) => setTimeout(r, 400)); // the watcher's first read sets its baseline
    sim.model.stopDatabase('exa_db2');
    const rejecting = await fake.waitFor(
      () => botMessages(fake, CHANNELS.other, /exa_db2/).find((m) => /reject|setup|stopped|No/i.test(textOf(m))),
      8000,
      'a notice about exa_db2 going down',
    );
    assert.ok(rejecting);
    sim.model.startDatabase('exa_db2');
    await fake.waitFor(
      () => botMessages(fake, CHANNELS.other, /exa_db2/).find((m) => /accepting/i.test(textOf(m))),
      8000,
      'a notice that exa_db2 accepts connections',
    );
    await new Promise((r) => setTimeout(r, 600));
    const accepting = fake
      .messages(CHANNELS.other)
      .filter((m) => /exa_db2 is accepting connections|exa_db2 accepts connections|exa_db2.*accepting/i.test(textOf(m)));
    assert.ok(accepting.length >= 1);
    const topLevelAccepting = botMessages(fake, CHANNELS.other, /accepting/i);
    assert.ok(topLevelAccepting.length <= 2, `no flood of repeated notices: ${topLevelAccepting.length}`);
    assert.equal(botMessages(fake, CHANNELS.ops, /exa_db2/).length, 0, 'notices go to the notification channel only');
  });

  it("does not cry wolf: the bot's own shut-down takes EXAoperation down without a 'lost contact' alert", async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown' });
    const approval = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed/)[0], 3000, 'the approval request');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: approval.ts, actionId: 'exa_approve' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /shut-down of cluster cluster1: succeeded/)[0], 20_000, 'the shut-down to succeed');
    // Without the planned outage, the watcher (woken when the operation ends, 2 failed polls to a
    // loss, the batcher's window) posts "Lost contact" about 5 s after the end: wait past that.
    await new Promise((r) => setTimeout(r, 8000));
    assert.deepEqual(
      fake.messages(CHANNELS.other).filter((m) => /lost contact/i.test(textOf(m))).map(textOf),
      [],
      'no false alarm after a planned shut-down',
    );
  });
});

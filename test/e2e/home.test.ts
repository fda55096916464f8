// The Home tab and direct messages (issue 16, item 5), through the real Bolt app in both modes:
// opening the tab publishes one card per cluster with its live state; an operation's changes
// publish it again, ending with the operation under "Last operations" with who asked and who
// approved; a direct message to the app gets the short help, and the bot's own answer does not
// start a conversation with itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeSlack } from '../fakes/slack/index.js';
import { botMessages, CHANNELS, startStack, textOf, USERS, type Stack } from './harness.js';

const homeText = (fake: FakeSlack, user: string): string => {
  const home = fake.home(user);
  return home ? textOf({ text: '', blocks: home.view['blocks'] as never }) : '';
};

for (const mode of ['http', 'socket'] as const) {
  describe(`the Home tab and direct messages (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, { timeout: 60_000 }, () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack({ mode, sim: { durations: { databaseStop: 600 } } });
    });
    after(async () => {
      await stack.close();
    });

    it('opening the tab shows each cluster; an operation refreshes it, and it ends under the last operations', async () => {
      const { fake } = stack;
      const opened = await fake.openHome(USERS.op);
      assert.equal(opened.status, 200);
      assert.equal(opened.via, mode);
      const first = await fake.waitFor(() => fake.home(USERS.op), 5000, 'the Home tab to be published');
      assert.equal(first.view['type'], 'home');
      const shown = homeText(fake, USERS.op);
      assert.match(shown, /Cluster cluster1/);
      assert.match(shown, /4\/4 nodes online, EXAStorage online, 2\/2 databases accepting connections/);
      assert.match(shown, /exa_db2/);
      assert.match(shown, /Nothing running\./);
      assert.match(shown, /Requested with \/exa in any channel the bot serves/, 'no channel is configured for the cluster here');

      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
      const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 5000, 'the approval request');
      await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
      const done = await fake.waitFor(
        () => (/Last operations[\s\S]*op-1 stop of database exa_db2 on cluster cluster1: succeeded · requested by <@U0OP>, approved by <@U0APP>/.test(homeText(fake, USERS.op)) ? fake.home(USERS.op) : undefined),
        15_000,
        `the Home tab to show op-1 (now: ${homeText(fake, USERS.op)})`,
      );
      assert.ok(done.publishes >= 2, 'published again when the operation changed');
      assert.match(homeText(fake, USERS.op), /1\/2 databases accepting connections[\s\S]*exa_db2\s+setup\s+No/, 'the live state after the stop');
      assert.equal(fake.home(USERS.view), undefined, 'nobody who never opened it gets one');
      assert.ok(fake.apiCalls('views.publish').every((c) => c.ok), 'every publish was valid Block Kit');
    });

    it('someone with no role sees no cluster on the tab', async () => {
      const { fake } = stack;
      await fake.openHome(USERS.nobody);
      await fake.waitFor(() => fake.home(USERS.nobody), 5000, 'the Home tab');
      const shown = homeText(fake, USERS.nobody);
      assert.match(shown, /There is no cluster you may view: ask an admin for the viewer role\./);
      assert.doesNotMatch(shown, /Cluster cluster1|exa_db1/);
    });

    it('a direct message gets the short help; the answer itself is not answered', async () => {
      const { fake } = stack;
      const sent = await fake.sendDirectMessage(USERS.view, 'hello?');
      assert.equal(sent.status, 200);
      const dm = `D${USERS.view.slice(1)}`;
      const answer = await fake.waitFor(() => fake.messages(dm).find((m) => m.user === fake.botUserId), 5000, 'the answer');
      assert.match(textOf(answer), /I do not take commands here in the chat/);
      assert.match(textOf(answer), /\/exa help/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(fake.messages(dm).filter((m) => m.user === fake.botUserId).length, 1, 'one answer');
    });
  });
}

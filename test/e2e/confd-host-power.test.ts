// Exasol 8's power step through configured host actions, end to end: a shut-down stops every
// database, then powers each host off with the operator's command (here scripts/sim-host-power.mjs
// against the simulator's control endpoint), its output in the operation's thread; a start-up of
// the cold cluster, whose ConfD cannot answer, powers the hosts on, waits for quorum and every node,
// and has every database accepting connections. A failing command stops the step and says what ran.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage, FakeSlack } from '../fakes/slack/index.js';
import { botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

async function approved(stack: Stack, text: string): Promise<{ request: FakeMessage; opId: string }> {
  const { fake } = stack;
  const before = botMessages(fake, CHANNELS.ops, /Approval needed for op-/).length;
  await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text });
  const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-/)[before], 5000, `the approval request of ${text}`);
  const opId = /Approval needed for (op-\d+)/.exec(textOf(request))?.[1] ?? '';
  return { request, opId };
}

async function finished(fake: FakeSlack, opId: string, timeoutMs = 30_000): Promise<FakeMessage> {
  return fake.waitFor(() => botMessages(fake, CHANNELS.ops, new RegExp(`${opId}: (Shut-down|Start-up|Stop|Start)`)).find((m) => /Succeeded|Failed/.test(textOf(m))), timeoutMs, `${opId} to finish`);
}

const threadOf = (fake: FakeSlack, parent: FakeMessage): string[] => fake.messages(CHANNELS.ops).filter((m) => m.threadTs === parent.ts).map(textOf);

describe('Exasol 8 host actions through Slack', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ backend: 'confd', confdHostPower: {}, bot: { editIntervalMs: 100 } });
    await stack.bot.preflightDone();
  });
  after(async () => {
    await stack.close();
  });

  it('a shut-down stops the databases, then powers off each host with the configured command', async () => {
    const { fake, confd } = stack;
    assert.ok(confd);
    const { request, opId } = await approved(stack, 'shutdown');
    const asked = textOf(request);
    assert.match(asked, /Stop database DB1: will do/);
    assert.match(asked, /Power off the hosts of nodes n11, n12, n13, n14 with the configured host action \(ConfD stops answering\): will do/);
    assert.ok(confd.hosts.list().every((h) => h.power !== 'off'), 'nothing before the approval');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    const progress = await finished(fake, opId);
    const final = textOf(progress);
    assert.match(final, /Succeeded/, final);
    assert.match(final, /4 host\(s\) powered off: n11, n12, n13, n14/);
    assert.match(final, /n11: the power-off host action exited with status 0/);
    await fake.waitFor(() => (threadOf(fake, progress).some((t) => /Cluster state just before the hosts were powered off/.test(t)) ? true : undefined), 5000, 'the end state in the thread');
    await stack.bot.service.idle();
    // The command returns once the power-off is under way; the hosts are off a moment later.
    await fake.waitFor(() => confd.hosts.list().every((h) => h.power === 'off') || undefined, 5000, `every host off: ${JSON.stringify(confd.hosts.list())}`);
    assert.deepEqual(confd.violations, [], 'no host went down under a running database');
    const thread = await fake.waitFor(() => {
      const replies = threadOf(fake, progress);
      return replies.filter((t) => /the power-off host action/.test(t)).length === 4 ? replies : undefined;
    }, 5000, 'four host outputs in the thread');
    assert.match(thread.join('\n'), /n13: the power-off host action exited with status 0[\s\S]*poweroff n13/);
  });

  it('a start-up of the cold cluster powers the hosts on, waits for ConfD, and every database accepts connections', async () => {
    const { fake, confd } = stack;
    assert.ok(confd);
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'startup' });
    const progress = await fake.waitFor(
      () => botMessages(fake, CHANNELS.ops, /Start-up of cluster cluster1/).find((m) => /Succeeded|Failed/.test(textOf(m))),
      40_000,
      'the start-up to finish',
    );
    const final = textOf(progress);
    assert.match(final, /Succeeded/, final);
    assert.match(final, /Power on the hosts of nodes n11, n12, n13, n14 with the configured host action/);
    assert.match(final, /4 host\(s\) powered on/);
    assert.match(final, /2 database\(s\) accept connections/);
    await stack.bot.service.idle();
    assert.ok(confd.hosts.list().every((h) => h.power !== 'off'));
    const seen = fake.ephemerals(USERS.view, CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' });
    const status = textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, seen, 5000));
    assert.match(status, /4\/4 nodes online, 2\/2 volumes online, 2\/2 databases accepting connections/);
    assert.deepEqual(confd.violations, []);
  });

  it('a command that fails stops the step: what ran, what did not, and its output in the thread', async () => {
    const { fake, confd } = stack;
    assert.ok(confd);
    // Someone powered n13 off by hand (the databases go down with it); its power-off now fails.
    confd.hosts.powerOff('13');
    await fake.waitFor(() => (confd.hosts.list().find((h) => h.name === 'n13')?.power === 'off' ? true : undefined), 5000, 'n13 off');
    const { request, opId } = await approved(stack, 'shutdown');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    const progress = await finished(fake, opId);
    const final = textOf(progress);
    assert.match(final, /Failed/);
    assert.match(final, /The power-off host action for n13 exited with status 1\. Done before it: n11, n12\. Not run for: n14\./);
    await stack.bot.service.idle();
    assert.equal(confd.hosts.list().find((h) => h.name === 'n14')?.power === 'off', false, 'n14 was not touched');
    const thread = threadOf(fake, progress).join('\n');
    assert.match(thread, /n13: the power-off host action exited with status 1[\s\S]*refused/);
  });
});

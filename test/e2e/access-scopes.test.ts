// Roles per channel and through user groups (EXA_ACCESS_FILE), through the real Bolt app: the
// same person may operate in one channel and only look in another; an approver whose grant is
// for another channel cannot decide here; help tells each user what they may do where they ask.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

const GROUP = 'S0DBTEAM';
const SECOND_GROUP = 'S0NIGHTSHIFT';

/** A stack whose bot reads these grants from EXA_ACCESS_FILE, with these user groups in Slack. */
async function stackWithGrants(grants: readonly object[], groups: Record<string, readonly string[]>): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'exa-access-'));
  const file = join(dir, 'access.json');
  writeFileSync(file, JSON.stringify({ grants }));
  const stack = await startStack({ env: { EXA_ACCESS_FILE: file } });
  for (const [id, members] of Object.entries(groups)) stack.fake.addUserGroup(id, members);
  const close = stack.close.bind(stack);
  return Object.assign(stack, {
    close: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

describe('roles scoped to channels and granted through user groups', () => {
  let stack: Stack;
  before(async () => {
    stack = await stackWithGrants(
      [
        // nobody: looks everywhere, operates only in the other channel.
        { role: 'viewer', principals: [USERS.nobody], clusters: ['cluster1'], channels: '*' },
        { role: 'operator', principals: [USERS.nobody], clusters: ['cluster1'], channels: [CHANNELS.other] },
        // The DB team group approves, but only in the other channel.
        { role: 'approver', principals: [GROUP], channels: [CHANNELS.other] },
      ],
      { [GROUP]: [USERS.view] },
    );
  });
  after(async () => {
    await stack.close();
  });

  async function ask(user: string, channel: string, text: string): Promise<string> {
    const seen = stack.fake.ephemerals(user, channel).length;
    assert.equal((await stack.fake.slashCommand({ user, channel, text })).outcome, 'ok');
    return textOf(await nextEphemeral(stack.fake, user, channel, seen));
  }

  it('an operator grant for one channel does not reach another; the denial is audited with where', async () => {
    const denied = await ask(USERS.nobody, CHANNELS.ops, 'storage start');
    assert.match(denied, /Not allowed: you do not have the operator role on cluster cluster1 in this channel; ask an admin to grant it\./);
    const entry = stack.audit().find((e) => e['action'] === 'denied' && e['actor'] === USERS.nobody);
    assert.equal(entry?.['channel'], CHANNELS.ops);
    assert.equal(entry?.['cluster'], 'cluster1');

    // The same request in the channel where the grant holds is queued and announced there.
    await stack.fake.slashCommand({ user: USERS.nobody, channel: CHANNELS.other, text: 'storage start' });
    const queued = await stack.fake.waitFor(() => botMessages(stack.fake, CHANNELS.other, /Queued as op-1/)[0], 3000, 'the queued notice');
    assert.match(textOf(queued), /requested by U0NOBODY/);
    await stack.fake.waitFor(() => stack.bot.service.get('op-1')?.status.kind === 'finished', 5000, 'op-1 finished');
  });

  it('help shows each user their roles where they ask', async () => {
    const inOps = await ask(USERS.nobody, CHANNELS.ops, 'help');
    assert.match(inOps, /Your roles on cluster cluster1 in this channel: viewer\./);
    assert.match(inOps, /needs operator/);
    const inOther = await ask(USERS.nobody, CHANNELS.other, 'help');
    assert.match(inOther, /Your roles on cluster cluster1 in this channel: viewer, operator\./);
    const groupMember = await ask(USERS.view, CHANNELS.other, 'help');
    assert.match(groupMember, /Your roles on cluster cluster1 in this channel: viewer, approver\./);
  });

  it('a group approver decides only in the channel of the grant', async () => {
    const { fake } = stack;
    // Requested in the ops channel: the group's approver grant (other channel) does not count here.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2:/)[0], 3000, 'approval request op-2');
    const seen = fake.ephemerals(USERS.view, CHANNELS.ops).length;
    await fake.clickButton({ user: USERS.view, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    const reason = textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, seen));
    assert.match(reason, /You cannot approve op-2: you do not have the approver role on cluster cluster1 in this channel/);
    assert.equal(stack.bot.service.get('op-2')?.status.kind, 'awaiting-approval');

    // Requested in the other channel: the same group member approves, and it runs.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.other, text: 'db stop exa_db2' });
    const other = await fake.waitFor(() => botMessages(fake, CHANNELS.other, /Approval needed for op-3:/)[0], 3000, 'approval request op-3');
    await fake.clickButton({ user: USERS.view, channel: CHANNELS.other, messageTs: other.ts, actionId: 'exa_approve' });
    await fake.waitFor(() => stack.bot.service.get('op-3')?.status.kind === 'finished', 10_000, 'op-3 finished');
    assert.equal(stack.sim.calls.filter((c) => c.object === 'db_exa_db2' && c.method === 'stopDatabase').length, 1);
    assert.equal(stack.sim.calls.filter((c) => c.object === 'db_exa_db1' && c.method === 'stopDatabase').length, 0);
    assert.ok(stack.audit().some((e) => e['action'] === 'approved' && e['actor'] === USERS.view && e['opId'] === 'op-3'));
  });

  it('an approval request mentions the user group that may decide there, and not the requester', async () => {
    const before = botMessages(stack.fake, CHANNELS.other, /Approval needed for op-\d+/).length;
    await stack.fake.slashCommand({ user: USERS.nobody, channel: CHANNELS.other, text: 'db stop exa_db2' });
    const request = await stack.fake.waitFor(
      () => botMessages(stack.fake, CHANNELS.other, /Approval needed for op-\d+/)[before],
      3000,
      `the approval request (answers: ${stack.fake.ephemerals(USERS.nobody, CHANNELS.other).map(textOf).join(' | ').slice(-300)})`,
    );
    // Slack notifies the group's members; the mention is in the blocks, right under the header.
    const ask = textOf(request).split('\n').find((line) => line.endsWith('may approve or reject this request.')) ?? '';
    assert.match(ask, /<!subteam\^S0DBTEAM>/, 'the group whose grant covers this channel');
    assert.doesNotMatch(ask, /U0NOBODY/, 'the requester is not asked to approve their own request');
    assert.match(textOf(request), /Requested by: <@U0NOBODY>/, 'the requester is shown as a person too');
    const opId = /Approval needed for (op-\d+)/.exec(textOf(request))?.[1] ?? '';
    await stack.fake.clickButton({ user: USERS.view, channel: CHANNELS.other, messageTs: request.ts, actionId: 'exa_reject' });
    await stack.fake.waitFor(() => stack.bot.service.get(opId)?.status.kind === 'finished' || undefined, 5000, 'the request rejected by a group member');
  });
});

describe('a rate-limited group lookup', () => {
  let stack: Stack;
  before(async () => {
    stack = await stackWithGrants(
      [
        { role: 'approver', principals: [SECOND_GROUP] },
        { role: 'operator', principals: [USERS.nobody], operations: ['database-start'] },
      ],
      { [SECOND_GROUP]: [USERS.nobody] },
    );
  });
  after(async () => {
    await stack.close();
  });

  it('a rate-limited group lookup holds up only the click that needs it, not other posts', async () => {
    const { fake } = stack;
    // Not a shut-down: nothing may queue behind one that waits (conflicts.ts).
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 3000, 'approval request op-1');
    const limited = fake.injectFault('usergroups.users.list', { rateLimitedSeconds: 2, times: 1 });
    await fake.clickButton({ user: USERS.nobody, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_reject' });
    await fake.waitFor(() => limited.hits === 1, 3000, 'the rate-limited lookup');
    // While that lookup waits out Retry-After, another request's approval message goes out at once.
    const asked = Date.now();
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2:/)[0], 3000, 'approval request op-2');
    assert.ok(Date.now() - asked < 1500, `the approval request took ${Date.now() - asked} ms`);
    // The click itself is decided once the lookup is retried.
    await fake.waitFor(() => stack.bot.service.get('op-1')?.status.kind === 'finished', 6000, 'op-1 rejected by the night shift');
    assert.ok(stack.audit().some((e) => e['action'] === 'rejected' && e['actor'] === USERS.nobody && e['opId'] === 'op-1'));
  });

  it('a cancel needs a grant for that kind of operation; an unknown id is answered before any check', async () => {
    const { fake } = stack;
    const ask = async (text: string): Promise<string> => {
      const seen = fake.ephemerals(USERS.nobody, CHANNELS.ops).length;
      await fake.slashCommand({ user: USERS.nobody, channel: CHANNELS.ops, text });
      return textOf(await nextEphemeral(fake, USERS.nobody, CHANNELS.ops, seen));
    };
    assert.match(await ask('cancel op-2'), /You cannot cancel op-2: your operator grant on cluster cluster1 in this channel does not include stop of database exa_db2/);
    assert.equal(stack.bot.service.get('op-2')?.status.kind, 'awaiting-approval');
    assert.match(await ask('cancel op-99'), /There is no operation op-99: .*See \/exa queue/);
    const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['actor'] === USERS.nobody).map((e) => e['detail']);
    assert.ok(denied.some((d) => /cancel refused: no such operation/.test(String(d))), denied.join(' | '));
  });
});

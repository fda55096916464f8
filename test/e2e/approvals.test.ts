// Scenario 3: the approval rules through real clicks. Four eyes (no self-approval), approver role
// required, a request expires, and two clicks at once start exactly one operation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage, FakeSlack } from '../fakes/slack/index.js';
import { buttonsOf, botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

/** `/exa <text>` by `user` in the ops channel; resolves with the approval request it posted. */
async function requestApproval(fake: FakeSlack, user: string, text: string, opId: string): Promise<FakeMessage> {
  const delivered = await fake.slashCommand({ user, channel: CHANNELS.ops, text });
  assert.equal(delivered.outcome, 'ok');
  return fake.waitFor(
    () => botMessages(fake, CHANNELS.ops, new RegExp(`Approval needed for ${opId}:`))[0],
    3000,
    `the approval request of ${opId}`,
  );
}

function stopCalls(stack: Stack, db: string): number {
  return stack.sim.calls.filter((c) => c.object === `db_${db}` && c.method === 'stopDatabase').length;
}

describe('approvals through button clicks', () => {
  let stack: Stack;
  before(async () => {
    // Not about the 1 s edit rule: faster edits keep the test short.
    stack = await startStack({ bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  it('refuses self-approval: the requester gets the reason, the audit log a denial, and nothing runs', async () => {
    const { fake } = stack;
    const request = await requestApproval(fake, USERS.both, 'db stop exa_db1', 'op-1');
    const clicked = await fake.clickButton({ user: USERS.both, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    assert.equal(clicked.outcome, 'ok');

    const reason = await nextEphemeral(fake, USERS.both, CHANNELS.ops, 0);
    assert.match(textOf(reason), /You cannot approve op-1: you requested this operation; another approver must decide/);
    const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['opId'] === 'op-1');
    assert.equal(denied.length, 1);
    assert.equal(denied[0]?.['actor'], USERS.both);
    assert.match(String(denied[0]?.['detail']), /requested this operation/);

    assert.equal(stopCalls(stack, 'exa_db1'), 0, 'nothing ran');
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'awaiting-approval', 'still waiting for another approver');
    assert.equal(fake.message(CHANNELS.ops, request.ts)?.history.length, 1, 'the request is not edited');
    assert.equal(buttonsOf(fake.message(CHANNELS.ops, request.ts)).size, 2);

    // Clean up for the next test: another approver rejects it.
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_reject' });
    const rejected = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, request.ts);
      return m && m.history.length > 1 ? m : undefined;
    }, 3000, 'the rejection edit');
    assert.match(textOf(rejected), /Rejected by <@U0APP>\. Nothing was done/);
    assert.equal(buttonsOf(rejected).size, 0);
  });

  it('refuses a click by someone without the approver role, and by the operator who is no approver', async () => {
    const { fake } = stack;
    const request = await requestApproval(fake, USERS.op, 'db stop exa_db2', 'op-2');
    for (const [i, user] of [USERS.view, USERS.op, USERS.nobody].entries()) {
      await fake.clickButton({ user, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
      const reason = await nextEphemeral(fake, user, CHANNELS.ops, 0);
      assert.match(textOf(reason), /You cannot approve op-2: you do not have the approver role on cluster cluster1 in this channel; ask an admin to grant it/, `click #${i + 1} by ${user}`);
    }
    const denied = stack.audit().filter((e) => e['action'] === 'denied' && e['opId'] === 'op-2');
    assert.deepEqual(
      denied.map((e) => e['actor']),
      [USERS.view, USERS.op, USERS.nobody],
    );
    assert.equal(stopCalls(stack, 'exa_db2'), 0, 'nothing ran');
    assert.equal(stack.bot.service.get('op-2')?.status.kind, 'awaiting-approval');

    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_reject' });
    await fake.waitFor(() => stack.bot.service.get('op-2')?.status.kind === 'finished', 3000, 'op-2 rejected');
  });

  it('starts exactly one operation when two approvers click Approve at the same moment', async () => {
    const { fake } = stack;
    const request = await requestApproval(fake, USERS.op, 'db stop exa_db1', 'op-3');
    const clicks = await Promise.all([
      fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' }),
      fake.clickButton({ user: USERS.app2, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' }),
    ]);
    assert.deepEqual(
      clicks.map((c) => c.outcome),
      ['ok', 'ok'],
    );

    await fake.waitFor(
      () => botMessages(fake, CHANNELS.ops, /op-3: Stop of database exa_db1/).find((m) => /Succeeded/.test(textOf(m))),
      10_000,
      'op-3 to finish',
    );
    // The loser is told; give a stray second run every chance to show up before counting.
    const loser = await fake.waitFor(
      () => [USERS.app, USERS.app2].flatMap((u) => fake.ephemerals(u, CHANNELS.ops)).find((m) => /no longer waiting for a decision/.test(textOf(m))),
      3000,
      'the second click to be answered',
    );
    assert.match(textOf(loser), /You cannot approve op-3: it is no longer waiting for a decision/);
    await stack.bot.service.idle();

    assert.equal(stopCalls(stack, 'exa_db1'), 1, 'one stopDatabase in the simulator');
    assert.equal(botMessages(fake, CHANNELS.ops, /op-3: Stop of database/).length, 1, 'one progress message');
    const approvals = stack.audit().filter((e) => e['action'] === 'approved' && e['opId'] === 'op-3');
    assert.equal(approvals.length, 1, 'one approval recorded');
    assert.equal(stack.journal().filter((r) => r['type'] === 'started' && r['opId'] === 'op-3').length, 1, 'started once');
    const decided = fake.message(CHANNELS.ops, request.ts);
    assert.equal(buttonsOf(decided).size, 0);
    assert.match(textOf(decided), new RegExp(`Approved by <@(${USERS.app}|${USERS.app2})>`));
    assert.deepEqual(stack.sim.violations, []);
  });
});

describe('an approval request that nobody decides', () => {
  let stack: Stack;
  before(async () => {
    // EXA_APPROVAL_TTL_MINUTES counts minutes; the bot's test hook takes milliseconds.
    stack = await startStack({ bot: { approvalTtlMs: 1200, editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  it('expires: the message says so, its buttons go, and a later approval is refused', async () => {
    const { fake } = stack;
    const request = await requestApproval(fake, USERS.op, 'db stop exa_db1', 'op-1');
    assert.equal(buttonsOf(request).size, 2);

    const expired = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, request.ts);
      return m && /Expired/.test(textOf(m)) ? m : undefined;
    }, 5000, 'the request to expire');
    assert.equal(expired.history.at(-1)?.via, 'chat.update');
    assert.match(textOf(expired), /Expired: stop of database exa_db1 on cluster cluster1/);
    assert.match(textOf(expired), /Nobody approved or rejected it in time, so nothing was done/);
    assert.equal(buttonsOf(expired).size, 0, 'no buttons left');
    assert.ok(stack.audit().some((e) => e['action'] === 'expired' && e['opId'] === 'op-1' && e['actor'] === 'system'));
    assert.ok(stack.journal().some((r) => r['type'] === 'expired' && r['opId'] === 'op-1'));

    // A client that still shows the old buttons (a copy of the original message) clicks Approve.
    const stale = fake.postAsUser(USERS.op, CHANNELS.ops, 'stale copy', [...(request.blocks as never[])]);
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: stale, actionId: 'exa_approve' });
    const refused = await nextEphemeral(fake, USERS.app, CHANNELS.ops, 0);
    assert.match(textOf(refused), /You cannot approve op-1: it is no longer waiting for a decision \(finished: expired\)/);

    // So is the typed command.
    await fake.slashCommand({ user: USERS.app, channel: CHANNELS.ops, text: 'approve op-1' });
    const typed = await nextEphemeral(fake, USERS.app, CHANNELS.ops, 1);
    assert.match(textOf(typed), /op-1 is no longer waiting for a decision/);
    // Both refusals are on the record, with where they happened.
    const refusals = stack.audit().filter((e) => e['action'] === 'denied' && e['opId'] === 'op-1');
    assert.equal(refusals.length, 2);
    assert.ok(refusals.every((e) => e['channel'] === CHANNELS.ops && /no longer waiting/.test(String(e['detail']))));

    assert.equal(stack.sim.calls.filter((c) => c.method === 'stopDatabase').length, 0, 'nothing ran');
    assert.equal(stack.audit().filter((e) => e['action'] === 'approved').length, 0);
  });
});

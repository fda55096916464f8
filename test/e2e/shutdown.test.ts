// Scenario 2: a cluster shut-down end to end in HTTP mode. Operator asks, the channel sees the
// approval request with the dry-run plan, an approver approves, and ONE progress message is
// edited in place (never more than once a second) until it shows the outcome and the end state;
// the simulator saw the article's order and no unsafe transition. It runs once per combination of
// the readings the reference leaves open (test/helpers/sim-cluster.ts READINGS): under each, the
// license server goes down only after every data node is off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FULL_SHUTDOWN_CALLS, READINGS } from '../helpers/sim-cluster.js';
import { buttonsOf, botMessages, CHANNELS, mutatingCalls, startStack, textOf, USERS, type Stack } from './harness.js';

for (const reading of READINGS) describe(`cluster shut-down end to end (HTTP mode; ${reading.label})`, () => {
  let stack: Stack;
  before(async () => {
    // About 3 s of real time, so the progress message is edited several times.
    stack = await startStack({ sim: { ...reading.options, durations: { databaseStop: 500, storageStop: 250, nodeShutdown: 250 } } });
  });
  after(async () => {
    await stack.close();
  });

  it('asks for approval with the plan, runs after approval, and reports in one throttled message', async () => {
    const { fake, sim } = stack;
    const requested = await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown' });
    assert.equal(requested.outcome, 'ok');
    assert.ok(requested.elapsedMs < 3000, `ack took ${requested.elapsedMs} ms`);

    // The approval request: posted in the channel, with the dry run and both buttons.
    const approval = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed/)[0], 3000, 'the approval request');
    assert.equal(approval.history[0]?.via, 'chat.postMessage');
    const asked = textOf(approval);
    assert.match(asked, /Approval needed: shut-down of cluster cluster1/);
    assert.match(asked, /Requested by: <@U0OP>/);
    // The approvers are mentioned, so Slack notifies them; the requester is not among them.
    assert.match(asked, /<@U0APP> <@U0APPTWO> <@U0BOTH> may approve or reject this request\./);
    assert.match(asked, /Nothing blocks this plan/);
    assert.match(asked, /1\. Check that the EXAoperation master is the license server: will do/);
    assert.match(asked, /Stop database exa_db1: will do/);
    assert.match(asked, /Stop EXAStorage: will do/);
    assert.match(asked, /Shut down nodes n0011, n0012, n0013, n0014: will do/);
    assert.match(asked, /Shut down license server n0010 \(EXAoperation stops answering\): will do/);
    const buttons = buttonsOf(approval);
    const approve = buttons.get('exa_approve');
    assert.ok(approve, 'an Approve button');
    assert.equal(approve['style'], 'primary');
    assert.equal(approve['value'], 'op-1');
    assert.ok(approve['confirm'], 'Approve asks for confirmation');
    assert.match(JSON.stringify(approve['confirm']), /Approve op-1\?/);
    assert.equal(buttons.get('exa_reject')?.['style'], 'danger');
    assert.deepEqual(mutatingCalls(sim), [], 'nothing happens before the approval');

    const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: approval.ts, actionId: 'exa_approve' });
    assert.equal(clicked.outcome, 'ok');
    assert.ok(clicked.elapsedMs < 3000, `ack took ${clicked.elapsedMs} ms`);

    // The request is edited: decided, buttons gone.
    const decided = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, approval.ts);
      return m && m.history.length > 1 ? m : undefined;
    }, 3000, 'the approval message to be edited');
    assert.equal(decided.history.at(-1)?.via, 'chat.update');
    assert.equal(buttonsOf(decided).size, 0, 'no buttons left to click');
    assert.match(textOf(decided), /Approved by <@U0APP>/);

    // ONE progress message, edited in place until it shows the outcome.
    const progress = await fake.waitFor(
      () => botMessages(fake, CHANNELS.ops, /op-1: Shut-down of cluster cluster1/).find((m) => /Succeeded/.test(textOf(m))),
      15_000,
      'the progress message to show the outcome',
    );
    assert.equal(botMessages(fake, CHANNELS.ops, /op-1: Shut-down/).length, 1, 'one progress message, not one per step');
    // The approval request, the progress message, and in its thread the requester told of the end.
    await fake.waitFor(() => fake.apiCalls('chat.postMessage').length >= 3 || undefined, 3000, 'the end notice');
    assert.equal(fake.apiCalls('chat.postMessage').length, 3, 'nothing else posted');
    const notice = fake.messages(CHANNELS.ops).find((m) => m.threadTs === progress.ts);
    assert.match(textOf(notice as typeof progress), /<@U0OP> op-1 \(shut-down of cluster cluster1\) succeeded\./);
    const [first, ...edits] = progress.history;
    assert.equal(first?.via, 'chat.postMessage');
    assert.ok(edits.length >= 2, `edited in place several times (got ${edits.length})`);
    assert.ok(edits.every((v) => v.via === 'chat.update'));
    for (let i = 1; i < progress.history.length; i++) {
      const gap = (progress.history[i]?.at ?? 0) - (progress.history[i - 1]?.at ?? 0);
      // setTimeout may fire a millisecond early; anything well under a second breaks the rule.
      assert.ok(gap >= 990, `version ${i} came ${gap} ms after the one before (at most one edit per second)`);
    }
    assert.ok(fake.apiCalls('chat.update').every((c) => c.ok), 'every edit was accepted');

    // The final version: outcome, every step done, and the end state tables.
    const final = textOf(progress);
    assert.match(final, /Succeeded in \d/);
    assert.match(final, /Requested by <@U0OP>, approved by <@U0APP>/);
    assert.doesNotMatch(final, /:hourglass_flowing_sand:|:white_circle:/, 'no step left pending or running');
    assert.match(final, /Cluster state just before the license server was shut down/);
    assert.match(final, /\*Services\*/);
    assert.match(final, /\*Databases\*/);
    assert.match(final, /exa_db1\s+setup/);
    assert.match(final, /exa_db2\s+setup/);
    assert.match(final, /0\/4 nodes online, EXAStorage offline/);

    // The simulator: the article's order, license server last, nothing unsafe.
    assert.deepEqual(mutatingCalls(sim), FULL_SHUTDOWN_CALLS);
    assert.deepEqual(sim.violations, []);
    // The license server was asked to go down only once every data node was off.
    const lsCall = sim.calls.findIndex((c) => c.method === 'shutdownNode' && c.params[0] === 'n0010');
    const offAt = sim.calls.slice(0, lsCall).filter((c) => c.method === 'getHardwareInformation' && c.outcome === 'ok');
    assert.ok(offAt.length >= 4, 'the inventory of the data nodes was read before the license server went down');

    // Who asked, who approved, how it ended: in the audit log and the journal.
    const audit = stack.audit().filter((e) => e['opId'] === 'op-1');
    assert.deepEqual(
      audit.filter((e) => e['action'] !== 'step').map((e) => [e['action'], e['actor']]),
      [
        ['requested', USERS.op],
        ['approved', USERS.app],
        ['finished', 'system'],
      ],
    );
    assert.ok(stack.journal().some((r) => r['type'] === 'finished' && r['opId'] === 'op-1' && r['outcome'] === 'succeeded'));
  });
});

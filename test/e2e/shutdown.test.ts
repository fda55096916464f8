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

    // One message per operation: the request is edited, decided and without buttons, and then
    // shows the progress, edited in place until the outcome.
    const progress = await fake.waitFor(
      () => {
        const m = fake.message(CHANNELS.ops, approval.ts);
        return m && /Succeeded/.test(textOf(m)) ? m : undefined;
      },
      15_000,
      'the request message to show the outcome',
    );
    const [first, decided, ...edits] = progress.history;
    assert.equal(first?.via, 'chat.postMessage');
    assert.equal(decided?.via, 'chat.update');
    assert.match(textOf(decided), /Approved by <@U0APP>/, 'first edit: the decision');
    assert.doesNotMatch(JSON.stringify(decided?.blocks), /exa_approve|exa_reject/, 'no decision buttons left to click');
    assert.match(textOf(edits[0]), /op-1: Shut-down of cluster cluster1/, 'then the progress, in the same message');
    assert.equal(botMessages(fake, CHANNELS.ops, /op-1/).filter((m) => m.threadTs === undefined).length, 1, 'one message in the channel for the whole operation');
    // In its thread, at the end: the requester told, the audit summary, the end state.
    await fake.waitFor(() => fake.apiCalls('chat.postMessage').length >= 2 || undefined, 3000, 'the thread summary');
    assert.equal(fake.apiCalls('chat.postMessage').length, 2, 'nothing else posted');
    const summary = fake.messages(CHANNELS.ops).find((m) => m.threadTs === progress.ts);
    const summaryText = textOf(summary as typeof progress);
    assert.match(summaryText, /<@U0OP> op-1 \(shut-down of cluster cluster1\) succeeded\./);
    assert.match(summaryText, /Audit log: op-1 · Requested by <@U0OP> at .* · Approved by <@U0APP> · Ran /);
    assert.ok(edits.length >= 2, `edited in place several times (got ${edits.length})`);
    assert.ok(edits.every((v) => v.via === 'chat.update'));
    for (let i = 3; i < progress.history.length; i++) {
      const gap = (progress.history[i]?.at ?? 0) - (progress.history[i - 1]?.at ?? 0);
      // setTimeout may fire a millisecond early; anything well under a second breaks the rule.
      assert.ok(gap >= 990, `version ${i} came ${gap} ms after the one before (at most one edit per second)`);
    }
    assert.ok(fake.apiCalls('chat.update').every((c) => c.ok), 'every edit was accepted');

    // The final version: outcome and every step done; the end state tables are in the thread.
    const final = textOf(progress);
    assert.match(final, /Succeeded in \d/);
    assert.match(final, /Requested by <@U0OP> · Approved by <@U0APP>/);
    assert.doesNotMatch(final, /:hourglass_flowing_sand:|:white_circle:/, 'no step left pending or running');
    assert.match(final, /The cluster state at the end and the audit summary are in the thread of this message/);
    assert.match(summaryText, /Cluster state just before the license server was shut down/);
    assert.match(summaryText, /\*Services\*/);
    assert.match(summaryText, /\*Databases\*/);
    assert.match(summaryText, /exa_db1\s+setup/);
    assert.match(summaryText, /exa_db2\s+setup/);
    assert.match(summaryText, /0\/4 nodes online, EXAStorage offline/);

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

// A reason with every destructive request (issue 17, item 1), with the default configuration:
// a shut-down or a stop without one is refused at once, saying how to give one, and audited; a
// reason given after `--` is in the approval request, the progress message, the thread summary,
// the Home tab and the audit log. Operations that change nothing for the worse need none.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('reasons (EXA_REASON_REQUIRED_FOR at its default)', { timeout: 60_000 }, () => {
  let stack: Stack;
  before(async () => {
    // The harness turns reasons off for the tests written before them; the default is what runs here.
    stack = await startStack({ env: { EXA_REASON_REQUIRED_FOR: '' }, sim: { durations: { databaseStop: 400 } } });
  });
  after(async () => {
    await stack.close();
  });

  it('refuses a stop without a reason, and carries a given one everywhere', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    const refused = textOf(await nextEphemeral(fake, USERS.op, CHANNELS.ops, 0));
    assert.match(refused, /needs a reason: add it after --, e\.g\. \/exa db stop exa_db2 cluster1 -- quarterly patching\. Nothing was requested\./);
    assert.deepEqual(botMessages(fake, CHANNELS.ops, /Approval needed/), [], 'no request was made');
    assert.ok(stack.audit().some((e) => e['action'] === 'refused' && /needs a reason/.test(String(e['detail']))), 'the refusal is audited');

    await fake.openHome(USERS.app);
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2 -- restore of <test> & check' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 5000, 'the approval request');
    assert.match(textOf(request), /Reason: restore of &lt;test&gt; &amp; check/, 'in the request, escaped');
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    const done = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, request.ts);
      return m && /Succeeded/.test(textOf(m)) ? m : undefined;
    }, 10_000, 'the stop to finish');
    assert.match(textOf(done), /Requested by <@U0OP> · Approved by <@U0APP> · Reason: restore of &lt;test&gt; &amp; check/);
    const summary = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === request.ts && /Audit log: op-1/.test(textOf(m))), 5000, 'the thread summary');
    assert.match(textOf(summary), /Reason: restore of &lt;test&gt; &amp; check/);
    const requested = stack.audit().find((e) => e['action'] === 'requested' && e['opId'] === 'op-1');
    assert.equal(requested?.['reason'], 'restore of <test> & check', 'in the audit log, as typed');
    assert.ok(stack.journal().some((r) => r['type'] === 'requested' && r['reason'] === 'restore of <test> & check'), 'and in the journal, for a restart');
    await fake.waitFor(() => (/op-1 stop of database exa_db2 on cluster cluster1: succeeded[^\n]*restore of &lt;test&gt; &amp; check/.test(JSON.stringify(fake.home(USERS.app)?.view ?? {})) ? true : undefined), 10_000, 'the reason on the Home tab');

    // A start needs none by default.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db start exa_db2' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-2: Start of database exa_db2/)[0], 5000, 'the start, without a reason');
  });
});

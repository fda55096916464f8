// The Cancel button on a progress message (issue 16, item 3): shown while the operation runs or
// waits its turn, confirmed before it counts, checked like /exa cancel (a viewer's click is
// refused and audited), and gone once the operation has ended.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, buttonsOf, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('the Cancel button on a running operation', () => {
  let stack: Stack;
  before(async () => {
    // A database stop that takes several seconds, so there is time to click.
    stack = await startStack({ sim: { durations: { databaseStop: 4_000_000 } }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  it('cancels at the next safe point for an operator; a viewer is refused; the button goes with the end', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 3000, 'the approval request');
    const reject = buttonsOf(request).get('exa_reject');
    assert.match(JSON.stringify(reject?.['confirm']), /Reject op-1\?.*nothing is done on cluster cluster1/);
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });

    const running = await fake.waitFor(
      () => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db1/).find((m) => /Wait until database exa_db1 is stopped/.test(textOf(m)) && buttonsOf(m).has('exa_cancel')),
      5000,
      'the progress message with its Cancel button',
    );
    const cancel = buttonsOf(running).get('exa_cancel');
    assert.equal(cancel?.['value'], 'op-1');
    assert.equal(cancel?.['style'], 'danger');
    assert.match(JSON.stringify(cancel?.['confirm']), /Cancel op-1\?.*stops at its next safe point/);

    // A viewer may not cancel: told why, on the record, nothing changes.
    await fake.clickButton({ user: USERS.view, channel: CHANNELS.ops, messageTs: running.ts, actionId: 'exa_cancel' });
    assert.match(textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0)), /You cannot cancel op-1/);
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'running');

    const seen = fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await fake.clickButton({ user: USERS.op, channel: CHANNELS.ops, messageTs: running.ts, actionId: 'exa_cancel' });
    assert.match(textOf(await nextEphemeral(fake, USERS.op, CHANNELS.ops, seen)), /Cancelling/);
    // The outcome itself, not the step's "cancelled by" note: that version comes a moment before
    // the final one (whose edit waits out the one-per-second throttle), and still has the button.
    const final = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, running.ts);
      return m && /Cancelled by <@U0OP> during step/.test(textOf(m)) ? m : undefined;
    }, 10_000, 'the progress message to show the cancel');
    assert.equal(buttonsOf(final).size, 0, 'no Cancel button on an ended operation');
    assert.match(textOf(final), /U0OP/);
    assert.ok(stack.audit().some((e) => e['action'] === 'denied' && e['actor'] === USERS.view && e['opId'] === 'op-1'));
  });
});

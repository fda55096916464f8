// Scenario 5: Slack rate-limits a progress edit (HTTP 429, Retry-After: 1) in the middle of a
// database stop. The progress message still reaches its final state, the next edit waits for
// Retry-After, and nothing else the bot does (replies, approval edits) waits behind it.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { botMessages, buttonsOf, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

describe('a 429 on a progress edit', () => {
  let stack: Stack;
  before(async () => {
    // The stop takes about 4 s of real time, so the 429 (on the first progress edit, a second after
    // the approval's decision edit of the same message) lands while it runs.
    stack = await startStack({ sim: { durations: { databaseStop: 2000 } } });
  });
  after(async () => {
    await stack.close();
  });

  it('is retried after Retry-After, the final state arrives, and replies and approvals are not stalled', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1/)[0], 3000, 'the approval request');
    // The request's message turns into the progress: its first progress edit is answered with 429.
    const progressEdit = (p: Record<string, unknown>): boolean => p['ts'] === request.ts && /^op-1 stop of database/.test(String(p['text'] ?? ''));
    const fault = fake.injectFault('chat.update', { rateLimitedSeconds: 1, times: 1, when: progressEdit });
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    await fake.waitFor(() => fault.hits === 1, 3000, 'the rate-limited edit');
    const progress = request;
    const limitedAt = Date.now();
    assert.equal(stack.bot.service.get('op-1')?.status.kind, 'running', 'the 429 came while the operation ran');

    // While the progress edit waits out Retry-After, the bot answers others at once.
    const asked = performance.now();
    await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
    const queue = await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0, 2000);
    const queueMs = performance.now() - asked;
    assert.match(textOf(queue), /op-1: stop of database exa_db1, running step 2 of 2: .*; requested by <@U0OP>/);
    assert.ok(queueMs < 900, `the /exa queue reply took ${Math.round(queueMs)} ms`);

    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    const second = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2/)[0], 2000, 'a second approval request');
    const clicked = performance.now();
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: second.ts, actionId: 'exa_reject' });
    const rejected = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, second.ts);
      return m && m.history.length > 1 ? m : undefined;
    }, 2000, 'the rejection to edit the request');
    const rejectMs = performance.now() - clicked;
    assert.equal(buttonsOf(rejected).size, 0);
    assert.ok(rejectMs < 900, `the approval edit took ${Math.round(rejectMs)} ms`);
    assert.ok(Date.now() - limitedAt < 1000, 'all of that happened inside the Retry-After window');

    // The progress message still ends in its final state.
    const final = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, progress.ts);
      return m && /Succeeded/.test(textOf(m)) ? m : undefined;
    }, 10_000, 'the final progress state');
    assert.match(textOf(final), /The cluster state at the end and the audit summary are in the thread/, 'pointing to the end state in its thread');
    const edits = fake.apiCalls('chat.update').filter((c) => c.params['ts'] === progress.ts);
    const limited = edits.findIndex((c) => c.status === 429);
    assert.equal(edits[limited]?.error, 'ratelimited');
    const retry = edits[limited + 1];
    assert.ok(retry, 'another edit after the 429');
    assert.ok(retry.time - (edits[limited]?.time ?? 0) >= 990, `the next edit waited for Retry-After (${retry.time - (edits[limited]?.time ?? 0)} ms)`);
    assert.ok(edits.slice(limited + 1).every((c) => c.ok), 'later edits succeeded');
    assert.ok(stack.logger.lines.some((l) => l.level === 'warn' && /rate-limited a progress edit/.test(l.message)));
    assert.equal(botMessages(fake, CHANNELS.ops, /op-1: Stop of database/).length, 1, 'still one progress message');
  });
});

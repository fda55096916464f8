// Issue 7's fault suite, Slack half: Slack answers 5xx (and 429) to the bot's posts and edits
// while an operation runs. The operation is unaffected (it never waits on Slack), the progress
// message still reaches its final state, nothing is posted twice, and the audit log is complete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { botMessages, CHANNELS, startStack, textOf, USERS, type Stack } from './harness.js';

describe('Slack failing while an operation runs', () => {
  let stack: Stack;
  before(async () => {
    // The stop takes about a second and a half, long enough for several edits at 100 ms.
    stack = await startStack({ sim: { durations: { databaseStop: 700 } }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  async function approved(text: string, opId: string): Promise<void> {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, new RegExp(`Approval needed for ${opId}`))[0], 3000, `approval of ${opId}`);
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
  }

  function assertAudited(opId: string): void {
    const actions = stack.audit().filter((e) => e['opId'] === opId).map((e) => e['action']);
    assert.equal(actions[0], 'requested');
    assert.equal(actions[1], 'approved');
    assert.equal(actions.at(-1), 'finished');
    assert.ok(actions.filter((a) => a === 'step').length >= 2, `steps audited: ${actions.join(', ')}`);
  }

  it('progress edits answered with 500 and 503: the operation finishes and the final state still arrives', async () => {
    const { fake } = stack;
    const broken = fake.injectFault('chat.update', { status: 500, times: 2, when: (p) => /op-1: Stop of database/.test(JSON.stringify(p)) });
    const unavailable = fake.injectFault('chat.update', { status: 503, times: 1, when: (p) => /op-1: Stop of database/.test(JSON.stringify(p)) });
    await approved('db stop exa_db1', 'op-1');
    const progress = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Stop of database exa_db1/)[0], 3000, 'the progress message');
    await fake.waitFor(() => stack.bot.service.get('op-1')?.status.kind === 'finished', 10_000, 'op-1 to finish');
    const final = await fake.waitFor(() => {
      const m = fake.message(CHANNELS.ops, progress.ts);
      return m && /Succeeded/.test(textOf(m)) ? m : undefined;
    }, 10_000, 'the final progress state');
    assert.match(textOf(final), /The cluster state at the end and the audit summary are in the thread/);
    const summary = await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === progress.ts && /Audit log: op-1/.test(textOf(m))), 5000, 'the thread summary');
    assert.match(textOf(summary), /exa_db1\s+setup/);
    assert.equal(broken.hits + unavailable.hits, 3, 'Slack really failed three edits');
    assert.equal(botMessages(fake, CHANNELS.ops, /op-1: Stop of database/).length, 1, 'still one progress message');
    assert.ok(stack.logger.lines.some((l) => l.level === 'error' && /could not edit a progress message/.test(l.message)));
    assert.equal(stack.sim.calls.filter((c) => c.method === 'stopDatabase').length, 1);
    assert.deepEqual(stack.sim.violations, []);
    assertAudited('op-1');
    // And counted, by method and error, for whoever watches /metrics.
    const metrics = await (await fetch(`${stack.botUrl}/metrics`)).text();
    assert.match(metrics, /exa_chatops_slack_api_errors_total\{method="chat.update",error="http_500"\} 2/);
    assert.match(metrics, /exa_chatops_slack_api_errors_total\{method="chat.update",error="http_503"\} 1/);
  });

  it('the thread summary post answered with 503 and then 429: retried, posted once, and the operation is unaffected', async () => {
    const { fake } = stack;
    const isSummary = (p: Readonly<Record<string, unknown>>): boolean => /Audit log: op-2/.test(JSON.stringify(p));
    const unavailable = fake.injectFault('chat.postMessage', { status: 503, times: 1, when: isSummary });
    const limited = fake.injectFault('chat.postMessage', { rateLimitedSeconds: 1, times: 1, when: isSummary });
    await approved('db stop exa_db2', 'op-2');
    await fake.waitFor(() => stack.bot.service.get('op-2')?.status.kind === 'finished', 10_000, 'op-2 to finish');
    const progress = await fake.waitFor(() => {
      const m = botMessages(fake, CHANNELS.ops, /op-2: Stop of database exa_db2/)[0];
      return m && /Succeeded/.test(textOf(m)) ? m : undefined;
    }, 10_000, 'the operation message in its final state');
    await fake.waitFor(() => fake.messages(CHANNELS.ops).find((m) => m.threadTs === progress.ts && /Audit log: op-2/.test(textOf(m))), 10_000, 'the thread summary');
    assert.equal(unavailable.hits, 1);
    assert.equal(limited.hits, 1);
    assert.equal(fake.messages(CHANNELS.ops).filter((m) => /Audit log: op-2/.test(textOf(m))).length, 1, 'posted once, not once per attempt');
    assert.equal(botMessages(fake, CHANNELS.ops, /op-2: Stop of database/).length, 1, 'one message for the operation');
    const outcome = stack.bot.service.get('op-2')?.status;
    assert.ok(outcome?.kind === 'finished' && outcome.outcome.kind === 'succeeded');
    assertAudited('op-2');
  });
});

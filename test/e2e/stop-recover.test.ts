// Scenario 11: the bot stops while a shut-down runs. A graceful stop (SIGTERM → bot.stop()) ends
// the operation at its next safe point, records it as interrupted and says so in its progress
// message; what waited for approval survives in the journal, and the next bot on the same
// DATA_DIR reports it in the channel. A kill (SIGKILL, a real child process) leaves the running
// operation open; the next bot reports exactly where it was cut off. Nothing is ever resumed.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FakeSlack } from '../fakes/slack/index.js';
import { ROOT, spawnBot } from './spawn-bot.js';
import { botMessages, buttonsOf, CHANNELS, mutatingCalls, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

/** Database stops take 10 s (simulated 5000 s), so each test stops the bot during that wait. */
const SLOW_DB_STOP = { durations: { databaseStop: 5000 } };
const WAIT_STEP = "Wait until database exa_db1 is stopped";

/** Operator requests a shut-down, the approver approves; resolves with the approval request's ts. */
async function approvedShutdown(fake: FakeSlack, id = 'op-1'): Promise<string> {
  await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'shutdown' });
  const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, new RegExp(`Approval needed for ${id}:`))[0], 5000, 'the approval request');
  const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
  assert.equal(clicked.outcome, 'ok');
  return request.ts;
}

/** Resolves once the journal says the wait for exa_db1 has started (the stop was sent). */
async function untilWaitingForDb1(stack: Stack): Promise<void> {
  await stack.fake.waitFor(
    () => stack.journal().some((r) => r['type'] === 'step' && r['title'] === WAIT_STEP && r['outcome'] === 'started'),
    8000,
    'the shut-down to wait for exa_db1',
  );
}

describe('a graceful stop (SIGTERM) during a shut-down', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ sim: SLOW_DB_STOP, bot: { editIntervalMs: 200, drainMs: 2000 } });
  });
  after(async () => {
    await stack.close();
  });

  it('interrupts at a safe point, says so in the progress message, and the next bot reports what was left', async () => {
    const { fake, sim } = stack;
    // A request that only waits for approval when the bot stops (made first: nothing may queue
    // behind a shut-down).
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    const pending = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1/)[0], 3000, "op-1's approval request");
    await approvedShutdown(fake, 'op-2');
    await untilWaitingForDb1(stack);

    const stopping = Date.now();
    const stopped = stack.bot.stop(5000);
    // While it stops: no new decisions (the click is answered, not acted on) and not ready.
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: pending.ts, actionId: 'exa_approve' });
    assert.match(textOf(await nextEphemeral(fake, USERS.app, CHANNELS.ops, 0)), /The bot is restarting and takes no decisions right now/);
    const ready = await fetch(`${stack.botUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { accepting: boolean }).accepting, false);
    await stopped;
    assert.ok(Date.now() - stopping < 4000, `the stop took ${Date.now() - stopping} ms: a wait is a safe point, not the grace period`);
    assert.ok(!stack.audit().some((e) => e['action'] === 'approved' && e['opId'] === 'op-1'), 'op-1 was not approved while stopping');

    // Journal: interrupted, in the wait, with the reason.
    const finished = stack.journal().find((r) => r['type'] === 'finished' && r['opId'] === 'op-2');
    assert.equal(finished?.['outcome'], 'interrupted');
    assert.equal(finished?.['stepId'], '4');
    assert.match(String(finished?.['reason']), /the bot is stopping; stopped during step 4 'Wait until database exa_db1 is stopped'/);

    // The progress message says so: its final edit was delivered before the bot let go of Slack.
    const [progress] = botMessages(fake, CHANNELS.ops, /op-2: Shut-down of cluster cluster1/);
    assert.ok(progress);
    const final = textOf(progress);
    assert.match(final, /Interrupted at step 4: the bot is stopping; stopped during step 4 'Wait until database exa_db1 is stopped'\. It is not resumed/);
    assert.match(final, /:x: 4\. Wait until database exa_db1 is stopped/);
    assert.match(final, /:white_circle: 5\. Stop database exa_db2/, 'later steps never started');

    // The cluster: one database stop sent, nothing after it, nothing unsafe.
    const callsAtStop = sim.calls.length;
    await sleep(300);
    assert.equal(sim.calls.length, callsAtStop, 'no EXAoperation call after the stop');
    assert.deepEqual(mutatingCalls(sim), ['db_exa_db1.stopDatabase()']);
    assert.deepEqual(sim.violations, []);

    // A new bot on the same DATA_DIR: op-1 (never started) is reported in its channel; op-2 was
    // already closed as interrupted and is not reported twice.
    const posted = fake.messages(CHANNELS.ops).length;
    await stack.startAnotherBot({ editIntervalMs: 200 });
    const reports = fake.messages(CHANNELS.ops).slice(posted);
    assert.equal(reports.length, 1, 'one recovery report');
    const report = textOf(reports[0]);
    assert.match(report, /1 operation\(s\) were cut off by the last stop and were not resumed/);
    assert.match(
      report,
      /:warning: Operation op-1 \(stop of database exa_db2 on cluster1, requested by <@U0OP>\) had not started when the bot restarted \(it was waiting for approval\)\. It was dropped and not run/,
    );
    assert.match(report, /These were not resumed: the cluster may have changed/);
    assert.doesNotMatch(report, /op-2/, 'op-2 was closed by the graceful stop');
    assert.doesNotMatch(report, /:white_check_mark:/, 'a cut-off operation is not shown as a success');
    assert.ok(stack.audit().some((e) => e['action'] === 'interrupted' && e['opId'] === 'op-1'));

    // The old approval request is corrected: no buttons, and it says what became of it.
    const corrected = fake.message(CHANNELS.ops, pending.ts);
    assert.equal(buttonsOf(corrected).size, 0, 'the Approve button is gone');
    assert.match(textOf(corrected), /op-1: dropped by a restart, never run/);
    // Nothing is resumed: a copy of the old Approve button leads nowhere, and ids go on.
    const stale = fake.postAsUser(USERS.op, CHANNELS.ops, 'stale copy', [...(pending.blocks as never[])]);
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: stale, actionId: 'exa_approve' });
    assert.match(textOf(await nextEphemeral(fake, USERS.app, CHANNELS.ops, 1)), /There is no operation op-1: it no longer exists \(the bot may have restarted since\)/);
    assert.ok(stack.audit().some((e) => e['action'] === 'denied' && e['opId'] === 'op-1' && /no such operation/.test(String(e['detail']))), 'the stale click is audited');
    await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'queue' });
    assert.match(textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, 0)), /Nothing is running or waiting on cluster cluster1/);
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-3/)[0], 3000, 'a new request as op-3');
    assert.deepEqual(mutatingCalls(sim), ['db_exa_db1.stopDatabase()']);
  });
});

describe('a kill (SIGKILL) during a shut-down', () => {
  let stack: Stack;
  let child: ChildProcess | undefined;
  before(async () => {
    stack = await startStack({ sim: SLOW_DB_STOP, startBot: false });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await stack.close();
  });

  it('leaves the operation open; the next bot reports where it was cut off, in the channel, and resumes nothing', async () => {
    const { fake, sim } = stack;
    // The first bot runs as `npm start` would: its own process, configured by the environment.
    const bot = spawnBot(join(import.meta.dirname, 'fixtures', 'bot-process.ts'), stack.env);
    const proc = bot.proc;
    child = proc;
    const exited = bot.exited.then(({ signal }) => signal);
    const port = await fake.waitFor(() => /e2e-bot-listening (\d+)/.exec(bot.output())?.[1], 20_000, `the child bot to listen (output: ${bot.output().slice(-500)})`);
    fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);

    await approvedShutdown(fake);
    await untilWaitingForDb1(stack);
    const progress = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /op-1: Shut-down of cluster cluster1/)[0], 3000, 'the progress message');
    proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    stack.capturedTexts.push(bot.output());
    const callsAtKill = mutatingCalls(sim);
    assert.deepEqual(callsAtKill, ['db_exa_db1.stopDatabase()']);
    assert.ok(!stack.journal().some((r) => r['type'] === 'finished' && r['opId'] === 'op-1'), 'nobody could close it');

    const posted = fake.messages(CHANNELS.ops).length;
    await stack.startAnotherBot();
    const reports = fake.messages(CHANNELS.ops).slice(posted);
    assert.equal(reports.length, 1, 'one recovery report, posted at start');
    const report = textOf(reports[0]);
    assert.match(
      report,
      /:x: Operation op-1 \(cluster shut-down on cluster1, requested by <@U0OP>\) was interrupted by a restart during step 4 'Wait until database exa_db1 is stopped' \(started, not finished\)\. It was not resumed/,
    );
    assert.doesNotMatch(report, /:white_check_mark:/, 'a cut-off operation is not shown as a success');
    const finished = stack.journal().find((r) => r['type'] === 'finished' && r['opId'] === 'op-1');
    assert.equal(finished?.['outcome'], 'interrupted');
    assert.ok(stack.audit().some((e) => e['action'] === 'interrupted' && e['opId'] === 'op-1'));

    await sleep(300);
    assert.deepEqual(mutatingCalls(sim), callsAtKill, 'nothing resumed');
    assert.deepEqual(sim.violations, []);
    // The progress message the killed bot left saying "running" now says what happened.
    const left = textOf(fake.message(CHANNELS.ops, progress.ts));
    assert.doesNotMatch(left, /Succeeded/);
    assert.match(left, /op-1: interrupted by a restart, not resumed/);
    assert.match(left, /during step 4 'Wait until database exa_db1 is stopped'/);
  });
});

describe('SIGTERM to `npm start` (src/main.ts in a process of its own)', () => {
  let stack: Stack;
  let child: ChildProcess | undefined;
  before(async () => {
    stack = await startStack({ sim: SLOW_DB_STOP, startBot: false });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await stack.close();
  });

  it('stops taking commands, interrupts the shut-down at its safe point and exits 0', async () => {
    const { fake } = stack;
    const bot = spawnBot(join(ROOT, 'src', 'main.ts'), { ...stack.env, LOG_LEVEL: 'info' });
    const proc = bot.proc;
    child = proc;
    const exited = bot.exited.then(({ code }) => code);
    const port = await fake.waitFor(() => /exa-chatops started \(HTTP mode\), port (\d+)/.exec(bot.output())?.[1], 20_000, `main.ts to start (output: ${bot.output().slice(-500)})`);
    fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);

    await approvedShutdown(fake);
    await untilWaitingForDb1(stack);
    const stoppingAt = Date.now();
    proc.kill('SIGTERM');
    proc.kill('SIGTERM'); // a second signal changes nothing
    const code = await exited;
    const output = bot.output();
    assert.equal(code, 0, `exit code (output: ${output.slice(-800)})`);
    stack.capturedTexts.push(output);
    assert.ok(Date.now() - stoppingAt < 10_000, 'a wait is a safe point: no grace period spent');
    assert.match(output, /SIGTERM received: no new commands; running operations stop at their next safe point/);
    assert.match(output, /exa-chatops stopped/);
    const finished = stack.journal().find((r) => r['type'] === 'finished' && r['opId'] === 'op-1');
    assert.equal(finished?.['outcome'], 'interrupted');
    assert.ok(stack.audit().some((e) => e['opId'] === 'op-1' && e['action'] === 'finished' && /^interrupted/.test(String(e['detail']))));
    assert.deepEqual(mutatingCalls(stack.sim), ['db_exa_db1.stopDatabase()']);
    assert.deepEqual(stack.sim.violations, []);
  });
});

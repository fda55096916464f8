// Change control through Slack (issue 17): a schedule fires on its own (the notice first, nobody
// snoozes, the cluster stops, the audit export lists the run with its schedule), an approval rule
// of two approvers shown on the request as each approval arrives, and a hold that refuses a stop
// until an approver breaks the glass.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { FakeMessage } from '../fakes/slack/index.js';
import { botMessages, buttonsOf, CHANNELS, CLUSTER, mutatingCalls, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

const run = promisify(execFile);

/**
 * A cron expression (with seconds) for one moment `ms` from now, in UTC. The bot must be up by
 * then (a start takes about a second here): a run whose time passed before the start is not run.
 */
function cronAt(ms: number): string {
  const t = new Date(Date.now() + ms);
  return `${t.getUTCSeconds()} ${t.getUTCMinutes()} ${t.getUTCHours()} ${t.getUTCDate()} ${t.getUTCMonth() + 1} *`;
}

for (const mode of ['http', 'socket'] as const) {
  describe(`a schedule fires (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, { timeout: 90_000 }, () => {
    let stack: Stack;
    let file: string;
    before(async () => {
      file = join(process.env['TMPDIR'] ?? '/tmp', `exa-cc-${mode}-${process.pid}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          schedules: [
            { id: 'nightly-stop', cluster: CLUSTER, operation: 'cluster-shutdown', cron: cronAt(10_000), timeZone: 'UTC', noticeMinutes: 1, channel: CHANNELS.ops, configuredBy: USERS.app, reason: 'nightly cost saving', waiveApproval: true },
          ],
        }),
      );
      stack = await startStack({ mode, env: { EXA_CHANGE_CONTROL_FILE: file }, bot: { editIntervalMs: 100 } });
    });
    after(async () => {
      await stack.close();
    });

    it('posts the notice with Snooze and Skip, and with nobody snoozing stops the cluster, attributed to the schedule; the audit export lists it', async () => {
      const { fake } = stack;
      const notice = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Scheduled: the cluster shut-down of cluster1 runs at/)[0], 5000, 'the notice');
      const buttons = buttonsOf(notice);
      assert.deepEqual([...buttons.keys()].sort(), ['exa_schedule_skip', 'exa_schedule_snooze']);
      assert.match(textOf(notice), /configured by <@U0APP>\. Reason: nightly cost saving/);

      // Nobody snoozes: at its time it runs without an approver (the schedule waives it).
      const fired = await fake.waitFor(
        () => {
          const m = fake.message(CHANNELS.ops, notice.ts);
          return m && /runs now as op-1/.test(textOf(m)) ? m : undefined;
        },
        15_000,
        'the notice saying the run started',
      );
      assert.equal(buttonsOf(fired).size, 0, 'nothing left to snooze');
      await fake.waitFor(() => (stack.bot.service.get('op-1')?.status.kind === 'finished' ? true : undefined), 60_000, 'the shut-down to finish');
      const op = stack.bot.service.get('op-1');
      assert.deepEqual(op?.status.kind === 'finished' ? op.status.outcome.kind : op?.status.kind, 'succeeded');
      assert.ok(mutatingCalls(stack.sim).some((c) => /shutdownNode|stopEXAStorage/.test(c)), mutatingCalls(stack.sim).join(', '));
      // Its progress message names the schedule's reason.
      assert.ok(botMessages(fake, CHANNELS.ops, /nightly cost saving \(schedule nightly-stop\)/).length > 0);

      // The audit export for SIEMs lists the run with its schedule and who configured it.
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/audit-cli.ts', '--data-dir', stack.dataDir, '--format', 'csv', '--since', '1h'], { env: { ...process.env, DATABASE_URL: '', DATABASE_URL_FILE: '' } });
      const requested = stdout.split('\r\n').find((line) => line.includes(',requested,'));
      assert.ok(requested, stdout);
      assert.match(requested, /,U0APP,cluster1,op-1,cluster shut-down,C0OPS,nightly cost saving \(schedule nightly-stop\),,,nightly-stop,U0APP,/);
    });
  });
}

describe('approval rules and holds through Slack', { timeout: 90_000 }, () => {
  let stack: Stack;
  before(async () => {
    const file = join(process.env['TMPDIR'] ?? '/tmp', `exa-cc-rules-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ approvalRules: [{ clusters: [CLUSTER], operations: ['database-stop'], approvals: 2 }] }));
    stack = await startStack({ env: { EXA_CHANGE_CONTROL_FILE: file }, bot: { editIntervalMs: 100 } });
  });
  after(async () => {
    await stack.close();
  });

  const edited = (ts: string, pattern: RegExp): Promise<FakeMessage> =>
    stack.fake.waitFor(
      () => {
        const m = stack.fake.message(CHANNELS.ops, ts);
        return m && pattern.test(textOf(m)) ? m : undefined;
      },
      5000,
      `the request to show ${pattern}`,
    );

  it('two approvals: each shown on the request as it arrives, the requester not counted, the stop on the second', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.both, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-1:/)[0], 3000, 'the request');
    assert.match(textOf(request), /Needs 2 approvals from different people \(not the requester\), from any approver\. Approved so far: None yet\./);

    const seen = fake.ephemerals(USERS.app, CHANNELS.ops).length;
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    assert.match(textOf(await nextEphemeral(fake, USERS.app, CHANNELS.ops, seen)), /Your approval of op-1 \(stop of database exa_db1 on cluster cluster1\) counts: 1 of 2/);
    const once = await edited(request.ts, /Approved so far: <@U0APP> \(1 of 2\)/);
    assert.equal(buttonsOf(once).size, 2, 'still open for the second approver');
    assert.equal(mutatingCalls(stack.sim).length, 0);

    await fake.clickButton({ user: USERS.app2, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
    await fake.waitFor(() => (mutatingCalls(stack.sim).includes('db_exa_db1.stopDatabase()') ? true : undefined), 10_000, 'the stop');
    // The decision edit names both (the message then turns into the operation's progress).
    const decided = (): true | undefined => ((fake.message(CHANNELS.ops, request.ts)?.history ?? []).some((v) => /Approved by <@U0APP> and <@U0APPTWO>/.test(textOf(v))) ? true : undefined);
    await fake.waitFor(decided, 5000, 'the decision edit');
    const approved = stack.audit().find((e) => e['action'] === 'approved' && e['opId'] === 'op-1');
    assert.deepEqual(approved?.['approvers'], [USERS.app, USERS.app2]);
  });

  it('a hold refuses a stop with who and why, also after a restart; an approver breaks the glass, marked loudly, with one approver more', async () => {
    const { fake } = stack;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'hold 2h -- migration running' });
    const held = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /is on hold until/)[0], 3000, 'the hold notice');
    assert.match(textOf(held), /cluster1 is on hold until .* UTC, set by <@U0OP>\. Reason: migration running/);

    const seen = fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    const refused = await nextEphemeral(fake, USERS.op, CHANNELS.ops, seen);
    assert.match(textOf(refused), /cluster1 is frozen by a hold set by <@U0OP> \(migration running\) until .*--break-glass/);

    await fake.slashCommand({ user: USERS.both, channel: CHANNELS.ops, text: 'db stop exa_db2 --break-glass -- replica diverged, must stop now' });
    const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-2:/)[0], 3000, 'the break-glass request');
    assert.match(textOf(request), /BREAK-GLASS: this request overrides a freeze window or a hold on cluster1/);
    assert.match(textOf(request), /Needs 3 approvals/);
    const audit = stack.audit().find((e) => e['action'] === 'requested' && e['opId'] === 'op-2');
    assert.equal(audit?.['override'], true);
    assert.equal(audit?.['reason'], 'replica diverged, must stop now');

    // Rejected, then the bot restarts: the hold is read back from the control record and still refuses.
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_reject' });
    await edited(request.ts, /Rejected by <@U0APP>/);
    await stack.bot.stop(1000);
    await stack.startAnotherBot({ editIntervalMs: 100 });
    const beforeRestartAsk = fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db2' });
    assert.match(textOf(await nextEphemeral(fake, USERS.op, CHANNELS.ops, beforeRestartAsk)), /frozen by a hold set by <@U0OP> \(migration running\)/);

    // Lifted by whoever set it.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'unhold' });
    await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /The hold on cluster1 .* was lifted by <@U0OP>/)[0], 3000, 'the unhold notice');
  });
});

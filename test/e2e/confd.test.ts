// Exasol 8 end to end: the same /exa commands through the fake Slack against the ConfD simulator
// over HTTPS. Status with volumes, an approved database stop and start, a cluster shut-down
// (every database stopped, nodes left up: ConfD has no power step here), and a bot user in
// exadbadm only, whose status says "no permission" for nodes instead of failing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { createConfdClient } from '../../src/confd/client.js';
import { createConfdTransport } from '../../src/confd/transport.js';
import type { FakeMessage, FakeSlack } from '../fakes/slack/index.js';
import { botMessages, CHANNELS, nextEphemeral, startStack, textOf, USERS, type Stack } from './harness.js';

/** `/exa <text>`; resolves with the approval request it posted and the operation's id. */
async function requestApproval(fake: FakeSlack, user: string, text: string): Promise<{ request: FakeMessage; opId: string }> {
  const before = botMessages(fake, CHANNELS.ops, /Approval needed for op-/).length;
  const delivered = await fake.slashCommand({ user, channel: CHANNELS.ops, text });
  assert.equal(delivered.outcome, 'ok');
  const request = await fake.waitFor(() => botMessages(fake, CHANNELS.ops, /Approval needed for op-/)[before], 5000, `the approval request of ${text}`);
  return { request, opId: /Approval needed for (op-\d+)/.exec(textOf(request))?.[1] ?? '' };
}

/** Approves the request and waits until its progress message shows an outcome. */
async function approveAndFinish(stack: Stack, { request, opId }: { request: FakeMessage; opId: string }, title: RegExp): Promise<string> {
  const { fake } = stack;
  const clicked = await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve' });
  assert.equal(clicked.outcome, 'ok');
  const done = await fake.waitFor(
    () => botMessages(fake, CHANNELS.ops, new RegExp(`${opId}: ${title.source}`)).find((m) => /Succeeded|Failed|Stopped/.test(textOf(m))),
    15_000,
    `${opId} to finish`,
  );
  await stack.bot.service.idle();
  return textOf(done);
}

async function status(stack: Stack): Promise<string> {
  const { fake } = stack;
  const seen = fake.ephemerals(USERS.view, CHANNELS.ops).length;
  const delivered = await fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' });
  assert.equal(delivered.outcome, 'ok');
  // A read answers the asker alone (an ephemeral), never the channel.
  return textOf(await nextEphemeral(fake, USERS.view, CHANNELS.ops, seen, 5000));
}

const jobs = (stack: Stack, name: string): number => stack.confd?.jobs.filter((j) => j.name === name).length ?? -1;

describe('Exasol 8 (ConfD) through Slack', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ backend: 'confd', confd: { backupSeconds: 100_000 }, bot: { editIntervalMs: 100 } });
    await stack.bot.preflightDone();
  });
  after(async () => {
    await stack.close();
  });

  it('/exa status shows the ConfD master, nodes, volumes and databases', async () => {
    const text = await status(stack);
    assert.match(text, /4\/4 nodes online, 2\/2 volumes online, 2\/2 databases accepting connections/);
    assert.match(text, /ConfD master: 127\.0\.0\.1/);
    // Nodes with their boot time, as node_state sends it.
    assert.match(text, /node\s+state\s+booted/);
    assert.match(text, /n11\s+Running\s+\S+/i);
    assert.match(text, /n14\s+Running\s+\S+/i);
    assert.match(text, /\*Volumes\*/);
    assert.match(text, /DataVolume1\s+ONLINE/);
    // Databases with node counts (db_info) and backups (db_backup_progress).
    assert.match(text, /nodes active\/failed\/reserve\s+backup/);
    assert.match(text, /DB1\s+running\s+None\s+Yes\s+\S+\s+4\/0\/0\s+none/);
    assert.match(text, /DB2\s+running\s+None\s+Yes/);
    assert.doesNotMatch(text, /no permission|Services/);
  });

  it('stops DB1 after approval and starts it again, one db_stop and one db_start', async () => {
    const stop = await requestApproval(stack.fake, USERS.op, 'db stop DB1');
    assert.match(textOf(stop.request), /Stop database DB1: will do/);
    assert.equal(jobs(stack, 'db_stop'), 0, 'nothing before the approval');
    assert.match(await approveAndFinish(stack, stop, /Stop of database DB1/), /Succeeded/);
    assert.equal(jobs(stack, 'db_stop'), 1);

    // A start is not destructive: it runs straight away, no approval.
    const started = await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db start DB1' });
    assert.equal(started.outcome, 'ok');
    await stack.fake.waitFor(
      () => botMessages(stack.fake, CHANNELS.ops, /op-\d+: Start of database DB1/).find((m) => /Succeeded/.test(textOf(m))),
      15_000,
      'the start of DB1 to finish',
    );
    assert.equal(botMessages(stack.fake, CHANNELS.ops, /Approval needed for op-\d+: start/i).length, 0);
    await stack.bot.service.idle();
    assert.equal(jobs(stack, 'db_start'), 1);
    assert.match(await status(stack), /DB1\s+running/);
    assert.deepEqual(stack.confd?.violations, []);
  });

  it('a running backup shows in the status and blocks a stop of that database before anything is asked', async () => {
    const { confd } = stack;
    assert.ok(confd);
    const password = readFileSync(stack.env['EXA_PASSWORD_FILE'] ?? '', 'utf8').trim();
    const admin = createConfdClient(createConfdTransport({ url: confd.url, user: 'admin', password, tls: { caPem: confd.certificatePem } }));
    await admin.job('db_backup_start', { db_name: 'DB2', level: 0, expire: '1d' });
    assert.match(await status(stack), /DB2\s+running\s+\S+.*running: /);

    const seen = stack.fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await stack.fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop DB2' });
    const refused = textOf(await nextEphemeral(stack.fake, USERS.op, CHANNELS.ops, seen));
    assert.match(refused, /is blocked.*so it was not sent for approval/s);
    assert.match(refused, /a backup of database DB2 is running .*wait until it ends, or request the stop with --abort-backup/);
    assert.equal(botMessages(stack.fake, CHANNELS.ops, /Approval needed for op-\d+: stop of database DB2/i).length, 0, 'no approval request');
    assert.equal(jobs(stack, 'db_stop'), 1, 'only the earlier stop of DB1');
    assert.match(refused, /--abort-backup/, 'the refusal says how to go ahead anyway');

    // Asked again with --abort-backup: the abort is a step the approver sees, and it runs before the stop.
    const again = await requestApproval(stack.fake, USERS.op, 'db stop DB2 --abort-backup');
    const asked = textOf(again.request);
    assert.match(asked, /stop of database DB2, aborting a running backup/);
    assert.match(asked, /1\. Abort the running backup of database DB2: will do/);
    assert.match(asked, /2\. Stop database DB2: will do/);
    assert.equal(jobs(stack, 'db_backup_abort'), 0, 'nothing before the approval');
    assert.match(await approveAndFinish(stack, again, /Stop of database DB2, aborting a running backup/i), /Succeeded/);
    assert.equal(jobs(stack, 'db_backup_abort'), 1);
    assert.equal(jobs(stack, 'db_stop'), 2);
    assert.match(await status(stack), /DB2\s+setup\s+None\s+No\s+\S+\s+4\/0\/0\s+none/);
    assert.deepEqual(stack.confd?.violations, []);
  });

  it('shuts the cluster down: every database stopped, the nodes left online, no power step', async () => {
    const request = await requestApproval(stack.fake, USERS.op, 'shutdown');
    const asked = textOf(request.request);
    assert.match(asked, /Stop database DB1: will do/);
    assert.match(asked, /Stop database DB2: will skip: database DB2 is already stopped/);
    assert.doesNotMatch(asked, /license server|EXAStorage/i);
    const final = await approveAndFinish(stack, request, /Shut-down of cluster cluster1/);
    assert.match(final, /Succeeded/);
    assert.equal(jobs(stack, 'db_stop'), 3, 'DB1 and DB2 before, now DB1 (DB2 is already stopped)');
    assert.equal(jobs(stack, 'node_suspend') + jobs(stack, 'infra_shutdown'), 0, 'no node was touched');
    const text = await status(stack);
    assert.match(text, /DB1\s+setup|DB1\s+stopped/);
    assert.deepEqual(stack.confd?.violations, []);
  });
});

describe('Exasol 8 with a bot user in exadbadm only', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ backend: 'confd', confdGroups: ['exadbadm'], bot: { editIntervalMs: 100 } });
    await stack.bot.preflightDone();
  });
  after(async () => {
    await stack.close();
  });

  it('status says "no permission" for the nodes and still shows the databases', async () => {
    const text = await status(stack);
    assert.match(text, /no permission/);
    assert.match(text, /DB1\s+running/);
  });

  it('a database stop still works', async () => {
    const request = await requestApproval(stack.fake, USERS.op, 'db stop DB2');
    assert.match(await approveAndFinish(stack, request, /Stop of database DB2/), /Succeeded/);
    assert.equal(jobs(stack, 'db_stop'), 1);
    assert.deepEqual(stack.confd?.violations, []);
  });

  it('asking again with --abort-backup while the plain stop waits says to cancel that one first', async () => {
    const { fake } = stack;
    const first = await requestApproval(fake, USERS.op, 'db stop DB1');
    const seen = fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop DB1 --abort-backup' });
    const reply = textOf(await nextEphemeral(fake, USERS.op, CHANNELS.ops, seen));
    assert.match(reply, new RegExp(`${first.opId} \\(stop of database DB1, requested by U0OP\\) is already waiting for approval and does not abort backups\\. Nothing new was queued: cancel it with /exa cancel ${first.opId}, then ask again with --abort-backup\\.`));
    await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: first.request.ts, actionId: 'exa_reject' });
    await fake.waitFor(() => stack.bot.service.get(first.opId)?.status.kind === 'finished' || undefined, 3000, 'the first request rejected');
  });

  it('an unknown database is refused with the names that exist', async () => {
    const { fake } = stack;
    const seen = fake.ephemerals(USERS.op, CHANNELS.ops).length;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop NOPE' });
    const reply = await nextEphemeral(fake, USERS.op, CHANNELS.ops, seen);
    assert.match(textOf(reply), /NOPE/);
    assert.match(textOf(reply), /DB1/);
  });
});

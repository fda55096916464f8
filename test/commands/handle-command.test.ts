import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { handleCommand, type Reply } from '../../src/commands/handle-command.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { renderText } from '../../src/console/render-text.js';
import { ExaOperationError } from '../../src/exaoperation/errors.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { Logger } from '../../src/logging/logger.js';
import { FakeExaClient, type FakeClusterOptions } from '../helpers/fake-exa-client.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';

let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function setup(options: FakeClusterOptions = {}) {
  const client = new FakeExaClient({ databases: ['exa_db1', 'exa_db2'], ...options });
  const profile = { ...defaultProfile('c1'), pollIntervalMs: 1 };
  fixture = createServiceFixture(new Map([['c1', { client, profile }]]));
  const errors: string[] = [];
  const logger: Logger = { error: (m, meta) => errors.push(`${m} ${JSON.stringify(meta)}`), warn: () => 0, info: () => 0, debug: () => 0 };
  const service = fixture.service;
  const run = (text: string, user = 'U1'): Promise<Reply> =>
    handleCommand(parseCommand(text), { service, user, channel: 'C1', defaultCluster: 'c1', logger });
  return { client, service, run, errors };
}

const textOf = (reply: Reply): string => renderText(reply.message);
const hasButtons = (reply: Reply): boolean => reply.message.blocks.some((b) => b.kind === 'actions');

describe('handleCommand: reads', () => {
  it('answers status only to the asker, with the tables', async () => {
    const { run } = setup();
    const reply = await run('/exa status');
    assert.equal(reply.visibility, 'ephemeral');
    const text = textOf(reply);
    assert.match(text, /^Cluster c1$/m);
    assert.match(text, /│ Storaged │ OK +│/);
    assert.match(text, /│ exa_db2 +│ running │ None +│ Yes +│ 10\.0\.0\.11\.\.14:8563 │/);
    assert.match(text, /^Nodes: 4 online, 0 offline$/m);
  });

  it('shows nodes, logs, the queue, a dry run and help', async () => {
    const { run, client } = setup();
    client.log.push({ strtime: 't1', system: 'Boot', node: 'n0011', message: 'older', priority: 'Information' });
    client.log.push({ strtime: 't2', system: 'Boot', node: 'n0012', message: 'newest', priority: 'Notice' });
    assert.match(textOf(await run('nodes')), /│ n0014 │ Running │ online +│/);
    const logs = textOf(await run('logs 1'));
    assert.match(logs, /newest/);
    assert.doesNotMatch(logs, /older/);
    assert.match(textOf(await run('queue')), /Nothing is running or waiting on cluster c1/);
    const plan = await run('plan shutdown');
    assert.equal(plan.visibility, 'ephemeral');
    assert.match(textOf(plan), /^Dry run: Shut-down of cluster c1$/m);
    assert.equal(hasButtons(plan), false);
    assert.match(textOf(await run('help')), /\/exa db start NAME \[cluster\]/);
    assert.deepEqual(client.calls.filter((c) => /^(stop|start|shutdown)/.test(c)), [], 'reads change nothing');
  });
});

describe('handleCommand: expected failures come back as ephemeral replies', () => {
  it('an invalid command, with the fix', async () => {
    const { run } = setup();
    const reply = await run('stat');
    assert.equal(reply.visibility, 'ephemeral');
    assert.equal(reply.message.title, "Unknown subcommand 'stat'. Did you mean 'status'? Try /exa help.");
  });

  it('an unknown cluster, naming the known ones', async () => {
    const { run } = setup();
    for (const command of ['status nope', 'shutdown nope', 'queue nope', 'logs 5 nope']) {
      const reply = await run(command);
      assert.equal(reply.visibility, 'ephemeral');
      assert.equal(reply.message.title, "There is no cluster 'nope'. Known clusters: c1.", command);
    }
  });

  it('an unknown database, for a dry run and for a request, before anything is queued', async () => {
    const { run, service } = setup();
    for (const command of ['plan db start nope', 'db start nope', 'db stop nope']) {
      const reply = await run(command);
      assert.equal(reply.visibility, 'ephemeral', command);
      assert.equal(reply.message.title, "Cluster c1 has no database 'nope'. Its databases: exa_db1, exa_db2.", command);
    }
    assert.deepEqual(service.queue('c1'), { running: undefined, pending: [], awaitingApproval: [] });
  });

  it('an EXAoperation failure, with its user-safe message', async () => {
    const { run, client } = setup();
    client.failures.set('getNodeList', new ExaOperationError('EXA_UNREACHABLE', 'EXAoperation at https://exaoperation.test/cluster1 is not reachable (connection refused). Check that it runs.', { endpoint: client.endpoint, object: 'cluster', method: 'getNodeList' }));
    const reply = await run('status');
    assert.equal(reply.visibility, 'ephemeral');
    assert.match(textOf(reply), /^✖ EXAoperation at https:\/\/exaoperation\.test\/cluster1 is not reachable/m);
    assert.match(textOf(reply), /EXA_UNREACHABLE/);
  });

  it('an internal error: a generic sentence for the user, the detail in the log', async () => {
    const { run, client, errors } = setup();
    client.failures.set('getServiceState', new TypeError('secret internals at /srv/app.ts:12'));
    const reply = await run('status');
    assert.equal(reply.visibility, 'ephemeral');
    assert.doesNotMatch(textOf(reply), /secret|app\.ts/);
    assert.match(textOf(reply), /internal error/);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /secret internals/);
  });
});

describe('handleCommand: operations', () => {
  it('posts a shut-down for approval, refuses self-approval and duplicates, and runs it once approved', async () => {
    const { run, client, service } = setup();
    // An approver asks: they may decide on others' requests but not on their own.
    const request = await run('shutdown', 'APPROVER1');
    assert.equal(request.visibility, 'channel');
    assert.match(textOf(request), /^Approval needed: shut-down of cluster c1$/m);
    assert.match(textOf(request), /^→ type: approve op-1 \/ reject op-1$/m);
    assert.equal(request.approvalFor, 'op-1');

    const again = await run('shutdown', 'U2');
    assert.equal(again.visibility, 'ephemeral');
    assert.match(again.message.title, /already awaiting approval as op-1 \(requested by APPROVER1\)/);

    const self = await run('approve op-1', 'APPROVER1');
    assert.equal(self.visibility, 'ephemeral');
    assert.equal(self.message.title, 'You cannot approve op-1: you requested this operation; another approver must decide.');

    const stranger = await run('approve op-1', 'U9');
    assert.equal(stranger.visibility, 'ephemeral');
    assert.match(stranger.message.title, /you are not an approver for cluster c1/);

    const approved = await run('approve 1', 'APPROVER2');
    assert.equal(approved.visibility, 'channel');
    assert.equal(approved.approvalFor, undefined);
    assert.equal(hasButtons(approved), false);
    assert.match(textOf(approved), /^✔ Approved by APPROVER2\./m);
    await service.idle();
    assert.equal(client.licenseServerUp, false);
    assert.ok([...client.nodes.values()].every((s) => s.kind !== 'running'));

    const late = await run('reject op-1', 'APPROVER3');
    assert.equal(late.visibility, 'ephemeral');
    assert.match(late.message.title, /op-1 is no longer waiting for a decision \(finished: succeeded\)/);
  });

  it('rejects a request: shown to the channel, nothing done', async () => {
    const { run, client } = setup();
    await run('db stop exa_db1');
    const rejected = await run('reject op-1', 'APPROVER1');
    assert.equal(rejected.visibility, 'channel');
    assert.match(textOf(rejected), /Rejected by APPROVER1\. Nothing was done\./);
    assert.equal(client.databases.get('exa_db1')?.state.kind, 'running');
  });

  it('queues a start-up at once and says where it is in the queue', async () => {
    const { run, client, service } = setup({ cold: true });
    const reply = await run('startup');
    assert.equal(reply.visibility, 'channel');
    assert.equal(reply.message.title, 'Queued as op-1, position 1: start-up of cluster c1, requested by U1.');
    assert.match(textOf(reply), /Nothing is ahead of it, so it starts now\. Cancel with \/exa cancel op-1\./);
    await service.idle();
    assert.ok([...client.nodes.values()].every((s) => s.kind === 'running'));
    assert.equal(client.databases.get('exa_db2')?.connection.kind, 'accepting');
  });

  it('answers a blocked request to its requester alone, with what blocks it, and posts no approval request', async () => {
    const { run } = setup();
    const reply = await run('storage stop');
    assert.equal(reply.visibility, 'ephemeral');
    assert.equal(reply.approvalFor, undefined);
    assert.match(textOf(reply), /EXAStorage stop of c1 is blocked, so it was not sent for approval:\n- .*database/);
  });

  it('cancels a request waiting for approval; an unknown id gets an ephemeral answer', async () => {
    const { run } = setup();
    await run('db stop exa_db2');
    const cancelled = await run('cancel op-1', 'U2');
    assert.equal(cancelled.visibility, 'channel');
    assert.match(cancelled.message.title, /^Cancelled op-1 \(stop of database exa_db2 on c1\) before it started\.$/);
    const unknown = await run('cancel op-99');
    assert.equal(unknown.visibility, 'ephemeral');
    assert.match(unknown.message.title, /There is no active operation op-99/);
  });
});

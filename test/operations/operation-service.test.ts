import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { OperationEvent } from '../../src/operations/operation-record.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await cluster?.stop();
  fixture = undefined;
  cluster = undefined;
});

async function setup(approval = {}) {
  cluster = await startSimCluster();
  fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), approval);
  return { c: cluster, f: fixture, service: fixture.service };
}

describe('the serialized queue', () => {
  it('never overlaps two operations on one cluster, whatever the timing of the requests', async () => {
    const { c, service } = await setup({ requireApprovalFor: new Set() });
    const events: OperationEvent[] = [];
    service.subscribe((e) => events.push(e));
    const results = await Promise.all([
      service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' }),
      service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'U2' }),
      service.request({ cluster: 'cluster1', operation: { kind: 'storage-stop' }, requestedBy: 'U3' }),
    ]);
    assert.deepEqual(results.map((r) => r.kind), ['queued', 'queued', 'queued']);
    await service.idle();
    // Each operation's steps run between its own start and finish, never interleaved.
    const order = events.flatMap((e) =>
      e.type === 'started' ? [`start ${e.op.id}`] : e.type === 'progress' && e.event.type === 'finished' ? [`end ${e.op.id}`] : [],
    );
    assert.deepEqual(order, ['start op-1', 'end op-1', 'start op-2', 'end op-2', 'start op-3', 'end op-3']);
    assert.deepEqual(mutatingCalls(c.sim), ['db_exa_db1.stopDatabase()', 'db_exa_db2.stopDatabase()', 'storage.stopEXAStorage()']);
  });

  it('refuses requests that conflict with one waiting, queued or running, naming it and how to cancel it', async () => {
    const { service } = await setup({ requireApprovalFor: new Set(['cluster-shutdown']) });
    const stop = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.equal(stop.kind, 'queued');
    const start = await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db1' }, requestedBy: 'U2' });
    assert.equal(start.kind, 'refused');
    assert.match(start.kind === 'refused' ? start.message : '', /start of database exa_db1 of cluster1 conflicts with op-1 \(stop of database exa_db1, requested by U1, (queued|running)\)\. Nothing was queued\. .*\/exa cancel op-1/);
    await service.idle();
    const shutdown = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U1' });
    assert.equal(shutdown.kind, 'awaiting-approval');
    for (const operation of [{ kind: 'cluster-startup' }, { kind: 'database-start', database: 'exa_db2' }, { kind: 'storage-start' }] as const) {
      const after = await service.request({ cluster: 'cluster1', operation, requestedBy: 'U2' });
      assert.equal(after.kind, 'refused', JSON.stringify(operation));
      assert.match(after.kind === 'refused' ? after.message : '', /conflicts with op-2 \(cluster shut-down, requested by U1, waiting for approval\)/);
    }
    const storage = await service.request({ cluster: 'cluster1', operation: { kind: 'storage-stop' }, requestedBy: 'U2' });
    assert.equal(storage.kind, 'refused');
  });

  it('refuses a request for an operation already queued or running, with a clear message', async () => {
    const { service } = await setup({ requireApprovalFor: new Set() });
    const first = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    const again = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U2' });
    assert.equal(first.kind, 'queued');
    assert.equal(again.kind, 'duplicate');
    if (again.kind === 'duplicate') {
      assert.match(again.message, /stop of database exa_db1 of cluster1 is already (queued|running) as op-1 \(requested by U1\)/);
    }
    await service.idle();
  });

  it('lists the running operation with its step and the pending ones; cancels a pending one', async () => {
    const { c, service } = await setup({ requireApprovalFor: new Set() });
    c.sim.faults.slow('stopDatabase', 300);
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'U2' });
    await new Promise((r) => setTimeout(r, 100));
    const view = service.queue('cluster1');
    assert.equal(view.running?.id, 'op-1');
    assert.ok(view.running?.status.kind === 'running' && view.running.status.stepTitle);
    assert.deepEqual(view.pending.map((op) => [op.id, op.requestedBy]), [['op-2', 'U2']]);
    const cancel = await service.cancel('op-2', 'U2');
    assert.equal(cancel.kind, 'removed');
    await service.idle();
    assert.deepEqual(mutatingCalls(c.sim), ['db_exa_db1.stopDatabase()']);
    assert.equal(service.get('op-2')?.status.kind, 'finished');
  });
});

describe('several clusters', () => {
  it('run side by side: an operation on one cluster does not wait for another cluster', async () => {
    const a = await startSimCluster({ durations: { databaseStop: 250 } });
    const b = await startSimCluster({ durations: { databaseStop: 250 } });
    const f = createServiceFixture(
      new Map([
        ['prod', { client: a.client, profile: { ...a.profile, name: 'prod' } }],
        ['test', { client: b.client, profile: { ...b.profile, name: 'test' } }],
      ]),
      { requireApprovalFor: new Set() },
    );
    try {
      const spans = new Map<string, { start: number; end: number }>();
      f.service.subscribe((e) => {
        if (e.type === 'started') spans.set(e.op.cluster, { start: Date.now(), end: 0 });
        if (e.type === 'progress' && e.event.type === 'finished') {
          const span = spans.get(e.op.cluster);
          if (span) span.end = Date.now();
        }
      });
      await f.service.request({ cluster: 'prod', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
      await f.service.request({ cluster: 'test', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U2' });
      assert.equal(f.service.queue('test').running?.cluster, 'test', 'the second cluster does not queue behind the first');
      await f.service.idle();
      const prod = spans.get('prod');
      const test = spans.get('test');
      assert.ok(prod && test && test.start < prod.end && prod.start < test.end, `overlapping: ${JSON.stringify([prod, test])}`);
      assert.deepEqual(mutatingCalls(a.sim), ['db_exa_db1.stopDatabase()']);
      assert.deepEqual(mutatingCalls(b.sim), ['db_exa_db1.stopDatabase()']);
    } finally {
      await f.close();
      await a.stop();
      await b.stop();
    }
  });
});

describe('approvals', () => {
  const shutdown = { cluster: 'cluster1', operation: { kind: 'cluster-shutdown' } as const, requestedBy: 'OPERATOR1', channel: 'C1' };

  it('a shut-down waits for another approver; self-approval and non-approvers are refused and audited', async () => {
    const { c, f, service } = await setup();
    const request = await service.request({ ...shutdown, requestedBy: 'APPROVER1' });
    assert.equal(request.kind, 'awaiting-approval');
    if (request.kind !== 'awaiting-approval') return;
    assert.ok(request.plan.steps.length > 5);
    const self = await service.approve(request.op.id, 'APPROVER1');
    assert.deepEqual(self, { kind: 'denied', message: `You cannot approve ${request.op.id}: you requested this operation; another approver must decide.` });
    const stranger = await service.approve(request.op.id, 'U999');
    assert.equal(stranger.kind, 'denied');
    assert.deepEqual(mutatingCalls(c.sim), [], 'nothing ran');
    const denials = f.audit.read().filter((e) => e.action === 'denied');
    assert.deepEqual(denials.map((e) => e.actor), ['APPROVER1', 'U999']);
    const ok = await service.approve(request.op.id, 'APPROVER2');
    assert.equal(ok.kind, 'approved');
    await service.idle();
    assert.equal(mutatingCalls(c.sim).at(-1), 'cluster.shutdownNode(n0010)');
  });

  it('a critical cluster\'s shut-down is approved only with its name typed; other operations and rejects need none', async () => {
    const { c, f, service } = await setup({ confirmByName: new Set(['cluster1']) });
    // A reject never needs the name.
    const first = await service.request(shutdown);
    assert.equal(first.kind === 'awaiting-approval' ? (await service.reject(first.op.id, 'APPROVER1')).kind : first.kind, 'rejected');
    const request = await service.request(shutdown);
    assert.equal(request.kind, 'awaiting-approval');
    if (request.kind !== 'awaiting-approval') return;
    assert.equal(request.op.confirmByName, true, 'the request says so, for its Approve button');
    const plain = await service.approve(request.op.id, 'APPROVER1');
    assert.equal(plain.kind, 'denied');
    assert.match(plain.kind === 'denied' ? plain.message : '', /cluster cluster1 is marked critical, so its shut-down is approved with its name typed: click Approve and type cluster1, or \/exa approve op-\d+ cluster1/);
    const wrong = await service.approve(request.op.id, 'APPROVER1', { typedName: 'cluster2' });
    assert.match(wrong.kind === 'denied' ? wrong.message : '', /the name typed, 'cluster2', is not the cluster's \(cluster1\); nothing was approved/);
    assert.deepEqual(mutatingCalls(c.sim), [], 'nothing ran');
    assert.equal(f.audit.read().filter((e) => e.action === 'denied').length, 2, 'both refusals are on the record');
    // The name does not stand in for the approver role.
    assert.equal((await service.approve(request.op.id, 'U999', { typedName: 'cluster1' })).kind, 'denied');
    assert.equal((await service.approve(request.op.id, 'APPROVER1', { typedName: ' cluster1 ' })).kind, 'approved');
    await service.idle();
    assert.equal(mutatingCalls(c.sim).at(-1), 'cluster.shutdownNode(n0010)');
  });

  it('a critical cluster\'s shut-down waits for an approver even where shut-downs need none', async () => {
    const { c, service } = await setup({ confirmByName: new Set(['cluster1']), requireApprovalFor: new Set() });
    const request = await service.request(shutdown);
    assert.equal(request.kind, 'awaiting-approval');
    assert.deepEqual(mutatingCalls(c.sim), []);
  });

  it('a database stop on a critical cluster is approved as usual: only the shut-down asks for the name', async () => {
    const { service } = await setup({ confirmByName: new Set(['cluster1']) });
    const stop = await service.request({ ...shutdown, operation: { kind: 'database-stop', database: 'exa_db1' } });
    assert.equal(stop.kind, 'awaiting-approval');
    if (stop.kind !== 'awaiting-approval') return;
    assert.equal(stop.op.confirmByName, undefined);
    // A name typed anyway must be the cluster's: /exa approve op-N othercluster approves nothing.
    assert.equal((await service.approve(stop.op.id, 'APPROVER1', { typedName: 'cluster2' })).kind, 'denied');
    assert.equal((await service.approve(stop.op.id, 'APPROVER1')).kind, 'approved');
  });

  it('a blocked plan is refused at once with its blockers, never sent for approval', async () => {
    const { c, f, service } = await setup();
    const approvals: unknown[] = [];
    service.subscribe((e) => (e.type === 'approval-needed' ? approvals.push(e) : undefined));
    c.sim.faults.setDatabaseOperation('exa_db1', 'Backup');
    const request = await service.request(shutdown);
    assert.equal(request.kind, 'refused');
    assert.match(
      request.kind === 'refused' ? request.message : '',
      /^The cluster shut-down of cluster1 is blocked, so it was not sent for approval:\n- database exa_db1 is busy with operation 'Backup'; wait until it finishes\nNothing was queued\./,
    );
    assert.deepEqual(approvals, [], 'no approval request');
    assert.equal(service.queue('cluster1').awaitingApproval.length, 0);
    assert.equal(f.audit.read().at(-1)?.action, 'refused');
    assert.deepEqual(mutatingCalls(c.sim), []);
    // Once the backup is over, the same request goes to the approvers.
    c.sim.faults.setDatabaseOperation('exa_db1', 'None');
    assert.equal((await service.request(shutdown)).kind, 'awaiting-approval');
  });

  it('double and concurrent clicks yield exactly one operation', async () => {
    const { c, service } = await setup({ requireApprovalFor: new Set(['database-stop']) });
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'OPERATOR1' });
    assert.equal(request.kind, 'awaiting-approval');
    const id = request.kind === 'awaiting-approval' ? request.op.id : '';
    const clicks = await Promise.all([service.approve(id, 'APPROVER1'), service.approve(id, 'APPROVER2'), service.approve(id, 'APPROVER1')]);
    assert.deepEqual(clicks.map((r) => r.kind).sort(), ['approved', 'not-pending', 'not-pending']);
    await service.idle();
    assert.deepEqual(mutatingCalls(c.sim), ['db_exa_db1.stopDatabase()']);
  });

  it('a request expires when nobody decides in time', async () => {
    const { c, f, service } = await setup({ ttlMs: 50 });
    const events: string[] = [];
    service.subscribe((e) => events.push(e.type));
    const request = await service.request(shutdown);
    const id = request.kind === 'awaiting-approval' ? request.op.id : '';
    await new Promise((r) => setTimeout(r, 120));
    assert.ok(events.includes('expired'));
    assert.equal((await service.approve(id, 'APPROVER1')).kind, 'not-pending');
    assert.deepEqual(mutatingCalls(c.sim), []);
    assert.ok(f.journal.read().some((r) => r.type === 'expired' && r.opId === id));
  });

  it('journal and audit log record who requested, approved and every step outcome', async () => {
    const { f, service } = await setup({ requireApprovalFor: new Set(['database-stop']) });
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'OPERATOR1', channel: 'C9' });
    const id = request.kind === 'awaiting-approval' ? request.op.id : '';
    await service.approve(id, 'APPROVER7');
    await service.idle();
    const audit = f.audit.read();
    assert.deepEqual(audit.map((e) => e.action), ['requested', 'approved', 'step', 'step', 'finished']);
    assert.equal(audit[0]?.actor, 'OPERATOR1');
    assert.equal(audit[0]?.channel, 'C9');
    assert.equal(audit[1]?.actor, 'APPROVER7');
    assert.match(audit.at(-1)?.detail ?? '', /^succeeded/);
    const journal = f.journal.read();
    assert.deepEqual(journal.map((r) => (r.type === 'step' ? `step ${r.stepId} ${r.outcome}` : r.type)), [
      'requested', 'approved', 'started', 'step 1 started', 'step 1 done', 'step 2 started', 'step 2 done', 'finished',
    ]);
  });
});

// What an approver approves is exactly what runs: the approval request plans against the state
// after what is queued, the approval stores the acting steps, and a run that would do more goes
// back for a new approval that shows the difference.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { renderApprovalRequest } from '../../src/messages/approval-view.js';
import type { OperationEvent } from '../../src/operations/operation-record.js';
import { renderText } from '../../src/console/render-text.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import type { SimulatorOptions } from '../../simulator/index.js';

let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await cluster?.stop();
  fixture = undefined;
  cluster = undefined;
});

async function setup(sim: Partial<SimulatorOptions> = {}) {
  cluster = await startSimCluster(sim);
  fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), {
    requireApprovalFor: new Set(['cluster-shutdown']),
  });
  const events: OperationEvent[] = [];
  fixture.service.subscribe((e) => events.push(e));
  return { c: cluster, service: fixture.service, events };
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('the approved plan is what runs', () => {
  it('a start-up queued on a cold cluster: a shut-down requested meanwhile is refused, naming the start-up and how to cancel it', async () => {
    const { service, c } = await setup({ cold: true });
    const startup = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-startup' }, requestedBy: 'U1', channel: 'C1' });
    assert.equal(startup.kind, 'queued');
    const shutdown = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U2', channel: 'C1' });
    assert.equal(shutdown.kind, 'refused');
    assert.match(shutdown.kind === 'refused' ? shutdown.message : '', /conflicts with op-1 \(cluster start-up, requested by U1, (queued|running)\)\. .*\/exa cancel op-1/);
    await service.idle();
    // Once the start-up is done, a shut-down shows (and may then do) the database stops.
    const later = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U2', channel: 'C1' });
    assert.equal(later.kind, 'awaiting-approval');
    assert.ok(later.kind === 'awaiting-approval');
    assert.deepEqual(later.plan.steps.filter((s) => s.action.kind === 'stop-database').map((s) => s.expect.kind), ['act', 'act']);
    assert.deepEqual(c.sim.violations, []);
  });

  it('the approval request plans against the state after what is queued ahead, and says so', async () => {
    const { service } = await setup({ durations: { databaseStop: 400 } });
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    const shutdown = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U2' });
    assert.ok(shutdown.kind === 'awaiting-approval');
    const stop1 = shutdown.plan.steps.find((s) => s.action.kind === 'stop-database' && s.action.database === 'exa_db1');
    assert.equal(stop1?.expect.kind, 'skip', 'exa_db1 will be stopped by op-1 by then');
    assert.deepEqual(shutdown.plan.after, ['op-1 (stop of database exa_db1)']);
    assert.match(renderText(renderApprovalRequest(shutdown.op, shutdown.plan)), /Planned for the state after op-1 \(stop of database exa_db1\) finishes/);
    await service.reject(shutdown.op.id, 'APPROVER1');
    await service.idle();
  });

  it('a database started by hand after the approval: nothing is stopped, the request comes back for a new approval showing the difference', async () => {
    const { service, c, events } = await setup({ durations: { databaseStop: 400 } });
    // exa_db2 is stopped; op-1 stops exa_db1 (0.8 s) while the shut-down waits its turn.
    assert.equal((await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'U1' })).kind, 'queued');
    await service.idle();
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    const shutdown = await service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U2', channel: 'C1' });
    assert.ok(shutdown.kind === 'awaiting-approval');
    assert.equal((await service.approve(shutdown.op.id, 'APPROVER1')).kind, 'approved');
    // Someone starts exa_db2 in EXAoperation while the shut-down is queued.
    c.sim.model.startDatabase('exa_db2');
    await until(() => events.some((e) => e.type === 'reapproval-needed'), 'the new approval request');
    const again = events.find((e) => e.type === 'reapproval-needed');
    assert.ok(again?.type === 'reapproval-needed');
    assert.deepEqual(again.changes.map((ch) => [ch.kind, ch.target]), [['stop-database', 'exa_db2']]);
    assert.equal(service.get(shutdown.op.id)?.status.kind, 'awaiting-approval');
    const text = renderText(renderApprovalRequest(again.op, again.plan, again.changes));
    assert.match(text, /New approval needed: shut-down of cluster cluster1/);
    assert.match(text, /Approved before, but the cluster changed\..*\n• Stop database exa_db2 \(new: exa_db2\)/s);
    assert.ok(!mutatingCalls(c.sim).includes('db_exa_db2.stopDatabase()') || mutatingCalls(c.sim).indexOf('db_exa_db2.stopDatabase()') === 0, 'exa_db2 was not stopped by the shut-down');
    assert.equal(mutatingCalls(c.sim).filter((m) => m === 'db_exa_db2.stopDatabase()').length, 1, 'only op-1 of the first test stopped exa_db2');
    assert.ok(fixture?.journal.read().some((r) => r.type === 'reapproval' && r.opId === shutdown.op.id));
    const approvedRecord = fixture?.journal.read().find((r) => r.type === 'approved' && r.opId === shutdown.op.id);
    assert.ok(approvedRecord?.type === 'approved' && approvedRecord.actions?.some((a) => a.kind === 'shutdown-license-server'));
    // Approved again, with the database stop shown: it runs to the end, safely.
    assert.equal((await service.approve(shutdown.op.id, 'APPROVER1')).kind, 'approved');
    await service.idle();
    const op = service.get(shutdown.op.id);
    assert.equal(op?.status.kind === 'finished' ? op.status.outcome.kind : op?.status.kind, 'succeeded');
    assert.deepEqual(c.sim.violations, []);
  });

  it('a step that would act beyond its approved targets mid-run stops before the change (guarded client)', async () => {
    const { guardedClient } = await import('../../src/lifecycle/guarded-client.js');
    const c = (cluster = await startSimCluster());
    const step = { id: '3', title: 'Stop database exa_db1', action: { kind: 'stop-database', database: 'exa_db1' }, expect: { kind: 'act' } } as const;
    const guarded = guardedClient(c.client, step);
    await assert.rejects(guarded.stopDatabase('exa_db2'), /step 3 would now stop database exa_db2, which the plan this run was approved with does not include/);
    await assert.rejects(guarded.shutdownNode('n0011'), /NOT_APPROVED|would now shut down n0011/);
    const skipped = guardedClient(c.client, { ...step, expect: { kind: 'skip', reason: 'already stopped' } });
    await assert.rejects(skipped.stopDatabase('exa_db1'), /would now stop database exa_db1/);
    assert.deepEqual((await guarded.getDatabaseState('exa_db2')).kind, 'running', 'reads pass');
    assert.deepEqual(mutatingCalls(c.sim), []);
  });
});

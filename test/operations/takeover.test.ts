// OperationService.takeOver against the simulator, with journals as a replica that died would have
// left them: what is safe goes on, an acting step in flight whose effect the cluster does not
// show is never sent again, an approved operation not yet started is queued again, and a journal
// from an older bot (no actions with its steps) is closed and reported as before.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Plan } from '../../src/lifecycle/plan.js';
import type { OperationEvent } from '../../src/operations/operation-record.js';
import { plannedStep } from '../../src/operations/reattach.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

let cluster: SimCluster | undefined;
let fixtures: ServiceFixture[] = [];
afterEach(async () => {
  for (const f of fixtures) await f.close();
  await cluster?.stop();
  fixtures = [];
  cluster = undefined;
});

const cluster1 = 'cluster1';

/** A cluster with both databases stopped (so a storage stop may run), and a first bot's fixture. */
async function stoppedDatabases() {
  cluster = await startSimCluster();
  const entries = new Map([[cluster1, { client: cluster.client, profile: cluster.profile }]]);
  const first = createServiceFixture(entries, { requireApprovalFor: new Set() });
  fixtures.push(first);
  for (const database of ['exa_db1', 'exa_db2']) await first.service.request({ cluster: cluster1, operation: { kind: 'database-stop', database }, requestedBy: 'U1' });
  await first.service.idle();
  const plan = await first.service.plan(cluster1, { kind: 'storage-stop' });
  return { c: cluster, entries, first, plan };
}

/** What the dead replica wrote for op-9, a storage stop, up to (and including) the steps given. */
function deadReplica(f: ServiceFixture, plan: Plan, outcomes: Readonly<Record<string, 'started' | 'done' | 'skipped'>>, withActions = true): void {
  const base = { opId: 'op-9', cluster: cluster1 };
  f.journal.append({ type: 'requested', ...base, operation: { kind: 'storage-stop' }, requestedBy: 'U1', channel: 'C1' });
  f.journal.append({ type: 'approved', ...base, by: 'APPROVER1', actions: [{ kind: 'stop-storage', targets: [] }] });
  f.journal.append({
    type: 'started',
    ...base,
    steps: plan.steps.map((s) => (withActions ? plannedStep(s) : { id: s.id, title: s.title })),
  });
  for (const step of plan.steps) {
    const outcome = outcomes[step.action.kind];
    if (outcome === undefined) continue;
    f.journal.append({ type: 'step', ...base, stepId: step.id, title: step.title, outcome: 'started' });
    if (outcome !== 'started') f.journal.append({ type: 'step', ...base, stepId: step.id, title: step.title, outcome });
  }
}

function standby(entries: Parameters<typeof createServiceFixture>[0], dataDir: string): ServiceFixture {
  const f = createServiceFixture(entries, {}, undefined, dataDir);
  fixtures.push(f);
  return f;
}

describe('taking over from a replica that died', { timeout: 60_000 }, () => {
  it('an acting step in flight whose effect the cluster does not show: not sent again, the operation stops and says why', async () => {
    const { c, entries, first, plan } = await stoppedDatabases();
    deadReplica(first, plan, { 'check-databases-stopped': 'done', 'stop-storage': 'started' });
    const before = mutatingCalls(c.sim);
    const next = standby(entries, first.dataDir);
    const report = await next.service.takeOver('replica-b/2');
    assert.deepEqual(report.resumed, [{ opId: 'op-9', cluster: cluster1, how: 'resumed' }]);
    await next.service.idle();
    assert.deepEqual(mutatingCalls(c.sim), before, 'stopEXAStorage was not sent');
    const finished = next.journal.read().find((r) => r.type === 'finished' && r.opId === 'op-9');
    assert.equal(finished?.type === 'finished' && finished.outcome, 'interrupted');
    assert.match(finished?.type === 'finished' ? (finished.reason ?? '') : '', /stopped during step \d+ 'Stop EXAStorage', and the cluster state does not show it took effect; it was not sent again\. Check the cluster/);
  });

  it('an acting step in flight that the cluster shows done: recorded as done, and the rest runs', async () => {
    const { c, entries, first, plan } = await stoppedDatabases();
    deadReplica(first, plan, { 'check-databases-stopped': 'done', 'stop-storage': 'started' });
    // The dead replica's call got through before it died.
    await c.client.stopEXAStorage();
    const before = mutatingCalls(c.sim);
    const next = standby(entries, first.dataDir);
    const events: OperationEvent[] = [];
    next.service.subscribe((e) => events.push(e));
    await next.service.takeOver('replica-b/2');
    await next.service.idle();
    assert.deepEqual(mutatingCalls(c.sim), before, 'nothing sent twice');
    const records = next.journal.read().filter((r) => r.opId === 'op-9');
    const finished = records.find((r) => r.type === 'finished');
    assert.equal(finished?.type === 'finished' ? finished.outcome : undefined, 'succeeded');
    const reattached = records.find((r) => r.type === 'reattached');
    assert.match(reattached?.type === 'reattached' ? reattached.note : '', /Taken over by replica-b\/2 after the replica running it stopped: going on from step \d+ 'Wait until EXAStorage is stopped'\. Step \d+ 'Stop EXAStorage' was under way; the cluster shows it took effect, so it was not sent again\./);
    const event = events.find((e) => e.type === 'reattached');
    assert.ok(event?.type === 'reattached');
    assert.equal(Object.values(event.outcomes).filter((o) => o === 'done').length, 2, 'the check and the stop show as done');
  });

  it('an approved operation that had not started is queued again and runs once', async () => {
    const { c, entries, first } = await stoppedDatabases();
    first.journal.append({ type: 'requested', opId: 'op-9', cluster: cluster1, operation: { kind: 'storage-stop' }, requestedBy: 'U1', channel: 'C1' });
    first.journal.append({ type: 'approved', opId: 'op-9', cluster: cluster1, by: 'APPROVER1', actions: [{ kind: 'stop-storage', targets: [] }] });
    const next = standby(entries, first.dataDir);
    const report = await next.service.takeOver('replica-b/2');
    assert.deepEqual(report, { closed: [], resumed: [{ opId: 'op-9', cluster: cluster1, how: 'requeued' }] });
    await next.service.idle();
    assert.deepEqual(mutatingCalls(c.sim).slice(-1), ['storage.stopEXAStorage()']);
    assert.equal(mutatingCalls(c.sim).filter((m) => m === 'storage.stopEXAStorage()').length, 1);
  });

  it('a journal without the actions of its steps (an older bot): closed and reported, nothing resumed', async () => {
    const { c, entries, first, plan } = await stoppedDatabases();
    deadReplica(first, plan, { 'check-databases-stopped': 'done' }, false);
    const before = mutatingCalls(c.sim);
    const next = standby(entries, first.dataDir);
    const report = await next.service.takeOver('replica-b/2');
    assert.deepEqual(report.resumed, []);
    assert.equal(report.closed.length, 1);
    assert.match(report.closed[0]?.message ?? '', /op-9 .* was interrupted by a restart/);
    await next.service.idle();
    assert.deepEqual(mutatingCalls(c.sim), before);
  });

  it('a request still waiting for approval waits on for what is left of its time; an approval then runs it once', async () => {
    const { c, entries, first, plan } = await stoppedDatabases();
    const steps = plan.steps.map(plannedStep);
    first.journal.append({ type: 'requested', opId: 'op-9', cluster: cluster1, operation: { kind: 'storage-stop' }, requestedBy: 'U1', channel: 'C1', plan: steps });
    first.journal.append({ type: 'message', opId: 'op-9', cluster: cluster1, role: 'approval', channel: 'C1', ts: '1700000000.000900' });
    const next = standby(entries, first.dataDir);
    const report = await next.service.takeOver('replica-b/2');
    assert.deepEqual(report.resumed, [{ opId: 'op-9', cluster: cluster1, how: 'awaiting-approval', approvalMessage: { channel: 'C1', ts: '1700000000.000900' } }]);
    assert.equal(next.service.get('op-9')?.status.kind, 'awaiting-approval');
    const decision = await next.service.approve('op-9', 'APPROVER1');
    assert.equal(decision.kind, 'approved');
    await next.service.idle();
    assert.equal(mutatingCalls(c.sim).filter((m) => m === 'storage.stopEXAStorage()').length, 1);
    const approved = next.journal.read().find((r) => r.type === 'approved' && r.opId === 'op-9');
    assert.deepEqual(approved?.type === 'approved' ? approved.actions : undefined, [{ kind: 'stop-storage', targets: [] }], 'what the request showed is what was approved');
  });
});

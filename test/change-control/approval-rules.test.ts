import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ChangeGate } from '../../src/change-control/change-gate.js';
import { fileControls } from '../../src/change-control/control-store.js';
import { parseWindowTimes, type FreezeWindow } from '../../src/change-control/freeze-calendar.js';
import { Holds } from '../../src/change-control/holds.js';
import type { ApprovalRule } from '../../src/operations/approval-rules.js';
import { findUnfinished } from '../../src/operations/recovery.js';
import type { OperationEvent } from '../../src/operations/operation-record.js';
import { systemClock } from '../../src/util/clock.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { createServiceFixture, type ServiceFixture } from '../helpers/service-fixture.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let cluster: SimCluster | undefined;
let fixture: ServiceFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  await cluster?.stop();
  fixture = undefined;
  cluster = undefined;
});

const SHUTDOWN = { kind: 'database-stop', database: 'exa_db1' } as const;
const twoFromLeads: ApprovalRule = { clusters: ['cluster1'], operations: ['storage-stop', 'database-stop'], approvals: 2 };

async function setup(rules: readonly ApprovalRule[], freezes: readonly FreezeWindow[] = [], policy: Record<string, unknown> = {}) {
  cluster = await startSimCluster();
  const dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-rules-'));
  const holds = new Holds(fileControls(dataDir), systemClock);
  const gate = new ChangeGate(freezes, holds, systemClock);
  // Approvers: APPROVER… ids.
  fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), { rules, allowSelfApproval: true, ...policy }, systemClock, dataDir, { gate });
  const events: OperationEvent[] = [];
  fixture.service.subscribe((e) => events.push(e));
  return { service: fixture.service, holds, events, sim: cluster.sim, dataDir };
}

describe('approval rules: M distinct approvers', () => {
  it('counts two different approvers, never the requester (even with self-approval allowed), shows each, and runs on the second', async () => {
    const { service, events, sim } = await setup([twoFromLeads]);
    const asked = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'APPROVER_REQ', reason: 'disk swap' });
    assert.equal(asked.kind, 'awaiting-approval');
    const op = asked.kind === 'awaiting-approval' ? asked.op : assert.fail();
    assert.equal(op.approvalsNeeded, 2);

    // The requester is an approver, and EXA_ALLOW_SELF_APPROVAL is on: under a rule it still does not count.
    const self = await service.approve(op.id, 'APPROVER_REQ');
    assert.equal(self.kind, 'denied');
    assert.match(self.kind === 'denied' ? self.message : '', /the requester never counts/);

    const first = await service.approve(op.id, 'APPROVER_A');
    assert.deepEqual(first.kind === 'approval-added' ? [first.have, first.need] : first, [1, 2]);
    assert.equal(op.status.kind, 'awaiting-approval');
    assert.ok(events.some((e) => e.type === 'approval-added' && e.by === 'APPROVER_A'), 'the message is told of the first approval');

    const twice = await service.approve(op.id, 'APPROVER_A');
    assert.match(twice.kind === 'denied' ? twice.message : '', /approved it already; it needs 1 more/);
    assert.deepEqual(mutatingCalls(sim), [], 'nothing ran before the second approval');

    const second = await service.approve(op.id, 'APPROVER_B');
    assert.equal(second.kind, 'approved');
    await service.idle();
    assert.deepEqual(mutatingCalls(sim), ['db_exa_db1.stopDatabase()']);
    assert.deepEqual(op.approvals?.map((a) => a.by), ['APPROVER_A', 'APPROVER_B']);

    const audit = fixture!.audit.read();
    assert.deepEqual(audit.find((e) => e.action === 'approval-added')?.approvers, ['APPROVER_A']);
    const approved = audit.find((e) => e.action === 'approved');
    assert.deepEqual(approved?.approvers, ['APPROVER_A', 'APPROVER_B']);
    assert.equal(approved?.reason, 'disk swap');
  });

  it('counts only approvers the rule lists, and keeps counted approvals across a takeover', async () => {
    const { service, dataDir } = await setup([{ ...twoFromLeads, from: [{ kind: 'user', id: 'APPROVER_LEAD1' }, { kind: 'user', id: 'APPROVER_LEAD2' }] }]);
    const asked = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'r' });
    const op = asked.kind === 'awaiting-approval' ? asked.op : assert.fail(asked.kind);
    const outsider = await service.approve(op.id, 'APPROVER_X');
    assert.match(outsider.kind === 'denied' ? outsider.message : '', /counts approvals only from APPROVER_LEAD1, APPROVER_LEAD2/);
    assert.equal((await service.approve(op.id, 'APPROVER_LEAD1')).kind, 'approval-added');
    // What a replica taking over reads back from the journal.
    const [unfinished] = findUnfinished(fixture!.journal.read());
    assert.deepEqual(unfinished?.approvals?.map((a) => a.by), ['APPROVER_LEAD1']);
    assert.ok(dataDir);
  });

  it('a rule on an operation outside EXA_APPROVAL_REQUIRED_FOR still asks for its approvers', async () => {
    const { service } = await setup([{ clusters: '*', operations: ['database-start'], approvals: 1 }]);
    const asked = await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db1' }, requestedBy: 'U_OP' });
    assert.equal(asked.kind, 'awaiting-approval');
  });
});

describe('freeze windows, holds and break-glass', () => {
  const always = (): FreezeWindow => {
    // A dated window around now: the freeze is on for this test whatever the day.
    const now = Date.now();
    const fmt = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
    const times = parseWindowTimes(fmt(now - 3600_000), fmt(now + 3600_000), 'UTC');
    if (typeof times === 'string') assert.fail(times);
    return { name: 'year-end', clusters: ['cluster1'], operations: ['cluster-shutdown', 'storage-stop', 'database-stop'], timeZone: 'UTC', reason: 'year-end close', ...times };
  };

  it('a freeze refuses a destructive request with what, why and until when, and says how to break the glass; a start still goes', async () => {
    const { service } = await setup([], [always()]);
    const refused = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'disk swap' });
    assert.equal(refused.kind, 'refused');
    assert.match(refused.kind === 'refused' ? refused.message : '', /cluster1 is frozen by the freeze window 'year-end' \(year-end close\) until .* UTC, so the stop of database exa_db1 was not requested\. An approver .*--break-glass/);
    const start = await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db2' }, requestedBy: 'U_OP' });
    assert.equal(start.kind, 'queued');
    await service.idle();
    const audit = fixture!.audit.read().find((e) => e.action === 'refused');
    assert.equal(audit?.reason, 'disk swap');
  });

  it('break-glass: only an approver, with a reason; one approver more than usual; marked on the request and the audit log', async () => {
    const { service, sim } = await setup([], [always()]);
    const operator = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'x', override: true });
    assert.match(operator.kind === 'refused' ? operator.message : '', /Only an approver of cluster1 may break the glass/);
    const noReason = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'APPROVER_REQ', override: true });
    assert.match(noReason.kind === 'refused' ? noReason.message : '', /Breaking the glass needs a reason/);

    const asked = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'APPROVER_REQ', reason: 'disk failing, data at risk', override: true });
    const op = asked.kind === 'awaiting-approval' ? asked.op : assert.fail(JSON.stringify(asked));
    assert.equal(op.override, true);
    assert.equal(op.approvalsNeeded, 2, 'one approver, plus one for breaking the glass');
    assert.equal((await service.approve(op.id, 'APPROVER_REQ')).kind, 'denied');
    assert.equal((await service.approve(op.id, 'APPROVER_A')).kind, 'approval-added');
    assert.deepEqual(mutatingCalls(sim), []);
    assert.equal((await service.approve(op.id, 'APPROVER_B')).kind, 'approved');
    await service.idle();
    assert.deepEqual(mutatingCalls(sim), ['db_exa_db1.stopDatabase()']);
    const audit = fixture!.audit.read();
    assert.equal(audit.find((e) => e.action === 'requested')?.override, true);
    assert.equal(audit.find((e) => e.action === 'approved')?.override, true);
    assert.deepEqual(audit.find((e) => e.action === 'approved')?.approvers, ['APPROVER_A', 'APPROVER_B']);
  });

  it('break-glass with nothing frozen is refused: there is no glass to break', async () => {
    const { service } = await setup([]);
    const r = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'APPROVER_REQ', reason: 'x', override: true });
    assert.match(r.kind === 'refused' ? r.message : '', /no glass to break/);
  });

  it('a hold refuses like a freeze and names who set it; one set after a request stops its approval; it survives a restart', async () => {
    const { service, holds, dataDir } = await setup([]);
    const asked = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'r' });
    const op = asked.kind === 'awaiting-approval' ? asked.op : assert.fail();
    const held = await service.control.hold('cluster1', 'U_DBA', 4 * 3600_000, 'migration running', 'C1');
    assert.equal(held.kind, 'held');
    const late = await service.approve(op.id, 'APPROVER_A');
    assert.match(late.kind === 'denied' ? late.message : '', /frozen by a hold set by U_DBA \(migration running\) until .* since this was requested/);
    const again = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'U_OP2', reason: 'r' });
    assert.equal(again.kind, 'refused');
    assert.deepEqual(again.kind === 'refused' ? again.people : [], ['U_DBA']);
    assert.ok(holds.active('cluster1'));

    // A restart reads the hold back from controls.jsonl.
    const after = new Holds(fileControls(dataDir), systemClock);
    after.load(await fileControls(dataDir).read());
    assert.equal(after.active('cluster1')?.reason, 'migration running');

    // Only whoever set it, or an approver, lifts it.
    assert.equal((await service.control.unhold('cluster1', 'U_OTHER', 'C1')).kind, 'refused');
    assert.equal((await service.control.unhold('cluster1', 'U_DBA', 'C1')).kind, 'lifted');
    assert.equal(holds.active('cluster1'), undefined);
    const actions = fixture!.audit.read().map((e) => e.action);
    assert.ok(actions.includes('held') && actions.includes('unheld'));
  });

  it('a hold set while an operation waits its turn stops it from starting; a break-glass one still runs', async () => {
    const { service, sim } = await setup([], [], { requireApprovalFor: new Set() });
    sim.faults.slow('stopDatabase', 300);
    assert.equal((await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'r' })).kind, 'queued');
    const second = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db2' }, requestedBy: 'U_OP', reason: 'r' });
    const op = second.kind === 'queued' ? second.op : assert.fail(second.kind);
    assert.equal((await service.control.hold('cluster1', 'U_DBA', 3600_000, 'migration', undefined)).kind, 'held');
    await service.idle();
    assert.equal(op.status.kind === 'finished' ? op.status.outcome.kind : op.status.kind, 'refused');
    assert.match(op.status.kind === 'finished' && op.status.outcome.kind === 'refused' ? (op.status.outcome.reasons[0] ?? '') : '', /frozen by a hold set by U_DBA \(migration\).*it did not start/);
    assert.deepEqual(mutatingCalls(sim), ['db_exa_db1.stopDatabase()'], 'only the one that had started');
  });

  it('a shorter hold cannot lift someone else\'s early, except by them or an approver; a longer one replaces it', async () => {
    const { service } = await setup([]);
    await service.control.hold('cluster1', 'U_DBA', 4 * 3600_000, 'migration', undefined);
    const shorter = await service.control.hold('cluster1', 'U_OTHER', 60_000, 'x', undefined);
    assert.match(shorter.kind === 'refused' ? shorter.message : '', /a shorter hold would lift theirs early/);
    assert.equal((await service.control.hold('cluster1', 'APPROVER_A', 60_000, 'done early', undefined)).kind, 'held');
    assert.equal((await service.control.hold('cluster1', 'U_OTHER', 8 * 3600_000, 'longer', undefined)).kind, 'held');
  });
});

describe('a weekly freeze, on an injected clock', () => {
  it('refuses a shut-down on Friday evening in Berlin, and takes it on Monday morning', async () => {
    cluster = await startSimCluster();
    const times = parseWindowTimes('Fri 18:00', 'Mon 06:00', 'Europe/Berlin');
    if (typeof times === 'string') assert.fail(times);
    const clock = new ManualClock(Date.parse('2026-12-11T17:30:00Z')); // Friday 18:30 CET
    const dataDir = mkdtempSync(join(tmpdir(), 'exa-chatops-freeze-'));
    const gate = new ChangeGate([{ name: 'weekend', clusters: ['cluster1'], operations: ['cluster-shutdown'], timeZone: 'Europe/Berlin', reason: 'weekend freeze', ...times }], new Holds(fileControls(dataDir), clock), clock);
    fixture = createServiceFixture(new Map([['cluster1', { client: cluster.client, profile: cluster.profile }]]), {}, clock, dataDir, { gate });
    const friday = await fixture.service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U_OP', reason: 'patching' });
    assert.match(friday.kind === 'refused' ? friday.message : friday.kind, /frozen by the freeze window 'weekend' \(weekend freeze\) until Mon 14 Dec 06:00 Europe\/Berlin, so the cluster shut-down was not requested/);
    clock.jumpTo(Date.parse('2026-12-14T05:00:00Z')); // Monday 06:00 CET
    const monday = await fixture.service.request({ cluster: 'cluster1', operation: { kind: 'cluster-shutdown' }, requestedBy: 'U_OP', reason: 'patching' });
    assert.equal(monday.kind, 'awaiting-approval');
    await fixture.service.cancel(monday.kind === 'awaiting-approval' ? monday.op.id : '', 'U_OP');
  });
});

describe('approval rules under races and schedules', () => {
  it('one approver clicking twice at once (with a slow group lookup) counts once', async () => {
    const slowListed = async (): Promise<boolean> => {
      await new Promise((r) => setTimeout(r, 30));
      return true;
    };
    const { service, sim } = await setup([{ ...twoFromLeads, from: [{ kind: 'group', id: 'S0LEADS' }] }], [], { isListed: slowListed });
    const asked = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_OP', reason: 'r' });
    const op = asked.kind === 'awaiting-approval' ? asked.op : assert.fail();
    const results = await Promise.all([service.approve(op.id, 'APPROVER_A'), service.approve(op.id, 'APPROVER_A')]);
    assert.deepEqual(results.map((r) => r.kind).sort(), ['approval-added', 'denied']);
    assert.deepEqual(op.approvals?.map((a) => a.by), ['APPROVER_A']);
    assert.equal(op.status.kind, 'awaiting-approval');
    assert.deepEqual(mutatingCalls(sim), []);
  });

  it('a schedule that waives approval still meets an approval rule; without a rule it runs at once', async () => {
    const { service } = await setup([twoFromLeads]);
    const schedule = { id: 's', configuredBy: 'U_ADMIN', waiveApproval: true };
    const ruled = await service.request({ cluster: 'cluster1', operation: SHUTDOWN, requestedBy: 'U_ADMIN', reason: 'r', schedule });
    assert.equal(ruled.kind, 'awaiting-approval');
    const free = await service.request({ cluster: 'cluster1', operation: { kind: 'storage-start' }, requestedBy: 'U_ADMIN', schedule });
    assert.equal(free.kind, 'queued');
    await service.idle();
  });
});

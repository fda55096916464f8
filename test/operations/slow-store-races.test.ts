// With a store whose writes take time (PostgreSQL over a network), two callers can meet in the
// gap between a check and its write. These races must still end with exactly one winner: one
// decision per request, one operation per conflicting pair, one end per operation.
import { fileControls } from '../../src/change-control/control-store.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import { DEFAULT_APPROVAL_KINDS } from '../../src/operations/approval-policy.js';
import { createAuditLog } from '../../src/operations/audit-log.js';
import { createJournal, type Journal } from '../../src/operations/journal.js';
import { OperationService } from '../../src/operations/operation-service.js';
import { fileStore } from '../../src/store/file-store.js';
import type { OperationStore } from '../../src/store/operation-store.js';
import { systemClock } from '../../src/util/clock.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

const WRITE_MS = 40;
const later = async <T>(work: () => Promise<T>): Promise<T> => {
  await new Promise((resolve) => setTimeout(resolve, WRITE_MS));
  return work();
};

/** The file store, with every write (journal and audit) taking WRITE_MS, as a remote database's would. */
function slow(store: OperationStore): OperationStore {
  return {
    ...store,
    journal: { ...store.journal, append: (input) => later(() => store.journal.append(input)) },
    audit: { record: (input) => later(() => store.audit.record(input)) },
    allocateId: () => later(() => store.allocateId()),
  };
}

let cluster: SimCluster | undefined;
let service: OperationService | undefined;
let dir: string | undefined;
let journal: Journal | undefined;
afterEach(async () => {
  await service?.shutdown('test finished');
  await cluster?.stop();
  journal?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setup(requireApproval = true) {
  cluster = await startSimCluster();
  dir = mkdtempSync(join(tmpdir(), 'exa-chatops-races-'));
  journal = createJournal(dir);
  service = new OperationService({
    clusters: new Map([['cluster1', { backend: exaoperationBackend(cluster.client, cluster.profile), profile: cluster.profile }]]),
    store: slow(fileStore(journal, createAuditLog(dir), fileControls(dir))),
    clock: systemClock,
    approval: { requireApprovalFor: requireApproval ? DEFAULT_APPROVAL_KINDS : new Set(), allowSelfApproval: false, ttlMs: 60_000, isApprover: (u) => u.startsWith('APPROVER') },
  });
  return { service, c: cluster, records: () => (journal as Journal).read() };
}

describe('a store whose writes take time', { timeout: 30_000 }, () => {
  it('two approvers clicking at once: exactly one approval is recorded and runs', async () => {
    const { service, c, records } = await setup();
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.ok(request.kind === 'awaiting-approval');
    const [a, b] = await Promise.all([service.approve(request.op.id, 'APPROVER1'), service.approve(request.op.id, 'APPROVER2')]);
    assert.deepEqual([a.kind, b.kind].sort(), ['approved', 'not-pending']);
    await service.idle();
    assert.equal(records().filter((r) => r.type === 'approved').length, 1);
    assert.deepEqual(mutatingCalls(c.sim), ['db_exa_db1.stopDatabase()']);
  });

  it('the same request twice at once: one operation, the other told it is a duplicate', async () => {
    const { service, records } = await setup();
    const input = { cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' } as const;
    const results = await Promise.all([service.request(input), service.request(input)]);
    assert.deepEqual(results.map((r) => r.kind).sort(), ['awaiting-approval', 'duplicate']);
    assert.equal(records().filter((r) => r.type === 'requested').length, 1);
  });

  it('a cancel and an approval at once: one of them wins, and the record agrees with what happened', async () => {
    const { service, c, records } = await setup();
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.ok(request.kind === 'awaiting-approval');
    const [approval, cancel] = await Promise.all([service.approve(request.op.id, 'APPROVER1'), service.cancel(request.op.id, 'U1')]);
    await service.idle();
    const approved = records().some((r) => r.type === 'approved');
    assert.notEqual(approval.kind === 'approved', cancel.kind === 'removed', `exactly one wins (approval ${approval.kind}, cancel ${cancel.kind})`);
    assert.equal(approved, approval.kind === 'approved');
    assert.equal(records().filter((r) => r.type === 'finished').length, 1, 'one end');
    assert.deepEqual(mutatingCalls(c.sim), approved ? ['db_exa_db1.stopDatabase()'] : []);
  });

  it('a cancel of a running operation while its last step is written: one end, recorded once', async () => {
    const { service, records } = await setup(false);
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.ok(request.kind === 'queued');
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([service.cancel(request.op.id, 'U1'), service.cancel(request.op.id, 'U2')]);
    await service.idle();
    assert.equal(records().filter((r) => r.type === 'finished').length, 1);
    assert.equal(service.get(request.op.id)?.status.kind, 'finished');
  });
});

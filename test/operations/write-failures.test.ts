// Write first, then change state: every transition is in the journal and the audit log before
// memory changes and before anyone is told. A write that fails (disk full, read-only volume)
// refuses the request or fails the operation with a clear reason; nothing is left wedged and no
// rejection goes unhandled. The journal and audit log here are real files behind a switch.
import { fileControls } from '../../src/change-control/control-store.js';
import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { AppError } from '../../src/errors/app-error.js';
import { DEFAULT_APPROVAL_KINDS } from '../../src/operations/approval-policy.js';
import { createAuditLog, type AuditLog } from '../../src/operations/audit-log.js';
import { createJournal, type Journal } from '../../src/operations/journal.js';
import type { JournalRecord } from '../../src/operations/journal-record.js';
import type { OperationEvent } from '../../src/operations/operation-record.js';
import { OperationService } from '../../src/operations/operation-service.js';
import { fileStore } from '../../src/store/file-store.js';
import { systemClock } from '../../src/util/clock.js';
import { mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

const diskFull = () => new AppError('data-write-failed', 'Could not record to journal.jsonl, so the action was not taken. Check free disk space and the permissions of the data directory.');

/** A real journal that fails, on demand, for records of a given type. */
function switchable(journal: Journal, failing: Set<JournalRecord['type']>): Journal {
  return {
    append: (record) => {
      if (failing.has(record.type)) throw diskFull();
      return journal.append(record);
    },
    read: () => journal.read(),
    health: () => journal.health(),
    close: () => journal.close(),
  };
}

let unhandled = 0;
const onUnhandled = (): void => {
  unhandled += 1;
};
before(() => process.on('unhandledRejection', onUnhandled));
after(() => process.off('unhandledRejection', onUnhandled));

let cluster: SimCluster | undefined;
let service: OperationService | undefined;
let dir: string | undefined;
let files: { journal: Journal; audit: AuditLog } | undefined;
afterEach(async () => {
  await service?.shutdown('test finished');
  files?.journal.close();
  files?.audit.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  service = undefined;
  cluster = undefined;
  assert.equal(unhandled, 0, 'no unhandled rejection');
});

async function setup(failing: Set<JournalRecord['type']>) {
  cluster = await startSimCluster();
  dir = mkdtempSync(join(tmpdir(), 'exa-chatops-writes-'));
  files = { journal: createJournal(dir), audit: createAuditLog(dir) };
  service = new OperationService({
    clusters: new Map([['cluster1', { backend: exaoperationBackend(cluster.client, cluster.profile), profile: cluster.profile }]]),
    store: fileStore(switchable(files.journal, failing), files.audit, fileControls(dir)),
    clock: systemClock,
    approval: { requireApprovalFor: DEFAULT_APPROVAL_KINDS, allowSelfApproval: false, ttlMs: 60_000, isApprover: (u) => u.startsWith('APPROVER') },
  });
  const events: OperationEvent[] = [];
  service.subscribe((e) => events.push(e));
  return { c: cluster, service, events, journal: files.journal };
}

describe('a journal that cannot be written', () => {
  it('refuses the request: no operation, nothing queued, nobody told it is queued', async () => {
    const { service, events, c } = await setup(new Set(['requested']));
    const result = await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.equal(result.kind, 'refused');
    assert.match(result.kind === 'refused' ? result.message : '', /^Nothing was queued: Could not record to journal\.jsonl, so the action was not taken\. Check free disk space/);
    assert.deepEqual(service.queue('cluster1'), { running: undefined, pending: [], awaitingApproval: [] });
    assert.deepEqual(events, []);
    assert.deepEqual(mutatingCalls(c.sim), []);
  });

  it('an approval that cannot be recorded does not count: the request still waits, and a later approval works', async () => {
    const failing = new Set<JournalRecord['type']>(['approved']);
    const { service } = await setup(failing);
    const request = await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    assert.ok(request.kind === 'awaiting-approval');
    const first = await service.approve(request.op.id, 'APPROVER1');
    assert.equal(first.kind, 'not-pending');
    assert.match(first.kind === 'not-pending' ? first.message : '', /Your approval of op-1 could not be recorded, so it did not count: Could not record/);
    assert.equal(service.get('op-1')?.status.kind, 'awaiting-approval');
    failing.clear();
    assert.equal((await service.approve(request.op.id, 'APPROVER1')).kind, 'approved');
    await service.idle();
    const op = service.get('op-1');
    assert.equal(op?.status.kind === 'finished' && op.status.outcome.kind, 'succeeded');
  });

  it('a start that cannot be recorded fails the operation with the reason, before any step', async () => {
    const { service, events, c } = await setup(new Set(['started']));
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db1' }, requestedBy: 'U1' });
    await service.idle();
    const op = service.get('op-1');
    assert.ok(op?.status.kind === 'finished' && op.status.outcome.kind === 'failed');
    assert.match(op.status.outcome.kind === 'failed' ? op.status.outcome.reason : '', /it was not started: Could not record/);
    const last = events.at(-1);
    assert.ok(last?.type === 'progress' && last.event.type === 'finished', 'the requester is told');
    assert.deepEqual(mutatingCalls(c.sim), []);
  });

  it('a step that cannot be recorded is not run; the operation fails and is closed', async () => {
    const { service, c, journal } = await setup(new Set(['step']));
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1' });
    await service.approve('op-1', 'APPROVER1');
    await service.idle();
    const op = service.get('op-1');
    assert.ok(op?.status.kind === 'finished' && op.status.outcome.kind === 'failed', JSON.stringify(op?.status));
    assert.match(op.status.outcome.kind === 'failed' ? op.status.outcome.reason : '', /step 1 was not started: Could not record/);
    assert.deepEqual(mutatingCalls(c.sim), [], 'the database was not stopped');
    assert.ok(journal.read().some((r) => r.type === 'finished' && r.opId === 'op-1'), 'its end is in the journal');
  });

  it('an end that cannot be recorded still ends the operation in memory and says why', async () => {
    const { service, events } = await setup(new Set(['finished']));
    await service.request({ cluster: 'cluster1', operation: { kind: 'database-start', database: 'exa_db1' }, requestedBy: 'U1' });
    await service.idle();
    const op = service.get('op-1');
    assert.ok(op?.status.kind === 'finished' && op.status.outcome.kind === 'failed');
    assert.match(op.status.outcome.kind === 'failed' ? op.status.outcome.reason : '', /its end could not be recorded: Could not record/);
    assert.equal(events.filter((e) => e.type === 'progress' && e.event.type === 'finished').length, 1, 'one final event, nothing after it');
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isAppError } from '../../src/errors/app-error.js';
import { createAuditLog } from '../../src/operations/audit-log.js';
import { createJournal, type Journal } from '../../src/operations/journal.js';
import { nextOperationId, type JournalInput } from '../../src/operations/journal-record.js';
import { findUnfinished, recoverJournal } from '../../src/operations/recovery.js';
import { fileAudit, fileJournal } from '../../src/store/file-store.js';
import type { Clock } from '../../src/util/clock.js';

const clock: Clock = { now: () => Date.UTC(2024, 4, 1, 12, 0, 0), sleep: () => Promise.resolve() };
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let dataDir: string;
let journal: Journal;
beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'exa-journal-')), 'data');
  journal = createJournal(dataDir, clock);
});
afterEach(() => {
  journal.close();
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

const cluster = 'cluster1';
const steps = [
  { id: 'check', title: 'Check cluster state' },
  { id: 'backups', title: 'Check for running backups' },
  { id: 'sessions', title: 'Check open sessions' },
  { id: 'stop-db', title: 'Stop database exa_db1' },
  { id: 'stop-storage', title: 'Stop EXAStorage' },
];

/** An approved shut-down that got to `upTo` steps, the last of them with `lastOutcome`. */
function runningShutdown(opId: string, upTo: number, lastOutcome: 'started' | 'done' = 'started'): void {
  journal.append({ type: 'requested', opId, cluster, operation: { kind: 'cluster-shutdown' }, requestedBy: 'U123', channel: 'C1' });
  journal.append({ type: 'approved', opId, cluster, by: 'U456' });
  journal.append({ type: 'started', opId, cluster, steps });
  steps.slice(0, upTo).forEach((step, i) => {
    journal.append({ type: 'step', opId, cluster, stepId: step.id, title: step.title, outcome: 'started' });
    if (i < upTo - 1 || lastOutcome === 'done') {
      journal.append({ type: 'step', opId, cluster, stepId: step.id, title: step.title, outcome: 'done', durationMs: 5 });
    }
  });
}

describe('journal', () => {
  it('round-trips records, stamping `at` from the clock', () => {
    const written = journal.append({ type: 'requested', opId: 'op-1', cluster, operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1', reason: 'restore test data' });
    assert.equal(written.at, '2024-05-01T12:00:00.000Z');
    journal.append({ type: 'rejected', opId: 'op-1', cluster, by: 'U2', reason: 'not during business hours' });
    assert.deepEqual(journal.read(), [
      { type: 'requested', at: written.at, opId: 'op-1', cluster, operation: { kind: 'database-stop', database: 'exa_db1' }, requestedBy: 'U1', reason: 'restore test data' },
      { type: 'rejected', at: written.at, opId: 'op-1', cluster, by: 'U2', reason: 'not during business hours' },
    ]);
    assert.ok(readFileSync(join(dataDir, 'journal.jsonl'), 'utf8').endsWith('\n'));
    journal.append({ type: 'requested', opId: 'op-9', cluster, operation: { kind: 'storage-stop' }, requestedBy: 'U1', reason: 'disk swap' });
    assert.equal(findUnfinished(journal.read()).find((op) => op.opId === 'op-9')?.reason, 'disk swap', 'a restart knows why it was asked for');
  });

  it('writes only the known fields of a record', () => {
    const sneaky = { type: 'approved', opId: 'op-1', cluster, by: 'U2', password: 'hunter2' } as JournalInput;
    journal.append(sneaky);
    assert.ok(!readFileSync(join(dataDir, 'journal.jsonl'), 'utf8').includes('hunter2'));
  });

  it('refuses a malformed record with a coded error and writes nothing', () => {
    const bad = { type: 'step', opId: 'op-1', cluster, stepId: 's', title: 't', outcome: 'exploded' } as unknown as JournalInput;
    assert.throws(
      () => journal.append(bad),
      (error: unknown) => isAppError(error) && error.code === 'invalid-journal-record',
    );
    assert.deepEqual(journal.read(), []);
  });

  it('tolerates a torn last line and keeps appending on a new line', () => {
    journal.append({ type: 'requested', opId: 'op-1', cluster, operation: { kind: 'storage-start' }, requestedBy: 'U1' });
    journal.close();
    appendFileSync(join(dataDir, 'journal.jsonl'), '{"type":"approved","at":"2024-05-01T12:0');
    journal = createJournal(dataDir, clock);
    assert.equal(journal.read().length, 1);
    journal.append({ type: 'expired', opId: 'op-1', cluster });
    assert.deepEqual(journal.read().map((r) => r.type), ['requested', 'expired']);
  });
});

describe('findUnfinished', () => {
  it('reports running operations with their last step, and pending ones as never started', () => {
    runningShutdown('op-1', 4);
    journal.append({ type: 'requested', opId: 'op-2', cluster: 'cluster2', operation: { kind: 'database-start', database: 'db2' }, requestedBy: 'U9' });
    journal.append({ type: 'requested', opId: 'op-3', cluster, operation: { kind: 'storage-stop' }, requestedBy: 'U9' });
    journal.append({ type: 'approved', opId: 'op-3', cluster, by: 'U456' });
    journal.append({ type: 'message', opId: 'op-1', cluster, role: 'approval', channel: 'C1', ts: '1700000000.000100' });
    journal.append({ type: 'message', opId: 'op-1', cluster, role: 'progress', channel: 'C1', ts: '1700000000.000200' });

    assert.deepEqual(findUnfinished(journal.read()), [
      {
        opId: 'op-1',
        cluster,
        operation: { kind: 'cluster-shutdown' },
        requestedBy: 'U123',
        channel: 'C1',
        phase: 'running',
        requestedAt: clock.now(),
        approvedBy: 'U456',
        steps,
        lastStep: { id: 'stop-db', title: 'Stop database exa_db1', outcome: 'started' },
        outcomes: { check: 'done', backups: 'done', sessions: 'done', 'stop-db': 'started' },
        messages: { approval: { channel: 'C1', ts: '1700000000.000100' }, progress: { channel: 'C1', ts: '1700000000.000200' } },
      },
      { opId: 'op-2', cluster: 'cluster2', operation: { kind: 'database-start', database: 'db2' }, requestedBy: 'U9', phase: 'pending', requestedAt: clock.now(), steps: [], outcomes: {}, messages: {} },
      { opId: 'op-3', cluster, operation: { kind: 'storage-stop' }, requestedBy: 'U9', phase: 'pending', requestedAt: clock.now(), approvedBy: 'U456', steps: [], outcomes: {}, messages: {} },
    ]);
  });

  it('leaves out finished, rejected, expired and recovered operations', () => {
    const request = (opId: string): void =>
      void journal.append({ type: 'requested', opId, cluster, operation: { kind: 'cluster-startup' }, requestedBy: 'U1' });
    request('op-1');
    journal.append({ type: 'started', opId: 'op-1', cluster, steps });
    journal.append({ type: 'finished', opId: 'op-1', cluster, outcome: 'succeeded' });
    request('op-2');
    journal.append({ type: 'rejected', opId: 'op-2', cluster, by: 'U2' });
    request('op-3');
    journal.append({ type: 'expired', opId: 'op-3', cluster });
    request('op-4');
    journal.append({ type: 'recovered', opId: 'op-4', cluster, reportedAs: 'not-run' });
    assert.deepEqual(findUnfinished(journal.read()), []);
  });
});

describe('recoverJournal', () => {
  it('closes and reports each unfinished operation once, never resuming it', async () => {
    runningShutdown('op-7', 4);
    journal.append({ type: 'requested', opId: 'op-8', cluster, operation: { kind: 'cluster-startup' }, requestedBy: 'U111' });
    const before = journal.read().length;

    const reports = await recoverJournal(fileJournal(journal));
    assert.deepEqual(reports.map((r) => [r.opId, r.phase]), [['op-7', 'running'], ['op-8', 'pending']]);
    assert.equal(
      reports[0]?.message,
      "Operation op-7 (cluster shut-down on cluster1, requested by U123) was interrupted by a restart during step 4 'Stop database exa_db1' (started, not finished). It was not resumed: check the cluster with /exa status and request it again if needed.",
    );
    assert.match(reports[1]?.message ?? '', /op-8 .* had not started .*waiting for approval.*request it again/);

    const added = journal.read().slice(before).map(({ at: _at, ...rest }) => rest);
    assert.deepEqual(added, [
      { type: 'recovered', opId: 'op-7', cluster, reportedAs: 'interrupted', stepId: 'stop-db', stepTitle: 'Stop database exa_db1' },
      { type: 'finished', opId: 'op-7', cluster, outcome: 'interrupted', reason: 'interrupted by a restart; not resumed', stepId: 'stop-db' },
      { type: 'recovered', opId: 'op-8', cluster, reportedAs: 'not-run' },
      { type: 'finished', opId: 'op-8', cluster, outcome: 'refused', reason: 'dropped by a restart before it started; request it again' },
    ]);
    assert.ok(!added.some((r) => r.type === 'step' || r.type === 'started'), 'recovery must not run anything');

    assert.deepEqual(await recoverJournal(fileJournal(journal)), []);
    journal.close();
    journal = createJournal(dataDir, clock);
    assert.deepEqual(await recoverJournal(fileJournal(journal)), [], 'nothing to report after a second restart either');
  });

  it('says where between steps an operation stopped', async () => {
    runningShutdown('op-1', 2, 'done');
    journal.append({ type: 'requested', opId: 'op-2', cluster, operation: { kind: 'storage-start' }, requestedBy: 'U1' });
    journal.append({ type: 'started', opId: 'op-2', cluster, steps: [] });
    const [between, beforeFirst] = await recoverJournal(fileJournal(journal));
    assert.match(between?.message ?? '', /after step 2 'Check for running backups' was done, before step 3 'Check open sessions'/);
    assert.match(beforeFirst?.message ?? '', /after it started, before its first step/);
  });

  it('records each report in the audit log as interrupted', async () => {
    runningShutdown('op-1', 1);
    const audit = createAuditLog(dataDir, clock);
    try {
      await recoverJournal(fileJournal(journal), fileAudit(audit));
      const [entry] = audit.read();
      assert.equal(entry?.action, 'interrupted');
      assert.equal(entry?.actor, 'system');
      assert.equal(entry?.opId, 'op-1');
      assert.equal(entry?.operation, 'cluster shut-down');
      assert.match(entry?.detail ?? '', /during step 1 'Check cluster state'/);
    } finally {
      audit.close();
    }
  });
});

describe('nextOperationId', () => {
  it('starts at op-1 and stays unique across a reopen', () => {
    assert.equal(nextOperationId(journal.read()), 'op-1');
    for (const opId of ['op-1', 'op-9', 'op-10', 'manual-77']) {
      journal.append({ type: 'requested', opId, cluster, operation: { kind: 'storage-start' }, requestedBy: 'U1' });
    }
    journal.close();
    journal = createJournal(dataDir, clock);
    assert.equal(nextOperationId(journal.read()), 'op-11');
  });
});

describe('a kill -9 in the middle of an operation', () => {
  it('is detected after the restart and reported with the step it was in', async () => {
    journal.close();
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/operations/fixtures/crash-writer.ts'), dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the crash writer did not get ready within 8 s')), 8000);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', () => reject(new Error(`the crash writer exited early: ${out}`)));
      });
      // Let it write a few more records so the kill lands in the middle of the loop.
      await new Promise((resolve) => setTimeout(resolve, 30));
    } finally {
      child.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL');

    journal = createJournal(dataDir, clock);
    const records = journal.read();
    const lastStep = records.findLast((r) => r.type === 'step');
    assert.ok(lastStep?.type === 'step', 'the child wrote step records before it was killed');

    const reports = await recoverJournal(fileJournal(journal));
    assert.deepEqual(reports.map((r) => [r.opId, r.phase]), [['op-1', 'pending'], ['op-2', 'running']]);
    const interrupted = reports[1];
    assert.deepEqual(interrupted?.lastStep, { id: lastStep.stepId, title: lastStep.title, outcome: lastStep.outcome });
    assert.match(interrupted?.message ?? '', /^Operation op-2 \(cluster shut-down on cluster1, requested by U123\) was interrupted by a restart/);
    assert.ok(interrupted?.message.includes(`'${lastStep.title}'`));
    assert.deepEqual(await recoverJournal(fileJournal(journal)), [], 'reported once, then closed');
    assert.equal(nextOperationId(journal.read()), 'op-3');
  });
});

describe('journal and audit log size at start', () => {
  it('compacts a large journal: open operations and the id sequence survive, the history is archived', async () => {
    const { mkdtempSync: mkd, readdirSync, rmSync: rm } = await import('node:fs');
    const { tmpdir: tmp } = await import('node:os');
    const { join: j } = await import('node:path');
    const dir = mkd(j(tmp(), 'exa-rotate-'));
    try {
      const first = createJournal(dir, clock);
      for (let n = 1; n <= 200; n++) {
        first.append({ type: 'requested', opId: `op-${n}`, cluster: 'c1', operation: { kind: 'storage-start' }, requestedBy: 'U1' });
        if (n !== 7) first.append({ type: 'finished', opId: `op-${n}`, cluster: 'c1', outcome: 'succeeded' });
      }
      first.close();
      const second = createJournal(dir, clock, { rotateBytes: 1024 });
      const records = second.read();
      assert.deepEqual(findUnfinished(records).map((op) => op.opId), ['op-7'], 'the open operation is kept whole');
      assert.equal(nextOperationId(records), 'op-201', 'ids go on');
      assert.ok(records.length <= 3, `${records.length} records carried over`);
      assert.ok(second.health().archived, 'the history is archived');
      assert.ok(readdirSync(dir).some((f) => /^journal-.*\.jsonl$/.test(f)));
      second.close();
    } finally {
      rm(dir, { recursive: true, force: true });
    }
  });

  it('reports damaged lines instead of dropping them silently', async () => {
    const { appendFileSync, mkdtempSync: mkd, rmSync: rm } = await import('node:fs');
    const { tmpdir: tmp } = await import('node:os');
    const { join: j } = await import('node:path');
    const dir = mkd(j(tmp(), 'exa-damaged-'));
    try {
      const journal = createJournal(dir, clock);
      journal.append({ type: 'requested', opId: 'op-1', cluster: 'c1', operation: { kind: 'storage-start' }, requestedBy: 'U1' });
      appendFileSync(j(dir, 'journal.jsonl'), '{"type":"requested", torn\n{"type":"nonsense","at":"x","opId":"op-2","cluster":"c1"}\n');
      const health = journal.health();
      assert.deepEqual(health.damagedLines, [2]);
      assert.equal(health.unknownRecords, 1);
      journal.close();
    } finally {
      rm(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isAppError } from '../../src/errors/app-error.js';
import { createAuditLog, type AuditInput, type AuditLog } from '../../src/operations/audit-log.js';
import type { Clock } from '../../src/util/clock.js';

let now = Date.UTC(2024, 4, 1, 12, 0, 0);
const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };

let root: string;
let dataDir: string;
let audit: AuditLog;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'exa-audit-'));
  dataDir = join(root, 'data');
  audit = createAuditLog(dataDir, clock);
});
afterEach(() => {
  audit.close();
  rmSync(root, { recursive: true, force: true });
});

describe('audit log', () => {
  it('records who did what and when, in order, and reads it back after a reopen', () => {
    const story: AuditInput[] = [
      { action: 'requested', actor: 'U123', cluster: 'cluster1', opId: 'op-1', operation: 'cluster shut-down', channel: 'C1' },
      { action: 'denied', actor: 'U999', cluster: 'cluster1', detail: 'not in the operators group' },
      { action: 'approved', actor: 'U456', cluster: 'cluster1', opId: 'op-1' },
      { action: 'step', actor: 'system', cluster: 'cluster1', opId: 'op-1', detail: "step 1 'Check cluster state' done in 2 s" },
      { action: 'finished', actor: 'system', cluster: 'cluster1', opId: 'op-1', detail: 'succeeded' },
      { action: 'expired', actor: 'system', cluster: 'cluster2', opId: 'op-2' },
    ];
    for (const entry of story) {
      audit.record(entry);
      now += 1000;
    }
    audit.close();
    audit = createAuditLog(dataDir, clock);
    const read = audit.read();
    assert.deepEqual(read.map(({ at: _at, ...rest }) => rest), story);
    assert.deepEqual(read.map((e) => e.at.slice(11, 19)), ['12:00:00', '12:00:01', '12:00:02', '12:00:03', '12:00:04', '12:00:05']);
  });

  it('lives in <dataDir>/audit.jsonl, 0600 in a 0700 directory', () => {
    const path = join(dataDir, 'audit.jsonl');
    audit.record({ action: 'cancelled', actor: 'U1', cluster: 'c', opId: 'op-1', detail: 'changed my mind' });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(readFileSync(path, 'utf8').split('\n').filter(Boolean).length, 1);
  });

  it('writes only the known fields, so nothing secret rides along', () => {
    const sneaky = { action: 'approved', actor: 'U1', cluster: 'c', opId: 'op-1', token: 'xoxb-secret' } as AuditInput;
    const written = audit.record(sneaky);
    assert.ok(!('token' in written));
    assert.ok(!readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').includes('xoxb-secret'));
  });

  it('refuses an entry that lacks its operation id', () => {
    const bad = { action: 'rejected', actor: 'U1', cluster: 'c' } as AuditInput;
    assert.throws(
      () => audit.record(bad),
      (error: unknown) => isAppError(error) && error.code === 'invalid-audit-entry',
    );
    assert.deepEqual(audit.read(), []);
  });

  it('tolerates a torn last line and appends the next entry on its own line', () => {
    audit.record({ action: 'requested', actor: 'U1', cluster: 'c', opId: 'op-1', operation: 'EXAStorage start' });
    audit.close();
    appendFileSync(join(dataDir, 'audit.jsonl'), '{"action":"appro');
    audit = createAuditLog(dataDir, clock);
    audit.record({ action: 'rejected', actor: 'U2', cluster: 'c', opId: 'op-1', detail: 'maintenance window' });
    assert.deepEqual(audit.read().map((e) => e.action), ['requested', 'rejected']);
  });
});

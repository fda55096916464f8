import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { filterAudit, parseSince, readFileAudit } from '../../src/audit/audit-query.js';
import { isAppError } from '../../src/errors/app-error.js';
import { createAuditLog, type AuditEntry } from '../../src/operations/audit-log.js';
import { rotateIfLarge } from '../../src/operations/rotation.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');

describe('parseSince', () => {
  it('takes ISO dates and times, UTC unless they carry an offset', () => {
    assert.equal(parseSince('2026-12-01', NOW).toISOString(), '2026-12-01T00:00:00.000Z');
    assert.equal(parseSince('2026-12-01T10:00Z', NOW).toISOString(), '2026-12-01T10:00:00.000Z');
    assert.equal(parseSince('2026-12-01T10:00', NOW).toISOString(), '2026-12-01T10:00:00.000Z');
    assert.equal(parseSince('2026-12-01T10:00:30.250Z', NOW).toISOString(), '2026-12-01T10:00:30.250Z');
    assert.equal(parseSince('2026-12-01T10:00:30+01:00', NOW).toISOString(), '2026-12-01T09:00:30.000Z');
    assert.equal(parseSince('2026-12-01T10:00-0230', NOW).toISOString(), '2026-12-01T12:30:00.000Z');
    assert.equal(parseSince(' 2026-12-01t10:00z ', NOW).toISOString(), '2026-12-01T10:00:00.000Z');
  });

  it('takes a duration back from now in minutes, hours, days or weeks', () => {
    assert.equal(parseSince('30m', NOW).toISOString(), '2026-12-10T11:30:00.000Z');
    assert.equal(parseSince('12h', NOW).toISOString(), '2026-12-10T00:00:00.000Z');
    assert.equal(parseSince('7d', NOW).toISOString(), '2026-12-03T12:00:00.000Z');
    assert.equal(parseSince('2w', NOW).toISOString(), '2026-11-26T12:00:00.000Z');
  });

  it('refuses anything else with AUDIT_BAD_SINCE and a message naming every accepted form', () => {
    for (const bad of ['', 'yesterday', '7', '7y', '-7d', '0d', '1.5h', '2026-02-30', '2026-13-01', '2026-12-01T25:00Z', '2026-12-01T10:00+25:00', '12/01/2026', '2026-12-01 10:00']) {
      assert.throws(
        () => parseSince(bad, NOW),
        (error: unknown) => {
          assert.ok(isAppError(error), bad);
          assert.equal(error.code, 'AUDIT_BAD_SINCE');
          assert.ok(error.message.startsWith(`'${bad}' is not a time`), error.message);
          for (const form of ['2026-12-01', '2026-12-01T10:00Z', '30m', '12h', '7d', '2w']) assert.ok(error.message.includes(form), `${form} in: ${error.message}`);
          return true;
        },
      );
    }
  });
});

describe('filterAudit', () => {
  const entries: AuditEntry[] = [
    { action: 'requested', at: '2026-12-01T09:59:59.999Z', actor: 'U1', cluster: 'c1', opId: 'op-1', operation: 'cluster start-up' },
    { action: 'finished', at: '2026-12-01T10:00:00.000Z', actor: 'system', cluster: 'c1', opId: 'op-1', detail: 'succeeded' },
    { action: 'refused', at: '2026-12-01T12:00:00.000Z', actor: 'U2', cluster: 'c2', detail: 'held' },
    { action: 'denied', at: '2026-12-02T00:00:00.000Z', actor: 'U3', cluster: 'c1' },
    { action: 'denied', at: 'not a time', actor: 'U3', cluster: 'c1' },
  ];

  it('keeps everything without a query, in order', () => {
    assert.deepEqual(filterAudit(entries, {}), entries);
  });

  it('filters by cluster, since (inclusive) and until (exclusive)', () => {
    assert.deepEqual(filterAudit(entries, { cluster: 'c2' }), [entries[2]]);
    assert.deepEqual(filterAudit(entries, { since: new Date('2026-12-01T10:00Z') }), [entries[1], entries[2], entries[3]]);
    assert.deepEqual(filterAudit(entries, { until: new Date('2026-12-02T00:00Z') }), [entries[0], entries[1], entries[2]]);
    assert.deepEqual(filterAudit(entries, { cluster: 'c1', since: new Date('2026-12-01'), until: new Date('2026-12-02') }), [entries[0], entries[1]]);
    assert.deepEqual(filterAudit(entries, { cluster: 'nope' }), []);
  });
});

describe('readFileAudit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'exa-audit-read-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the rotated archives oldest first, then audit.jsonl, skipping a torn last line and invalid entries', () => {
    let now = Date.parse('2026-11-01T08:00:00.000Z');
    const clock = { now: () => now, sleep: () => Promise.resolve() };
    const write = (opId: string) => {
      const log = createAuditLog(dir, clock, { rotateBytes: 1 });
      log.record({ action: 'requested', actor: 'U1', cluster: 'c1', opId, operation: 'cluster shut-down' });
      log.close();
      now += 86_400_000;
    };
    // Each open rotates the previous file away (rotateBytes 1), the way a big log goes at start.
    write('op-1');
    write('op-2');
    write('op-3');
    // Archives named by rotation.ts itself, plus files that only look similar and are not read.
    writeFileSync(join(dir, 'audit.jsonl.new'), '{"action":"requested"}\n');
    writeFileSync(join(dir, 'journal.jsonl'), '{}\n');
    writeFileSync(join(dir, 'audit-notes.jsonl'), '{}\n');
    // A torn last line (kill -9 mid-write) and a line that is JSON but no audit entry.
    appendFileSync(join(dir, 'audit.jsonl'), '{"action":"approved","at":"2026-11-03T08:00:01.000Z","actor":"U9","cluster":"c1","opId":"op-3"}\n{"action":"nope","at":"x","actor":"U","cluster":"c"}\n{"action":"finished","at":"2026');

    const read = readFileAudit(dir);
    assert.deepEqual(read.entries.map((e) => `${e.action} ${e.opId}`), ['requested op-1', 'requested op-2', 'requested op-3', 'approved op-3']);
    assert.equal(read.skipped, 2);
    assert.deepEqual(read.files, [join(dir, 'audit-2026-11-02T08-00-00-000Z.jsonl'), join(dir, 'audit-2026-11-03T08-00-00-000Z.jsonl'), join(dir, 'audit.jsonl')]);
  });

  it('orders archives by their time, not by the order the directory lists them', () => {
    const line = (opId: string) => `${JSON.stringify({ action: 'requested', at: '2026-01-01T00:00:00.000Z', actor: 'U1', cluster: 'c', opId, operation: 'x' })}\n`;
    writeFileSync(join(dir, 'audit-2026-10-01T00-00-00-000Z.jsonl'), line('b'));
    writeFileSync(join(dir, 'audit-2025-12-31T23-59-59-999Z.jsonl'), line('a'));
    writeFileSync(join(dir, 'audit.jsonl'), line('c'));
    const path = join(dir, 'audit.jsonl');
    // Sanity check that the pattern above is the one rotation.ts writes.
    const archive = rotateIfLarge(path, 0, '2026-10-02T00:00:00.000Z', () => []);
    assert.equal(archive, join(dir, 'audit-2026-10-02T00-00-00-000Z.jsonl'));
    assert.deepEqual(readFileAudit(dir).entries.map((e) => e.opId), ['a', 'b', 'c']);
  });

  it('is empty for a missing directory or a directory without an audit log', () => {
    assert.deepEqual(readFileAudit(join(dir, 'missing')), { entries: [], skipped: 0, files: [] });
    mkdirSync(join(dir, 'empty'));
    assert.deepEqual(readFileAudit(join(dir, 'empty')), { entries: [], skipped: 0, files: [] });
  });

  it('refuses an audit log it cannot read instead of exporting part of it', { skip: process.getuid?.() === 0 ? 'root reads everything' : false }, () => {
    writeFileSync(join(dir, 'audit.jsonl'), '{}\n');
    chmodSync(join(dir, 'audit.jsonl'), 0o000);
    assert.throws(() => readFileAudit(dir), (error: unknown) => isAppError(error) && error.code === 'AUDIT_UNREADABLE' && error.message.includes('EACCES'));
  });
});

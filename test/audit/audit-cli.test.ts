import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAuditEntry, type AuditEntry } from '../../src/operations/audit-log.js';

// The real CLI in a child process, as operators run it (`npm run audit` is `tsx src/audit-cli.ts`).
// It runs in a temp directory (no .env of the developer's), with only PATH inherited.
const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'src/audit-cli.ts');
const tsx = import.meta.resolve('tsx');

interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], env: Record<string, string>, cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', tsx, cli, ...args], { cwd, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, encoding: 'utf8', timeout: 20_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

const line = (entry: AuditEntry): string => `${JSON.stringify(entry)}\n`;
const e1: AuditEntry = { action: 'requested', at: '2026-11-20T08:00:00.000Z', actor: 'U1', cluster: 'c1', opId: 'op-1', operation: 'cluster shut-down', reason: '=2+3, "now"' };
const e2: AuditEntry = { action: 'finished', at: '2026-11-20T08:10:00.000Z', actor: 'system', cluster: 'c1', opId: 'op-1', detail: 'succeeded' };
const e3: AuditEntry = { action: 'requested', at: '2026-12-01T09:00:00.000Z', actor: 'schedule:nightly', cluster: 'c2', opId: 'op-2', operation: 'cluster start-up', schedule: 'nightly', scheduledBy: 'U7' };
const e4: AuditEntry = { action: 'approved', at: '2026-12-01T09:01:00.000Z', actor: 'U2', cluster: 'c2', opId: 'op-2', approvers: ['U2', 'U3'], override: true };

let dir: string;
let dataDir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'exa-audit-cli-'));
  dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'audit-2026-11-30T00-00-00-000Z.jsonl'), line(e1) + line(e2));
  // A torn last line: what a kill -9 in the middle of a write leaves.
  writeFileSync(join(dataDir, 'audit.jsonl'), line(e3) + line(e4));
  appendFileSync(join(dataDir, 'audit.jsonl'), '{"action":"finished","at":"2026-12-0');
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run audit', { concurrency: true }, () => {
  it('exports every entry as JSON lines by default, archives first, from DATA_DIR', async () => {
    const result = await run([], { DATA_DIR: dataDir }, dir);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => parseAuditEntry(JSON.parse(l))), [e1, e2, e3, e4]);
    assert.match(result.stderr, /1 record was not a valid audit entry/);
    assert.match(result.stderr, /exported 4 of 4 entries from 2 files in /);
  });

  it('filters by cluster and time and writes CSV', async () => {
    const result = await run(['--cluster', 'c2', '--since', '2026-12-01', '--until=2026-12-01T09:00:30Z', '--format', 'csv', '--data-dir', dataDir], {}, dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout,
      'at,action,actor,cluster,opId,operation,channel,reason,approvers,override,schedule,scheduledBy,detail\r\n' +
        '2026-12-01T09:00:00.000Z,requested,schedule:nightly,c2,op-2,cluster start-up,,,,,nightly,U7,\r\n',
    );
    assert.match(result.stderr, /exported 1 of 4 entries/);
  });

  it('writes to --output, mode 600, with the formula guard in the CSV', async () => {
    const out = join(dir, 'export.csv');
    const result = await run(['--format=csv', '--output', out, '--until', '2026-11-21'], { DATA_DIR: dataDir }, dir);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const csv = readFileSync(out, 'utf8');
    assert.equal(csv.split('\r\n').length, 4, csv);
    assert.ok(csv.includes(`,"'=2+3, ""now""",`), csv);
  });

  it('exports nothing, with a note, when there is no audit log (the default ./data)', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const result = await run(['--format', 'csv'], {}, empty);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'at,action,actor,cluster,opId,operation,channel,reason,approvers,override,schedule,scheduledBy,detail\r\n');
    assert.match(result.stderr, /there is no audit log in \.\/data .*the export is empty/);
  });

  it('refuses bad flags with exit code 2, every problem, the usage, and no stack trace', async () => {
    const result = await run(['--since', 'last week', '--format', 'xml', '--clusters', 'c1', 'extra', '--until'], { DATA_DIR: dataDir }, dir);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    for (const problem of ["--since: 'last week' is not a time", '--format must be jsonl or csv', 'unknown flag --clusters', "unexpected argument 'c1'", "unexpected argument 'extra'", '--until needs a value']) {
      assert.ok(result.stderr.includes(problem), `${problem} in:\n${result.stderr}`);
    }
    assert.match(result.stderr, /Usage: npm run audit -- \[--since TIME\]/);
    assert.match(result.stderr, /30m, 12h, 7d, 2w/);
    assert.doesNotMatch(result.stderr, /^\s+at /m);

    const other = await run(['--since', '2026-12-02', '--until', '2026-12-01', '--cluster', 'a', '--cluster', 'b'], { DATA_DIR: dataDir }, dir);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /--since \(2026-12-02T00:00:00.000Z\) must be before --until \(2026-12-01T00:00:00.000Z\)/);
    assert.match(other.stderr, /--cluster is given more than once/);
  });

  it('prints its usage for --help', async () => {
    const result = await run(['--help'], {}, dir);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: npm run audit -- /);
  });

  it('never prints the database URL or its password when PostgreSQL cannot be read', async () => {
    // Nothing listens on port 1: the connection is refused at once, no database needed.
    const url = 'postgres://auditor:Sup3r-s3cret@127.0.0.1:1/exa';
    const result = await run(['--since', '7d'], { DATABASE_URL: url }, dir);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^audit: could not read the audit table from PostgreSQL: /);
    assert.ok(!result.stderr.includes('Sup3r-s3cret') && !result.stderr.includes(url), result.stderr);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
    // --data-dir reads the files even then.
    const files = await run(['--data-dir', dataDir], { DATABASE_URL: url }, dir);
    assert.equal(files.status, 0, files.stderr);
    assert.equal(files.stdout.split('\n').filter(Boolean).length, 4);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand, type Command } from '../../src/commands/parse-command.js';

const ok: [string, Command][] = [
  ['', { kind: 'help' }],
  ['/exa', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['/exa help', { kind: 'help' }],
  ['/exa status', { kind: 'status' }],
  ['status', { kind: 'status' }],
  ['  STATUS   prod-1 ', { kind: 'status', cluster: 'prod-1' }],
  ['/EXA status cluster1', { kind: 'status', cluster: 'cluster1' }],
  ['nodes', { kind: 'nodes' }],
  ['nodes cluster1', { kind: 'nodes', cluster: 'cluster1' }],
  ['startup', { kind: 'request', operation: { kind: 'cluster-startup' } }],
  ['startup cluster1', { kind: 'request', operation: { kind: 'cluster-startup' }, cluster: 'cluster1' }],
  ['/exa shutdown', { kind: 'request', operation: { kind: 'cluster-shutdown' } }],
  ['shutdown cluster1', { kind: 'request', operation: { kind: 'cluster-shutdown' }, cluster: 'cluster1' }],
  ['db start exa_db1', { kind: 'request', operation: { kind: 'database-start', database: 'exa_db1' } }],
  ['db STOP exa_db1 cluster1', { kind: 'request', operation: { kind: 'database-stop', database: 'exa_db1' }, cluster: 'cluster1' }],
  ['db stop DB1 --abort-backup', { kind: 'request', operation: { kind: 'database-stop', database: 'DB1', abortBackup: true } }],
  ['db stop DB1 --ABORT-BACKUP prod8', { kind: 'request', operation: { kind: 'database-stop', database: 'DB1', abortBackup: true }, cluster: 'prod8' }],
  ['shutdown --abort-backup prod8', { kind: 'request', operation: { kind: 'cluster-shutdown', abortBackup: true }, cluster: 'prod8' }],
  ['plan shutdown --abort-backup', { kind: 'plan', operation: { kind: 'cluster-shutdown', abortBackup: true } }],
  ['storage start', { kind: 'request', operation: { kind: 'storage-start' } }],
  ['storage stop cluster1', { kind: 'request', operation: { kind: 'storage-stop' }, cluster: 'cluster1' }],
  ['plan startup', { kind: 'plan', operation: { kind: 'cluster-startup' } }],
  ['plan shutdown cluster1', { kind: 'plan', operation: { kind: 'cluster-shutdown' }, cluster: 'cluster1' }],
  ['plan db start exa_db2', { kind: 'plan', operation: { kind: 'database-start', database: 'exa_db2' } }],
  ['plan db stop exa_db2 c2', { kind: 'plan', operation: { kind: 'database-stop', database: 'exa_db2' }, cluster: 'c2' }],
  ['plan storage start', { kind: 'plan', operation: { kind: 'storage-start' } }],
  ['plan storage stop c2', { kind: 'plan', operation: { kind: 'storage-stop' }, cluster: 'c2' }],
  ['queue', { kind: 'queue' }],
  ['queue c2', { kind: 'queue', cluster: 'c2' }],
  ['logs', { kind: 'logs', count: 20 }],
  ['logs 50', { kind: 'logs', count: 50 }],
  ['logs 5 c2', { kind: 'logs', count: 5, cluster: 'c2' }],
  ['logs c2', { kind: 'logs', count: 20, cluster: 'c2' }],
  ['cancel op-3', { kind: 'cancel', opId: 'op-3' }],
  ['cancel 3', { kind: 'cancel', opId: 'op-3' }],
  ['approve OP-12', { kind: 'approve', opId: 'op-12' }],
  ['reject op-007', { kind: 'reject', opId: 'op-7' }],
];

describe('parseCommand: every command', () => {
  for (const [input, expected] of ok) {
    it(`parses '${input}'`, () => {
      assert.deepEqual(parseCommand(input), expected);
    });
  }
});

/** Each invalid input with the exact advice the user gets. */
const invalid: [string, string][] = [
  ['stat', "Unknown subcommand 'stat'. Did you mean 'status'? Try /exa help."],
  ['/exa stauts', "Unknown subcommand 'stauts'. Did you mean 'status'? Try /exa help."],
  ['start', "Unknown subcommand 'start'. Did you mean 'startup'? Try /exa help."],
  ['stop', "Unknown subcommand 'stop'. Did you mean 'shutdown'? Try /exa help."],
  ['database start x', "Unknown subcommand 'database'. Did you mean 'db'? Try /exa help."],
  ['frobnicate', "Unknown subcommand 'frobnicate'. Try /exa help."],
  ['st', "Unknown subcommand 'st'. Did you mean 'status', 'startup' or 'storage'? Try /exa help."],
  ['qeueu', "Unknown subcommand 'qeueu'. Did you mean 'queue'? Try /exa help."],
  ['status a b', "Too many arguments: expected /exa status [cluster], got 'b' after 'a'."],
  ['db start DB1 --abort-backup', '--abort-backup applies to /exa db stop NAME and /exa shutdown only.'],
  ['startup --abort-backup', '--abort-backup applies to /exa db stop NAME and /exa shutdown only.'],
  ['shutdown c1 now', "Too many arguments: expected /exa shutdown [--abort-backup] [cluster], got 'now' after 'c1'."],
  ['db', "Missing action after 'db': expected /exa db start NAME [cluster] or /exa db stop NAME [cluster]."],
  ['db strat exa_db1', "Unknown action 'strat' after 'db'. Did you mean 'start'? Expected /exa db start NAME [cluster] or /exa db stop NAME [cluster]."],
  ['db start', 'Missing database name: expected /exa db start NAME [cluster], e.g. /exa db start exa_db1 (see /exa status for the names).'],
  ['db stop exa_db1 c1 extra', "Too many arguments: expected /exa db stop NAME [--abort-backup] [cluster], got 'extra' after 'c1'."],
  ['storage', "Missing action after 'storage': expected /exa storage start [cluster] or /exa storage stop [cluster]."],
  ['storage halt', "Unknown action 'halt' after 'storage'. Expected /exa storage start [cluster] or /exa storage stop [cluster]."],
  ['plan', 'Missing operation to plan: expected /exa plan startup|shutdown|db start NAME|db stop NAME|storage start|storage stop [cluster], e.g. /exa plan shutdown.'],
  ['plan shutdwn', "Unknown operation 'shutdwn' to plan. Did you mean 'shutdown'? Expected /exa plan startup|shutdown|db start NAME|db stop NAME|storage start|storage stop [cluster]."],
  ['plan db stop', 'Missing database name: expected /exa plan db stop NAME [cluster], e.g. /exa plan db stop exa_db1 (see /exa status for the names).'],
  ['cancel', 'Missing operation id: expected /exa cancel ID, e.g. /exa cancel op-3 (see /exa queue for the ids).'],
  ['approve abc', "'abc' is not an operation id: expected op-N, e.g. /exa approve op-3 (see /exa queue for the ids)."],
  ['reject op-1 because', "Too many arguments: expected /exa reject ID, got 'because' after the id."],
  ['logs 0', "Log count out of range: expected 1 to 200, got '0'. E.g. /exa logs 50."],
  ['logs 5000', "Log count out of range: expected 1 to 200, got '5000'. E.g. /exa logs 50."],
  ['logs -3', "Log count out of range: expected 1 to 200, got '-3'. E.g. /exa logs 50."],
  ['logs 5 c1 c2', "Too many arguments: expected /exa logs [N] [cluster], got 'c2' after 'c1'."],
];

describe('parseCommand: invalid input says how to fix it', () => {
  for (const [input, message] of invalid) {
    it(`rejects '${input}'`, () => {
      assert.deepEqual(parseCommand(input), { kind: 'invalid', message });
    });
  }
});

describe('parseCommand: hostile input', () => {
  it('refuses names that could break out of a URL or format a chat message', () => {
    for (const name of ['<@U123>', '../etc', 'a/b', 'db?x=1', '@channel', '-rf']) {
      const result = parseCommand(`status ${name}`);
      assert.equal(result.kind, 'invalid', name);
      assert.match((result as { message: string }).message, /^Invalid cluster name '.*': expected letters, digits, '_' or '-'/);
    }
    const db = parseCommand('db stop exa_db1;drop');
    assert.equal(db.kind, 'invalid');
  });

  it('echoes at most 40 characters and no control characters', () => {
    const result = parseCommand(`\u001b[31m${'x'.repeat(5000)}`);
    assert.equal(result.kind, 'invalid');
    const message = (result as { message: string }).message;
    assert.ok(!message.includes('\u001b'), 'no escape character');
    assert.ok(message.length < 120, `short: ${message.length}`);
  });

  it('ignores any kind of whitespace between words', () => {
    assert.deepEqual(parseCommand('\tdb\u00a0start  exa_db1\n'), { kind: 'request', operation: { kind: 'database-start', database: 'exa_db1' } });
  });

  it('does not mistake a name that looks like a number for a count', () => {
    assert.deepEqual(parseCommand('logs 7c'), { kind: 'logs', count: 20, cluster: '7c' });
  });
});

describe('parseCommand: a reason after --', () => {
  it('takes everything after a standalone -- (or the dash Slack may make of it) as the reason', () => {
    assert.deepEqual(parseCommand('shutdown prod -- quarterly  patching, ticket OPS-12'), { kind: 'request', operation: { kind: 'cluster-shutdown' }, cluster: 'prod', reason: 'quarterly patching, ticket OPS-12' });
    assert.deepEqual(parseCommand('db stop exa_db1 — restore from backup'), { kind: 'request', operation: { kind: 'database-stop', database: 'exa_db1' }, reason: 'restore from backup' });
    assert.deepEqual(parseCommand('shutdown --abort-backup prod -- power work'), { kind: 'request', operation: { kind: 'cluster-shutdown', abortBackup: true }, cluster: 'prod', reason: 'power work' });
  });

  it('refuses an empty or overlong reason, and a reason on anything but a request, saying how', () => {
    assert.match((parseCommand('shutdown --') as { message: string }).message, /The reason after -- is empty/);
    assert.match((parseCommand(`shutdown -- ${'x'.repeat(301)}`) as { message: string }).message, /keep it to 300/);
    assert.match((parseCommand('status -- why not') as { message: string }).message, /goes with an operation request or a hold only/);
    assert.match((parseCommand('shutdown prod -- \u0007 ') as { message: string }).message, /The reason after -- is empty/, 'control characters are no reason');
    assert.match((parseCommand('shutdown prod -- patching --abort-backup') as { message: string }).message, /--abort-backup goes before the --/);
    assert.equal(parseCommand('shutdown prod -- a\u0007b').kind, 'request');
    assert.equal((parseCommand('shutdown prod -- a\u0007b') as { reason?: string }).reason, 'a b');
  });
});

describe('parseCommand: change control', () => {
  it('reads holds, unholds, schedules, audit and --break-glass', () => {
    assert.deepEqual(parseCommand('hold prod 4h -- migration running'), { kind: 'hold', durationMs: 4 * 3600_000, cluster: 'prod', reason: 'migration running' });
    assert.deepEqual(parseCommand('hold 1h30m -- x'), { kind: 'hold', durationMs: 90 * 60_000, reason: 'x' });
    assert.match((parseCommand('freeze 2d') as { message: string }).message, /Did you mean 'hold'\?/);
    assert.deepEqual(parseCommand('unhold prod'), { kind: 'unhold', cluster: 'prod' });
    assert.deepEqual(parseCommand('schedules'), { kind: 'schedules' });
    assert.deepEqual(parseCommand('audit prod 7d'), { kind: 'audit', cluster: 'prod', since: '7d' });
    assert.deepEqual(parseCommand('audit 2026-12-01'), { kind: 'audit', since: '2026-12-01' });
    assert.deepEqual(parseCommand('shutdown --break-glass prod -- disk failing'), { kind: 'request', operation: { kind: 'cluster-shutdown' }, cluster: 'prod', override: true, reason: 'disk failing' });
    assert.deepEqual(parseCommand('db stop exa_db1 prod --break-glass -- x'), { kind: 'request', operation: { kind: 'database-stop', database: 'exa_db1' }, cluster: 'prod', override: true, reason: 'x' });
  });

  it('says how to fix a hold without a reason or with a bad duration, and a flag after the reason', () => {
    const message = (text: string): string => (parseCommand(text) as { message?: string }).message ?? '';
    assert.match(message('hold prod 4h'), /A hold needs a reason after --/);
    assert.match(message('hold prod soon -- x'), /Missing or unreadable duration 'soon'.*30m, 4h, 1h30m, 2d/);
    assert.match(message('hold prod 0m -- x'), /is zero/);
    assert.match(message('hold prod 8d -- x'), /at most 7 days/);
    assert.match(message('shutdown -- because --break-glass'), /--break-glass goes before the --/);
    assert.match(message('audit 7d 2w'), /Two times given/);
  });
});

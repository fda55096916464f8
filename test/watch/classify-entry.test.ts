import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../src/exaoperation/types.js';
import { classifyEntry, meetsPriority } from '../../src/watch/classify-entry.js';

const entry = (message: string, over: Partial<LogEntry> = {}): LogEntry => ({
  strtime: '2024-05-01 12:00:00.000000',
  system: 'EXAoperation',
  node: 'n0011',
  message,
  priority: 'Notice',
  ...over,
});

describe('classifyEntry', () => {
  it('recognises both boot-finished wordings with their boot time', () => {
    for (const [message, seconds] of [
      ['Boot process stages 1 to 3 took 121 seconds.', 121],
      ['Boot process finished after 97 seconds', 97],
    ] as const) {
      const e = entry(message, { node: 'n0013' });
      assert.deepEqual(classifyEntry(e), { kind: 'node-booted', node: 'n0013', seconds, entry: e });
    }
  });

  it('does not take the intermediate boot messages for the end of a boot', () => {
    for (const message of ['Boot process stage 3 finished.', 'Start boot process stage 3.', 'Initialize boot process.']) {
      assert.equal(classifyEntry(entry(message)).kind, 'ignored', message);
    }
  });

  it('recognises accepting and rejecting connections, with and without the trailing period', () => {
    const cases = [
      ['EXASolution exa_test is accepting connections.', 'exa_test', true],
      ['EXASolution exa_demo is accepting connections', 'exa_demo', true],
      ['EXASolution exa_db is rejecting connections', 'exa_db', false],
      ['EXASolution exa_db is rejecting connections.', 'exa_db', false],
    ] as const;
    for (const [message, database, accepting] of cases) {
      const e = entry(message, { system: database });
      assert.deepEqual(classifyEntry(e), { kind: 'database-connections', database, accepting, entry: e }, message);
    }
  });

  it('does not match look-alikes', () => {
    assert.equal(classifyEntry(entry('System is ready to receive client connections.')).kind, 'ignored');
    assert.equal(classifyEntry(entry('EXASolution exa_db is accepting connections from 10.0.0.1')).kind, 'ignored');
  });

  it('shows other entries only at or above the threshold, Error by default', () => {
    assert.equal(classifyEntry(entry('disk failed', { priority: 'Error' })).kind, 'log-entry');
    assert.equal(classifyEntry(entry('disk slow', { priority: 'Warning' })).kind, 'ignored');
    assert.equal(classifyEntry(entry('disk slow', { priority: 'Warning' }), 'Warning').kind, 'log-entry');
    assert.equal(classifyEntry(entry('hello', { priority: 'Information' }), 'Notice').kind, 'ignored');
    assert.equal(classifyEntry(entry('hello', { priority: 'Information' }), 'Information').kind, 'log-entry');
  });

  it('shows an undocumented priority rather than hiding it', () => {
    const e = entry('something new', { priority: { kind: 'unknown', raw: 'Critical' } });
    assert.equal(classifyEntry(e).kind, 'log-entry');
    assert.equal(meetsPriority(e.priority, 'Error'), true);
  });

  it('boot and connection messages are recognised whatever the threshold', () => {
    assert.equal(classifyEntry(entry('Boot process finished after 5 seconds', { priority: 'Information' }), 'Error').kind, 'node-booted');
  });
});

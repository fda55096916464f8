import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEntry } from '../../src/exaoperation/types.js';
import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { ReportedFacts } from '../../src/watch/reported-facts.js';

const entry: LogEntry = { strtime: 't', system: 'exa_db1', node: 'n0011', message: 'm', priority: 'Notice' };
const accepting: WatchEvent = { kind: 'database-connections', database: 'exa_db1', accepting: true, entry };
const connectible: WatchEvent = {
  kind: 'connection-state-changed',
  database: 'exa_db1',
  from: { kind: 'rejecting' },
  to: { kind: 'accepting' },
};
const booted: WatchEvent = { kind: 'node-booted', node: 'n0011', seconds: 120, entry };
const online: WatchEvent = { kind: 'node-status-changed', node: 'n0011', from: { kind: 'unknown', raw: 'Unknown' }, to: { kind: 'running' } };

const snapshot: ClusterSnapshot = {
  takenAt: 0,
  master: 'n0010',
  storageOnline: false,
  services: [],
  nodes: [{ name: 'n0011', status: { kind: 'unknown', raw: 'Unknown' }, power: { kind: 'off' } }],
  databases: [{ name: 'exa_db1', state: { kind: 'setup' }, operation: { kind: 'idle' }, connection: { kind: 'rejecting' }, connectionString: '' }],
};

describe('ReportedFacts', () => {
  it('tells a connection change once, whichever source sees it first', () => {
    const logFirst = new ReportedFacts();
    logFirst.learn(snapshot);
    assert.deepEqual(logFirst.filter([accepting, connectible]), [accepting]);
    assert.deepEqual(logFirst.filter([connectible]), [], 'a poll later');

    const stateFirst = new ReportedFacts();
    stateFirst.learn(snapshot);
    assert.deepEqual(stateFirst.filter([connectible]), [connectible]);
    assert.deepEqual(stateFirst.filter([accepting]), []);
  });

  it('tells a boot with its time, and not the node coming online as well', () => {
    const facts = new ReportedFacts();
    facts.learn(snapshot);
    assert.deepEqual(facts.filter([booted, online]), [booted]);
    const offline: WatchEvent = { ...online, from: { kind: 'running' }, to: { kind: 'unknown', raw: 'Unknown' } };
    assert.deepEqual(facts.filter([offline]), [offline]);
    assert.deepEqual(facts.filter([online]), [online], 'back online without a boot message');
  });

  it('keeps what it told across a restart', () => {
    const facts = new ReportedFacts();
    facts.learn(snapshot);
    facts.filter([accepting]);
    const restarted = new ReportedFacts(JSON.parse(JSON.stringify(facts.toState())));
    assert.deepEqual(restarted.filter([connectible]), []);
  });

  it('passes everything else through', () => {
    const other: WatchEvent = { kind: 'storage-changed', online: true };
    assert.deepEqual(new ReportedFacts().filter([other, other]), [other, other]);
  });
});

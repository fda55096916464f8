import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import { diffSnapshots } from '../../src/watch/diff-snapshots.js';

const base: ClusterSnapshot = {
  takenAt: 0,
  master: 'n0010',
  storageOnline: true,
  services: [
    { name: 'Storaged', state: { kind: 'ok' } },
    { name: 'DWAd', state: { kind: 'ok' } },
  ],
  nodes: [
    { name: 'n0011', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } },
    { name: 'n0012', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } },
  ],
  databases: [
    { name: 'exa_db1', state: { kind: 'setup' }, operation: { kind: 'idle' }, connection: { kind: 'rejecting' }, connectionString: 'x' },
  ],
};

describe('diffSnapshots', () => {
  it('finds nothing between equal states, whatever the time', () => {
    assert.deepEqual(diffSnapshots(base, { ...base, takenAt: 99 }), []);
  });

  it('reports every kind of change, cluster-wide first, then nodes, then databases', () => {
    const after: ClusterSnapshot = {
      ...base,
      master: 'n0011',
      storageOnline: false,
      services: [
        { name: 'Storaged', state: { kind: 'not-running' } },
        { name: 'DWAd', state: { kind: 'ok' } },
      ],
      nodes: [
        { name: 'n0011', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } },
        { name: 'n0012', status: { kind: 'unknown', raw: 'Unknown' }, power: { kind: 'off' } },
      ],
      databases: [
        {
          name: 'exa_db1',
          state: { kind: 'running' },
          operation: { kind: 'busy', raw: 'Backup' },
          connection: { kind: 'accepting' },
          connectionString: 'x',
        },
      ],
    };
    assert.deepEqual(diffSnapshots(base, after), [
      { kind: 'master-changed', from: 'n0010', to: 'n0011' },
      { kind: 'storage-changed', online: false },
      { kind: 'service-state-changed', service: 'Storaged', from: { kind: 'ok' }, to: { kind: 'not-running' } },
      { kind: 'node-status-changed', node: 'n0012', from: { kind: 'running' }, to: { kind: 'unknown', raw: 'Unknown' } },
      { kind: 'database-state-changed', database: 'exa_db1', from: { kind: 'setup' }, to: { kind: 'running' } },
      { kind: 'database-operation-changed', database: 'exa_db1', from: { kind: 'idle' }, to: { kind: 'busy', raw: 'Backup' } },
      { kind: 'connection-state-changed', database: 'exa_db1', from: { kind: 'rejecting' }, to: { kind: 'accepting' } },
    ]);
  });

  it('compares unrecognised values by their raw text', () => {
    const a: ClusterSnapshot = { ...base, nodes: [{ name: 'n0011', status: { kind: 'unknown', raw: 'Unknown' }, power: { kind: 'off' } }] };
    const b: ClusterSnapshot = { ...base, nodes: [{ name: 'n0011', status: { kind: 'unknown', raw: 'Booting' }, power: { kind: 'off' } }] };
    assert.equal(diffSnapshots(a, b).length, 1);
    assert.deepEqual(diffSnapshots(a, a), []);
  });

  it('does not announce objects that appear or vanish', () => {
    const after: ClusterSnapshot = {
      ...base,
      nodes: [{ name: 'n0013', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } }],
      databases: [],
      services: [{ name: 'Lockd', state: { kind: 'ok' } }],
    };
    assert.deepEqual(diffSnapshots(base, after), []);
  });
});

import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';

export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/** A cluster in an awkward state: one node down, one value EXAoperation never documented. */
export const awkwardSnapshot: ClusterSnapshot = {
  takenAt: T0,
  master: 'n0010',
  storageOnline: true,
  services: [
    { name: 'Loggingd', state: { kind: 'ok' } },
    { name: 'Storaged', state: { kind: 'unknown', raw: 'degraded' } },
  ],
  nodes: [
    { name: 'n0011', status: { kind: 'running' }, power: { kind: 'up', why: 'Running' } },
    { name: 'n0012', status: { kind: 'suspended' }, power: { kind: 'up', why: 'Suspended, hardware inventory still answers' } },
  ],
  databases: [
    {
      name: 'exa_db1',
      state: { kind: 'running' },
      operation: { kind: 'busy', raw: 'Backup' },
      connection: { kind: 'accepting' },
      connectionString: '10.0.0.11..12:8563',
    },
    {
      name: 'exa_db2',
      state: { kind: 'unknown', raw: 'resizing' },
      operation: { kind: 'idle' },
      connection: { kind: 'unknown', raw: 'Maybe' },
      connectionString: '',
    },
  ],
};

// Plans for a backend without a license server, storage steps or node power (ConfD): built from
// its capabilities, never from its kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFD_CAPABILITIES, EXAOPERATION_CAPABILITIES } from '../../src/backend/capabilities.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { ClusterSnapshot } from '../../src/lifecycle/snapshot.js';

const profile = { ...defaultProfile('exa8'), licenseServers: [] };
const running = (name: string) => ({ name, state: { kind: 'running' } as const, operation: { kind: 'idle' } as const, connection: { kind: 'accepting' } as const, connectionString: '10.0.0.11:8563' });
const snapshot: ClusterSnapshot = {
  takenAt: 0,
  service: 'ConfD',
  master: '10.0.0.11',
  services: [],
  storageOnline: true,
  nodes: ['n11', 'n12', 'n13'].map((name) => ({ name, status: { kind: 'running' }, power: { kind: 'up', why: 'online' } })),
  databases: [running('DB1'), { ...running('DB2'), state: { kind: 'setup' }, connection: { kind: 'rejecting' }, connectionString: '' }],
  volumes: [{ name: 'DataVolume1', state: 'ONLINE', redundancy: 2, unrecoveredSegments: 0 }],
};
const kinds = (plan: ReturnType<typeof buildPlan>) => plan.steps.map((s) => `${s.action.kind}:${s.expect.kind}`);

describe('plans on ConfD', () => {
  it('a shut-down stops every database and nothing else: no storage, no nodes, no license server', () => {
    const plan = buildPlan({ kind: 'cluster-shutdown' }, snapshot, profile, CONFD_CAPABILITIES);
    assert.deepEqual(kinds(plan), [
      'check-databases-idle:act',
      'stop-database:act',
      'wait-database-stopped:act',
      'stop-database:skip',
      'wait-database-stopped:skip',
      'check-databases-stopped:act',
    ]);
    assert.deepEqual(plan.blockers, []);
  });

  it('a start-up waits for quorum and every node, then starts what is not running', () => {
    const cold = { ...snapshot, nodes: snapshot.nodes.map((n, i) => (i === 0 ? n : { ...n, status: { kind: 'offline' as const } })) };
    assert.deepEqual(kinds(buildPlan({ kind: 'cluster-startup' }, cold, profile, CONFD_CAPABILITIES)), [
      'wait-cluster-online:act',
      'start-database:skip',
      'wait-database-accepting:skip',
      'start-database:act',
      'wait-database-accepting:act',
    ]);
  });

  it('a start-up is blocked when the user may not read node states, and says which group it needs', () => {
    const plan = buildPlan({ kind: 'cluster-startup' }, { ...snapshot, nodes: [], unreadable: [{ part: 'nodes', why: 'no permission' }] }, profile, CONFD_CAPABILITIES);
    assert.deepEqual(plan.blockers, ['the node states cannot be read (no permission); the ConfD user needs the exaadm group to wait for the nodes']);
  });

  it('a busy database blocks its stop; storage start and stop do not exist here', () => {
    const busy = { ...snapshot, databases: [{ ...running('DB1'), operation: { kind: 'busy' as const, raw: 'Backup' } }] };
    assert.deepEqual(buildPlan({ kind: 'database-stop', database: 'DB1' }, busy, profile, CONFD_CAPABILITIES).blockers, [
      "database DB1 is busy with operation 'Backup'; wait until it finishes",
    ]);
    assert.throws(() => buildPlan({ kind: 'storage-stop' }, snapshot, profile, CONFD_CAPABILITIES), /driven through ConfD, which has no storage start or stop/);
  });

  it('a running backup blocks the stop of its database and a shut-down, saying so; an odd state points at ConfD', () => {
    const backingUp = { ...snapshot, databases: [{ ...running('DB1'), backup: { kind: 'running' as const, text: 'level 0, 40 %' } }] };
    const expected = ['a backup of database DB1 is running (level 0, 40 %); wait until it ends, or request the stop with --abort-backup'];
    assert.deepEqual(buildPlan({ kind: 'database-stop', database: 'DB1' }, backingUp, profile, CONFD_CAPABILITIES).blockers, expected);
    assert.deepEqual(buildPlan({ kind: 'cluster-shutdown' }, backingUp, profile, CONFD_CAPABILITIES).blockers, expected);
    const odd = { ...snapshot, databases: [{ ...running('DB1'), state: { kind: 'unknown' as const, raw: 'maintenance' } }] };
    assert.deepEqual(buildPlan({ kind: 'database-stop', database: 'DB1' }, odd, profile, CONFD_CAPABILITIES).blockers, [
      "database DB1 is in state 'maintenance'; check it in ConfD",
    ]);
  });

  it('--abort-backup puts the abort in the plan as a step the approver sees, and only where a backup runs', () => {
    const backingUp = { ...snapshot, databases: [{ ...running('DB1'), operation: { kind: 'busy' as const, raw: 'Backup' }, backup: { kind: 'running' as const, text: 'level 0' } }, { ...running('DB3'), backup: { kind: 'none' as const } }] };
    const stop = buildPlan({ kind: 'database-stop', database: 'DB1', abortBackup: true }, backingUp, profile, CONFD_CAPABILITIES);
    assert.deepEqual(kinds(stop), ['abort-backup:act', 'stop-database:act', 'wait-database-stopped:act']);
    assert.equal(stop.steps[0]?.title, 'Abort the running backup of database DB1');
    assert.deepEqual(stop.blockers, []);
    const shutdown = buildPlan({ kind: 'cluster-shutdown', abortBackup: true }, backingUp, profile, CONFD_CAPABILITIES);
    assert.deepEqual(kinds(shutdown), [
      'check-databases-idle:act',
      'abort-backup:act',
      'stop-database:act',
      'wait-database-stopped:act',
      'abort-backup:skip',
      'stop-database:act',
      'wait-database-stopped:act',
      'check-databases-stopped:act',
    ]);
    assert.match(shutdown.steps[0]?.title ?? '', /a running backup is aborted below/);
    // Busy with anything else still blocks: only a backup is the approver's to abort.
    const restoring = { ...snapshot, databases: [{ ...running('DB1'), operation: { kind: 'busy' as const, raw: 'Restore' }, backup: { kind: 'none' as const } }] };
    assert.deepEqual(buildPlan({ kind: 'database-stop', database: 'DB1', abortBackup: true }, restoring, profile, CONFD_CAPABILITIES).blockers, [
      "database DB1 is busy with operation 'Restore'; wait until it finishes",
    ]);
  });

  it('--abort-backup is refused where the backend cannot abort backups (EXAoperation)', () => {
    assert.throws(
      () => buildPlan({ kind: 'database-stop', database: 'DB1', abortBackup: true }, snapshot, profile, EXAOPERATION_CAPABILITIES),
      /whose backups the bot neither reads nor aborts: abort the backup in EXAoperation and request again without --abort-backup/,
    );
  });

  it('host actions: a shut-down ends with the power-off of every configured host; a cold start-up begins with the power-on', () => {
    const hostPower = { nodes: ['n11', 'n12', 'n13'], off: { argv: ['/x', '{node}'], timeoutMs: 1000 }, on: { argv: ['/x', '{node}'], timeoutMs: 1000 }, env: {} };
    const withHosts = { ...profile, hostPower };
    const capabilities = { ...CONFD_CAPABILITIES, nodePower: 'host-action' as const };
    const shutdown = buildPlan({ kind: 'cluster-shutdown' }, snapshot, withHosts, capabilities);
    assert.equal(kinds(shutdown).at(-1), 'power-off-hosts:act');
    assert.deepEqual(shutdown.steps.at(-1)?.action, { kind: 'power-off-hosts', nodes: ['n11', 'n12', 'n13'] });
    // Without the capability (no host action wired in the backend) the profile alone changes nothing.
    assert.ok(!kinds(buildPlan({ kind: 'cluster-shutdown' }, snapshot, withHosts, CONFD_CAPABILITIES)).some((k) => k.startsWith('power-')));

    const cold: ClusterSnapshot = { ...snapshot, nodes: hostPower.nodes.map((name) => ({ name, status: { kind: 'offline' }, power: { kind: 'up', why: 'ConfD does not answer' } })), databases: [], volumes: [], unreachable: 'ConfD does not answer' };
    assert.deepEqual(kinds(buildPlan({ kind: 'cluster-startup' }, cold, withHosts, capabilities)), ['power-on-hosts:act', 'wait-cluster-online:act', 'start-databases-after-boot:act']);
    // Warm: only the hosts ConfD does not report online.
    const oneDown = { ...snapshot, nodes: snapshot.nodes.map((n) => (n.name === 'n12' ? { ...n, status: { kind: 'offline' as const } } : n)) };
    const warm = buildPlan({ kind: 'cluster-startup' }, oneDown, withHosts, capabilities);
    assert.deepEqual(warm.steps[0]?.action, { kind: 'power-on-hosts', nodes: ['n12'] });
    assert.equal(warm.steps[0]?.title, 'Power on the hosts of node n12 with the configured host action');
  });
});

// The journal keeps each step as kind and targets; a replica that takes over turns that back into
// the step it was. Every kind must come back exactly, or a takeover would run something else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionTargets } from '../../src/lifecycle/approved-actions.js';
import type { StepAction } from '../../src/lifecycle/plan.js';
import { effectShown, stepAction } from '../../src/operations/reattach.js';

const EVERY_ACTION: readonly StepAction[] = [
  { kind: 'wait-exaoperation' },
  { kind: 'wait-cluster-online' },
  { kind: 'check-master' },
  { kind: 'check-databases-idle' },
  { kind: 'abort-backup', database: 'DB1' },
  { kind: 'power-on-nodes', nodes: ['n0011', 'n0012'] },
  { kind: 'wait-nodes-booted', nodes: ['n0011'] },
  { kind: 'check-nodes-running' },
  { kind: 'start-storage' },
  { kind: 'wait-services-ok' },
  { kind: 'check-storage-online' },
  { kind: 'start-database', database: 'exa_db1' },
  { kind: 'wait-database-accepting', database: 'exa_db1' },
  { kind: 'restart-plugin', plugin: 'Plugin.Backup@1.0', node: 'n0011' },
  { kind: 'start-plugin', plugin: 'Plugin.Backup@1.0', node: 'n0012' },
  { kind: 'stop-database', database: 'exa_db2' },
  { kind: 'wait-database-stopped', database: 'exa_db2' },
  { kind: 'check-databases-stopped' },
  { kind: 'stop-storage' },
  { kind: 'wait-storage-stopped' },
  { kind: 'shutdown-nodes', nodes: ['n0011', 'n0012', 'n0013'] },
  { kind: 'wait-nodes-down', nodes: ['n0011'] },
  { kind: 'shutdown-license-server', node: 'n0010' },
  { kind: 'power-off-hosts', nodes: ['n11'] },
  { kind: 'power-on-hosts', nodes: ['n11'] },
  { kind: 'start-databases-after-boot' },
];

describe('a journalled step back as the step it was', () => {
  it('comes back exactly for every kind of action (a plugin name with @ in it too)', () => {
    for (const action of EVERY_ACTION) {
      assert.deepEqual(stepAction({ kind: action.kind, targets: actionTargets(action) }, { kind: 'cluster-shutdown' }), action, action.kind);
    }
  });

  it('keeps "a running backup is aborted" from the operation, and refuses a kind it does not know', () => {
    assert.deepEqual(stepAction({ kind: 'check-databases-idle', targets: [] }, { kind: 'cluster-shutdown', abortBackup: true }), { kind: 'check-databases-idle', backupsAborted: true });
    assert.equal(stepAction({ kind: 'format-disks' as never, targets: [] }, { kind: 'cluster-shutdown' }), undefined);
    assert.equal(stepAction({ kind: 'stop-database', targets: [] }, { kind: 'cluster-shutdown' }), undefined);
  });

  it('says a license server shut-down or a host action cannot be seen to have taken effect', () => {
    const snapshot = { takenAt: 0, master: 'n0010', services: [], storageOnline: false, nodes: [], databases: [] };
    assert.equal(effectShown({ kind: 'shutdown-license-server', node: 'n0010' }, snapshot), undefined);
    assert.equal(effectShown({ kind: 'power-off-hosts', nodes: ['n11'] }, snapshot), undefined);
    assert.equal(effectShown({ kind: 'stop-storage' }, snapshot), true);
    assert.equal(effectShown({ kind: 'shutdown-nodes', nodes: ['n0011'] }, snapshot), false, 'a node the state does not list is not shown down');
  });
});

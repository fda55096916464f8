// Steps whose behaviour the full runs do not pin down: the plugin STATUS check on a warm cluster,
// storage stop and start on their own, and a cancel that arrives while a step acts.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import { forEachReading, mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { runOnSim, stepResult } from './run-on-sim.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const PLUGIN = 'Administration.vmware-tools';

forEachReading(() => {
  describe('plugins on a warm cluster', () => {
    it('restarts the plugin on the license server and starts it on no data node whose STATUS says running', async () => {
      cluster = await startSimCluster();
      const { outcome, events } = await runOnSim(cluster, { kind: 'cluster-startup' });
      assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
      assert.deepEqual(mutatingCalls(cluster.sim), [`cluster.callPlugin(${PLUGIN},n0010,STOP)`, `cluster.callPlugin(${PLUGIN},n0010,START)`]);
      const statusAsked = cluster.sim.calls.filter((c) => c.method === 'callPlugin' && c.params[2] === 'STATUS').map((c) => c.params[1]);
      assert.deepEqual(statusAsked, ['n0011', 'n0012', 'n0013', 'n0014']);
      const starts = events.flatMap((e) => (e.type === 'step-finished' && e.step.action.kind === 'start-plugin' ? [e.result] : []));
      assert.deepEqual(
        starts,
        ['n0011', 'n0012', 'n0013', 'n0014'].map((node) => ({ kind: 'skipped', reason: `${PLUGIN} is already running on ${node}` })),
      );
    });
  });

  describe('storage on its own', () => {
    it('stops EXAStorage once the databases are stopped, then starts it again', async () => {
      cluster = await startSimCluster();
      for (const database of ['exa_db1', 'exa_db2']) {
        assert.equal((await runOnSim(cluster, { kind: 'database-stop', database })).outcome.kind, 'succeeded');
      }
      const stop = await runOnSim(cluster, { kind: 'storage-stop' });
      assert.deepEqual(stop.outcome, { kind: 'succeeded', warnings: 0 });
      assert.equal(await cluster.client.serviceIsOnline(), false);
      const start = await runOnSim(cluster, { kind: 'storage-start' });
      assert.deepEqual(start.outcome, { kind: 'succeeded', warnings: 0 });
      assert.equal(await cluster.client.serviceIsOnline(), true);
      assert.deepEqual(mutatingCalls(cluster.sim), [
        'db_exa_db1.stopDatabase()',
        'db_exa_db2.stopDatabase()',
        'storage.stopEXAStorage()',
        'storage.startEXAStorage()',
      ]);
      assert.deepEqual(cluster.sim.violations, []);
    });
  });

  describe('a cancel while a step acts', () => {
    it('lets the action finish, then stops before the next step and says so', async () => {
      cluster = await startSimCluster();
      cluster.sim.faults.slow('db_exa_db1.stopDatabase', 300);
      const cancellation = new Cancellation();
      const { outcome, events } = await runOnSim(cluster, { kind: 'cluster-shutdown' }, {
        cancellation,
        onEvent: (e) => {
          if (e.type === 'step-started' && e.step.action.kind === 'stop-database') cancellation.cancel('U2');
        },
      });
      assert.deepEqual(outcome, { kind: 'cancelled', stepId: '4', by: 'U2', where: "before step 4 'Wait until database exa_db1 is stopped'" });
      assert.deepEqual(stepResult(events, 'stop-database'), { kind: 'done' }, 'the stop itself was not cut short');
      const stopStep = events.find((e) => e.type === 'step-finished' && e.step.action.kind === 'stop-database');
      assert.ok(stopStep?.type === 'step-finished' && stopStep.durationMs >= 290, 'the step waited for the slow call');
      assert.deepEqual(mutatingCalls(cluster.sim), ['db_exa_db1.stopDatabase()']);
      assert.notEqual(cluster.sim.model.summary().databases['exa_db1'], 'running, connectible');
    });
  });

  describe('out-of-band management on some nodes only', () => {
    it('powers on the nodes that have it, waits for the others powered on by hand, boot messages included', async () => {
      cluster = await startSimCluster({ cold: true }, { outOfBandManagement: ['n0011', 'n0012'] });
      const c = cluster;
      const { outcome, events } = await runOnSim(c, { kind: 'cluster-startup' }, {
        onEvent: (e) => {
          // Someone walks to the rack while the bot waits.
          if (e.type === 'step-started' && e.step.action.kind === 'wait-nodes-booted') {
            c.sim.model.startupNode('n0013');
            c.sim.model.startupNode('n0014');
          }
        },
      });
      assert.equal(outcome.kind, 'succeeded', JSON.stringify(outcome));
      assert.deepEqual(mutatingCalls(c.sim).filter((call) => call.includes('startupNode')), ['cluster.startupNode(n0011)', 'cluster.startupNode(n0012)']);
      assert.deepEqual(stepResult(events, 'power-on-nodes'), { kind: 'done', note: '2 powered on, 2 to power on by hand' });
      const notes = events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'note' ? [e.detail.text] : []));
      assert.ok(notes.some((n) => /power on n0013, n0014 by hand/.test(n)), notes.join(' | '));
      // Every node's boot-finished message was seen, also for the two started by hand.
      const booted = events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'node-booted' ? [e.detail.node] : []));
      assert.deepEqual([...booted].sort(), ['n0011', 'n0012', 'n0013', 'n0014']);
      assert.deepEqual(c.sim.violations, []);
    });
  });
});

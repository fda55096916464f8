import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import type { OperationKind } from '../../src/lifecycle/operation-kind.js';
import type { OperationOutcome } from '../../src/lifecycle/progress.js';
import { runPlan } from '../../src/lifecycle/run-plan.js';
import { readClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import { systemClock } from '../../src/util/clock.js';
import { forEachReading, FULL_SHUTDOWN_CALLS, mutatingCalls, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { runOnSim } from './run-on-sim.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const run = (c: SimCluster, operation: OperationKind) => runOnSim(c, operation);

function failedWith(outcome: OperationOutcome, pattern: RegExp): void {
  assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
  if (outcome.kind === 'failed') assert.match(outcome.reason, pattern);
}

forEachReading(() => {
  describe('cluster start-up against the simulator', () => {
    it('powers on, waits for boots, starts storage, databases and plugins in the article’s order', async () => {
      cluster = await startSimCluster({ cold: true });
      const { outcome, events } = await run(cluster, { kind: 'cluster-startup' });
      assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
      assert.deepEqual(mutatingCalls(cluster.sim), [
        'cluster.startupNode(n0011)',
        'cluster.startupNode(n0012)',
        'cluster.startupNode(n0013)',
        'cluster.startupNode(n0014)',
        'storage.startEXAStorage()',
        'db_exa_db1.startDatabase()',
        'db_exa_db2.startDatabase()',
        'cluster.callPlugin(Administration.vmware-tools,n0010,STOP)',
        'cluster.callPlugin(Administration.vmware-tools,n0010,START)',
        'cluster.callPlugin(Administration.vmware-tools,n0011,START)',
        'cluster.callPlugin(Administration.vmware-tools,n0012,START)',
        'cluster.callPlugin(Administration.vmware-tools,n0013,START)',
        'cluster.callPlugin(Administration.vmware-tools,n0014,START)',
      ]);
      const booted = events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'node-booted' ? [e.detail.node] : []));
      assert.deepEqual([...booted].sort(), ['n0011', 'n0012', 'n0013', 'n0014'], 'one boot line per node');
      const accepting = events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'database-accepting' ? [e.detail] : []));
      assert.deepEqual(accepting.map((a) => a.database), ['exa_db1', 'exa_db2']);
      assert.match(accepting[0]?.connectionString ?? '', /^\d+\.\d+\.\d+\.\d+\.\.\d+:\d+$/);
      const final = events.at(-1);
      assert.ok(final?.type === 'finished' && final.snapshot);
      assert.ok(final.snapshot.databases.every((d) => d.connection.kind === 'accepting'));
      assert.deepEqual(cluster.sim.violations, []);
    });

    it('re-running start-up on a running cluster skips every step and changes nothing', async () => {
      cluster = await startSimCluster();
      const { outcome, events } = await run(cluster, { kind: 'cluster-startup' });
      assert.equal(outcome.kind, 'succeeded');
      assert.deepEqual(mutatingCalls(cluster.sim).filter((c) => !c.includes('callPlugin')), []);
      const skipped = events.filter((e) => e.type === 'step-finished' && e.result.kind === 'skipped');
      assert.ok(skipped.some((e) => e.type === 'step-finished' && e.result.kind === 'skipped' && /already running/.test(e.result.reason)));
    });

    it('fails with a clear timeout when a node never finishes booting', async () => {
      cluster = await startSimCluster({ cold: true }, { timeouts: { ...(await defaults()).timeouts, nodeBootMs: 1500 } });
      cluster.sim.faults.neverFinishBooting('n0013');
      const { outcome } = await run(cluster, { kind: 'cluster-startup' });
      failedWith(outcome, /Gave up waiting until all 4 node\(s\) are online and have finished booting after 1\.5 s; last seen: not booted yet: n0013/);
      assert.ok(!mutatingCalls(cluster.sim).includes('storage.startEXAStorage()'), 'storage is not started on a half-booted cluster');
    });

    it('stops when EXAStorage will not start, before any database', async () => {
      cluster = await startSimCluster({ cold: true });
      cluster.sim.faults.failStorageStart({ message: 'Storage node n0012 has no quorum' });
      const { outcome } = await run(cluster, { kind: 'cluster-startup' });
      failedWith(outcome, /refused startEXAStorage on storage: Storage node n0012 has no quorum/);
      assert.ok(!mutatingCalls(cluster.sim).some((c) => c.includes('startDatabase')));
    });
  });

  describe('cluster shut-down against the simulator', () => {
    it('stops databases, storage, data nodes, then the license server, and reports before the connection drops', async () => {
      cluster = await startSimCluster();
      const { outcome, events, callsBefore } = await run(cluster, { kind: 'cluster-shutdown' });
      assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
      assert.equal(cluster.sim.calls[callsBefore]?.method, 'getEXAoperationMaster', 'the master is checked first');
      assert.deepEqual(mutatingCalls(cluster.sim), FULL_SHUTDOWN_CALLS);
      const reportIndex = events.findIndex((e) => e.type === 'final-report');
      const lastStepIndex = events.findIndex((e) => e.type === 'step-started' && e.step.action.kind === 'shutdown-license-server');
      assert.ok(reportIndex >= 0 && reportIndex < lastStepIndex, 'the final report comes before the license server goes down');
      const report = events[reportIndex];
      assert.ok(report?.type === 'final-report' && report.snapshot);
      assert.ok(report.snapshot.databases.every((d) => d.state.kind === 'setup'));
      assert.equal(report.snapshot.storageOnline, false);
      assert.deepEqual(cluster.sim.violations, []);
    });

    it('with two license servers: the other one goes down on its own state, the master last, confirmed by silence', async () => {
      cluster = await startSimCluster({ licenseServers: 2 }, { licenseServers: ['n0009', 'n0010'] });
      const { outcome, plan } = await run(cluster, { kind: 'cluster-shutdown' });
      assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
      assert.deepEqual(plan.steps.slice(-2).map((s) => s.action), [
        { kind: 'shutdown-license-server', node: 'n0009' },
        { kind: 'shutdown-license-server', node: 'n0010' },
      ]);
      assert.deepEqual(mutatingCalls(cluster.sim).slice(-2), ['cluster.shutdownNode(n0009)', 'cluster.shutdownNode(n0010)']);
      const nodes = cluster.sim.model.summary().nodes;
      assert.deepEqual(Object.values(nodes).filter((p) => p !== 'off' && p !== 'shutting-down'), [], JSON.stringify(nodes));
      assert.deepEqual(cluster.sim.violations, []);
    });

    it('re-checks the master right before the data nodes go down (it may move during a database stop)', async () => {
      cluster = await startSimCluster();
      const c = cluster;
      const { outcome } = await runOnSim(c, { kind: 'cluster-shutdown' }, {
        onEvent: (e) => {
          if (e.type === 'step-started' && e.step.action.kind === 'wait-storage-stopped') c.sim.faults.setMaster('n0012');
        },
      });
      failedWith(outcome, /Refused before any data node went down: the EXAoperation master is n0012, not the license server n0010/);
      assert.ok(!mutatingCalls(c.sim).some((call) => call.includes('shutdownNode')));
      assert.deepEqual(c.sim.violations, []);
    });

    it('refuses, touching nothing, when the EXAoperation master is not the license server', async () => {
      cluster = await startSimCluster();
      cluster.sim.faults.setMaster('n0012');
      const { outcome, plan } = await run(cluster, { kind: 'cluster-shutdown' });
      assert.equal(outcome.kind, 'refused');
      assert.match(plan.blockers[0] ?? '', /master is n0012, not the license server n0010: move EXAoperation to the license server/);
      assert.deepEqual(mutatingCalls(cluster.sim), []);
    });

    it('a backup started since the approval stops the shut-down before any database goes down', async () => {
      cluster = await startSimCluster();
      // Busy only once the shut-down runs, so the plan passes and the re-read before the first stop catches it.
      const c = cluster;
      const plan = buildPlan({ kind: 'cluster-shutdown' }, await readClusterSnapshot(c.client), c.profile);
      c.sim.faults.setDatabaseOperation('exa_db2', 'Backup');
      const outcome = await runPlan({ opId: 'op-2', plan, backend: exaoperationBackend(c.client, c.profile), profile: c.profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
      failedWith(outcome, /Database\(s\) exa_db2 \(operation 'Backup'\) are busy\. Stopped before any database went down; storage and nodes were left alone/);
      assert.deepEqual(mutatingCalls(c.sim), []);
    });

    it("a database whose operation is '' (not exactly 'None') counts as busy, shown with its raw value", async () => {
      cluster = await startSimCluster();
      cluster.sim.faults.setDatabaseOperation('exa_db1', '');
      const plan = buildPlan({ kind: 'cluster-shutdown' }, await readClusterSnapshot(cluster.client), cluster.profile);
      assert.deepEqual(plan.blockers, ["database exa_db1 is busy with operation ''; wait until it finishes"]);
    });

    it('a busy database known up front blocks the plan in the dry run', async () => {
      cluster = await startSimCluster();
      cluster.sim.faults.setDatabaseOperation('exa_db1', 'Backup');
      const plan = buildPlan({ kind: 'cluster-shutdown' }, await readClusterSnapshot(cluster.client), cluster.profile);
      assert.deepEqual(plan.blockers, ["database exa_db1 is busy with operation 'Backup'; wait until it finishes"]);
    });

    it('stops when a database fails to stop, before storage', async () => {
      cluster = await startSimCluster();
      cluster.sim.faults.fail('db_exa_db2.stopDatabase', { message: 'Database exa_db2 could not be stopped: controller timeout' });
      const { outcome } = await run(cluster, { kind: 'cluster-shutdown' });
      failedWith(outcome, /refused stopDatabase on db_exa_db2: Database exa_db2 could not be stopped/);
      assert.ok(!mutatingCalls(cluster.sim).includes('storage.stopEXAStorage()'));
    });

    it('cancels at the next safe point, during a wait, and says where it stopped', async () => {
      cluster = await startSimCluster({ durations: { databaseStop: 600 } });
      const cancellation = new Cancellation();
      const c = cluster;
      const plan = buildPlan({ kind: 'cluster-shutdown' }, await readClusterSnapshot(c.client), c.profile);
      const outcome = await runPlan({
        opId: 'op-3',
        plan,
        backend: exaoperationBackend(c.client, c.profile),
        profile: c.profile,
        clock: systemClock,
        cancellation,
        onEvent: (e) => {
          if (e.type === 'step-started' && e.step.action.kind === 'wait-database-stopped') cancellation.cancel('U2');
        },
      });
      assert.deepEqual(outcome, { kind: 'cancelled', stepId: '4', by: 'U2', where: "during step 4 'Wait until database exa_db1 is stopped'" });
      assert.deepEqual(mutatingCalls(c.sim), ['db_exa_db1.stopDatabase()']);
    });
  });

  describe('single operations against the simulator', () => {
    it('database stop then start', async () => {
      cluster = await startSimCluster();
      assert.equal((await run(cluster, { kind: 'database-stop', database: 'exa_db2' })).outcome.kind, 'succeeded');
      assert.deepEqual((await cluster.client.getDatabaseState('exa_db2')), { kind: 'setup' });
      const again = await run(cluster, { kind: 'database-stop', database: 'exa_db2' });
      assert.equal(again.outcome.kind, 'succeeded');
      assert.ok(again.events.some((e) => e.type === 'step-finished' && e.result.kind === 'skipped' && e.result.reason === 'database exa_db2 is already stopped'));
      assert.equal((await run(cluster, { kind: 'database-start', database: 'exa_db2' })).outcome.kind, 'succeeded');
      assert.deepEqual(await cluster.client.getDatabaseConnectionState('exa_db2'), { kind: 'accepting' });
      assert.deepEqual(mutatingCalls(cluster.sim), ['db_exa_db2.stopDatabase()', 'db_exa_db2.startDatabase()']);
    });

    it('storage stop is refused while a database runs; storage start needs running nodes', async () => {
      cluster = await startSimCluster();
      const stop = await run(cluster, { kind: 'storage-stop' });
      assert.equal(stop.outcome.kind, 'refused');
      assert.match(stop.plan.blockers[0] ?? '', /exa_db1 \(running\), exa_db2 \(running\) must be stopped before EXAStorage/);
      await cluster.stop();
      cluster = await startSimCluster({ cold: true });
      const start = await run(cluster, { kind: 'storage-start' });
      assert.equal(start.outcome.kind, 'refused');
      assert.deepEqual(mutatingCalls(cluster.sim), []);
    });

    it('an unknown database name is a clear error listing the known ones', async () => {
      cluster = await startSimCluster();
      await assert.rejects(run(cluster, { kind: 'database-stop', database: 'exa_db9' }), /Cluster cluster1 has no database 'exa_db9'\. Its databases: exa_db1, exa_db2\./);
    });
  });
});

async function defaults() {
  const { defaultProfile } = await import('../../src/lifecycle/cluster-profile.js');
  return defaultProfile('x');
}

// A cancelled start-up or shut-down leaves nodes half-way: still booting, or still powering off.
// EXAoperation refuses to power those on or shut them down again. A re-run takes that refusal as
// "already on its way" only when the live state agrees (booting: the logservice shows the boot;
// powering off: the node no longer says 'Running'); otherwise it stops with EXAoperation's reason.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import { mutatingCalls, POWERING_OFF_READINGS, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { runOnSim, stepResult } from './run-on-sim.js';

let cluster: SimCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function cancelAt(actionKind: string) {
  const cancellation = new Cancellation();
  return {
    cancellation,
    onEvent: (e: ProgressEvent) => {
      if (e.type === 'step-started' && e.step.action.kind === actionKind) cancellation.cancel('U1');
    },
  };
}

const refusals = (c: SimCluster, method: string) =>
  c.sim.calls.filter((call) => call.method === method && call.outcome === 'fault').map((call) => String(call.params[0])).sort();

const notes = (events: readonly ProgressEvent[]) =>
  events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'note' ? [e.detail.text] : []));

describe('re-running an interrupted start-up', () => {
  it('takes nodes still booting as already powering on and waits for them to come online', async () => {
    // Boots of 1000 simulated s (2 s real): the re-run starts while every node still boots.
    cluster = await startSimCluster({ cold: true, durations: { bootMin: 1000, bootMax: 1000 } });
    const first = await runOnSim(cluster, { kind: 'cluster-startup' }, cancelAt('wait-nodes-booted'));
    assert.equal(first.outcome.kind, 'cancelled');
    assert.equal(cluster.sim.model.summary().nodes['n0011'], 'booting');

    const again = await runOnSim(cluster, { kind: 'cluster-startup' });
    assert.deepEqual(again.outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(refusals(cluster, 'startupNode'), ['n0011', 'n0012', 'n0013', 'n0014'], 'EXAoperation refused each, as they boot');
    const power = stepResult(again.events, 'power-on-nodes');
    assert.equal(power?.kind, 'done');
    assert.deepEqual(power, { kind: 'done', note: '0 powered on, 4 already powering on' });
    assert.match(notes(again.events)[0] ?? '', /^EXAoperation refused to power on n00\d\d \(Node n00\d\d is not powered off \(booting\)\.\); it is booting \(its boot messages are in the logservice\), so the next step waits for it$/);
    assert.equal(notes(again.events).length, 4, 'each refusal is shown with its reason');
    assert.deepEqual(stepResult(again.events, 'wait-nodes-booted'), { kind: 'done', note: '4/4 nodes booted' });
    // Storage is started only once every node is up: the simulator refuses it otherwise.
    assert.ok(mutatingCalls(cluster.sim).includes('storage.startEXAStorage()'));
    assert.ok(Object.values(cluster.sim.model.summary().databases).every((d) => d === 'running, connectible'));
    assert.deepEqual(cluster.sim.violations, []);
  });
});

describe('re-running an interrupted shut-down', () => {
  it("with nodes powering off reported as 'Suspended': takes them as going down and waits until they are off", async () => {
    cluster = await startSimCluster({ durations: { nodeShutdown: 1000 }, poweringOffStatus: 'Suspended' });
    const first = await runOnSim(cluster, { kind: 'cluster-shutdown' }, cancelAt('wait-nodes-down'));
    assert.equal(first.outcome.kind, 'cancelled');
    assert.equal(cluster.sim.model.summary().nodes['n0011'], 'shutting-down');

    const again = await runOnSim(cluster, { kind: 'cluster-shutdown' });
    assert.deepEqual(again.outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(refusals(cluster, 'shutdownNode'), ['n0011', 'n0012', 'n0013', 'n0014']);
    assert.deepEqual(stepResult(again.events, 'shutdown-nodes'), { kind: 'done', note: '0 shut down, 4 already going down' });
    assert.match(notes(again.events)[0] ?? '', /^EXAoperation refused to shut down n00\d\d \(Node n00\d\d is not running \(shutting-down\); .*\); it is going down \(state Suspended\), so the next step waits for it$/);
    // The license server went last, after every data node was off: no unsafe transition.
    assert.equal(mutatingCalls(cluster.sim).at(-1), 'cluster.shutdownNode(n0010)');
    assert.deepEqual(cluster.sim.violations, []);
  });

  it("with nodes powering off still reported as 'Running': the refusal is not taken on trust, the re-run stops before the license server", async () => {
    cluster = await startSimCluster({ durations: { nodeShutdown: 1000 }, poweringOffStatus: 'Running' });
    await runOnSim(cluster, { kind: 'cluster-shutdown' }, cancelAt('wait-nodes-down'));
    const again = await runOnSim(cluster, { kind: 'cluster-shutdown' });
    assert.equal(again.outcome.kind, 'failed');
    assert.ok(again.outcome.kind === 'failed');
    assert.match(again.outcome.reason, /^EXAoperation refused to shut down n0011 \(Node n0011 is not running \(shutting-down\); it cannot be shut down now\.\), .*it still reports 'Running', so it is not known to be going down\. Stopped here; the license server was left alone/);
    assert.ok(!mutatingCalls(cluster.sim).includes('cluster.shutdownNode(n0010)'));
    assert.deepEqual(cluster.sim.violations, []);
    // Once the nodes are off, the same request goes through.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const third = await runOnSim(cluster, { kind: 'cluster-shutdown' });
    assert.deepEqual(third.outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(cluster.sim.violations, []);
  });
});

// The other reading of a power call on what is already on its way: EXAoperation accepts it as a
// no-op. The re-runs then go through without any refusal, and still in the safe order.
describe("re-running with power calls on what is already on its way accepted as no-ops", () => {
  it('a start-up re-run while every node still boots waits for them and succeeds', async () => {
    cluster = await startSimCluster({ cold: true, alreadyInState: 'no-op', durations: { bootMin: 1000, bootMax: 1000 } });
    await runOnSim(cluster, { kind: 'cluster-startup' }, cancelAt('wait-nodes-booted'));
    const again = await runOnSim(cluster, { kind: 'cluster-startup' });
    assert.deepEqual(again.outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(refusals(cluster, 'startupNode'), []);
    assert.deepEqual(cluster.sim.violations, []);
  });

  it("a shut-down re-run while nodes still power off (reported 'Running') waits until they are off, license server last", async () => {
    cluster = await startSimCluster({ alreadyInState: 'no-op', poweringOffStatus: 'Running', durations: { nodeShutdown: 1000 } });
    await runOnSim(cluster, { kind: 'cluster-shutdown' }, cancelAt('wait-nodes-down'));
    const again = await runOnSim(cluster, { kind: 'cluster-shutdown' });
    assert.deepEqual(again.outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(refusals(cluster, 'shutdownNode'), []);
    assert.equal(mutatingCalls(cluster.sim).at(-1), 'cluster.shutdownNode(n0010)');
    assert.deepEqual(cluster.sim.violations, []);
  });
});

describe('a refused power call the live state does not explain', () => {
  for (const reading of POWERING_OFF_READINGS) {
    it(`fails the start-up at once with EXAoperation's reason ('${reading}')`, async () => {
      cluster = await startSimCluster({ cold: true, poweringOffStatus: reading });
      cluster.sim.faults.fail('cluster.startupNode(n0012)', { message: 'Node n0012 has no power supply connected' });
      const run = await runOnSim(cluster, { kind: 'cluster-startup' });
      assert.equal(run.outcome.kind, 'failed');
      assert.ok(run.outcome.kind === 'failed');
      assert.match(run.outcome.reason, /EXAoperation refused to power on n0012 \(Node n0012 has no power supply connected\), and nothing shows it booting\. Stopped here/);
      assert.ok(!mutatingCalls(cluster.sim).includes('storage.startEXAStorage()'));
    });
  }
});

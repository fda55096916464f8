// The bot under the readings the reference leaves open that need real time: storage calls that
// block for longer than the per-call timeout, an EXAoperation restart while such a call waits, and
// a boot whose finished message never comes. Each runs the real client against the simulator.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { DEFAULT_TIMEOUTS } from '../../src/lifecycle/cluster-profile.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/exaoperation/transport-options.js';
import type { StorageCallStyle } from '../../simulator/index.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';
import { runOnSim, stepResult } from './run-on-sim.js';

/** Each test stops its own cluster: a shared afterEach would stop a concurrent test's cluster too. */
function stopAfter(t: TestContext, cluster: SimCluster): SimCluster {
  t.after(() => cluster.stop());
  return cluster;
}

/** A cold cluster in real time whose storage takes `storageStart` seconds; the bot's own default deadlines. */
async function realTimeCluster(t: TestContext, storageCalls: StorageCallStyle, storageStart: number): Promise<SimCluster> {
  const cluster = await startSimCluster(
    {
      cold: true,
      timeScale: 1,
      storageCalls,
      durations: { bootMin: 0.3, bootMax: 0.5, storageStart, databaseStart: 0.3, databaseConnectDelay: 0.1 },
    },
    { pollIntervalMs: 250, timeouts: DEFAULT_TIMEOUTS },
    DEFAULT_TIMEOUT_MS,
  );
  return stopAfter(t, cluster);
}

// The two 45-second runs are independent, so they run side by side.
describe('a storage start that takes 45 s, longer than the 30 s per-call timeout', { concurrency: true }, () => {
  for (const storageCalls of ['blocking', 'immediate'] as const) {
    it(`succeeds with storage calls '${storageCalls}'`, async (t) => {
      const cluster = await realTimeCluster(t, storageCalls, 45);
      const started = Date.now();
      const run = await runOnSim(cluster, { kind: 'cluster-startup' });
      assert.deepEqual(run.outcome, { kind: 'succeeded', warnings: 0 });
      assert.ok(Date.now() - started >= 44_000, 'the run waited for storage');
      const call = cluster.sim.calls.find((c) => c.method === 'startEXAStorage');
      assert.equal(call?.outcome, 'ok', 'the blocking call was answered, not timed out');
      assert.equal(cluster.sim.model.summary().storage, 'online');
      assert.deepEqual(cluster.sim.violations, []);
    });
  }
});

describe('an answer lost while a storage call blocks', () => {
  it('EXAoperation restarts during startEXAStorage: the step runs again once it answers, and the state decides', async (t) => {
    const cluster = await realTimeCluster(t, 'blocking', 3);
    const run = await runOnSim(cluster, { kind: 'cluster-startup' }, {
      onEvent: (event) => {
        if (event.type === 'step-started' && event.step.action.kind === 'start-storage') {
          setTimeout(() => cluster.sim.restartExaoperation(1), 700);
        }
      },
    });
    assert.deepEqual(run.outcome, { kind: 'succeeded', warnings: 1 });
    const note = stepResult(run.events, 'start-storage');
    assert.ok(note?.kind === 'done');
    // The second startEXAStorage meets the first one's storage start under way: refused, but the state decides.
    assert.match(note.note ?? '', /EXAoperation refused \(EXAStorage is already starting\.\) after an earlier attempt's answer was lost, so it may be under way; the next step reads EXAStorage's state and decides/);
    assert.deepEqual(cluster.sim.calls.filter((c) => c.method === 'startEXAStorage').map((c) => c.outcome), ['dropped', 'fault']);
    assert.ok(
      run.events.some((e) => e.type === 'step-detail' && e.detail.kind === 'note' && /EXAoperation did not answer \(Cannot reach EXAoperation.*\); the step runs again once it answers \(attempt 2 of 3\)/.test(e.detail.text)),
      'the channel is told that the step runs again',
    );
    assert.deepEqual(cluster.sim.violations, []);
  });
});

describe('a boot-finished message that never arrives', () => {
  it("the node is taken as booted once it has answered and reported 'Running' for a while, with a warning naming it", async (t) => {
    const cluster = stopAfter(t, await startSimCluster({ cold: true, missingBootMessage: ['n0012'] }));
    const run = await runOnSim(cluster, { kind: 'cluster-startup' });
    assert.deepEqual(run.outcome, { kind: 'succeeded', warnings: 1 });
    const booted = stepResult(run.events, 'wait-nodes-booted');
    assert.ok(booted?.kind === 'done');
    assert.match(booted.note ?? '', /4\/4 nodes booted.*; no boot-finished message from n0012$/);
    assert.ok(
      run.events.some((e) => e.type === 'step-detail' && e.detail.kind === 'note' && /n0012 answers its inventory .* taken as booted/.test(e.detail.text)),
      'the channel is told which node and why',
    );
    assert.deepEqual(cluster.sim.violations, []);
  });
});

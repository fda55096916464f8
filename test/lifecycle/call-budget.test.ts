// The call budget: no window of a second sees more calls to one cluster than the budget, however
// many the bot's waits would like to make; and it enforces it in order, with cancels honoured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallBudget } from '../../src/exaoperation/call-budget.js';
import type { RecordedCall } from '../../simulator/index.js';
import { startSimCluster } from '../helpers/sim-cluster.js';
import { runOnSim } from './run-on-sim.js';

/** The most calls that arrived within any `windowMs`. */
function busiestWindow(calls: readonly RecordedCall[], windowMs: number): number {
  const times = calls.map((c) => c.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[j] as number) <= (times[i] as number) - windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('the call budget', () => {
  it('lets at most N calls start in any window, in arrival order, and a cancelled wait gives up', async () => {
    const budget = new CallBudget(3, () => performance.now(), 200);
    const starts: { i: number; at: number }[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        await budget.acquire();
        starts.push({ i, at: performance.now() - t0 });
      }),
    );
    assert.deepEqual(starts.map((s) => s.i), [0, 1, 2, 3, 4, 5, 6], 'in arrival order');
    for (const s of starts) assert.ok(starts.filter((o) => o.at >= s.at && o.at < s.at + 195).length <= 3, JSON.stringify(starts));
    const cancel = new AbortController();
    const waiting = budget.acquire(cancel.signal);
    cancel.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
  });

  it('a cold start-up of 32 nodes never exceeds it in any one-second window, and still succeeds', async (t) => {
    const BUDGET = 40;
    const cluster = await startSimCluster({ cold: true, nodes: 32, databases: ['exa_db1'] }, {}, 2000, BUDGET);
    t.after(() => cluster.stop());
    const run = await runOnSim(cluster, { kind: 'cluster-startup' });
    assert.deepEqual(run.outcome, { kind: 'succeeded', warnings: 0 });
    // Its polls of 32 nodes every 250 ms would be 130 calls a second without the budget.
    const busiest = busiestWindow(cluster.sim.calls, 1000);
    assert.ok(busiest <= BUDGET, `${busiest} calls within one second`);
    assert.ok(busiest >= BUDGET * 0.75, `the budget was what held it (${busiest})`);
    assert.deepEqual(cluster.sim.violations, []);
  });
});

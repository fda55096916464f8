import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterModel } from '../../simulator/model/cluster-model.js';
import { createFakeClock } from './helpers/fake-clock.js';

describe('model options', () => {
  it('reports every invalid option at once, with what was expected and what came', () => {
    const { now } = createFakeClock();
    assert.throws(
      () =>
        new ClusterModel({
          now,
          nodes: 0,
          databases: ['a.b', 'x', 'x'],
          timeScale: -1,
          durations: { bootMin: 200, nodeShutdown: Number.NaN },
          logRetention: 0,
        }),
      (e: unknown) => {
        const message = (e as Error).message;
        for (const part of [
          'nodes: expected an integer from 1 to 200, got 0',
          "databases: expected names without '.' or '/', got 'a.b'",
          'databases: expected unique names',
          'timeScale: expected a positive number, got -1',
          'durations.nodeShutdown: expected seconds >= 0, got NaN',
          'expected bootMin <= bootMax, got 200 > 145',
          'logRetention: expected a positive integer, got 0',
        ]) {
          assert.ok(message.includes(part), `missing "${part}" in:\n${message}`);
        }
        return true;
      },
    );
  });

  it('scales every duration by timeScale', () => {
    const clock = createFakeClock();
    const model = new ClusterModel({ now: clock.now, cold: true, timeScale: 0.01 });
    model.startupNode('n0011');
    clock.advance(999); // 100 simulated s = 1 s real
    assert.equal(model.getNodeState('n0011').status, 'Unknown');
    clock.advance(1);
    assert.equal(model.getNodeState('n0011').status, 'Running');
    assert.ok(model.logRecords().some((r) => r.message === 'Boot process stages 1 to 3 took 100 seconds.'), 'messages keep simulated seconds');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllReachedProbe } from '../../src/lifecycle/probe-all.js';

/** Items that reach their goal at given probe numbers; records which were asked on each probe. */
function world(reachAt: Record<string, number>) {
  let probeNo = 0;
  const asked: string[][] = [];
  let now = 0;
  const probe = new AllReachedProbe(
    async (item: string) => {
      asked[probeNo]?.push(item);
      return probeNo >= (reachAt[item] ?? Infinity);
    },
    (reached) => reached,
    { now: () => now },
    10_000,
  );
  const pending = new Set(Object.keys(reachAt));
  return {
    asked,
    pending,
    advance: (ms: number) => void (now += ms),
    /** One probe of the wait: asks, drops what reached; true when nothing is pending. */
    async step(): Promise<boolean> {
      probeNo += 1;
      asked[probeNo] = [];
      for (const [item, reached] of await probe.probe([...pending], {})) if (reached) pending.delete(item);
      return pending.size === 0;
    },
  };
}

describe('AllReachedProbe', () => {
  it('asks everyone first, then one at a time until that one has got there, then the rest in the same probe', async () => {
    const w = world({ a: 3, b: 2, c: 3 });
    assert.equal(await w.step(), false); // probe 1: a full round, nobody there
    assert.deepEqual(w.asked[1], ['a', 'b', 'c']);
    assert.equal(await w.step(), false); // probe 2: a (the sentinel) not there: nobody else asked
    assert.deepEqual(w.asked[2], ['a']);
    assert.equal(await w.step(), true); // probe 3: a there, so b and c are asked at once
    assert.deepEqual(w.asked[3], ['a', 'b', 'c']);
  });

  it('ends on the same probe as asking everyone every time, whichever item is last', async () => {
    for (const reachAt of [{ a: 2, b: 5, c: 4 }, { a: 6, b: 1, c: 3 }, { a: 4, b: 4, c: 4 }, { a: 1, b: 1, c: 1 }]) {
      const w = world(reachAt);
      let probes = 1;
      while (!(await w.step())) probes += 1;
      assert.equal(probes, Math.max(...Object.values(reachAt), 1), JSON.stringify(reachAt));
    }
  });

  it('asks everyone again once the last full round is older than sweepMs', async () => {
    const w = world({ a: 9, b: 9 });
    await w.step();
    w.advance(9_999);
    await w.step();
    assert.deepEqual(w.asked[2], ['a']);
    w.advance(1);
    await w.step();
    assert.deepEqual(w.asked[3], ['a', 'b']);
  });

  it('asks nothing when nothing is pending', async () => {
    const probe = new AllReachedProbe(async () => assert.fail('asked'), () => true, { now: () => 0 }, 1);
    assert.equal((await probe.probe([], {})).size, 0);
  });
});

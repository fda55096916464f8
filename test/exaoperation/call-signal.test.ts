import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { callSignal } from '../../src/exaoperation/call-signal.js';
import { startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

describe('callSignal', () => {
  it('aborts on the deadline (timedOut) or with the caller (not timedOut)', async () => {
    const deadline = callSignal(undefined, 20);
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.timedOut(), true);
    const caller = new AbortController();
    const linked = callSignal(caller.signal, 10_000);
    caller.abort(new Error('cancelled by U1'));
    assert.equal(linked.signal.aborted, true);
    assert.equal(linked.timedOut(), false);
    assert.match(String(linked.signal.reason), /cancelled by U1/);
    linked.release();
    deadline.release();
  });

  it('lets go of a long-lived caller signal once released', () => {
    const caller = new AbortController();
    const calls = Array.from({ length: 50 }, () => callSignal(caller.signal, 10_000));
    assert.equal(getEventListeners(caller.signal, 'abort').length, 50);
    for (const c of calls) c.release();
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
  });
});

describe('the transport with a long-lived signal (the watcher’s case)', () => {
  let cluster: SimCluster;
  before(async () => {
    cluster = await startSimCluster();
  });
  after(() => cluster.stop());

  it('leaves nothing attached to the caller’s signal after its calls, answered or failed', async () => {
    const lifetime = new AbortController();
    for (let i = 0; i < 30; i++) await cluster.client.getNodeList({ signal: lifetime.signal });
    cluster.sim.faults.fail('getDatabaseList', { times: 5 });
    for (let i = 0; i < 5; i++) await assert.rejects(cluster.client.getDatabaseList({ signal: lifetime.signal }));
    assert.equal(getEventListeners(lifetime.signal, 'abort').length, 0);
  });
});

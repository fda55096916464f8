// The cluster snapshot behind /exa status, plans and final reports: one round-trip once the names
// are known, lists that still decide what is in it, and shared reads that are never stale.
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { readClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import { FakeExaClient } from '../helpers/fake-exa-client.js';

const names = (s: { databases: readonly { name: string }[] }): string[] => s.databases.map((d) => d.name);

describe('readClusterSnapshot', () => {
  it('first read: lists, then every node and database; later reads ask everything at once', async () => {
    const fake = new FakeExaClient({ nodes: 4, databases: ['exa_db1', 'exa_db2'] });
    const first = await readClusterSnapshot(fake, { signal: new AbortController().signal });
    assert.deepEqual(names(first), ['exa_db1', 'exa_db2']);
    assert.equal(first.nodes.length, 4);

    fake.calls.length = 0;
    const release = fake.hold('getNodeList');
    const second = readClusterSnapshot(fake, { signal: new AbortController().signal });
    await tick();
    // The lists are still on their way, and the per-object calls already went out with them.
    assert.equal(fake.calls.filter((c) => c === 'getNodeState').length, 4);
    assert.equal(fake.calls.filter((c) => c === 'getDatabaseInfo').length, 2);
    release();
    assert.equal((await second).nodes.length, 4);
  });

  it('the lists still decide: a database added is read, one removed is left out', async () => {
    const fake = new FakeExaClient({ databases: ['exa_db1', 'exa_db2'] });
    const signal = new AbortController().signal;
    await readClusterSnapshot(fake, { signal });
    fake.databases.set('exa_db3', { ...(fake.databases.get('exa_db1') ?? assert.fail()) });
    fake.databases.delete('exa_db1');
    assert.deepEqual(names(await readClusterSnapshot(fake, { signal })), ['exa_db2', 'exa_db3']);
  });

  it('shared reads: callers who ask while a read is on its way share the next one, which sees what changed', async () => {
    const fake = new FakeExaClient({ databases: ['exa_db1'] });
    await readClusterSnapshot(fake); // names known
    fake.calls.length = 0;
    const release = fake.hold('getNodeList');
    const before = readClusterSnapshot(fake);
    await tick();
    // exa_db1's answer to the first read is already in; then it stops.
    const db = fake.databases.get('exa_db1') ?? assert.fail();
    db.state = { kind: 'setup' };
    const later = [readClusterSnapshot(fake), readClusterSnapshot(fake), readClusterSnapshot(fake)];
    release();
    const [first, ...rest] = await Promise.all([before, ...later]);
    assert.equal(first?.databases[0]?.state.kind, 'running', 'the read that was on its way');
    for (const snapshot of rest) assert.equal(snapshot?.databases[0]?.state.kind, 'setup', 'asked later, so read later');
    assert.equal(fake.calls.filter((c) => c === 'getNodeList').length, 2, 'four callers, two reads');
  });

  it('a read with its own signal is not shared, so cancelling it cuts only its calls', async () => {
    const fake = new FakeExaClient();
    await readClusterSnapshot(fake);
    const release = fake.hold('getNodeList');
    const shared = readClusterSnapshot(fake);
    const mine = new AbortController();
    const own = readClusterSnapshot(fake, { signal: mine.signal });
    mine.abort(new Error('cancelled'));
    await assert.rejects(own, /cancelled/);
    release();
    assert.equal((await shared).nodes.length, 4);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { waitUntil } from './helpers/wait-until.js';
import { faultOf, valueOf } from './helpers/xml-rpc-post.js';

type Entry = { strtime: string; system: string; node: string; message: string; priority: string };
type Batch = [number, number, Entry[]];

// Time scale 0.004: boots take 400-580 ms and a database start 160 ms, long enough that the few
// calls made right after a trigger still see the transitional state on a busy machine.
describe('server: cold start over HTTP', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ password: 'secret', cold: true, nodes: 2, timeScale: 0.004 });
  });
  after(() => sim.stop());

  it('boots nodes with log messages newest first, and tagged cursors return only new entries', async () => {
    const first = (await valueOf(`${sim.url}/logservice1`, 'logEntriesTagged', ['bot'])) as Batch;
    assert.deepEqual(first[2], []);
    assert.equal(await valueOf(sim.url, 'getHardwareInformation', ['n0011']), '');
    assert.equal(await valueOf(sim.url, 'startupNode', ['n0011']), null);
    assert.equal(await valueOf(`${sim.url}/n0012`, 'startupNode'), null);
    assert.match(await faultOf(sim.url, 'startupNode', ['n0011']), /UsageError: Node n0011 is not powered off \(booting\)/);
    await waitUntil('both nodes running', async () =>
      (await Promise.all(['n0011', 'n0012'].map((n) => valueOf(sim.url, 'getNodeState', [n])))).every(
        (s) => (s as { status: string }).status === 'Running',
      ),
    );
    assert.match((await valueOf(sim.url, 'getHardwareInformation', ['n0012'])) as string, /dmidecode/);

    const [position, count, entries] = (await valueOf(`${sim.url}/logservice1`, 'logEntries')) as Batch;
    assert.equal(count, entries.length);
    assert.equal(position, entries.length);
    assert.deepEqual(
      entries.slice(0, 2).map((e) => [e.node, e.message]),
      [
        ['n0012', 'Boot process stages 1 to 3 took 145 seconds.'],
        ['n0012', 'Boot process stage 3 finished.'],
      ],
    );
    assert.ok(entries.every((e, i) => i === 0 || e.strtime <= (entries[i - 1]?.strtime ?? '')), 'newest first');
    assert.match(entries[0]?.strtime ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.deepEqual(Object.keys(entries[0] ?? {}).sort(), ['message', 'node', 'priority', 'strtime', 'system']);

    const tagged = (await valueOf(`${sim.url}/logservice1`, 'logEntriesTagged', ['bot'])) as Batch;
    assert.equal(tagged[2].length, entries.length);
    assert.deepEqual(((await valueOf(`${sim.url}/logservice1`, 'logEntriesTagged', ['bot'])) as Batch)[2], []);
  });

  it('starts storage and a database; connection state follows after the connect delay', async () => {
    assert.equal(await valueOf(sim.url, 'storage.startEXAStorage'), 'OK');
    await waitUntil('storage online', () => valueOf(`${sim.url}/storage`, 'serviceIsOnline'));
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'startDatabase'), null);
    assert.equal(await valueOf(`${sim.url}/db_exa_db1`, 'getDatabaseConnectionState'), 'No');
    await waitUntil('database connectible', async () => (await valueOf(`${sim.url}/db_exa_db1`, 'getDatabaseConnectionState')) === 'Yes');
    const entries = ((await valueOf(`${sim.url}/logservice1`, 'logEntriesTagged', ['bot'])) as Batch)[2];
    assert.deepEqual(
      entries.filter((e) => e.system === 'exa_db1').map((e) => e.message),
      [
        'EXASolution exa_db1 is accepting connections.',
        'System is ready to receive client connections.',
        'System started successfully in partition 44.',
        'User 0 requests startup of system.',
      ],
    );
    assert.match(await faultOf(`${sim.url}/storage`, 'stopEXAStorage'), /UsageError: Could not stop EXAStorage: databases exa_db1 \(running\)/);
  });
});

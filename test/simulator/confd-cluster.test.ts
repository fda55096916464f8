import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startConfdSimulator, type ConfdSimulator } from '../../simulator/index.js';
import { exec, get, output } from './helpers/confd-client.js';
import { waitUntil } from './helpers/wait-until.js';
import { post } from './helpers/xml-rpc-post.js';

const script = new URL('../../scripts/sim-host-power.mjs', import.meta.url).pathname;

async function hostPower(sim: ConfdSimulator, action: string, nid: string, password = 'secret'): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, sim.controlUrl, action, nid], { env: { ...process.env, SIM_PASSWORD: password } });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

async function refused(sim: ConfdSimulator, url = sim.url): Promise<boolean> {
  return get(sim, '/master', url).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );
}

const messages = (events: unknown): string[] => (events as { message: string }[]).map((e) => e.message);

describe('confd: cluster over time', () => {
  it('cold: nothing answers; hosts power on (HTTP, script, in-process); storage and auto_start DBs follow; log_collect streams by tag', async () => {
    const sim = await startConfdSimulator({ password: 'secret', cold: true, nodes: 3, timeScale: 0.001 });
    try {
      assert.equal(await refused(sim), true, 'all nodes off: connection refused');
      const ctl = await post(`${sim.controlUrl}/_simulator/hosts/11/poweron`, '', { auth: 'admin:secret', ca: sim.certificatePem });
      assert.equal(ctl.status, 200, ctl.body);
      assert.equal(JSON.parse(ctl.body).host.power, 'booting');
      assert.deepEqual(await hostPower(sim, 'poweron', '12'), { code: 0, out: 'poweron n12: booting\n' });
      sim.hosts.powerOn('n13');
      await waitUntil('DB1 running by auto_start', () => sim.model.getDatabaseState('DB1') === 'running');
      const state = (await output(sim, 'node_state')) as Record<string, unknown>;
      assert.deepEqual([state['11'], state['12'], state['13']], ['online', 'online', 'online']);

      const all = { services: ['ConfD', 'DWAd', 'Storage'], tag: 'bot' };
      const first = messages(await output(sim, 'log_collect', all));
      assert.ok(first.includes('Node n11 is online.'), first.join('\n'));
      assert.ok(first.includes('EXAStorage is online.'));
      assert.ok(first.includes('System is ready to receive client connections.'));
      assert.deepEqual(await output(sim, 'log_collect', all), [], 'nothing new for the tag');
      await output(sim, 'db_stop', { db_name: 'DB1' });
      const next = (await output(sim, 'log_collect', all)) as Record<string, unknown>[];
      assert.deepEqual(messages(next), ['User 0 requests shutdown of system.', 'EXASolution DB1 is rejecting connections', 'System marked as stopped.']);
      assert.deepEqual(Object.keys(next[0] ?? {}).sort(), ['db', 'level', 'message', 'node', 'service', 'timestamp']);
      assert.deepEqual([next[0]?.service, next[0]?.db, next[0]?.node, next[0]?.level], ['DWAd', 'DB1', 'n11', 'INFO']);
      assert.deepEqual(await output(sim, 'log_collect', { services: ['DWAd'], error_level: 'ERR' }), []);
      assert.equal((await exec(sim, 'log_collect', { services: ['DWAd'], start_time: 'yesterday' })).result_name, 'InvalidParameters');

      // Stopped databases: powering nodes off is safe. 2 of 3 online keeps quorum.
      assert.deepEqual(await hostPower(sim, 'poweroff', '13'), { code: 0, out: 'poweroff n13: shutting-down\n' });
      await waitUntil('n13 off', () => sim.model.nodePower('n0013') === 'off');
      assert.equal(((await output(sim, 'node_state')) as Record<string, unknown>)['13'], 'offline');
      assert.ok(messages(await output(sim, 'log_collect', all)).includes('Node n13 is offline.'));
      sim.hosts.powerOff(12);
      await waitUntil('n12 off', () => sim.model.nodePower('n0012') === 'off');
      const noQuorum = await get(sim, '/master');
      assert.equal(noQuorum.status, 503, 'without quorum ConfD answers 503 (default reading)');
      sim.hosts.powerOff('n11');
      await waitUntil('connection refused with every node off', () => refused(sim));
      assert.deepEqual(sim.violations, []);
    } finally {
      await sim.stop();
    }
  });

  it('powering a node off under a running database is a violation (storage following the nodes is not)', async () => {
    const sim = await startConfdSimulator({ password: 'secret', timeScale: 0.001 });
    try {
      sim.hosts.powerOff('11');
      assert.deepEqual(sim.violations.map((v) => v.kind), ['data-node-shutdown-with-database-running']);
      await waitUntil('DB1 crashed', () => sim.model.getDatabaseState('DB1') === 'setup');
    } finally {
      await sim.stop();
    }
  });

  it('noQuorum refused: no answer once half the nodes are off', async () => {
    const sim = await startConfdSimulator({ password: 'secret', nodes: 4, timeScale: 0.001, noQuorum: 'refused', databasesWithoutAutoStart: ['DB1'] });
    try {
      await output(sim, 'db_stop', { db_name: 'DB1' });
      sim.hosts.powerOff('13');
      sim.hosts.powerOff('14');
      await waitUntil('refused at 2 of 4 nodes', () => refused(sim));
      await waitUntil('n13 off', () => sim.model.nodePower('n0013') === 'off');
      sim.hosts.powerOn('13');
      await waitUntil('back with quorum', async () => !(await refused(sim)));
      assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), 'setup', 'auto_start false: stays stopped');
    } finally {
      await sim.stop();
    }
  });

  it('the control endpoint refuses bad credentials, unknown nodes and impossible actions; the script says why', async () => {
    const sim = await startConfdSimulator({ password: 'secret' });
    try {
      const at = (path: string, auth = 'admin:secret') => post(`${sim.controlUrl}${path}`, '', { auth, ca: sim.certificatePem });
      assert.equal((await at('/_simulator/hosts/11/poweron', 'admin:wrong')).status, 401);
      assert.equal((await at('/_simulator/hosts/42/poweroff')).status, 404);
      assert.equal((await at('/_simulator/hosts/11/reboot')).status, 404);
      const busy = await at('/_simulator/hosts/11/poweron');
      assert.equal(busy.status, 409);
      assert.match(JSON.parse(busy.body).error, /is not powered off/);
      const viaConfdPort = await post(`${sim.url}_simulator/hosts/12/poweron`, '', { auth: 'admin:secret', ca: sim.certificatePem });
      assert.equal(viaConfdPort.status, 409, 'the control routes also answer on the ConfD port');
      const script1 = await hostPower(sim, 'poweron', '11');
      assert.equal(script1.code, 1);
      assert.match(script1.out, /poweron 11 refused \(HTTP 409\): Node n11 is not powered off/);
      assert.match((await hostPower(sim, 'poweron', '11', 'bad')).out, /HTTP 401/);
      assert.equal((await hostPower(sim, 'reboot', '11')).code, 2);
    } finally {
      await sim.stop();
    }
  });
});

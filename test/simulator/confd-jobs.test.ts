import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startConfdSimulator, type ConfdSimulator } from '../../simulator/index.js';
import { exec, output, value } from './helpers/confd-client.js';

const USERS = [
  { name: 'dba', password: 'dba-pw', groups: ['exadbadm'] },
  { name: 'stor', password: 'stor-pw', groups: ['exastoradm'] },
  { name: 'reader', password: 'reader-pw', groups: ['exausers'] },
  { name: 'root', password: 'root-pw', groups: [] },
];

describe('confd: job shapes', () => {
  let sim: ConfdSimulator;
  before(async () => {
    sim = await startConfdSimulator({ password: 'secret', nodes: 3, databases: ['DB1', 'DB2'], timeScale: 0.001, users: USERS });
  });
  after(() => sim.stop());

  it('db_list, db_state, db_info', async () => {
    assert.deepEqual(await output(sim, 'db_list'), ['DB1', 'DB2']);
    assert.equal(await output(sim, 'db_state', { db_name: 'DB2' }), 'running');
    const info = (await output(sim, 'db_info', { db_name: 'DB2' })) as Record<string, unknown>;
    assert.equal(info.connectible, 'Yes');
    assert.equal(info['connection string'], '10.0.0.11..13:8564');
    assert.deepEqual(info.nodes, { active: ['n11', 'n12', 'n13'], failed: [], reserve: [] });
    assert.equal(info.operation, 'None');
    assert.equal(info.state, 'running');
    assert.deepEqual((info['usage persistent'] as unknown[])[0], { host: 'n11', size: '100 GiB', used: '42 GiB', 'volume id': '0' });
    const config = info.config as Record<string, unknown>;
    assert.deepEqual([config.auto_start, config.owner], [true, [500, 500]]);
  });

  it('node_list, node_state, node_info', async () => {
    const list = (await output(sim, 'node_list')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(list), ['11', '12', '13']);
    assert.deepEqual([list['12']?.name, list['12']?.private_ip], ['n12', '10.0.0.12']);
    const state = (await output(sim, 'node_state')) as Record<string, unknown>;
    assert.deepEqual([state['11'], state['12'], state['13']], ['online', 'online', 'online']);
    assert.match(String((state.booted as Record<string, string>)['11']), /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    assert.ok(!('10' in state), 'no license server on Exasol 8');
    const info = (await output(sim, 'node_info', { nid: 12 })) as Record<string, unknown>;
    assert.deepEqual([info.name, info.state, info.cored], ['n12', 'online', 'running']);
    assert.equal((await exec(sim, 'node_info', { nid: 99 })).result_code, 1);
  });

  it('st_volume_list, st_volume_info, license_info', async () => {
    const volumes = (await output(sim, 'st_volume_list')) as Record<string, unknown>[];
    assert.deepEqual(volumes.map((v) => [v.name, v.state, v.labels]), [['DataVolume1', 'ONLINE', ['pub:DB1_persistent']], ['DataVolume2', 'ONLINE', ['pub:DB2_persistent']]]);
    assert.equal(((await output(sim, 'st_volume_info', { vname: 'DataVolume2' })) as Record<string, unknown>).id, '1');
    assert.equal((await exec(sim, 'st_volume_info', { vid: 7 })).result_name, 'NotFound');
    assert.equal(((await output(sim, 'license_info')) as Record<string, unknown>).valid, true);
  });

  it('enforces each job\'s allowed groups with a PermissionDenied result', async () => {
    const denied = async (auth: string, job: string, params?: Record<string, unknown>): Promise<string> => {
      const r = await exec(sim, job, params, auth);
      return r.result_code === 0 ? 'ok' : `${r.result_code} ${r.result_name}`;
    };
    const db = { db_name: 'DB1' };
    assert.equal(await denied('dba:dba-pw', 'db_state', db), 'ok');
    assert.equal(await denied('dba:dba-pw', 'log_collect', { services: ['DWAd'] }), 'ok');
    assert.equal(await denied('dba:dba-pw', 'node_state'), '3 PermissionDenied');
    assert.equal(await denied('dba:dba-pw', 'node_list'), '3 PermissionDenied');
    assert.equal(await denied('dba:dba-pw', 'st_volume_list'), '3 PermissionDenied');
    assert.equal(await denied('stor:stor-pw', 'st_volume_list'), 'ok');
    assert.equal(await denied('stor:stor-pw', 'db_state', db), '3 PermissionDenied');
    assert.equal(await denied('reader:reader-pw', 'db_list'), 'ok');
    assert.equal(await denied('reader:reader-pw', 'db_state', db), '3 PermissionDenied');
    assert.equal(await denied('reader:reader-pw', 'log_collect', { services: ['DWAd'] }), '3 PermissionDenied');
    assert.equal(await denied('root:root-pw', 'node_state'), 'ok', 'the root user may run every job');
    assert.equal(await denied('admin:secret', 'node_state'), 'ok', 'the default user is in exaadm');
    const r = await exec(sim, 'node_state', undefined, 'dba:dba-pw');
    assert.equal(r.result_desc, "User 'dba' (groups exadbadm) may not run job 'node_state'; allowed groups: root, exaadm.");
  });
});

describe('confd: databases over time', () => {
  it('immediate db calls show the transitional states (both spellings); starting a running DB fails', async () => {
    for (const [style, starting, stopping] of [['startup-shutdown', 'startup', 'shutdown'], ['starting-stopping', 'starting', 'stopping']] as const) {
      let t = 0;
      const sim = await startConfdSimulator({ password: 'secret', dbCalls: 'immediate', transitionalStates: style, now: () => t });
      try {
        assert.equal((await exec(sim, 'db_start', { db_name: 'DB1' })).result_name, 'JobFailed', 'already running');
        await output(sim, 'db_stop', { db_name: 'DB1' });
        assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), stopping);
        t += 25_000;
        await output(sim, 'db_start', { db_name: 'DB1' });
        assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), starting);
        t += 40_000;
        assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), 'running');
      } finally {
        await sim.stop();
      }
    }
  });

  it('a running backup makes db_stop fail; db_backup_progress and db_backup_abort; force stops anyway', async () => {
    let t = 0;
    const sim = await startConfdSimulator({ password: 'secret', backupSeconds: 100, now: () => t });
    try {
      assert.deepEqual(await output(sim, 'db_backup_progress', { db_name: 'DB1' }), { running: false });
      await output(sim, 'db_backup_start', { db_name: 'DB1' });
      t += 25_000;
      const progress = (await output(sim, 'db_backup_progress', { db_name: 'DB1' })) as Record<string, unknown>;
      assert.deepEqual([progress.running, progress.operation, progress.progress], [true, 'Backup', 25]);
      assert.equal(((await output(sim, 'db_info', { db_name: 'DB1' })) as Record<string, unknown>).operation, 'Backup');
      const busy = await exec(sim, 'db_stop', { db_name: 'DB1' });
      assert.deepEqual([busy.result_name, busy.result_desc], ['JobFailed', 'Database DB1 is busy with operation Backup.']);
      await output(sim, 'db_backup_abort', { db_name: 'DB1' });
      assert.equal(((await output(sim, 'db_info', { db_name: 'DB1' })) as Record<string, unknown>).operation, 'None');
      assert.equal((await exec(sim, 'db_backup_abort', { db_name: 'DB1' })).result_name, 'JobFailed');
      await output(sim, 'db_backup_start', { db_name: 'DB1' });
      t += 100_000;
      assert.equal(((await output(sim, 'db_info', { db_name: 'DB1' })) as Record<string, unknown>).operation, 'None', 'the backup ended by itself');
      await output(sim, 'db_backup_start', { db_name: 'DB1' });
      const id = (await value(sim, 'job_start', ['db_stop', { params: { db_name: 'DB1', force: true } }])) as string;
      assert.equal(await value(sim, 'job_finished', [id]), false, 'blocking until setup');
      t += 25_000;
      assert.equal(await value(sim, 'job_finished', [id]), true);
      assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), 'setup');
    } finally {
      await sim.stop();
    }
  });

  it('db_start with a timeout that runs out aborts the start', async () => {
    const sim = await startConfdSimulator({ password: 'secret', timeScale: 0.001, durations: { databaseStart: 4000 } });
    try {
      await output(sim, 'db_stop', { db_name: 'DB1' });
      const r = await exec(sim, 'db_start', { db_name: 'DB1', timeout: 10 });
      assert.deepEqual([r.result_code, r.result_name], [5, 'Timeout']);
      assert.equal(await output(sim, 'db_state', { db_name: 'DB1' }), 'setup');
    } finally {
      await sim.stop();
    }
  });
});

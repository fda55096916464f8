import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../simulator/model/usage-error.js';
import { seconds } from './helpers/fake-clock.js';
import { bootAll, bootAndStartStorage, coldModel, messages, warmModel } from './helpers/model-fixtures.js';

describe('model: EXAStorage', () => {
  it('refuses to start while a data node is not running, unless it is ignored', () => {
    const fixture = coldModel();
    assert.throws(() => fixture.model.startEXAStorage(), /nodes n0011, n0012, n0013, n0014 are not running/);
    fixture.model.startupNode('n0011');
    fixture.model.startupNode('n0012');
    fixture.model.startupNode('n0013');
    fixture.clock.advance(seconds(145));
    assert.throws(() => fixture.model.startEXAStorage(['n0012']), /nodes n0014 are not running/);
    assert.throws(() => fixture.model.startEXAStorage(['n0099']), /Unknown nodes in ignored_nodes: n0099/);
    assert.equal(fixture.model.startEXAStorage(['n0014']), 'OK');
  });

  it('comes online after the start duration and goes offline after the stop duration', () => {
    const { clock, model } = coldModel();
    bootAll({ clock, model });
    assert.equal(model.startEXAStorage(), 'OK');
    assert.equal(model.serviceIsOnline(), false);
    assert.throws(() => model.startEXAStorage(), /already starting/);
    clock.advance(seconds(15));
    assert.equal(model.serviceIsOnline(), true);
    assert.deepEqual(model.getServiceState(), [
      ['Loggingd', 'OK'],
      ['Lockd', 'OK'],
      ['Storaged', 'OK'],
      ['DWAd', 'OK'],
    ]);
    assert.equal(model.stopEXAStorage(), 'OK');
    clock.advance(seconds(9));
    assert.equal(model.serviceIsOnline(), true, 'still stopping');
    clock.advance(seconds(1));
    assert.equal(model.serviceIsOnline(), false);
    assert.deepEqual(model.getServiceState()[2], ['Storaged', 'not running']);
    assert.throws(() => model.stopEXAStorage(), /EXAStorage is not running/);
  });

  it('refuses to stop while a database is running, starting or stopping', () => {
    const { clock, model } = warmModel();
    assert.throws(() => model.stopEXAStorage(), (e: unknown) => e instanceof UsageError && /exa_db1 \(running\)/.test(e.message));
    model.stopDatabase('exa_db1');
    assert.throws(() => model.stopEXAStorage(), /exa_db1 \(shutdown\)/);
    clock.advance(seconds(25));
    assert.equal(model.stopEXAStorage(), 'OK');
    // Refused, and recorded: bot tests assert that the bot never even asks.
    assert.deepEqual(
      model.violations.map((v) => [v.kind, v.kind === 'storage-stop-with-database-running' ? v.databases : []]),
      [
        ['storage-stop-with-database-running', ['exa_db1']],
        ['storage-stop-with-database-running', ['exa_db1']],
      ],
    );
  });

  it('can be told to fail starting, a number of times', () => {
    const fixture = coldModel();
    bootAll(fixture);
    fixture.model.failStorageStart({ message: 'disk d03_storage missing', times: 1 });
    assert.throws(() => fixture.model.startEXAStorage(), /disk d03_storage missing/);
    assert.equal(fixture.model.startEXAStorage(), 'OK');
  });
});

describe('model: databases', () => {
  it('starts setup → startup → running, connectible only after the connect delay', () => {
    const fixture = coldModel({ databases: ['exa_db1', 'exa_db2'] });
    const { clock, model } = fixture;
    assert.deepEqual(model.getDatabaseList(), ['exa_db1', 'exa_db2']);
    assert.throws(() => model.startDatabase('exa_db1'), /EXAStorage is not online/);
    bootAndStartStorage(fixture);
    model.startDatabase('exa_db1');
    assert.equal(model.getDatabaseState('exa_db1'), 'startup');
    assert.equal(model.runningDatabase('exa_db1'), true, 'runningDatabase is True while the database starts');
    assert.throws(() => model.startDatabase('exa_db1'), /must not be running; its state is startup/);
    clock.advance(seconds(40));
    assert.equal(model.getDatabaseState('exa_db1'), 'running');
    assert.equal(model.runningDatabase('exa_db1'), true);
    assert.equal(model.getDatabaseConnectionState('exa_db1'), 'No');
    clock.advance(seconds(8));
    assert.equal(model.getDatabaseConnectionState('exa_db1'), 'Yes');
    assert.equal(model.getDatabaseConnectionString('exa_db1'), '10.0.0.11..14:8563');
    assert.equal(model.getDatabaseConnectionString('exa_db2'), '10.0.0.11..14:8564', 'each database has its own port');
    assert.deepEqual(messages(model, (s) => s === 'exa_db1'), [
      'User 0 requests startup of system.',
      'System started successfully in partition 44.',
      'System is ready to receive client connections.',
      'EXASolution exa_db1 is accepting connections.',
    ]);
    assert.equal(model.getDatabaseState('exa_db2'), 'setup');
  });

  it('stops running → shutdown → setup; connection state drops at once', () => {
    const { clock, model } = warmModel();
    assert.throws(() => model.getDatabaseState('nope'), /Database nope does not exist/);
    model.stopDatabase('exa_db1');
    assert.equal(model.getDatabaseState('exa_db1'), 'shutdown');
    assert.equal(model.getDatabaseConnectionState('exa_db1'), 'No');
    assert.throws(() => model.stopDatabase('exa_db1'), /must be running; its state is shutdown/);
    clock.advance(seconds(25));
    assert.equal(model.getDatabaseState('exa_db1'), 'setup');
    assert.deepEqual(messages(model, (s) => s === 'exa_db1'), [
      'User 0 requests shutdown of system.',
      'EXASolution exa_db1 is rejecting connections',
      'System marked as stopped.',
    ]);
  });

  it('refuses to stop a database busy with an operation', () => {
    const { model } = warmModel();
    model.setDatabaseOperation('exa_db1', 'Backup');
    assert.equal(model.getDatabaseOperation('exa_db1'), 'Backup');
    assert.throws(() => model.stopDatabase('exa_db1'), /busy with operation Backup/);
    model.setDatabaseOperation('exa_db1', 'None');
    model.stopDatabase('exa_db1');
  });

  it('reports getDatabaseInfo with the keys of the real API', () => {
    const { model } = warmModel({ nodes: 1 });
    assert.deepEqual(model.getDatabaseInfo('exa_db1'), {
      connectible: 'Yes',
      'connection string': '10.0.0.11:8563',
      info: '',
      name: 'exa_db1',
      nodes: { active: ['n0011'], failed: [], reserve: [] },
      operation: 'None',
      'persistent volume': 'v0000',
      quota: 0,
      state: 'running',
      'temporary volume': 'v0001',
      'usage persistent': 42,
      'usage temporary': 1,
    });
  });
});

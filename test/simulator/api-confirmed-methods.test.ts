// Every method the reference marks confirmed [C] that Exasol's own scripts use, with the shape the
// reference gives, and the readings the reference leaves open as model options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatch, locateCall, type DispatchOutcome } from '../../simulator/api/dispatch.js';
import { createObjectTree } from '../../simulator/api/object-tree.js';
import { ClusterModel } from '../../simulator/model/cluster-model.js';
import type { ClusterModelOptions } from '../../simulator/model/model-options.js';
import { createFakeClock, seconds } from './helpers/fake-clock.js';
import { bootAll, coldModel, messages, warmModel } from './helpers/model-fixtures.js';

function setup(options: Partial<ClusterModelOptions> = {}) {
  const clock = createFakeClock();
  const model = new ClusterModel({ now: clock.now, databases: ['exa_db1', 'exa_db2'], licenseServers: 2, ...options });
  const root = createObjectTree(model, 'cluster1');
  const run = (segments: string[], methodName: string, params: unknown[] = []): DispatchOutcome =>
    dispatch(root, locateCall(segments, methodName), params);
  const value = (segments: string[], methodName: string, params: unknown[] = []): unknown => {
    const r = run(segments, methodName, params);
    assert.equal(r.kind, 'ok', `${segments.join('/')}.${methodName}: ${r.kind === 'fault' ? r.faultString : r.kind}`);
    return r.kind === 'ok' ? r.value : undefined;
  };
  return { clock, model, run, value };
}

const CONFIRMED: Record<string, readonly string[]> = {
  '': [
    'getNodeList', 'getEXAoperationMaster', 'getCurrentLicenseServer', 'getDatabaseList', 'getAllDatabaseNames', 'getHardwareInformation',
    'getServiceState', 'getNodeState', 'startupNode', 'shutdownNode', 'haltLicenseServer', 'getEXAoperationNodes',
    'getPossibleEXAoperationNodes', 'callPlugin', 'showPluginList', 'showPluginFunctions', 'getAllLogServices',
  ],
  storage: ['startEXAStorage', 'stopEXAStorage', 'serviceIsOnline', 'storageHasQuorum', 'getVolumeList'],
  db_exa_db1: [
    'getDatabaseState', 'stateDatabase', 'getDatabaseOperation', 'operationGetCurrent', 'getDatabaseConnectionState',
    'getDatabaseConnectionString', 'startDatabase', 'stopDatabase', 'shutdownDatabase', 'runningDatabase', 'existDatabase',
    'getDatabaseNodes', 'getDatabaseInfo',
  ],
  n0011: ['getNodeState', 'nodeRunning', 'startupNode', 'shutdownNode'],
  logservice1: ['logEntries', 'logEntriesTagged'],
};

describe('api: the confirmed methods', () => {
  it('every object lists them, with listMethods, methodHelp, getPath and listObjects', () => {
    const { value } = setup();
    for (const [object, methods] of Object.entries(CONFIRMED)) {
      const segments = object === '' ? [] : [object];
      const listed = value(segments, 'listMethods') as string[];
      for (const m of [...methods, 'listMethods', 'methodHelp', 'getPath', 'listObjects']) assert.ok(listed.includes(m), `${object || 'cluster'} lists ${m}`);
      assert.equal(value(segments, 'getPath'), object === '' ? '/cluster1' : `/cluster1/${object}`);
    }
    assert.equal(value([], 'methodHelp', ['getNodeList']), 'Return a list of defined nodes.');
    assert.equal(value([], 'methodHelp', ['getServiceState']), null, 'help: None in the reference');
    assert.match(String(value(['db_exa_db1'], 'methodHelp', ['stopDatabase'])), /DUPLICATE OF: shutdownDatabase/);
    const missing = setup().run([], 'methodHelp', ['frobnicate']);
    assert.match(missing.kind === 'fault' ? missing.faultString : '', /UsageError: No method frobnicate/);
  });

  it('answers with the shapes of the reference', () => {
    const { value } = setup();
    assert.deepEqual(value([], 'getAllDatabaseNames'), value([], 'getDatabaseList'));
    assert.deepEqual(value([], 'getEXAoperationNodes'), ['n0009', 'n0010']);
    assert.deepEqual(value([], 'getPossibleEXAoperationNodes'), ['n0009', 'n0010']);
    assert.equal(value(['n0011'], 'nodeRunning'), true);
    assert.equal(value(['storage'], 'storageHasQuorum'), true);
    assert.deepEqual(value(['storage'], 'getVolumeList'), ['v0000', 'v0001', 'v0002', 'v0003']);
    assert.equal(value(['db_exa_db1'], 'stateDatabase'), 'running');
    assert.equal(value(['db_exa_db1'], 'operationGetCurrent'), 'None');
    assert.equal(value(['db_exa_db1'], 'existDatabase'), true);
    assert.deepEqual(value(['db_exa_db1'], 'getDatabaseNodes'), { active: ['n0011', 'n0012', 'n0013', 'n0014'], failed: [], reserve: [] });
  });

  it('runningDatabase is True while a database shuts down, and shutdownDatabase stops it like stopDatabase', () => {
    const { clock, value } = setup();
    assert.equal(value(['db_exa_db1'], 'shutdownDatabase'), null);
    assert.equal(value(['db_exa_db1'], 'getDatabaseState'), 'shutdown');
    assert.equal(value(['db_exa_db1'], 'runningDatabase'), true);
    clock.advance(seconds(25));
    assert.equal(value(['db_exa_db1'], 'runningDatabase'), false);
    assert.deepEqual(value(['storage'], 'getVolumeList'), ['v0000', 'v0001', 'v0002', 'v0003'].filter((v) => v !== 'v0001'));
  });

  it('haltLicenseServer shuts a license server down (recorded as unsafe while data nodes run) and refuses a data node', () => {
    const { run, model } = setup({ licenseServers: 1 });
    const refused = run([], 'haltLicenseServer', ['n0011']);
    assert.match(refused.kind === 'fault' ? refused.faultString : '', /UsageError: Node n0011 is not a license server/);
    assert.equal(run([], 'haltLicenseServer', ['n0010']).kind, 'ok');
    assert.deepEqual(model.violations.map((v) => v.kind), ['license-server-shutdown-with-data-nodes-on']);
  });
});

describe('model: readings the reference leaves open', () => {
  it("storageCalls 'blocking' (default): startEXAStorage answers only once storage is online", () => {
    const fixture = setup({ cold: true, licenseServers: 1 });
    bootAll(fixture);
    const started = fixture.run(['storage'], 'startEXAStorage');
    assert.equal(started.kind, 'pending');
    if (started.kind !== 'pending') return;
    assert.equal(started.pending.settle(), undefined);
    assert.equal(started.pending.checkAgainAt(), fixture.clock.now() + seconds(15));
    fixture.clock.advance(seconds(15));
    assert.deepEqual(started.pending.settle(), { value: 'OK' });
  });

  it("storageCalls 'immediate': answers at once, and startDatabase then accepts a storage still starting", () => {
    const fixture = coldModel({ storageCalls: 'immediate' });
    bootAll(fixture);
    const { clock, model } = fixture;
    assert.equal(model.startEXAStorage(), 'OK');
    model.startDatabase('exa_db1');
    assert.equal(model.getDatabaseState('exa_db1'), 'startup');
    clock.advance(seconds(15 + 39));
    assert.equal(model.getDatabaseState('exa_db1'), 'startup', 'the database starts once storage is online');
    clock.advance(seconds(1));
    assert.equal(model.getDatabaseState('exa_db1'), 'running');
    // The default refuses it, as every start-up before a storage is online would be.
    const strict = coldModel({ storageCalls: 'blocking' });
    bootAll(strict);
    strict.model.startEXAStorage();
    assert.throws(() => strict.model.startDatabase('exa_db1'), /EXAStorage is not online/);
  });

  it("alreadyInState 'no-op' accepts power and storage calls on what is already there; the default refuses them", () => {
    const lenient = warmModel({ alreadyInState: 'no-op' });
    lenient.model.startupNode('n0011');
    assert.equal(lenient.model.startEXAStorage(), 'OK');
    lenient.model.shutdownNode('n0011');
    lenient.model.shutdownNode('n0011');
    assert.equal(lenient.model.getNodeState('n0011').status, 'Running', 'still powering off');
    const strict = warmModel();
    assert.throws(() => strict.model.startupNode('n0011'), /UsageError|not powered off/);
    assert.throws(() => strict.model.startEXAStorage(), /already online/);
  });

  it('missingBootMessage: the node boots fully but its boot-finished message never arrives', () => {
    const fixture = coldModel({ missingBootMessage: ['n0012'] });
    bootAll(fixture);
    assert.equal(fixture.model.getNodeState('n0012').status, 'Running');
    const finished = messages(fixture.model).filter((m) => /Boot process stages 1 to 3 took/.test(m));
    assert.equal(finished.length, 3);
    assert.ok(!fixture.model.logRecords().some((r) => r.node === 'n0012' && /stages 1 to 3 took/.test(r.message)));
    assert.throws(() => coldModel({ missingBootMessage: ['n0010'] }), /missingBootMessage: expected data node names/);
  });

  it("restartExaoperation: silent, then (comingUp 'html-503') starting, then back with cursors reset", () => {
    const { clock, model } = warmModel({ comingUp: 'html-503' });
    model.writeLogEntries([{ system: 'exa_db1', node: 'n0011', message: 'seen before the restart', priority: 'Information' }]);
    model.logEntriesTagged('bot');
    assert.equal(model.logEntriesTagged('bot')[2].length, 0);
    model.restartExaoperation(60);
    assert.equal(model.exaoperationPhase(), 'down');
    assert.equal(model.nextAvailabilityChangeAt(), clock.now() + seconds(30));
    clock.advance(seconds(30));
    assert.equal(model.exaoperationPhase(), 'starting');
    clock.advance(seconds(30));
    assert.equal(model.exaoperationPhase(), 'up');
    assert.equal(model.nextAvailabilityChangeAt(), undefined);
    const again = model.logEntriesTagged('bot')[2].map((e) => e.message);
    assert.ok(again.includes('seen before the restart'), 'the cursor starts over after a restart');
    const refused = warmModel();
    refused.model.restartExaoperation(60);
    refused.clock.advance(seconds(45));
    assert.equal(refused.model.exaoperationPhase(), 'down', "comingUp 'refused' (default): silent throughout");
  });
});

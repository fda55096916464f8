import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatch, locateCall } from '../../simulator/api/dispatch.js';
import { createObjectTree } from '../../simulator/api/object-tree.js';
import { ClusterModel } from '../../simulator/model/cluster-model.js';
import { createFakeClock } from './helpers/fake-clock.js';

function setup() {
  const clock = createFakeClock();
  const model = new ClusterModel({ now: clock.now, databases: ['exa_db1', 'my db'] });
  const root = createObjectTree(model);
  const run = (segments: string[], methodName: string, params: unknown[] = []) => dispatch(root, locateCall(segments, methodName), params);
  return { model, run };
}

describe('api: traversal and dispatch', () => {
  it('resolves object path = URL segments + dotted method segments except the last', () => {
    assert.deepEqual(locateCall([], 'getNodeList'), { objectPath: [], method: 'getNodeList', object: 'cluster' });
    assert.deepEqual(locateCall([], 'db_exa_db1.startDatabase'), { objectPath: ['db_exa_db1'], method: 'startDatabase', object: 'db_exa_db1' });
    assert.deepEqual(locateCall(['storage'], 'serviceIsOnline'), { objectPath: ['storage'], method: 'serviceIsOnline', object: 'storage' });
  });

  it('answers the same through a path and through a dotted name', () => {
    const { run } = setup();
    assert.deepEqual(run(['db_exa_db1'], 'getDatabaseState'), { kind: 'ok', value: 'running' });
    assert.deepEqual(run([], 'db_exa_db1.getDatabaseState'), { kind: 'ok', value: 'running' });
    assert.deepEqual(run(['db_my db'], 'getDatabaseState'), { kind: 'ok', value: 'running' });
    assert.deepEqual(run([], 'logservice1.logEntries').kind, 'ok');
    assert.deepEqual(run(['n0011'], 'getNodeState'), { kind: 'ok', value: { status: 'Running' } });
  });

  it('returns null (nil) from trigger methods', () => {
    const { run } = setup();
    assert.deepEqual(run([], 'db_exa_db1.stopDatabase'), { kind: 'ok', value: null });
  });

  it('raises zope NotFound for unknown objects and methods', () => {
    const { run } = setup();
    assert.deepEqual(run([], 'db_wrongname.startDatabase'), {
      kind: 'fault',
      faultCode: -1,
      faultString: "Unexpected Zope exception: NotFound: Object: <NodeCluster object at 0x7f3a2c1b9d50>, name: 'db_wrongname'",
    });
    const fault = run(['db_exa_db1'], 'startDatabse');
    assert.equal(fault.kind, 'fault');
    assert.match(fault.kind === 'fault' ? fault.faultString : '', /^Unexpected Zope exception: NotFound: Object: <Database object at 0x[0-9a-f]+>, name: 'startDatabse'$/);
    assert.equal(run(['storage', 'v0000'], 'getVolumeInfo').kind, 'fault');
    assert.equal(run([], 'toString').kind, 'fault', 'no JavaScript prototype leaks');
    assert.equal(run([], '__proto__').kind, 'fault');
  });

  it('raises TypeError with the Python 2 message for a wrong argument count or kind', () => {
    const { run } = setup();
    const faultString = (r: ReturnType<typeof run>) => (r.kind === 'fault' ? r.faultString : 'not a fault');
    assert.equal(faultString(run([], 'getNodeList', [1])), 'Unexpected Zope exception: TypeError: getNodeList() takes exactly 1 argument (2 given)');
    assert.equal(faultString(run([], 'getNodeState')), 'Unexpected Zope exception: TypeError: getNodeState() takes exactly 2 arguments (1 given)');
    assert.equal(faultString(run([], 'callPlugin', ['a'])), 'Unexpected Zope exception: TypeError: callPlugin() takes at least 4 arguments (2 given)');
    assert.equal(faultString(run([], 'callPlugin', ['a', 'b', 'c', 'd', 'e'])), 'Unexpected Zope exception: TypeError: callPlugin() takes at most 5 arguments (6 given)');
    assert.match(faultString(run([], 'getNodeState', [{}])), /^Unexpected Zope exception: TypeError: node: expected a node name like 'n0011' or a node number, got struct$/);
  });

  it('raises UsageError for refused preconditions', () => {
    const { run } = setup();
    assert.deepEqual(run([], 'db_exa_db1.startDatabase'), {
      kind: 'fault',
      faultCode: -1,
      faultString: 'Unexpected Zope exception: UsageError: Database exa_db1 must not be running; its state is running.',
    });
    const r = run(['storage'], 'stopEXAStorage');
    assert.match(r.kind === 'fault' ? r.faultString : '', /^Unexpected Zope exception: UsageError: Could not stop EXAStorage: /);
  });

  it('supports the cluster methods of the KB article with their argument forms', () => {
    const { run } = setup();
    assert.deepEqual(run([], 'getHardwareInformation', ['n0011', 1]).kind, 'ok');
    assert.deepEqual(run([], 'callPlugin', ['Administration.vmware-tools', 'n0010', 'STATUS']), { kind: 'ok', value: [0, 'vmtoolsd is running'] });
    assert.deepEqual(run([], 'callPlugin', ['Administration.vmware-tools', 'n0010', 'STATUS', '']).kind, 'ok');
    assert.deepEqual(run([], 'getAllLogServices'), { kind: 'ok', value: [{ name: 'logservice1' }] });
    assert.deepEqual(run([], 'listObjects'), {
      kind: 'ok',
      value: ['db_exa_db1', 'db_my db', 'logservice1', 'n0011', 'n0012', 'n0013', 'n0014', 'storage'],
    });
    assert.deepEqual(run(['storage'], 'listMethods'), {
      kind: 'ok',
      value: ['getPath', 'getVolumeList', 'listMethods', 'listObjects', 'methodHelp', 'serviceIsOnline', 'startEXAStorage', 'stopEXAStorage', 'storageHasQuorum'],
    });
    assert.deepEqual(run([], 'storage.startEXAStorage', [['n0011']]).kind, 'fault', 'already online');
    assert.deepEqual(run([], 'storage.startEXAStorage', ['n0011']).kind, 'fault', 'ignored_nodes must be a list');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seconds } from './helpers/fake-clock.js';
import { bootAll, coldModel, warmModel } from './helpers/model-fixtures.js';

describe('model: plugins', () => {
  it('lists plugins and their functions', () => {
    const { model } = warmModel({ plugins: ['Administration.vmware-tools', 'Monitoring.collectd-5.5.0'] });
    assert.deepEqual(model.showPluginList(), ['Administration.vmware-tools', 'Monitoring.collectd-5.5.0']);
    assert.deepEqual(model.showPluginFunctions('Monitoring.collectd-5.5.0'), {
      RESTART: 'Restart collectd',
      START: 'Start collectd',
      STATUS: 'Retrieve status of collectd',
      STOP: 'Stop collectd',
    });
    assert.throws(() => model.showPluginFunctions('Nope'), /Plugin Nope is not installed/);
  });

  it('runs STATUS/STOP/START per node, license server included', () => {
    const { model } = warmModel();
    const p = 'Administration.vmware-tools';
    assert.deepEqual(model.callPlugin(p, 'n0010', 'STATUS'), [0, 'vmtoolsd is running']);
    assert.deepEqual(model.callPlugin(p, 'n0010', 'STOP'), [0, 'stopped']);
    assert.deepEqual(model.callPlugin(p, 'n0010', 'status'), [0, 'vmtoolsd is not running']);
    assert.deepEqual(model.callPlugin(p, 'n0010', 'START'), [0, 'started']);
    assert.deepEqual(model.callPlugin(p, 'n0012', 'STATUS'), [0, 'vmtoolsd is running']);
    assert.throws(() => model.callPlugin('Nope', 'n0011', 'STATUS'), /not installed/);
    assert.throws(() => model.callPlugin(p, 'n0099', 'STATUS'), /Node n0099 does not exist/);
    assert.throws(() => model.callPlugin(p, 'n0011', 'FROB'), /has no function FROB/);
  });

  it('answers [256, not reachable] for a powered-off node (the observed status; an option), and a booted node has no daemon', () => {
    const fixture = coldModel();
    const p = 'Administration.vmware-tools';
    assert.deepEqual(fixture.model.callPlugin(p, 'n0012', 'STATUS'), [256, 'node n0012 is not reachable']);
    assert.deepEqual(coldModel({ pluginFailureStatus: 1 }).model.callPlugin(p, 'n0012', 'STATUS'), [1, 'node n0012 is not reachable']);
    assert.deepEqual(fixture.model.callPlugin(p, 'n0010', 'STATUS'), [0, 'vmtoolsd is running']);
    bootAll(fixture);
    assert.deepEqual(fixture.model.callPlugin(p, 'n0012', 'STATUS'), [0, 'vmtoolsd is not running']);
  });
});

describe('model: license server and violations', () => {
  it('stops answering after the license-server shutdown delay and comes back after EXAoperation start', () => {
    const fixture = coldModel();
    const { clock, model } = fixture;
    assert.equal(model.isAnswering(), true);
    model.shutdownNode('n0010');
    assert.equal(model.isAnswering(), true, 'answers during the shutdown delay');
    assert.equal(model.nextAvailabilityChangeAt(), clock.now() + seconds(5));
    clock.advance(seconds(5));
    assert.equal(model.isAnswering(), false);
    assert.equal(model.nextAvailabilityChangeAt(), undefined);
    model.powerOnLicenseServer();
    clock.advance(seconds(29));
    assert.equal(model.isAnswering(), false);
    clock.advance(seconds(1));
    assert.equal(model.isAnswering(), true);
    assert.deepEqual(model.callPlugin('Administration.vmware-tools', 'n0010', 'STATUS'), [0, 'vmtoolsd is not running']);
    assert.deepEqual(model.violations, [], 'every data node was off');
  });

  it('powers on right after the shutdown when asked while still shutting down', () => {
    const { clock, model } = coldModel();
    model.shutdownNode('n0010');
    model.powerOnLicenseServer();
    clock.advance(seconds(5));
    assert.equal(model.isAnswering(), false);
    clock.advance(seconds(30));
    assert.equal(model.isAnswering(), true);
  });

  it('records a license-server shutdown while data nodes are on', () => {
    const { model } = warmModel({ nodes: 2 });
    model.shutdownNode('n0010');
    assert.deepEqual(
      model.violations.map((v) => [v.kind, 'node' in v ? v.node : '', v.kind === 'license-server-shutdown-with-data-nodes-on' ? v.dataNodesOn : []]),
      [['license-server-shutdown-with-data-nodes-on', 'n0010', ['n0011', 'n0012']]],
    );
  });

  it('records a data-node shutdown under online storage and a running database, which then crash', () => {
    const { clock, model } = warmModel();
    model.shutdownNode('n0013');
    assert.deepEqual(
      model.violations.map((v) => v.kind),
      ['data-node-shutdown-with-storage-online', 'data-node-shutdown-with-database-running'],
    );
    clock.advance(seconds(20));
    assert.equal(model.serviceIsOnline(), false);
    assert.equal(model.getDatabaseState('exa_db1'), 'setup');
    assert.ok(model.logRecords().some((r) => r.priority === 'Error' && r.message.includes('n0013')));
  });

  it('reports the injected master', () => {
    const { model } = warmModel();
    model.setMaster('n0011');
    assert.equal(model.getEXAoperationMaster(), 'n0011');
    assert.throws(() => model.setMaster('n0099'), /does not exist/);
  });
});

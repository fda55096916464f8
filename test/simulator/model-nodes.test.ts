import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../simulator/model/usage-error.js';
import { seconds } from './helpers/fake-clock.js';
import { bootAll, coldModel, messages, warmModel } from './helpers/model-fixtures.js';

const BOOT_DONE = /Boot process (?:finished after|stages 1 to 3 took) (\d+) seconds/;

describe('model: nodes', () => {
  it('lists data nodes only, never the license server', () => {
    const { model } = warmModel({ nodes: 3 });
    assert.deepEqual(model.getNodeList(), ['n0011', 'n0012', 'n0013']);
    assert.equal(model.getEXAoperationMaster(), 'n0010');
    assert.equal(model.getCurrentLicenseServer(), 10);
  });

  it('boots each node over its own deterministic time, writing the Exasol 7 boot messages', () => {
    const { clock, model } = coldModel();
    assert.equal(model.getNodeState('n0011').status, 'Unknown');
    assert.equal(model.getHardwareInformation('n0011'), '');
    model.startupNode('n0011');
    model.startupNode(12); // node numbers work like names
    clock.advance(seconds(99));
    assert.equal(model.getNodeState('n0011').status, 'Unknown', 'still booting');
    assert.equal(model.getHardwareInformation('n0011'), '');
    clock.advance(seconds(1));
    assert.equal(model.getNodeState('n0011').status, 'Running');
    assert.match(model.getHardwareInformation('n0011'), /^# dmidecode 3\.2\nGetting SMBIOS data from sysfs\.\nSMBIOS 2\.8 present\./);
    assert.equal(model.getNodeState('n0012').status, 'Unknown', 'the second node takes longer');
    clock.advance(seconds(15));
    assert.equal(model.getNodeState('n0012').status, 'Running');

    const n11 = model.logRecords().filter((r) => r.node === 'n0011').map((r) => r.message);
    assert.deepEqual(n11.slice(0, 4), ["client ID is '10.0.0.11'", "client version is '7.1.0'", "client mac adress is '02:00:0a:00:00:0b'", 'Initialize boot process.']);
    assert.deepEqual(n11.slice(-3), ['Start boot process stage 3.', 'Boot process stage 3 finished.', 'Boot process stages 1 to 3 took 100 seconds.']);
    const finished = model.logRecords().filter((r) => BOOT_DONE.test(r.message));
    assert.deepEqual(
      finished.map((r) => [r.node, r.at - finished[0]!.at]),
      [
        ['n0011', 0],
        ['n0012', seconds(15)],
      ],
      'each message is stamped with its event time, not the time it was observed',
    );
  });

  it('spreads boots from 100 to 145 s and can use the KB wording', () => {
    const fixture = coldModel({ bootMessage: 'kb' });
    bootAll(fixture);
    const done = fixture.model
      .logRecords()
      .map((r) => BOOT_DONE.exec(r.message)?.[0])
      .filter((m) => m !== undefined);
    assert.deepEqual(done, [
      'Boot process finished after 100 seconds',
      'Boot process finished after 115 seconds',
      'Boot process finished after 130 seconds',
      'Boot process finished after 145 seconds',
    ]);
    assert.deepEqual(fixture.model.getServiceState(), [
      ['Loggingd', 'OK'],
      ['Lockd', 'OK'],
      ['Storaged', 'not running'],
      ['DWAd', 'OK'],
    ]);
  });

  it('refuses to start a node that is running, booting or has no out-of-band management', () => {
    const { model } = coldModel({ nodesWithoutOutOfBandManagement: ['n0013'] });
    model.startupNode('n0011');
    assert.throws(() => model.startupNode('n0011'), (e: unknown) => e instanceof UsageError && /not powered off \(booting\)/.test(e.message));
    assert.throws(() => model.startupNode('n0010'), UsageError);
    assert.throws(() => model.startupNode('n0013'), /no out-of-band management interface/);
    assert.throws(() => model.startupNode('n0099'), /Node n0099 does not exist/);
    model.setNodesWithoutOutOfBandManagement('all');
    assert.throws(() => model.startupNode('n0012'), /out-of-band/);
  });

  it('can make a boot hang: early messages but never Running', () => {
    const { clock, model } = coldModel();
    model.neverFinishBooting('n0012');
    model.startupNode('n0012');
    clock.advance(seconds(10_000));
    assert.equal(model.getNodeState('n0012').status, 'Unknown');
    const msgs = messages(model);
    assert.ok(msgs.includes('Start boot process stage 3.'));
    assert.ok(!msgs.some((m) => BOOT_DONE.test(m)));
  });

  it('shuts a data node down after the shutdown duration; DWAd notices', () => {
    const { clock, model } = warmModel();
    model.stopDatabase('exa_db1');
    clock.advance(seconds(25));
    model.stopEXAStorage();
    clock.advance(seconds(10));
    model.shutdownNode('n0012');
    assert.equal(model.getNodeState('n0012').status, 'Running', 'the OS is still shutting down');
    assert.throws(() => model.shutdownNode('n0012'), /not running \(shutting-down\)/);
    clock.advance(seconds(20));
    assert.equal(model.getNodeState('n0012').status, 'Unknown');
    assert.equal(model.getHardwareInformation('n0012'), '');
    assert.deepEqual(model.getServiceState()[3], ['DWAd', 'not running']);
    assert.deepEqual(model.violations, []);
    assert.throws(() => model.shutdownNode('n0012'), /not running \(off\)/);
  });
});

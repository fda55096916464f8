import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExaOperationClient, type ExaOperationClient } from '../../src/exaoperation/client.js';
import { isExaOperationError, type ExaErrorCode } from '../../src/exaoperation/errors.js';
import { createTransport } from '../../src/exaoperation/transport.js';
import type { Logger } from '../../src/logging/logger.js';
import { FAST, SIM_PASSWORD, startSimCluster, type SimCluster } from '../helpers/sim-cluster.js';

async function expectCode(promise: Promise<unknown>, code: ExaErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isExaOperationError(error), `expected an ExaOperationError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes(SIM_PASSWORD) && !String(error.detail).includes(SIM_PASSWORD), 'no password in errors');
    return error;
  }
  assert.fail(`expected ${code}, the call succeeded`);
}

for (const https of [false, true]) {
  describe(`client against the simulator over ${https ? 'HTTPS (verified with its certificate)' : 'HTTP'}`, () => {
    let c: SimCluster;
    before(async () => {
      c = await startSimCluster({ https, databases: ['exa_db1', 'exa db2'] });
    });
    after(() => c.stop());

    it('makes every call of the article and of Exasol’s start/stop scripts', async () => {
      const client = c.client;
      assert.deepEqual(await client.getNodeList(), ['n0011', 'n0012', 'n0013', 'n0014']);
      assert.equal(await client.getEXAoperationMaster(), 'n0010');
      assert.deepEqual(await client.getCurrentLicenseServer(), { number: 10, node: 'n0010' });
      assert.deepEqual(await client.getDatabaseList(), ['exa_db1', 'exa db2']);
      assert.equal((await client.getHardwareInformation('n0011')).online, true);
      assert.deepEqual(
        (await client.getServiceState()).map((s) => [s.name, s.state.kind]),
        [['Loggingd', 'ok'], ['Lockd', 'ok'], ['Storaged', 'ok'], ['DWAd', 'ok']],
      );
      assert.deepEqual((await client.getNodeState('n0012')).status, { kind: 'running' });
      assert.equal(await client.serviceIsOnline(), true);
      assert.deepEqual(await client.showPluginList(), ['Administration.vmware-tools']);
      assert.ok('STATUS' in (await client.showPluginFunctions('Administration.vmware-tools')));
      assert.match((await client.callPlugin('Administration.vmware-tools', 'n0011', 'STATUS')).output, /is running/);
      for (const db of ['exa_db1', 'exa db2']) {
        assert.deepEqual(await client.getDatabaseState(db), { kind: 'running' });
        assert.deepEqual(await client.getDatabaseOperation(db), { kind: 'idle' });
        assert.deepEqual(await client.getDatabaseConnectionState(db), { kind: 'accepting' });
        assert.match(await client.getDatabaseConnectionString(db), /\.\.\d+:\d+$/);
        assert.equal(await client.runningDatabase(db), true);
        assert.equal((await client.getDatabaseInfo(db)).name, db);
      }
      const log = await client.logEntries(1);
      assert.ok(Array.isArray(log.entries));
      await client.logEntriesTagged(1, 'client-test');

      // The state-changing calls, end to end, with the polling of the article.
      assert.equal(await client.stopDatabase('exa db2'), undefined);
      await until(async () => (await client.getDatabaseState('exa db2')).kind === 'setup');
      assert.deepEqual(await client.getDatabaseConnectionState('exa db2'), { kind: 'rejecting' });
      await client.stopDatabase('exa_db1');
      await until(async () => (await client.getDatabaseState('exa_db1')).kind === 'setup');
      await client.stopEXAStorage();
      await until(async () => !(await client.serviceIsOnline()));
      await client.shutdownNode('n0014');
      await until(async () => (await client.getNodeState('n0014')).status.kind !== 'running');
      await client.startupNode('n0014');
      await until(async () => (await client.getHardwareInformation('n0014')).online);
      assert.equal(await client.startEXAStorage(), 'OK');
      await until(async () => client.serviceIsOnline());
      await client.startDatabase('exa db2');
      await until(async () => (await client.getDatabaseConnectionState('exa db2')).kind === 'accepting');
      const tagged = await client.logEntriesTagged(1, 'client-test');
      assert.ok(tagged.entries.some((e) => /Boot process stages 1 to 3 took \d+ seconds/.test(e.message) && e.node === 'n0014'));
      assert.ok(tagged.entries.some((e) => e.message.startsWith('EXASolution exa db2 is accepting connections')));
      assert.deepEqual(c.sim.violations, []);
    });

    it('maps every error class the server can produce', async () => {
      const { sim, client } = c;
      await expectCode(client.getDatabaseState('no_such_db'), 'EXA_NOT_FOUND');
      await expectCode(client.startDatabase('exa db2'), 'EXA_PRECONDITION_FAILED'); // it runs
      sim.faults.fail('getNodeList', { fault: 'ValueError', message: 'boom', times: 1 });
      await expectCode(client.getNodeList(), 'EXA_FAULT');
      sim.faults.unauthorized('getNodeList', { times: 1 });
      await expectCode(client.getNodeList(), 'EXA_AUTH_FAILED');
      sim.faults.malformed('getNodeList', { times: 1 });
      await expectCode(client.getNodeList(), 'EXA_MALFORMED_RESPONSE');
      sim.faults.hang('getNodeList', { times: 1 });
      await expectCode(client.getNodeList({ timeoutMs: 200 }), 'EXA_TIMEOUT');
      const wrong = createExaOperationClient(createTransport({ url: sim.url, user: 'admin', password: 'wrong', ...(sim.certificatePem ? { tls: { caPem: sim.certificatePem } } : {}) }));
      await expectCode(wrong.getNodeList(), 'EXA_AUTH_FAILED');
      await sim.goOffline();
      await expectCode(client.getNodeList(), 'EXA_UNREACHABLE');
      await sim.comeBack();
      assert.equal((await client.getNodeList()).length, 4);
    });

    if (https) {
      it('verifies TLS by default: an unknown self-signed certificate is refused with what to do', async () => {
        const strict = createExaOperationClient(createTransport({ url: c.sim.url, user: 'admin', password: SIM_PASSWORD }));
        const error = await expectCode(strict.getNodeList(), 'EXA_TLS_UNTRUSTED');
        assert.match(error.message, /could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Give EXAoperation's certificate or its CA as a CA file/);
      });

      it('pinning the self-signed certificate’s SHA-256 fingerprint connects; a wrong pin is refused before any credential is sent', async () => {
        const pinned = createExaOperationClient(
          createTransport({ url: c.sim.url, user: 'admin', password: SIM_PASSWORD, tls: { pinSha256: c.sim.certificateFingerprint256 ?? '' } }),
        );
        assert.equal((await pinned.getNodeList()).length, 4);
        const before = c.sim.calls.length;
        const wrongPin = 'AB'.repeat(32);
        const attacker = createExaOperationClient(createTransport({ url: c.sim.url, user: 'admin', password: SIM_PASSWORD, tls: { pinSha256: wrongPin } }));
        const error = await expectCode(attacker.getNodeList(), 'EXA_TLS_UNTRUSTED');
        assert.match(error.message, /is not the pinned one/);
        assert.equal(c.sim.calls.length, before, 'no XML-RPC request reached the server');
      });

      it('an explicit opt-out connects and is logged as a warning at start', async () => {
        const warnings: string[] = [];
        const logger: Logger = { error: () => 0, info: () => 0, debug: () => 0, warn: (m: string) => warnings.push(m) };
        const insecure: ExaOperationClient = createExaOperationClient(
          createTransport({ url: c.sim.url, user: 'admin', password: SIM_PASSWORD, tls: { insecure: true } }, { logger }),
        );
        assert.equal((await insecure.getNodeList()).length, 4);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0] ?? '', /TLS certificate verification for EXAoperation at https:\/\/127\.0\.0\.1:\d+\/cluster1 is turned OFF/);
      });
    }
  });
}

describe('the license server going down', () => {
  it('makes EXAoperation stop answering, as the real one does', async () => {
    const c = await startSimCluster({ cold: true, timeScale: FAST });
    try {
      await c.client.shutdownNode('n0010');
      await until(async () => {
        try {
          await c.client.getNodeList({ timeoutMs: 300 });
          return false;
        } catch (error) {
          return isExaOperationError(error, 'EXA_UNREACHABLE');
        }
      });
    } finally {
      await c.stop();
    }
  });
});

describe('connection settings', () => {
  it('refuses credentials in the URL and lists every problem at once', () => {
    assert.throws(
      () => createTransport({ url: 'ftp://admin:secret@host', user: '', password: '', tls: { caFile: '/nonexistent/ca.pem' } }),
      (error: Error) => {
        assert.match(error.message, /contains credentials; remove them from the URL/);
        assert.match(error.message, /must start with https:\/\/ or http:\/\//);
        assert.match(error.message, /must end with the cluster name/);
        assert.match(error.message, /user is empty/);
        assert.match(error.message, /password is empty/);
        assert.match(error.message, /cannot read the CA file \/nonexistent\/ca\.pem: ENOENT/);
        assert.ok(!error.message.includes('secret'), 'the password in the URL is not echoed back');
        return true;
      },
    );
  });
});

async function until(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

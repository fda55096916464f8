// The ConfD backend against the ConfD simulator over HTTPS: status, plans run step by step,
// permissions, the master moving between node listeners, the start-up check. Runs under both
// readings of what the reference leaves open (transitional states, blocking db calls).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startConfdSimulator, type ConfdSimulator, type ConfdSimulatorOptions } from '../../simulator/index.js';
import { confdBackend } from '../../src/backend/confd-backend.js';
import { CONFD_CAPABILITIES } from '../../src/backend/capabilities.js';
import { createConfdClient } from '../../src/confd/client.js';
import { createConfdTransport } from '../../src/confd/transport.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { OperationKind } from '../../src/lifecycle/operation-kind.js';
import type { OperationOutcome } from '../../src/lifecycle/progress.js';
import { runPlan } from '../../src/lifecycle/run-plan.js';
import { systemClock } from '../../src/util/clock.js';
import { FAST } from '../helpers/sim-cluster.js';

const PASSWORD = 'confd-sim-pw';
const profile = { ...defaultProfile('exa8'), licenseServers: [], pollIntervalMs: 20 };

let sim: ConfdSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function start(options: Partial<ConfdSimulatorOptions> = {}): Promise<ConfdSimulator> {
  sim = await startConfdSimulator({ password: PASSWORD, databases: ['DB1', 'DB2'], timeScale: FAST, onError: () => undefined, ...options });
  return sim;
}

function backendFor(s: ConfdSimulator, user = 'admin', password = PASSWORD, url = s.url) {
  return confdBackend(createConfdClient(createConfdTransport({ url, user, password, timeoutMs: 5000, tls: { caPem: s.certificatePem } })), user);
}

async function run(backend: ReturnType<typeof backendFor>, operation: OperationKind): Promise<OperationOutcome> {
  const plan = buildPlan(operation, await backend.snapshot(), profile, CONFD_CAPABILITIES);
  return runPlan({ opId: 'op-1', plan, backend, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
}

const jobCalls = (s: ConfdSimulator, job: string): number => s.jobs.filter((j) => j.name === job).length;

for (const readings of [
  { transitionalStates: 'startup-shutdown', dbCalls: 'blocking' },
  { transitionalStates: 'starting-stopping', dbCalls: 'immediate' },
] as const) {
  describe(`ConfD backend against the simulator (${readings.transitionalStates}, ${readings.dbCalls})`, () => {
    it('reads nodes, databases and volumes in one status', async () => {
      const s = await start(readings);
      const snapshot = await backendFor(s).snapshot();
      assert.equal(snapshot.service, 'ConfD');
      assert.equal(snapshot.master, '127.0.0.1');
      assert.deepEqual(snapshot.nodes.map((n) => `${n.name}:${n.status.kind}`), ['n11:running', 'n12:running', 'n13:running', 'n14:running']);
      assert.deepEqual(snapshot.databases.map((d) => `${d.name}:${d.state.kind}:${d.connection.kind}`), ['DB1:running:accepting', 'DB2:running:accepting']);
      assert.ok((snapshot.volumes?.length ?? 0) > 0 && snapshot.storageOnline);
      assert.equal(snapshot.unreadable, undefined);
    });

    it('stops and starts one database through its plan, with exactly one db_stop and one db_start', async () => {
      const s = await start(readings);
      const backend = backendFor(s);
      assert.deepEqual(await run(backend, { kind: 'database-stop', database: 'DB1' }), { kind: 'succeeded', warnings: 0 });
      assert.equal((await backend.snapshot()).databases.find((d) => d.name === 'DB1')?.state.kind, 'setup');
      assert.deepEqual(await run(backend, { kind: 'database-start', database: 'DB1' }), { kind: 'succeeded', warnings: 0 });
      const after = await backend.snapshot();
      assert.equal(after.databases.find((d) => d.name === 'DB1')?.connection.kind, 'accepting');
      assert.equal(jobCalls(s, 'db_stop'), 1);
      assert.equal(jobCalls(s, 'db_start'), 1);
      assert.deepEqual(s.violations, []);
    });

    it('a cluster shut-down stops every database and leaves the nodes online', async () => {
      const s = await start(readings);
      const backend = backendFor(s);
      assert.deepEqual(await run(backend, { kind: 'cluster-shutdown' }), { kind: 'succeeded', warnings: 0 });
      const after = await backend.snapshot();
      assert.deepEqual(after.databases.map((d) => d.state.kind), ['setup', 'setup']);
      assert.ok(after.nodes.every((n) => n.status.kind === 'running'), 'db_stop: "the database nodes will remain online"');
      assert.equal(jobCalls(s, 'db_stop'), 2);
      assert.deepEqual(s.violations, []);
    });
  });
}

describe('ConfD backend: safety, permissions, the master', () => {
  it('a running backup stops the database stop before db_stop is called', async () => {
    const s = await start();
    const backend = backendFor(s);
    const plan = buildPlan({ kind: 'database-stop', database: 'DB1' }, await backend.snapshot(), profile, CONFD_CAPABILITIES);
    // The backup begins after the plan was approved: the step's own re-read catches it.
    await createConfdClient(createConfdTransport({ url: s.url, user: 'admin', password: PASSWORD, tls: { caPem: s.certificatePem } })).job('db_backup_start', { db_name: 'DB1', level: 0, expire: '1d' });
    const outcome = await runPlan({ opId: 'op-1', plan, backend, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /Database DB1 is busy with operation 'Backup'\. Stopped here; nothing else was changed/);
    assert.equal(jobCalls(s, 'db_stop'), 0);
  });

  it('a shut-down with --abort-backup aborts the running backup, then stops every database', async () => {
    const s = await start({ backupSeconds: 100_000 });
    const admin = createConfdClient(createConfdTransport({ url: s.url, user: 'admin', password: PASSWORD, tls: { caPem: s.certificatePem } }));
    await admin.job('db_backup_start', { db_name: 'DB2', level: 0, expire: '1d' });
    const backend = backendFor(s);
    const plan = buildPlan({ kind: 'cluster-shutdown', abortBackup: true }, await backend.snapshot(), profile, CONFD_CAPABILITIES);
    assert.deepEqual(plan.blockers, []);
    const outcome = await runPlan({ opId: 'op-1', plan, backend, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
    assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
    assert.equal(jobCalls(s, 'db_backup_abort'), 1);
    assert.equal(jobCalls(s, 'db_stop'), 2);
    assert.deepEqual(s.violations, []);
  });

  it('an abort that was a skip when approved, but would act now, is not done: the plan comes back for approval', async () => {
    const s = await start({ backupSeconds: 100_000 });
    const backend = backendFor(s);
    const plan = buildPlan({ kind: 'database-stop', database: 'DB1', abortBackup: true }, await backend.snapshot(), profile, CONFD_CAPABILITIES);
    assert.equal(plan.steps[0]?.expect.kind, 'skip', 'no backup when it was approved');
    await createConfdClient(createConfdTransport({ url: s.url, user: 'admin', password: PASSWORD, tls: { caPem: s.certificatePem } })).job('db_backup_start', { db_name: 'DB1', level: 0, expire: '1d' });
    const outcome = await runPlan({ opId: 'op-1', plan, backend, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: () => undefined });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /would now abort the backup of database DB1, which the plan this run was approved with does not include/);
    assert.equal(jobCalls(s, 'db_backup_abort'), 0);
    assert.equal(jobCalls(s, 'db_stop'), 0);
  });

  it('an exadbadm user sees "no permission" for nodes and can still stop a database', async () => {
    const s = await start({ users: [{ name: 'dba', password: 'dba-pw', groups: ['exadbadm'] }] });
    const backend = backendFor(s, 'dba', 'dba-pw');
    const snapshot = await backend.snapshot();
    assert.deepEqual(snapshot.nodes, []);
    assert.match(snapshot.unreadable?.[0]?.why ?? '', /^no permission \(ConfD said PermissionDenied: User 'dba' \(groups exadbadm\) may not run job 'node_state'/);
    assert.equal(snapshot.databases.length, 2);
    assert.deepEqual(await run(backend, { kind: 'database-stop', database: 'DB2' }), { kind: 'succeeded', warnings: 0 });
    const report = await backend.preflight?.();
    assert.deepEqual(report?.problems, []);
    assert.equal(report?.warnings.length, 1);
    assert.match(report?.warnings[0] ?? '', /user 'dba' may not run node_state .*ConfD allows it for the groups root, exaadm\. Node states will show as "no permission"/);
  });

  it('the start-up check of an admin finds every job and nothing refused', async () => {
    const s = await start();
    assert.deepEqual(await backendFor(s).preflight?.(), { problems: [], warnings: [] });
  });

  it('follows the master across node listeners: a 302 from a node that is no longer master is followed', async () => {
    const s = await start({ nodesListen: 4 });
    // Configured with node n12's listener: it names the master (n11) and the calls go there.
    const backend = backendFor(s, 'admin', PASSWORD, s.nodeUrls['12']);
    assert.equal((await backend.snapshot()).databases.length, 2);
    // n11 goes down: n12 becomes master, n11's port is closed, the client asks n12 again.
    s.hosts.powerOff('11');
    const moved = await backend.snapshot();
    assert.ok(moved.nodes.some((n) => n.name === 'n11' && n.status.kind !== 'running'));
    assert.equal(moved.databases.length, 2);
  });
});

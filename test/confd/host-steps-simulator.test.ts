// The power step's host actions against the ConfD simulator, run by the plan runner: a warm
// start-up skips the power-on; a database started by someone while the hosts go off stops the
// step before the next host.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { startConfdSimulator, type ConfdSimulator } from '../../simulator/index.js';
import { confdBackend } from '../../src/backend/confd-backend.js';
import { createConfdClient } from '../../src/confd/client.js';
import { createConfdTransport } from '../../src/confd/transport.js';
import type { HostPower } from '../../src/hosts/host-power.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import { defaultProfile } from '../../src/lifecycle/cluster-profile.js';
import type { OperationKind } from '../../src/lifecycle/operation-kind.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import { runPlan } from '../../src/lifecycle/run-plan.js';
import { systemClock } from '../../src/util/clock.js';
import { FAST } from '../helpers/sim-cluster.js';

const PASSWORD = 'confd-host-steps-pw';
const dir = mkdtempSync(join(tmpdir(), 'exa-host-steps-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const passwordFile = join(dir, 'pw');
writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

let sim: ConfdSimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

/** A host action that powers nothing off, but for n11 starts DB1 through ConfD first: someone else's hands. */
const SABOTEUR = `
import ssl, sys, xmlrpc.client
node, url, pwfile = sys.argv[1], sys.argv[2], sys.argv[3]
if node == 'n11':
    pw = open(pwfile).read().strip()
    host = url.split('//', 1)[1]
    server = xmlrpc.client.ServerProxy('https://admin:%s@%s' % (pw, host), context=ssl._create_unverified_context())
    print(server.job_exec('db_start', {'params': {'db_name': 'DB1'}}))
print('powered off', node)
`;

async function setup(hostPower: (s: ConfdSimulator) => HostPower) {
  sim = await startConfdSimulator({ password: PASSWORD, databases: ['DB1', 'DB2'], timeScale: FAST, onError: () => undefined });
  const s = sim;
  const power = hostPower(s);
  const profile = { ...defaultProfile('exa8'), licenseServers: [], pollIntervalMs: 20, hostPower: power };
  const backend = confdBackend(createConfdClient(createConfdTransport({ url: s.url, user: 'admin', password: PASSWORD, timeoutMs: 10_000, tls: { caPem: s.certificatePem } })), 'admin', () => undefined, power);
  const run = async (operation: OperationKind) => {
    const plan = buildPlan(operation, await backend.snapshot(), profile, backend.capabilities);
    const events: ProgressEvent[] = [];
    const outcome = await runPlan({ opId: 'op-1', plan, backend, profile, clock: systemClock, cancellation: new Cancellation(), onEvent: (e) => void events.push(e) });
    return { plan, outcome, events };
  };
  return { s, backend, run };
}

describe('host actions run by the plan (ConfD simulator)', { timeout: 60_000 }, () => {
  it('a start-up of a running cluster skips the power-on and starts the stopped database', async () => {
    const { s, run } = await setup(() => ({ nodes: ['n11', 'n12', 'n13', 'n14'], on: { argv: [process.execPath, '-e', 'process.exit(7)', '{node}'], timeoutMs: 5000 }, env: {} }));
    assert.equal((await run({ kind: 'database-stop', database: 'DB1' })).outcome.kind, 'succeeded');
    const { plan, outcome } = await run({ kind: 'cluster-startup' });
    assert.equal(plan.steps[0]?.action.kind, 'power-on-hosts');
    assert.equal(plan.steps[0]?.expect.kind, 'skip');
    assert.deepEqual(outcome, { kind: 'succeeded', warnings: 0 });
    assert.deepEqual(s.violations, []);
  });

  it('a database started while the hosts go off stops the step before the next host', async () => {
    const { s, run } = await setup((sim) => ({
      nodes: ['n11', 'n12', 'n13', 'n14'],
      off: { argv: [python, '-c', SABOTEUR, '{node}', sim.url, passwordFile], timeoutMs: 20_000 },
      env: {},
    }));
    const { outcome, events } = await run({ kind: 'cluster-shutdown' });
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.reason : '', /Database\(s\) DB1 run again: n12 was not powered off \(already off: n11\)\. Stopped here/);
    const ran = events.flatMap((e) => (e.type === 'step-detail' && e.detail.kind === 'host-output' ? [e.detail.node] : []));
    assert.deepEqual(ran, ['n11'], 'the command ran for n11 only');
    assert.equal(s.jobs.filter((j) => j.name === 'db_start').length, 1);
  });
});

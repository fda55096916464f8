// Exasol's own start.py/stop.py call sequence (test/interop/exasol_startstop.py, written here from
// it) against the simulator in its default mode, over HTTP and HTTPS, with a 15 s idle pause on
// reused proxies: both must run green and the simulator must record no unsafe transition.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/index.js';

const script = new URL('./exasol_startstop.py', import.meta.url).pathname;
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.error === undefined && python.status === 0 ? false : 'python3 is not on PATH';
const PASSWORD = 'Ex/a:s0l@ops%20 pw';
const IDLE_SECONDS = '15';

async function runScript(sim: Simulator, action: 'start' | 'stop', cafile: string | undefined): Promise<string> {
  const child = spawn('python3', [script, action], {
    env: {
      ...process.env,
      SIM_URL: sim.url,
      SIM_USER: sim.user,
      SIM_PASSWORD: PASSWORD,
      ...(cafile === undefined ? {} : { SIM_CAFILE: cafile }),
      POLL_SECONDS: '0.05',
      DEADLINE_SECONDS: '60',
      IDLE_SECONDS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.ok(!output.includes(PASSWORD), 'the script printed the password');
  assert.equal(code, 0, `exasol_startstop.py ${action} failed:\n${output}`);
  return output;
}

// HTTP and HTTPS are independent simulators, so they run side by side (each pauses twice for 15 s).
describe("interop: Exasol's start.py/stop.py call sequence", { concurrency: true }, () => {
  for (const https of [false, true]) {
    it(`starts a cold cluster and stops it again over ${https ? 'HTTPS' : 'HTTP'}`, { timeout: 150_000, skip }, async () => {
      const sim = await startSimulator({ password: PASSWORD, https, cold: true, nodes: 4, databases: ['exa_db1', 'exa_db2'], timeScale: 0.01 });
      const dir = mkdtempSync(join(tmpdir(), 'exasol-scripts-'));
      try {
        const cafile = https ? join(dir, 'simulator.pem') : undefined;
        if (cafile !== undefined) writeFileSync(cafile, sim.certificatePem ?? '');
        const started = await runScript(sim, 'start', cafile);
        assert.match(started, /all 2 databases accept connections/);
        assert.deepEqual(sim.model.summary().databases, { exa_db1: 'running, connectible', exa_db2: 'running, connectible' });
        const stopped = await runScript(sim, 'stop', cafile);
        assert.match(stopped, /halted license server n0010/);

        const methods = sim.calls.map((c) => c.method);
        for (const m of ['startupNode', 'startEXAStorage', 'startDatabase', 'shutdownDatabase', 'stopEXAStorage', 'shutdownNode', 'haltLicenseServer']) {
          assert.ok(methods.includes(m), `the scripts called ${m}`);
        }
        assert.deepEqual(sim.calls.filter((c) => c.outcome !== 'ok').map((c) => `${c.object}.${c.method}: ${c.outcome} ${c.faultString ?? ''}`), []);
        assert.deepEqual(sim.violations, [], 'no unsafe transition');
        const { n0010, ...dataNodes } = sim.model.summary().nodes;
        assert.deepEqual(Object.values(dataNodes), ['off', 'off', 'off', 'off']);
        assert.notEqual(n0010, 'running');
      } finally {
        await sim.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

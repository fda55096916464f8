// Runs Exasol's KB start/stop sequence, written as a legacy Python 3 script (stdlib xmlrpc.client,
// credentials in the URL, TLS verified against our certificate), against the simulator, then checks
// from the server's call log that the operations happened in the safe order.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSimulator, type RecordedCall } from '../../simulator/index.js';

const script = new URL('./kb_sequence.py', import.meta.url).pathname;
// A machine without Python cannot run this check; that is not a simulator failure, so skip loudly.
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.error === undefined && python.status === 0 ? false : 'python3 is not on PATH';
// Characters that need quote_plus in a URL, to prove the legacy quoting round-trips.
const PASSWORD = 'S3cr:et/p@ss+w%rd&x';

function indexes(calls: readonly RecordedCall[], predicate: (c: RecordedCall) => boolean): number[] {
  return calls.flatMap((c, i) => (predicate(c) ? [i] : []));
}

describe('interop: KB start/stop sequence from Python', () => {
  it('runs the full cold start-up and shut-down in a safe order', { timeout: 60_000, skip }, async () => {
    const sim = await startSimulator({
      password: PASSWORD,
      https: true,
      cold: true,
      nodes: 4,
      databases: ['exa_db1', 'exa_db2'],
      timeScale: 0.005,
    });
    const dir = mkdtempSync(join(tmpdir(), 'kb-interop-'));
    try {
      const cafile = join(dir, 'simulator.pem');
      writeFileSync(cafile, sim.certificatePem ?? '');
      const child = spawn('python3', [script], {
        env: {
          ...process.env,
          SIM_URL: sim.url,
          SIM_USER: sim.user,
          SIM_PASSWORD: PASSWORD,
          SIM_CAFILE: cafile,
          KB_POLL_SECONDS: '0.02',
          KB_DEADLINE_SECONDS: '30',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.ok(!output.includes(PASSWORD), 'the script printed the password');
      assert.equal(code, 0, `kb_sequence.py failed:\n${output}`);
      assert.match(output, /database exa_db2 is accepting connections at 10\.0\.0\.11\.\.14:8564/);

      const calls = sim.calls.filter((c) => c.outcome === 'ok');
      const startups = indexes(calls, (c) => c.method === 'startupNode');
      const storageStart = indexes(calls, (c) => c.method === 'startEXAStorage');
      const dbStarts = indexes(calls, (c) => c.method === 'startDatabase');
      const dbStops = indexes(calls, (c) => c.method === 'stopDatabase');
      const storageStop = indexes(calls, (c) => c.method === 'stopEXAStorage');
      const dataShutdowns = indexes(calls, (c) => c.method === 'shutdownNode' && c.params[0] !== 'n0010');
      const lsShutdown = indexes(calls, (c) => c.method === 'shutdownNode' && c.params[0] === 'n0010');

      assert.deepEqual(startups.map((i) => calls[i]?.params[0]), ['n0011', 'n0012', 'n0013', 'n0014']);
      assert.equal(storageStart.length, 1);
      assert.equal(calls[storageStart[0] ?? -1]?.object, 'storage', 'sent as the dotted storage.startEXAStorage');
      assert.deepEqual(dbStarts.map((i) => calls[i]?.object), ['db_exa_db1', 'db_exa_db2']);
      assert.ok(Math.max(...startups) < (storageStart[0] ?? -1), 'every startupNode before startEXAStorage');
      assert.ok((storageStart[0] ?? Infinity) < Math.min(...dbStarts), 'startEXAStorage before any startDatabase');

      assert.deepEqual(dbStops.map((i) => calls[i]?.object), ['db_exa_db1', 'db_exa_db2']);
      assert.equal(storageStop.length, 1);
      assert.equal(dataShutdowns.length, 4);
      assert.equal(lsShutdown.length, 1);
      assert.ok(Math.max(...dbStops) < (storageStop[0] ?? -1), 'every stopDatabase before stopEXAStorage');
      assert.ok((storageStop[0] ?? Infinity) < Math.min(...dataShutdowns), 'stopEXAStorage before any data-node shutdown');
      assert.ok(Math.max(...dataShutdowns) < (lsShutdown[0] ?? -1), 'license server last');

      assert.deepEqual(sim.violations, []);
      assert.equal(sim.model.isAnswering(), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await sim.stop();
    }
  });
});

// Runs the KB's ConfD call sequence (test/interop/confd_kb_sequence.py: GET /master, then
// xmlrpc.client with credentials in the URL and verification off) against the ConfD simulator,
// once with the single cluster listener and once asking a non-master node for the master.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { startConfdSimulator, type ConfdSimulator } from '../../simulator/index.js';

const script = new URL('./confd_kb_sequence.py', import.meta.url).pathname;
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const skip = python.error === undefined && python.status === 0 ? false : 'python3 is not on PATH';
const PASSWORD = 'S3cr:et/p@ss+w%rd&x';

async function runKb(sim: ConfdSimulator, nodeUrl: string): Promise<string> {
  const child = spawn('python3', [script], {
    env: { ...process.env, CONFD_NODE_URL: nodeUrl, CONFD_USER: sim.user, CONFD_PASSWORD: PASSWORD, KB_POLL_SECONDS: '0.02', KB_DEADLINE_SECONDS: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.ok(!output.includes(PASSWORD), 'the script printed the password');
  assert.equal(code, 0, `confd_kb_sequence.py failed:\n${output}`);
  return output;
}

function jobs(sim: ConfdSimulator): string[] {
  return sim.calls.filter((c) => c.object === 'job_exec' && c.outcome === 'ok').map((c) => c.method);
}

describe('interop: the KB ConfD sequence from Python', () => {
  it('db_state, db_stop until setup, db_start until running, through the one cluster listener', { timeout: 60_000, skip }, async () => {
    const sim = await startConfdSimulator({ password: PASSWORD, timeScale: 0.005 });
    try {
      const output = await runKb(sim, sim.url);
      assert.match(output, /master is 127\.0\.0\.1:\d+\ndatabase DB1 is running\n/);
      const seen = jobs(sim);
      assert.deepEqual([seen[0], seen[1]], ['db_state', 'db_stop']);
      assert.ok(seen.indexOf('db_start') > seen.indexOf('db_stop'));
      assert.equal(seen.at(-1), 'db_state');
      assert.equal(sim.model.getDatabaseState('DB1'), 'running');
      assert.deepEqual(sim.violations, []);
    } finally {
      await sim.stop();
    }
  });

  it('asks a non-master node for /master and talks to the master it names (no 302 on the way)', { timeout: 60_000, skip }, async () => {
    const sim = await startConfdSimulator({ password: PASSWORD, timeScale: 0.005, nodesListen: 3 });
    try {
      await runKb(sim, sim.nodeUrls['13'] as string);
      assert.ok(jobs(sim).includes('db_start'));
      assert.equal(sim.calls.filter((c) => c.outcome === 'http-302').length, 0);
    } finally {
      await sim.stop();
    }
  });
});

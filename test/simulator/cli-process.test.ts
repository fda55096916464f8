import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { valueOf } from './helpers/xml-rpc-post.js';
import { waitUntil } from './helpers/wait-until.js';

const root = new URL('../..', import.meta.url).pathname;

function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return { child, out: () => stdout, err: () => stderr };
}

describe('cli: process', () => {
  it('prints the URL without credentials, serves it, never prints the password, and exits 0 on SIGTERM', async () => {
    const password = 'cli-test-password-1234';
    const cli = startCli(['--port', '0', '--cold', '--nodes', '2', '--time-scale', '0.01'], { SIM_PASSWORD: password });
    try {
      const url = await waitUntil('the URL line', () => /URL: +(http:\/\/127\.0\.0\.1:\d+\/cluster1)\n/.exec(cli.out())?.[1], { timeoutMs: 15_000 });
      assert.deepEqual(await valueOf(url, 'getNodeList', [], { auth: `admin:${password}` }), ['n0011', 'n0012']);
      await waitUntil('the call line', () => cli.out().includes('cluster.getNodeList -> ok'));
      assert.match(cli.out(), /Password: {2}from SIM_PASSWORD \(not shown\)/);
      cli.child.kill('SIGTERM');
      const [code] = (await once(cli.child, 'exit')) as [number | null];
      assert.equal(code, 0, cli.err());
      assert.ok(!cli.out().includes(password) && !cli.err().includes(password), 'password leaked to the console');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('exits 2 listing every bad flag', async () => {
    const cli = startCli(['--nodes', '0', '--bogus']);
    const [code] = (await once(cli.child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(cli.err(), /unknown option --bogus/);
    assert.match(cli.err(), /--nodes: expected an integer from 1 to 200, got '0'/);
    assert.match(cli.err(), /Usage: npm run simulator/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run demo` the way a newcomer would, with commands piped in. */
function runDemo(stdin: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('npm run demo', { timeout: 150_000 }, () => {
  it('prints the status tables for piped input and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo('/exa status\n');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^exa-chatops demo/m);
    assert.match(stdout, /journal and audit log in \S+exa-chatops-demo-/);
    assert.match(stdout, /in Slack a second person must approve/);
    assert.match(stdout, /│ service +│ state +│/);
    assert.match(stdout, /│ Storaged │ OK +│/);
    assert.match(stdout, /│ exa_db1 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /│ exa_db2 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /^Nodes: 4 online, 0 offline$/m);
    assert.match(stdout, /^EXAoperation master: n0010$/m);
    // The simulator's password is random and never shown; no URL carries credentials.
    assert.doesNotMatch(stdout + stderr, /password|https?:\/\/[^/\s]*@/i);
  });

  it('refuses an unknown option with the usage', async () => {
    const { code, stderr } = await runDemo('', ['--colt']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option '--colt'/);
    assert.match(stderr, /--cold/);
  });

  it('refuses a bad --backend, every problem in one message', async () => {
    const bad = await runDemo('', ['--backend', 'exa9', '--x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--backend must be exaoperation or confd, not 'exa9'; unknown option '--x'/);
  });

  it('starts a cold Exasol 8 cluster with --backend confd --cold: host actions power the hosts on, then the databases come up', async () => {
    const { code, stdout, stderr } = await runDemo('startup\n', ['--backend=confd', '--cold']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /hosts powered off/);
    assert.match(stdout, /n14: the power-on host action exited with status 0\n\s+\| poweron n14: booting/);
    assert.match(stdout, /✔ 2\. Wait until ConfD answers with quorum and every node is online/);
    assert.match(stdout, /✔ Succeeded in/);
    assert.match(stdout, /4\/4 nodes online, 2\/2 volumes online, 2\/2 databases accepting connections/);
  });

  it('runs against the ConfD simulator with --backend confd: status, then a shut-down that stops both databases and powers the hosts off', async () => {
    const { code, stdout, stderr } = await runDemo('/exa status\nshutdown\napprove op-1\n', ['--backend', 'confd']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /cluster 'demo' \(Exasol 8\)/);
    assert.match(stdout, /ConfD simulator at https:\/\/127\.0\.0\.1:\d+\/ over HTTPS/);
    assert.match(stdout, /│ DB1 +│ running │ None +│ Yes +│/);
    assert.match(stdout, /│ DataVolume1 │ ONLINE │/);
    assert.match(stdout, /^ConfD master: 127\.0\.0\.1$/m);
    assert.match(stdout, /✔ Succeeded in/);
    assert.match(stdout, /│ DB2 +│ setup +│ None +│ No +│/);
    assert.match(stdout, /Cluster state just before the hosts were powered off/);
    assert.match(stdout, /n11: the power-off host action exited with status 0/);
    assert.doesNotMatch(stdout, /EXAStorage|license server/);
    assert.doesNotMatch(stdout + stderr, /password|https?:\/\/[^/\s]*@/i);
  });
});

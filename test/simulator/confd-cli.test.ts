import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../simulator/cli/parse-cli-args.js';
import { exec } from './helpers/confd-client.js';
import { waitUntil } from './helpers/wait-until.js';

const root = new URL('../..', import.meta.url).pathname;
const environment = { env: {}, readFile: () => '', generatePassword: () => 'GENERATED' };

describe('confd: CLI flags', () => {
  it('--backend confd implies HTTPS, port 20003 and DB1, and takes the readings', () => {
    const parsed = parseCliArgs(['--backend', 'confd', '--nodes-listen', '2', '--db-calls', 'immediate', '--no-quorum', 'refused', '--user-groups', 'root'], environment);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    const o = parsed.options;
    assert.deepEqual([o.backend, o.https, o.port, o.databases], ['confd', true, 20003, ['DB1']]);
    assert.equal(o.confd?.nodesListen, 2);
    assert.deepEqual(o.confd?.readings, { transitionalStates: 'startup-shutdown', dbCalls: 'immediate', jobFailures: 'result', jobStartReturns: 'string', noQuorum: 'refused' });
    assert.deepEqual(o.confd?.userGroups, ['root']);
  });

  it('refuses --no-https with confd, ConfD flags without it, and bad values', () => {
    const parsed = parseCliArgs(['--backend', 'confd', '--no-https', '--db-calls', 'maybe', '--nodes-listen', '9'], environment);
    assert.equal(parsed.kind, 'invalid');
    const problems = parsed.kind === 'invalid' ? parsed.problems : [];
    assert.ok(problems.includes('--no-https: ConfD only listens on HTTPS'), problems.join('\n'));
    assert.ok(problems.includes("--db-calls: expected blocking or immediate, got 'maybe'"));
    assert.ok(problems.includes("--nodes-listen: expected an integer from 1 to 4, got '9'"));
    const plain = parseCliArgs(['--nodes-listen', '2'], environment);
    assert.deepEqual(plain.kind === 'invalid' ? plain.problems : [], ['--nodes-listen: only with --backend confd']);
    assert.equal(parseCliArgs(['--backend', 'exaoperation'], environment).kind, 'run', 'the default backend by name');
  });

  it('runs from the command line: banner with the URL and a curl line, serves ConfD, exits 0 on SIGTERM', async () => {
    const password = 'cli-confd-password-1234';
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/cli.ts', '--backend', 'confd', '--port', '0', '--time-scale', '0.01', '--quiet'], {
      cwd: root,
      env: { ...process.env, SIM_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const url = await waitUntil('the URL line', () => /URL: +(https:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1], { timeoutMs: 15_000 });
      await waitUntil('the banner end', () => out.includes('Press Ctrl+C'));
      assert.match(out, /Try it: +curl -u admin --cacert \S+ https:\/\/127\.0\.0\.1:\d+\/master/);
      assert.match(out, /Control: +https:\/\/127\.0\.0\.1:\d+\/_simulator\/hosts/);
      const pem = /TLS cert: +(\S+)/.exec(out)?.[1] ?? '';
      const r = await exec({ url, certificatePem: readFileSync(pem, 'utf8') }, 'db_list', undefined, `admin:${password}`);
      assert.deepEqual(r.result_output, ['DB1']);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
      assert.ok(!out.includes(password));
    } finally {
      child.kill('SIGKILL');
    }
  });
});

import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CredentialFile } from '../../src/credentials/credential-file.js';
import { runCli, tempDir, writeKeyFile } from './cli-process.js';

// --password-stdin used to be documented but never read: whether stdin was a terminal decided.
describe('credentials CLI: add --password-stdin', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const masterKey = 'master-key-0123456789abcdef';
  const file = join(dir, 'creds.json');
  const env = { EXA_CREDENTIALS_FILE: file, EXA_MASTER_KEY_FILE: writeKeyFile(dir, 'master.key', masterKey) };
  const PASSWORD = 'piped P4ss/word!';

  it('without the flag, a piped stdin is refused with the flag to pass, and nothing is written', () => {
    const result = runCli(['add', 'prod', '--user', 'chatops'], env, `${PASSWORD}\n`);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /stdin is not a terminal, so the password cannot be typed without echo\. To pipe it in, pass --password-stdin/);
    assert.ok(!result.stderr.includes(PASSWORD) && !result.stdout.includes(PASSWORD));
    assert.equal(existsSync(file), false);
  });

  it('with the flag, the first line of stdin is the password, without a prompt', () => {
    const result = runCli(['add', 'prod', '--user', 'chatops', '--password-stdin'], env, `${PASSWORD}\r\nnot this line\n`);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, '', 'no prompt');
    assert.match(result.stdout, /^Stored profile 'prod' \(user chatops\)/);
    assert.ok(!result.stdout.includes(PASSWORD));
    assert.deepEqual(CredentialFile.open(file, masterKey).get('prod'), { user: 'chatops', password: PASSWORD });
  });

  it('the flag may come before the profile name; input without a final newline counts', () => {
    const result = runCli(['add', '--password-stdin', 'test', '--user', 'ops'], env, 'no-newline');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(CredentialFile.open(file, masterKey).get('test').password, 'no-newline');
  });

  it('an empty first line stores nothing', () => {
    const result = runCli(['add', 'empty', '--user', 'chatops', '--password-stdin'], env, '\n');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /No password given, nothing was changed/);
    assert.deepEqual(CredentialFile.open(file, masterKey).names().map((p) => p.name), ['prod', 'test']);
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CredentialFile } from '../../src/credentials/credential-file.js';
import { noPython, runCliInPty, tempDir, writeKeyFile } from './cli-process.js';

// The real terminal path: the CLI runs on a pseudo-terminal and the keys are typed into it, so an
// echo by the terminal driver (raw mode off, or switched on too late) would show in the output.
describe('credentials CLI: typing the password on a terminal', { skip: noPython, timeout: 120_000 }, () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const masterKey = 'master-key-0123456789abcdef';
  const file = join(dir, 'creds.json');
  const env = { EXA_CREDENTIALS_FILE: file, EXA_MASTER_KEY_FILE: writeKeyFile(dir, 'master.key', masterKey) };
  const PROMPT = 'EXAoperation password for chatops (not shown): ';
  const PASSWORD = 'Typed-S3cret pass';

  it('Ctrl-C at the prompt cancels cleanly with exit 130 and creates nothing', () => {
    const result = runCliInPty(['add', 'prod', '--user', 'chatops'], env, PROMPT, 'Typ\u0003');
    assert.ok(result.typed, `no prompt seen: ${result.output}`);
    assert.equal(result.status, 130, result.output);
    assert.match(result.output, /Password entry cancelled, nothing was changed\./);
    assert.doesNotMatch(result.output, /Unexpected error/);
    assert.equal(existsSync(file), false);
  });

  it('the password is not echoed, and the profile decrypts to exactly what was typed', () => {
    // A wrong last key and a backspace: what is stored is what the user ended up with.
    const result = runCliInPty(['add', 'prod', '--user', 'chatops'], env, PROMPT, `${PASSWORD}x\u007f\r`);
    assert.ok(result.typed, `no prompt seen: ${result.output}`);
    assert.equal(result.status, 0, result.output);
    assert.ok(result.output.includes(PROMPT));
    assert.match(result.output, /Stored profile 'prod' \(user chatops\)/);
    for (const part of [PASSWORD, 'Typed', 'S3cret']) assert.ok(!result.output.includes(part), `'${part}' was echoed`);
    assert.deepEqual(CredentialFile.open(file, masterKey).get('prod'), { user: 'chatops', password: PASSWORD });
  });

  it('Ctrl-C when replacing a profile leaves the file as it was', () => {
    const before = readFileSync(file);
    const result = runCliInPty(['add', 'prod', '--user', 'chatops'], env, PROMPT, 'other\u0003');
    assert.equal(result.status, 130, result.output);
    assert.deepEqual(readFileSync(file), before);
    assert.equal(CredentialFile.open(file, masterKey).get('prod').password, PASSWORD);
  });
});

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { runCredentialsCli } from '../../src/credentials/cli.js';
import { CredentialFile } from '../../src/credentials/credential-file.js';
import { readMasterKey } from '../../src/credentials/master-key.js';

const dir = mkdtempSync(join(tmpdir(), 'exa-creds-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'Exa-P4ss word!/+%';

function keyFile(name: string, key: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${key}\n`, { mode });
  chmodSync(path, mode);
  return path;
}

async function cli(args: string[], env: NodeJS.ProcessEnv, stdinText = '') {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  stdin.end(stdinText);
  const code = await runCredentialsCli(args, env, { stdin, stdout, stderr } as never);
  return { code, out, err };
}

describe('encrypted credential profiles', () => {
  const file = join(dir, 'creds.json');
  const env = { EXA_CREDENTIALS_FILE: file, EXA_MASTER_KEY_FILE: keyFile('master.key', 'master-key-0123456789abcdef') };

  it('add stores the password encrypted; list shows users, never passwords', async () => {
    const added = await cli(['add', 'prod', '--user', 'chatops', '--password-stdin'], env, `${PASSWORD}\n`);
    assert.equal(added.code, 0, added.err);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(PASSWORD) && !text.includes('P4ss'), 'no plain text in the file');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const listed = await cli(['list'], env);
    assert.equal(listed.out, 'prod\tchatops\n');
    assert.ok(!listed.out.includes(PASSWORD) && !added.out.includes(PASSWORD) && !added.err.includes(PASSWORD));
    assert.deepEqual(CredentialFile.open(file, readMasterKey(env)).get('prod'), { user: 'chatops', password: PASSWORD });
  });

  it('a wrong master key is reported as such', async () => {
    const wrong = { ...env, EXA_MASTER_KEY_FILE: keyFile('wrong.key', 'another-key-0123456789abcdef') };
    const result = await cli(['list'], wrong);
    assert.equal(result.code, 1);
    assert.match(result.err, /The master key does not open .*creds\.json\. Check EXA_MASTER_KEY_FILE/);
  });

  it('a tampered file fails its integrity check with the fix', () => {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    const stored = data.profiles.prod;
    const bytes = Buffer.from(stored.data, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    stored.data = bytes.toString('base64');
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(data), { mode: 0o600 });
    assert.throws(() => CredentialFile.open(tampered, readMasterKey(env)).get('prod'), /was modified or is corrupt \(profile 'prod' fails its integrity check\): restore it from backup/);
    writeFileSync(tampered, '{"version":1', { mode: 0o600 });
    assert.throws(() => CredentialFile.open(tampered, readMasterKey(env)), /was modified or is corrupt \(not valid JSON, perhaps truncated\)/);
  });

  it('swapping a profile to another user breaks the check (the user is authenticated too)', () => {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.profiles.prod.user = 'admin';
    const swapped = join(dir, 'swapped.json');
    writeFileSync(swapped, JSON.stringify(data), { mode: 0o600 });
    assert.throws(() => CredentialFile.open(swapped, readMasterKey(env)).get('prod'), /integrity check/);
  });

  it('a missing profile names the known ones', () => {
    assert.throws(() => CredentialFile.open(file, readMasterKey(env)).get('test'), /no credential profile 'test' .*\(known: prod\)\. Add it with: npm run credentials -- add test/);
  });

  it('a key file readable by others is refused with the chmod to run', () => {
    const loose = keyFile('loose.key', 'master-key-0123456789abcdef', 0o644);
    assert.throws(() => readMasterKey({ EXA_MASTER_KEY_FILE: loose }), /readable by group or others \(mode 644\)\. Run: chmod 600/);
    assert.throws(() => readMasterKey({}), /No master key: set EXA_MASTER_KEY_FILE/);
  });

  it('rotate-key re-encrypts under a new key; the old key no longer opens it', async () => {
    const newKey = keyFile('new.key', 'brand-new-master-key-0123456789');
    const rotated = await cli(['rotate-key', '--new-key-file', newKey], env);
    assert.equal(rotated.code, 0, rotated.err);
    assert.throws(() => CredentialFile.open(file, readMasterKey(env)), /master key does not open/);
    assert.equal(CredentialFile.open(file, readMasterKey({ EXA_MASTER_KEY_FILE: newKey })).get('prod').password, PASSWORD);
    const removed = await cli(['remove', 'prod'], { ...env, EXA_MASTER_KEY_FILE: newKey });
    assert.equal(removed.code, 0);
  });

  it('usage errors say what is missing', async () => {
    assert.match((await cli(['add'], env)).err, /add needs a profile name and --user/);
    assert.match((await cli(['frobnicate'], env)).err, /Unknown command 'frobnicate'/);
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CredentialFile } from '../../src/credentials/credential-file.js';
import { runCli, tempDir, writeKeyFile } from './cli-process.js';

/** The parts of the file's JSON the tests change; values are unknown so they can be made wrong. */
interface FileJson {
  kdf: { N: unknown; r: unknown; p: unknown; salt: string };
  keyCheck: string;
  profiles: { prod: { iv: string; tag?: string } };
}

// The KDF parameters, salt and key check are not authenticated. A tampered N used to surface as
// "Unexpected error: RangeError"; a damaged salt or key check as a wrong master key.
describe('credential file: tampering and corruption', () => {
  const dir = tempDir();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const masterKey = 'master-key-0123456789abcdef';
  const good = join(dir, 'good.json');
  const TAMPERED = /^The credentials file .*\.json was modified or is corrupt \(.+\): restore it from backup, or move it aside and re-add the profiles with: npm run credentials -- add/;

  before(() => {
    const file = CredentialFile.open(good, masterKey, { create: true });
    file.set('prod', { user: 'chatops', password: 'secret-password' });
    file.save();
  });

  /** A copy of the good file with one change applied to its JSON. */
  function tampered(name: string, change: (data: FileJson) => void): string {
    const data = JSON.parse(readFileSync(good, 'utf8')) as FileJson;
    change(data);
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(data), { mode: 0o600 });
    return path;
  }

  const structural: [string, (data: FileJson) => void, RegExp][] = [
    ['N not a power of two', (d) => (d.kdf.N = 1000), /kdf\.N is not an allowed value/],
    ['N weaker than written', (d) => (d.kdf.N = 1 << 14), /kdf\.N is not an allowed value/],
    ['N asking for gigabytes', (d) => (d.kdf.N = 2 ** 24), /kdf\.N is not an allowed value/],
    ['N a string', (d) => (d.kdf.N = '32768'), /kdf\.N is not an allowed value/],
    ['r zero', (d) => (d.kdf.r = 0), /kdf\.r is not an allowed value/],
    ['r changed', (d) => (d.kdf.r = 9), /kdf\.r is not an allowed value/],
    ['p zero', (d) => (d.kdf.p = 0), /kdf\.p is not an allowed value/],
    ['p huge', (d) => (d.kdf.p = 2 ** 31), /kdf\.p is not an allowed value/],
    ['salt shortened', (d) => (d.kdf.salt = randomBytes(8).toString('base64')), /kdf\.salt is not 16 bytes of base64/],
    ['salt not base64', (d) => (d.kdf.salt = `!${d.kdf.salt.slice(1)}`), /kdf\.salt is not 16 bytes of base64/],
    ['keyCheck truncated', (d) => (d.keyCheck = d.keyCheck.slice(0, 20)), /keyCheck is not 32 bytes of base64/],
    ['profiles null', (d) => ((d as { profiles: unknown }).profiles = null), /profiles is not an object/],
    ['profile iv shortened', (d) => (d.profiles.prod.iv = randomBytes(4).toString('base64')), /profile 'prod' is malformed/],
    ['profile without a tag', (d) => delete d.profiles.prod.tag, /profile 'prod' is malformed/],
  ];
  for (const [name, change, detail] of structural) {
    it(`${name}: reported as a modified or corrupt file, before any key derivation`, () => {
      const path = tampered(name.replaceAll(' ', '-'), change);
      assert.throws(() => CredentialFile.open(path, masterKey), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'CREDENTIALS_TAMPERED');
        assert.match(error.message, TAMPERED);
        assert.match(error.message, detail);
        return true;
      });
    });
  }

  it('the CLI reports a tampered N with the fix and exit 1, not an unexpected RangeError', () => {
    const path = tampered('cli-N', (d) => (d.kdf.N = 1000));
    const result = runCli(['list'], { EXA_CREDENTIALS_FILE: path, EXA_MASTER_KEY_FILE: writeKeyFile(dir, 'master.key', masterKey) });
    assert.equal(result.status, 1);
    assert.match(result.stderr, TAMPERED);
    assert.doesNotMatch(result.stderr, /Unexpected error|RangeError/);
  });

  // The right key passes the key check, so a failing GCM tag can only mean the entry was changed.
  it('a changed ciphertext under the right key is tampering, not a wrong key', () => {
    const path = tampered('tag', (d) => (d.profiles.prod.tag = randomBytes(16).toString('base64')));
    const file = CredentialFile.open(path, masterKey);
    assert.throws(() => file.get('prod'), { code: 'CREDENTIALS_TAMPERED', message: /\(profile 'prod' fails its integrity check\): restore it from backup/ });
  });

  // A failing key check cannot say which of the two happened, so the message names both.
  const wrongKeyOrHeader = /^The master key does not open .*\. Check EXA_MASTER_KEY_FILE \(or EXA_MASTER_KEY\).*If the key is right, the file's salt or keyCheck was modified: restore the file from backup\./;
  it('a wrong master key is still reported as a wrong master key', () => {
    assert.throws(() => CredentialFile.open(good, 'another-master-key-0123456789'), { code: 'MASTER_KEY_WRONG', message: wrongKeyOrHeader });
  });

  it('a well-formed but different salt or keyCheck gives the same honest two-way message', () => {
    const salt = tampered('salt', (d) => (d.kdf.salt = randomBytes(16).toString('base64')));
    assert.throws(() => CredentialFile.open(salt, masterKey), { code: 'MASTER_KEY_WRONG', message: wrongKeyOrHeader });
    const keyCheck = tampered('keycheck', (d) => (d.keyCheck = randomBytes(32).toString('base64')));
    assert.throws(() => CredentialFile.open(keyCheck, masterKey), { code: 'MASTER_KEY_WRONG', message: wrongKeyOrHeader });
  });

  it('the untouched file still opens', () => {
    assert.equal(CredentialFile.open(good, masterKey).get('prod').password, 'secret-password');
  });
});

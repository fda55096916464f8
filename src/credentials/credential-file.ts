import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';

/**
 * Encrypted EXAoperation credential profiles, the way the article's commenter asked for ("user
 * name + encrypted password from a profile"). AES-256-GCM (authenticated: tampering is detected)
 * under a key derived with scrypt (memory-hard: a stolen file resists brute force) from a master
 * key kept elsewhere. A key check value tells a wrong master key apart from a tampered file.
 */
export interface Profile {
  readonly user: string;
  readonly password: string;
}

interface StoredProfile {
  readonly user: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface CredentialFileData {
  readonly version: 1;
  readonly kdf: { readonly name: 'scrypt'; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly keyCheck: string;
  readonly profiles: Readonly<Record<string, StoredProfile>>;
}

/** N = 2^15, r = 8: ~32 MiB and ~100 ms per derivation, once at start. */
const KDF = { name: 'scrypt' as const, N: 1 << 15, r: 8, p: 1 };

function deriveKey(masterKey: string, kdf: CredentialFileData['kdf']): Buffer {
  return scryptSync(masterKey, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
}

function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('exa-chatops key check v1').digest('base64');
}

export class CredentialFile {
  private constructor(
    private readonly path: string,
    private data: CredentialFileData,
    private key: Buffer,
  ) {}

  /** Opens (or, with `create`, starts) a file; a wrong master key is reported as such. */
  static open(path: string, masterKey: string, options: { create?: boolean } = {}): CredentialFile {
    if (!existsSync(path)) {
      if (!options.create) {
        throw new AppError('CREDENTIALS_MISSING', `There is no credential file at ${path}. Create it with: npm run credentials -- add <profile>`);
      }
      const kdf = { ...KDF, salt: randomBytes(16).toString('base64') };
      const key = deriveKey(masterKey, kdf);
      return new CredentialFile(path, { version: 1, kdf, keyCheck: keyCheck(key), profiles: {} }, key);
    }
    const data = parseFile(path);
    const key = deriveKey(masterKey, data.kdf);
    const expected = Buffer.from(data.keyCheck, 'base64');
    const actual = Buffer.from(keyCheck(key), 'base64');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      throw new AppError('MASTER_KEY_WRONG', `The master key does not open ${path}. Check EXA_MASTER_KEY_FILE (or rotate-key was run with another key).`);
    }
    return new CredentialFile(path, data, key);
  }

  names(): { name: string; user: string }[] {
    return Object.entries(this.data.profiles).map(([name, p]) => ({ name, user: p.user }));
  }

  get(name: string): Profile {
    const stored = this.data.profiles[name];
    if (!stored) {
      const known = Object.keys(this.data.profiles).join(', ') || 'none';
      throw new AppError('PROFILE_MISSING', `There is no credential profile '${name}' in ${this.path} (known: ${known}). Add it with: npm run credentials -- add ${name}`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(stored.iv, 'base64'));
      decipher.setAAD(aad(name, stored.user));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const password = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]).toString('utf8');
      return { user: stored.user, password };
    } catch {
      throw new AppError('CREDENTIALS_TAMPERED', `Credential profile '${name}' in ${this.path} fails its integrity check: the file was altered. Restore it or add the profile again.`);
    }
  }

  set(name: string, profile: Profile): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
      throw new AppError('PROFILE_NAME', `Profile names use letters, digits, '.', '_' and '-' (got '${name}').`);
    }
    this.data = { ...this.data, profiles: { ...this.data.profiles, [name]: encrypt(this.key, name, profile) } };
  }

  remove(name: string): boolean {
    if (!(name in this.data.profiles)) return false;
    const { [name]: _removed, ...rest } = this.data.profiles;
    this.data = { ...this.data, profiles: rest };
    return true;
  }

  /** Re-encrypts every profile under a new master key (and a new salt). */
  rotate(newMasterKey: string): void {
    const profiles = Object.keys(this.data.profiles).map((name) => [name, this.get(name)] as const);
    const kdf = { ...KDF, salt: randomBytes(16).toString('base64') };
    this.key = deriveKey(newMasterKey, kdf);
    this.data = {
      version: 1,
      kdf,
      keyCheck: keyCheck(this.key),
      profiles: Object.fromEntries(profiles.map(([name, profile]) => [name, encrypt(this.key, name, profile)])),
    };
  }

  /** Writes atomically (temp file + rename), readable by the owner only. */
  save(): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
  }
}

/** Binds each ciphertext to its profile name and user: swapping entries breaks the check. */
function aad(name: string, user: string): Buffer {
  return Buffer.from(`${name}\u0000${user}`, 'utf8');
}

function encrypt(key: Buffer, name: string, profile: Profile): StoredProfile {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(name, profile.user));
  const data = Buffer.concat([cipher.update(profile.password, 'utf8'), cipher.final()]);
  return { user: profile.user, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function parseFile(path: string): CredentialFileData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new AppError('CREDENTIALS_TAMPERED', `The credential file ${path} is not readable JSON: it was altered or truncated. Restore it from a backup.`);
  }
  const data = raw as Partial<CredentialFileData> | null;
  if (!data || data.version !== 1 || data.kdf?.name !== 'scrypt' || typeof data.keyCheck !== 'string' || typeof data.profiles !== 'object') {
    throw new AppError('CREDENTIALS_TAMPERED', `The credential file ${path} does not have the expected structure: it was altered. Restore it from a backup.`);
  }
  return data as CredentialFileData;
}

import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';
import { type CredentialFileData, type KdfParams, type StoredProfile, KDF, PROFILE_NAME, SALT_BYTES, readCredentialFile, tamperedError } from './file-format.js';

/**
 * Encrypted EXAoperation credential profiles, the way the article's commenter asked for ("user
 * name + encrypted password from a profile"). AES-256-GCM (authenticated: tampering is detected)
 * under a key derived with scrypt (memory-hard: a stolen file resists brute force) from a master
 * key kept elsewhere. A key check value tells a wrong master key apart from a tampered profile;
 * it cannot tell a wrong key from a tampered salt or key check (both just fail it), so that
 * message names both.
 */
export interface Profile {
  readonly user: string;
  readonly password: string;
}

function deriveKey(masterKey: string, kdf: KdfParams): Buffer {
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
        throw new AppError('CREDENTIALS_MISSING', `There is no credential file at ${path}. Create it with: npm run credentials -- add <profile> --user <user>`);
      }
      const kdf = { ...KDF, salt: randomBytes(SALT_BYTES).toString('base64') };
      const key = deriveKey(masterKey, kdf);
      return new CredentialFile(path, { version: 1, kdf, keyCheck: keyCheck(key), profiles: {} }, key);
    }
    const data = readCredentialFile(path);
    const key = deriveKey(masterKey, data.kdf);
    // Lengths are equal: readCredentialFile checked the stored one.
    if (!timingSafeEqual(Buffer.from(data.keyCheck, 'base64'), Buffer.from(keyCheck(key), 'base64'))) {
      throw new AppError(
        'MASTER_KEY_WRONG',
        `The master key does not open ${path}. Check EXA_MASTER_KEY_FILE (or EXA_MASTER_KEY): it must be the key the file was last written with (after rotate-key, the new one). ` +
          'If the key is right, the file\'s salt or keyCheck was modified: restore the file from backup.',
      );
    }
    return new CredentialFile(path, data, key);
  }

  names(): { name: string; user: string }[] {
    return Object.entries(this.data.profiles).map(([name, p]) => ({ name, user: p.user }));
  }

  get(name: string): Profile {
    // Own properties only: 'constructor' or 'toString' are not profiles.
    const stored = Object.hasOwn(this.data.profiles, name) ? this.data.profiles[name] : undefined;
    if (!stored) {
      const known = Object.keys(this.data.profiles).join(', ') || 'none';
      throw new AppError('PROFILE_MISSING', `There is no credential profile '${name}' in ${this.path} (known: ${known}). Add it with: npm run credentials -- add ${name} --user <user>`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(stored.iv, 'base64'));
      decipher.setAAD(aad(name, stored.user));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const password = Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64')), decipher.final()]).toString('utf8');
      return { user: stored.user, password };
    } catch {
      // The key check passed, so the key is right: a failing tag means this entry was changed.
      throw tamperedError(this.path, `profile '${name}' fails its integrity check`);
    }
  }

  set(name: string, profile: Profile): void {
    checkProfileName(name);
    this.data = { ...this.data, profiles: { ...this.data.profiles, [name]: encrypt(this.key, name, profile) } };
  }

  remove(name: string): boolean {
    if (!Object.hasOwn(this.data.profiles, name)) return false;
    const { [name]: _removed, ...rest } = this.data.profiles;
    this.data = { ...this.data, profiles: rest };
    return true;
  }

  /** Re-encrypts every profile under a new master key (and a new salt). */
  rotate(newMasterKey: string): void {
    const profiles = Object.keys(this.data.profiles).map((name) => [name, this.get(name)] as const);
    const kdf = { ...KDF, salt: randomBytes(SALT_BYTES).toString('base64') };
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

/** Thrown before the password prompt too, so nobody types a password for a name that is refused. */
export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new AppError('PROFILE_NAME', `Profile names are 1 to 64 letters, digits, '.', '_' and '-', starting with a letter or digit (got '${name}'). Choose another name.`);
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

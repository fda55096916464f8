import { readFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';

/**
 * The on-disk shape of the credential file, and its validation. Only the profiles are
 * authenticated (AES-GCM); the KDF parameters, salt and key check are not, so everything is
 * checked here before it reaches scrypt or the decipher: a tampered N would otherwise surface as
 * a bare RangeError, or make scrypt ask for gigabytes.
 */
export interface StoredProfile {
  readonly user: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export interface KdfParams {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
}

export interface CredentialFileData {
  readonly version: 1;
  readonly kdf: KdfParams;
  readonly keyCheck: string;
  readonly profiles: Readonly<Record<string, StoredProfile>>;
}

/** What this version writes. N = 2^15, r = 8: ~32 MiB and ~100 ms per derivation, once at start. */
export const KDF = { name: 'scrypt' as const, N: 1 << 15, r: 8, p: 1 };

/** What it reads: N up to 2^17 (128 MiB) leaves room to raise the cost later; nothing weaker than today. */
const ALLOWED_N = [1 << 15, 1 << 16, 1 << 17];
export const SALT_BYTES = 16;
export const KEY_CHECK_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** One message for every kind of damage: the fix is the same, the detail says what was found. */
export function tamperedError(path: string, what: string): AppError {
  return new AppError(
    'CREDENTIALS_TAMPERED',
    `The credentials file ${path} was modified or is corrupt (${what}): restore it from backup, or move it aside and re-add the profiles with: npm run credentials -- add <profile> --user <user>`,
  );
}

export function readCredentialFile(path: string): CredentialFileData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('CREDENTIALS_UNREADABLE', `The credentials file ${path} cannot be read (${code}). Check its owner and mode: the user running this needs read access.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw tamperedError(path, 'not valid JSON, perhaps truncated');
  }
  const problem = findProblem(raw);
  if (problem) throw tamperedError(path, problem);
  return raw as CredentialFileData;
}

/** The first thing wrong with the parsed JSON, or undefined when it has the expected shape. */
function findProblem(raw: unknown): string | undefined {
  if (!isRecord(raw)) return 'not a JSON object';
  if (raw['version'] !== 1) return 'version is not 1';
  const kdf = raw['kdf'];
  if (!isRecord(kdf) || kdf['name'] !== 'scrypt') return 'kdf is not scrypt';
  if (!ALLOWED_N.includes(kdf['N'] as number)) return 'kdf.N is not an allowed value';
  if (kdf['r'] !== KDF.r) return 'kdf.r is not an allowed value';
  if (kdf['p'] !== KDF.p) return 'kdf.p is not an allowed value';
  if (base64Length(kdf['salt']) !== SALT_BYTES) return `kdf.salt is not ${SALT_BYTES} bytes of base64`;
  if (base64Length(raw['keyCheck']) !== KEY_CHECK_BYTES) return `keyCheck is not ${KEY_CHECK_BYTES} bytes of base64`;
  const profiles = raw['profiles'];
  if (!isRecord(profiles)) return 'profiles is not an object';
  for (const [name, stored] of Object.entries(profiles)) {
    if (!PROFILE_NAME.test(name)) return 'a profile name is not valid';
    if (!isStoredProfile(stored)) return `profile '${name}' is malformed`;
  }
  return undefined;
}

function isStoredProfile(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value['user'] === 'string' &&
    base64Length(value['iv']) === IV_BYTES &&
    base64Length(value['tag']) === TAG_BYTES &&
    base64Length(value['data']) !== undefined
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decoded length of canonical base64; Buffer.from alone would silently skip stray characters. */
function base64Length(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes.length : undefined;
}

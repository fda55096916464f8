import { readFileSync, statSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';

/**
 * The master key unlocks the credential file. It comes from EXA_MASTER_KEY_FILE (a file only the
 * bot can read) or EXA_MASTER_KEY; it never sits next to the encrypted file in the repository.
 */
export function readMasterKey(env: NodeJS.ProcessEnv): string {
  const file = env['EXA_MASTER_KEY_FILE'];
  if (file) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (error) {
      throw new AppError('MASTER_KEY_MISSING', `The master key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check EXA_MASTER_KEY_FILE.`);
    }
    if ((mode & 0o077) !== 0) {
      throw new AppError(
        'MASTER_KEY_EXPOSED',
        `The master key file ${file} is readable by group or others (mode ${(mode & 0o777).toString(8)}). Run: chmod 600 ${file}`,
      );
    }
    const key = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (key.length < 16) throw new AppError('MASTER_KEY_WEAK', `The master key in ${file} is shorter than 16 characters; generate one with: openssl rand -base64 32`);
    return key;
  }
  const key = env['EXA_MASTER_KEY'];
  if (!key) {
    throw new AppError(
      'MASTER_KEY_MISSING',
      'No master key: set EXA_MASTER_KEY_FILE to a file (mode 600) holding it, e.g. created with: openssl rand -base64 32 > master.key && chmod 600 master.key',
    );
  }
  if (key.length < 16) throw new AppError('MASTER_KEY_WEAK', 'EXA_MASTER_KEY is shorter than 16 characters; generate one with: openssl rand -base64 32');
  return key;
}

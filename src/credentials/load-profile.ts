import { isAppError } from '../errors/app-error.js';
import { CredentialFile, type Profile } from './credential-file.js';
import { readMasterKey } from './master-key.js';

const opened = new Map<string, CredentialFile>();

/**
 * Decrypts one profile in memory for the configuration. Problems (no master key, wrong key,
 * tampered file, missing profile) are added to the start-up problem list with their fix.
 */
export function loadProfile(env: NodeJS.ProcessEnv, name: string, problems: string[]): Profile | undefined {
  const path = env['EXA_CREDENTIALS_FILE'] || './exa-credentials.json';
  try {
    let file = opened.get(path);
    if (!file) {
      file = CredentialFile.open(path, readMasterKey(env));
      opened.set(path, file);
    }
    return file.get(name);
  } catch (error) {
    problems.push(isAppError(error) ? error.message : `credential profile '${name}': ${String(error)}`);
    return undefined;
  }
}

import { readSecret } from './secret-source.js';

/** Where the journal, the audit log and the operations live (issue 15). */
export type StoreConfig =
  | { readonly kind: 'files' }
  | {
      readonly kind: 'postgres';
      /** postgres://user:password@host:5432/db — a secret as a whole (it may carry the password). */
      readonly url: string;
      /** How often a standby tries for an executor lock another replica holds. */
      readonly pollMs: number;
    };

/**
 * DATABASE_URL (or DATABASE_URL_FILE, mode 600) switches from the files in DATA_DIR to
 * PostgreSQL. The URL and its password become secrets the redactor knows.
 */
export function storeConfig(env: NodeJS.ProcessEnv, problems: string[], warnings: string[], secrets: string[]): StoreConfig {
  const url = readSecret(env, 'DATABASE_URL', problems);
  const pollText = env['EXA_EXECUTOR_POLL_SECONDS'];
  if (!url.value) {
    if (url.source === 'none' && pollText) problems.push('EXA_EXECUTOR_POLL_SECONDS is set but DATABASE_URL is not: the executor lock exists only with the PostgreSQL store');
    return { kind: 'files' };
  }
  secrets.push(url.value);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url.value);
  } catch {
    problems.push(`${url.source === 'file' ? 'DATABASE_URL_FILE' : 'DATABASE_URL'} is not a URL; it must look like postgres://user@host:5432/database`);
  }
  if (parsed) {
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
    }
    if (parsed.password) {
      secrets.push(decodeURIComponent(parsed.password));
      if (url.source === 'env') warnings.push('DATABASE_URL carries a password in plain text in the environment; prefer DATABASE_URL_FILE (a file readable only by the bot)');
    }
    if (!parsed.hostname) problems.push('DATABASE_URL names no host; it must look like postgres://user@host:5432/database');
  }
  const pollSeconds = pollText === undefined || pollText === '' ? 2 : Number(pollText);
  if (!Number.isFinite(pollSeconds) || pollSeconds < 0.1 || pollSeconds > 60) {
    problems.push(`EXA_EXECUTOR_POLL_SECONDS must be a number of seconds from 0.1 to 60, got '${pollText ?? ''}'`);
  }
  return { kind: 'postgres', url: url.value, pollMs: Math.round(pollSeconds * 1000) };
}

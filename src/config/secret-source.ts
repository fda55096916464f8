import { readFileSync, statSync } from 'node:fs';

/**
 * Reads a secret from `NAME_FILE` (the Docker/Kubernetes secrets convention) or, second best,
 * from `NAME` itself. Problems are collected, not thrown, so start-up reports all of them at once.
 */
export interface SecretLookup {
  readonly value: string | undefined;
  readonly source: 'file' | 'env' | 'none';
}

/** `label` names the file setting in problems; by default `NAME_FILE`. */
export function readSecret(env: NodeJS.ProcessEnv, name: string, problems: string[], label = `${name}_FILE`): SecretLookup {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      const mode = statSync(file).mode;
      if ((mode & 0o077) !== 0) {
        problems.push(`${label} ${file} is readable by group or others (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${file}`);
      }
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (!value) problems.push(`${label} ${file} is empty`);
      return { value: value || undefined, source: 'file' };
    } catch (error) {
      problems.push(`${label} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return { value: undefined, source: 'file' };
    }
  }
  const value = env[name];
  return value ? { value, source: 'env' } : { value: undefined, source: 'none' };
}

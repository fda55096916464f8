import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Helpers for running the real credentials CLI in a child process, the way operators run it.
const root = new URL('../..', import.meta.url).pathname;
const cliArgs = ['--import', 'tsx', 'src/credentials-cli.ts'];

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'exa-creds-cli-'));
}

export function writeKeyFile(dir: string, name: string, key: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${key}\n`, { mode });
  chmodSync(path, mode);
  return path;
}

/** Only PATH is inherited: a developer's own EXA_MASTER_KEY or EXA_CREDENTIALS_FILE must not leak in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env };
}

/** stdin is a pipe (never a terminal), holding `input` or nothing. */
export function runCli(args: string[], env: Record<string, string>, input = ''): CliResult {
  const result = spawnSync(process.execPath, [...cliArgs, ...args], { cwd: root, env: childEnv(env), input, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface PtyResult {
  /** Everything the terminal showed, stdout and stderr together, as a user would see it. */
  readonly output: string;
  readonly typed: boolean;
  readonly status: number;
}

/** Runs the CLI on a pseudo-terminal (pty-type.py) and types `keys` once `prompt` has appeared. */
export function runCliInPty(args: string[], env: Record<string, string>, prompt: string, keys: string): PtyResult {
  const script = join(root, 'test/credentials/pty-type.py');
  const result = spawnSync('python3', [script, prompt, JSON.stringify(keys), '--', process.execPath, ...cliArgs, ...args], {
    cwd: root,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`pty-type.py failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as PtyResult;
}

/** A machine without Python cannot run the terminal tests; that is not a CLI failure, so skip loudly. */
export const noPython = ((): string | false => {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  return python.error === undefined && python.status === 0 ? false : 'python3 is not on PATH';
})();

// Runs one host action: no shell (the arguments are never parsed by one), a clean environment (the
// bot's own holds Slack tokens and maybe the ConfD password), its own process group so a timeout or
// a cancel also ends what it started, and at most the tail of its output kept.
import { spawn } from 'node:child_process';

export type HostCommandEnd =
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'signalled'; readonly signal: string }
  | { readonly kind: 'timed-out'; readonly afterMs: number }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'not-started'; readonly reason: string };

export interface HostCommandResult {
  readonly end: HostCommandEnd;
  /** stdout and stderr interleaved as they came, the last `maxOutputChars` characters. */
  readonly output: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface RunHostCommandOptions {
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL. @default 5000 */
  readonly killGraceMs?: number;
  /** @default 4000 */
  readonly maxOutputChars?: number;
  /** After the command exits, how long its output may still arrive (a child may hold the pipes). @default 1000 */
  readonly drainMs?: number;
}

/** The environment a host action gets: what a command needs to run, plus what the operator configured. */
export function hostCommandEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
  if (process.env['HOME']) base['HOME'] = process.env['HOME'];
  return { ...base, ...extra };
}

export function describeEnd(end: HostCommandEnd): string {
  switch (end.kind) {
    case 'exited':
      return `exited with status ${end.code}`;
    case 'signalled':
      return `was killed by ${end.signal}`;
    case 'timed-out':
      return `did not finish within ${Math.round(end.afterMs / 1000)} s and was killed`;
    case 'aborted':
      return 'was stopped (the operation was cancelled or the bot is stopping)';
    case 'not-started':
      return `could not be started (${end.reason})`;
  }
}

export function runHostCommand(argv: readonly string[], options: RunHostCommandOptions): Promise<HostCommandResult> {
  const started = Date.now();
  const max = options.maxOutputChars ?? 4000;
  const grace = options.killGraceMs ?? 5000;
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    if (file === undefined) {
      resolve({ end: { kind: 'not-started', reason: 'no executable configured' }, output: '', truncated: false, durationMs: 0 });
      return;
    }
    if (options.signal?.aborted) {
      resolve({ end: { kind: 'aborted' }, output: '', truncated: false, durationMs: 0 });
      return;
    }
    let output = '';
    let truncated = false;
    let stopping: HostCommandEnd | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(file, args, { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...options.env } });
    // Decoded by the streams, so a character split across two chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const append = (chunk: string): void => {
      output += chunk;
      if (output.length > max * 2) {
        output = output.slice(-max);
        truncated = true;
      }
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    // The whole group: a script's own children (ssh, ipmitool) must not outlive it.
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    const stop = (why: HostCommandEnd): void => {
      if (stopping) return;
      stopping = why;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
      killTimer.unref();
    };
    const deadline = setTimeout(() => stop({ kind: 'timed-out', afterMs: options.timeoutMs }), options.timeoutMs);
    const onAbort = (): void => stop({ kind: 'aborted' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let spawnError: Error | undefined;
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // After a timeout or a cancel, nothing it started may go on (a child that left the group is beyond reach).
      if (stopping) killGroup('SIGKILL');
      // A child still holding the pipes (an ssh master, say) must not keep the step waiting.
      child.stdout.destroy();
      child.stderr.destroy();
      const end: HostCommandEnd =
        // A spawn that failed (ENOENT, EACCES) still closes, with a negative errno for a code.
        spawnError !== undefined && child.pid === undefined
          ? { kind: 'not-started', reason: spawnError.message }
          : (stopping ?? (code !== null ? { kind: 'exited', code } : { kind: 'signalled', signal: signal ?? 'a signal' }));
      const tail = output.length > max ? output.slice(-max) : output;
      resolve({ end, output: tail, truncated: truncated || output.length > max, durationMs: Date.now() - started });
    };
    child.on('error', (error) => {
      spawnError = error;
    });
    // The command's own end decides; its output gets a moment to drain, then the pipes are let go.
    let drain: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      drain = setTimeout(() => settle(code, signal), options.drainMs ?? 1000);
    });
    child.on('close', (code, signal) => {
      if (drain) clearTimeout(drain);
      settle(code, signal);
    });
  });
}

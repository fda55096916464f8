import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stack } from '../test/e2e/harness.js';

export interface BotProcess {
  readonly pid: number;
  /** Resident memory of the bot process, from /proc (Linux). */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * The real bot in a process of its own, as it runs in production: the compiled entry point
 * (`npm run build` first; no TypeScript transpiler in memory), configured from the stack's
 * environment. Its memory and its event loop are then the bot's alone.
 */
export async function startBotProcess(stack: Stack): Promise<BotProcess> {
  const entry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await stack.fake.waitFor(() => /started \((?:HTTP mode|Socket Mode)\), port (\d+)/.exec(output)?.[1], 30_000, 'the bot process to listen');
  child.stdout?.on('data', () => (output = ''));
  stack.fake.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
  return {
    pid: child.pid ?? 0,
    rssMb: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface SimProcess {
  readonly url: string;
  readonly password: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * The simulator in a process of its own, as a real EXAoperation is another machine: the bot's
 * CPU work and the server's are not on the same event loop, so the figures measure the bot.
 */
export async function startSimulatorProcess(args: readonly string[]): Promise<SimProcess> {
  const password = randomBytes(12).toString('base64url');
  const cli = fileURLToPath(new URL('../simulator/cli.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--quiet', ...args], {
    env: { ...process.env, SIM_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /URL:\s+(\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
  child.stdout?.resume();
  return {
    url,
    password,
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

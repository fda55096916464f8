import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeSlack } from '../test/fakes/slack/index.js';

export interface MemorySample {
  readonly rssMb: number;
  /** Of which the process's own pages, and mapped files (mostly the node binary, shared with other node processes). */
  readonly rssAnonMb: number;
  readonly rssFileMb: number;
  readonly heapUsedMb: number;
  /** Live heap without compiled code: what a leak makes grow (the JIT's code grows as it warms up). */
  readonly heapDataMb: number;
  readonly externalMb: number;
}

export interface BotProcess {
  readonly pid: number;
  /** Where the fake Slack delivers commands and clicks to it. */
  readonly requestUrl: string;
  /** Memory of the bot process after full garbage collections (memory-probe.mjs). */
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}

const MB = 1024 * 1024;

/**
 * The real bot in a process of its own, as it runs in production: the compiled entry point
 * (`npm run build` first; no TypeScript transpiler in memory), NODE_ENV=production, configured
 * from the environment. Its memory and its event loop are then the bot's alone. `--expose-gc`
 * and the memory probe are the only additions; `nodeArgs` can add e.g. --cpu-prof.
 */
export async function startBotProcess(options: {
  readonly fake: FakeSlack;
  readonly env: Readonly<Record<string, string>>;
  readonly nodeArgs?: readonly string[];
}): Promise<BotProcess> {
  const entry = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
  const probe = new URL('./memory-probe.mjs', import.meta.url).href;
  const child = spawn(process.execPath, ['--expose-gc', '--import', probe, ...(options.nodeArgs ?? []), entry], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the bot process exited (${code}): ${output}`))));
  const port = await Promise.race([
    options.fake.waitFor(() => /started \((?:HTTP mode|Socket Mode)\), port (\d+)/.exec(output)?.[1], 30_000, 'the bot process to listen'),
    exited,
  ]);
  exited.catch(() => undefined);
  // From here on its log is read and dropped: the bench keeps none of it.
  child.stdout?.off('data', collect);
  child.stdout?.resume();
  const requestUrl = `http://127.0.0.1:${port}/slack/events`;
  options.fake.setRequestUrl(requestUrl);
  let next = 0;
  return {
    pid: child.pid ?? 0,
    requestUrl,
    memory: () =>
      new Promise<MemorySample>((resolve, reject) => {
        const id = (next += 1);
        const timer = setTimeout(() => reject(new Error('the bot process did not answer the memory probe')), 10_000);
        const onMessage = (message: { type?: string; id?: number; rss: number; rssAnon: number; rssFile: number; heapUsed: number; code: number; external: number }): void => {
          if (message.type !== 'memory' || message.id !== id) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve({
            rssMb: message.rss / MB,
            rssAnonMb: message.rssAnon / MB,
            rssFileMb: message.rssFile / MB,
            heapUsedMb: message.heapUsed / MB,
            heapDataMb: (message.heapUsed - message.code) / MB,
            externalMb: message.external / MB,
          });
        };
        child.on('message', onMessage);
        child.send({ type: 'memory', id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

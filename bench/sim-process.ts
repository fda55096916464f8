import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Faults, SimulatorOptions } from '../simulator/index.js';

type LogLine = { system: string; node: string; message: string; priority: 'Information' | 'Notice' | 'Warning' | 'Error' };

/** What the parent asks the simulator process (sim-server.ts). */
export type SimCommand =
  | { readonly op: 'fault'; readonly name: keyof Faults; readonly args: readonly unknown[] }
  | { readonly op: 'writeLogEntries'; readonly entries: readonly LogLine[] }
  | { readonly op: 'callCount' };
export type SimRequest = SimCommand & { readonly id: number };
export type SimReply = { readonly id: number } & ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string });

export interface SimProcess {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly pid: number;
  /** sim.faults.<name>(...args) in the simulator process. */
  fault<K extends keyof Faults>(name: K, ...args: Parameters<Faults[K]>): Promise<void>;
  writeLogEntries(entries: readonly LogLine[]): Promise<void>;
  /** How many XML-RPC calls the simulator received so far. */
  callCount(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The simulator in a process of its own, as a real EXAoperation is another machine: the bot's
 * CPU work and the server's are not on the same event loop, so the figures measure the bot.
 * Faults and log entries are set over the IPC channel.
 */
export async function startSimulatorProcess(options: Omit<SimulatorOptions, 'password'>): Promise<SimProcess> {
  const password = randomBytes(12).toString('base64url');
  const server = fileURLToPath(new URL('./sim-server.ts', import.meta.url));
  const child = fork(server, [JSON.stringify({ ...options, password })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  child.on('message', (reply: SimReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(reply.error));
  });
  // Message 0 is the URL, once the simulator listens.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator process did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the simulator process exited (${code})`)));
    waiting.set(0, {
      resolve: (value) => {
        clearTimeout(timer);
        resolve(String(value));
      },
      reject,
    });
  });
  const ask = <T>(request: SimCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });
  return {
    url,
    user: 'admin',
    password,
    pid: child.pid ?? 0,
    fault: (name, ...args) => ask<void>({ op: 'fault', name, args }),
    writeLogEntries: (entries) => ask<void>({ op: 'writeLogEntries', entries }),
    callCount: () => ask<number>({ op: 'callCount' }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// Two replicas of `npm start` on one throw-away PostgreSQL database, with the simulator and the
// fake Slack: what the HA end-to-end tests share (ha-takeover, ha-intake).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { after, before } from 'node:test';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { startStack, type Stack } from './harness.js';
import { ROOT, spawnBot, type SpawnedBot } from './spawn-bot.js';

export const TAKEOVER_BOUND_MS = 15_000;
/** Logged by the executor once it holds every lock (and not before). */
export const STARTED = /exa-chatops started \(HTTP mode\), port (\d+)/;
/** Logged by every replica once it takes Slack requests, executor or not. */
export const STANDING_BY = /exa-chatops standing by \(HTTP mode\), port (\d+)/;

export interface Pair {
  readonly stack: Stack;
  readonly db: pg.Client;
  journal(): Promise<Record<string, unknown>[]>;
  audit(): Promise<Record<string, unknown>[]>;
  replica(name: string, url: string, env?: Readonly<Record<string, string>>): SpawnedBot;
}

export class HaLab {
  private readonly dirs: string[] = [];
  private readonly children: SpawnedBot[] = [];

  constructor(readonly server: PostgresServer) {}

  async pair(database: string, durations: Readonly<Record<string, number>> = { databaseStop: 2500 }, mode: 'http' | 'socket' = 'http'): Promise<Pair> {
    const url = await this.server.createDatabase(database);
    const stack = await startStack({ sim: { durations }, startBot: false, mode });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const dir = mkdtempSync(join(tmpdir(), 'exa-chatops-ha-'));
    this.dirs.push(dir);
    return {
      stack,
      db,
      journal: async () => (await db.query<{ record: Record<string, unknown> }>('SELECT record FROM journal ORDER BY seq')).rows.map((r) => r.record),
      audit: async () => (await db.query<{ entry: Record<string, unknown> }>('SELECT entry FROM audit ORDER BY seq')).rows.map((r) => r.entry),
      replica: (name, replicaUrl, env = {}) => {
        // Each replica has its own DATA_DIR (its replay window), and the URL in a file of mode 600.
        const urlFile = join(dir, `${name}-database-url`);
        writeFileSync(urlFile, `${replicaUrl}\n`, { mode: 0o600 });
        chmodSync(urlFile, 0o600);
        const child = spawnBot(join(ROOT, 'src', 'main.ts'), {
          ...stack.env,
          DATA_DIR: join(dir, name),
          DATABASE_URL_FILE: urlFile,
          EXA_EXECUTOR_POLL_SECONDS: '0.5',
          LOG_LEVEL: 'info',
          ...env,
        });
        this.children.push(child);
        return child;
      },
    };
  }

  async close(): Promise<void> {
    for (const child of this.children) child.proc.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A throw-away PostgreSQL for the whole test file, and a lab on it: started before the first test,
 * and the replicas killed, the directories removed and the server stopped after the last.
 */
export function useHaLab(): { readonly server: PostgresServer; readonly lab: HaLab } {
  let server: PostgresServer | undefined;
  let lab: HaLab | undefined;
  before(async () => {
    server = await startPostgres();
    lab = new HaLab(server);
  });
  after(async () => {
    await lab?.close();
    await server?.stop();
  });
  const missing = (): never => {
    throw new Error('useHaLab: used before its before() hook ran');
  };
  return {
    get server() {
      return server ?? missing();
    },
    get lab() {
      return lab ?? missing();
    },
  };
}

export async function startedPort(stack: Stack, bot: SpawnedBot, what: string, timeoutMs = 30_000): Promise<string> {
  return stack.fake.waitFor(() => STARTED.exec(bot.output())?.[1], timeoutMs, `${what} to start (output: ${bot.output().slice(-600)})`);
}

/** Starts the two replicas: the first executes (Slack goes to it), the second stands by. */
export async function replicas(p: Pair, firstUrl: string, secondUrl: string): Promise<{ first: SpawnedBot; second: SpawnedBot; firstPort: string; secondPort: string; secondHealth: string }> {
  const { fake } = p.stack;
  const first = p.replica('a', firstUrl);
  const firstPort = await startedPort(p.stack, first, 'the first replica');
  fake.setRequestUrl(`http://127.0.0.1:${firstPort}/slack/events`);
  const second = p.replica('b', secondUrl, { HEALTH_PORT: '0' });
  await fake.waitFor(() => /standby: cluster cluster1 is executed by [^ ]+\/\d+/.test(second.output()) || undefined, 30_000, `the second replica to stand by (output: ${second.output().slice(-600)})`);
  assert.doesNotMatch(second.output(), STARTED, 'a standby does not execute');
  // It takes Slack requests (and forwards them), so it is ready; the gauge says who executes.
  const secondPort = await fake.waitFor(() => STANDING_BY.exec(second.output())?.[1], 10_000, 'the standby to take Slack requests');
  const health = /health and metrics on port (\d+)/.exec(second.output())?.[1];
  assert.ok(health, 'the standby serves its health routes');
  assert.equal((await fetch(`http://127.0.0.1:${health}/healthz`)).status, 200);
  const ready = await fetch(`http://127.0.0.1:${health}/readyz`);
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { executor?: string }).executor, 'standby');
  assert.match(await (await fetch(`http://127.0.0.1:${health}/metrics`)).text(), /^exa_chatops_executor 0$/m);
  return { first, second, firstPort, secondPort, secondHealth: health };
}

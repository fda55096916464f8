// Hostile load against the real bot in its own process (HTTP mode), as issue 12 measured it:
// - 150 concurrent unsigned 3.9 MB bodies: the bot's resident memory before and at its peak, and
//   whether 5 real /exa commands sent meanwhile were acknowledged within 3 s;
// - a fuzz run of generated bodies, signed and unsigned: how many were refused, whether the
//   process is still alive, and the ack time of /exa status afterwards.
// Memory is read from /proc/<pid>/status (VmRSS), sampled every 10 ms, without forcing a GC: the
// peak is what the machine had to give.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { CHANNELS, USERS } from '../test/e2e/harness.js';
import { slackDeliveryHeaders } from '../test/fakes/slack/signing.js';
import { FAST } from '../test/helpers/sim-cluster.js';
import { startSlackStack } from './slack-metrics.js';
import { startSimulatorProcess } from './sim-process.js';
import type { BenchResult } from './stats.js';

const FORM = 'application/x-www-form-urlencoded';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Posts a body; resolves with the status, or 0 when the connection was closed before an answer. */
function post(url: string, headers: Record<string, string>, body: Buffer | string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal: AbortSignal.timeout(30_000) });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export async function benchHostileLoad(options: { readonly floodBodies: number; readonly fuzzBodies: number }): Promise<BenchResult[]> {
  const sim = await startSimulatorProcess({ nodes: 4, databases: ['exa_db1', 'exa_db2'], timeScale: FAST });
  const stack = await startSlackStack(sim, {});
  try {
    const { fake, bot } = stack;
    const url = bot.requestUrl;
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'status' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = rssMb(bot.pid);

    // The flood, with 5 real commands sent while it is under way.
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(bot.pid));
    }, 10);
    const big = Buffer.alloc(3_900_000, 'x');
    const flood = Promise.all(Array.from({ length: options.floodBodies }, () => post(url, { 'content-type': FORM }, big)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const acks = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 100));
        return fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'help' });
      }),
    );
    const floodStatuses = await flood;
    clearInterval(sampler);
    const acked = acks.filter((a) => a.outcome === 'ok' && a.elapsedMs < 3000).length;

    // The fuzz run: generated bodies, half of them signed.
    let seed = 1234;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const fragments = ['payload=', 'null', '[]', '{', '}', '"type":', '"block_actions"', 'command=%2Fexa', '&', 'user_id=', 'U0OP', '%', '%ZZ', 'text=', 'é', '=', 'channel_id=', 'ssl_check=1', `team_id=${fake.teamId}`];
    const statuses = new Map<number, number>();
    // First the bodies known to have killed the bot (issue 12), signed; then the generated ones.
    for (const [body, contentType] of [['payload=null', FORM], ['null', 'application/json'], ['payload=%5B%5D', FORM], ['payload=42', FORM]] as const) {
      const status = await post(url, { ...slackDeliveryHeaders(fake.signingSecret, body, {}), 'content-type': contentType }, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    for (let sent = 4; sent < options.fuzzBodies; sent += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, options.fuzzBodies - sent) }, async () => {
          const body = Array.from({ length: 1 + Math.floor(random() * 10) }, () => fragments[Math.floor(random() * fragments.length)]).join('');
          const contentType = random() < 0.7 ? FORM : 'application/json';
          const headers = random() < 0.5 ? { ...slackDeliveryHeaders(fake.signingSecret, body, {}), 'content-type': contentType } : { 'content-type': contentType };
          const status = await post(url, headers, body);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }),
      );
    }
    const alive = (() => {
      try {
        process.kill(bot.pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    const replies = (): number => fake.messages(CHANNELS.ops).length + fake.ephemerals(USERS.op, CHANNELS.ops).length;
    const repliesBefore = replies();
    const asked = performance.now();
    const status = await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'status' });
    const tables = await fake.waitFor(() => replies() > repliesBefore || undefined, 3000, 'the status tables').then(() => true, () => false);
    const answeredMs = performance.now() - asked;
    const refused = [...statuses].filter(([code]) => code >= 400).reduce((sum, [, n]) => sum + n, 0);
    return [
      { name: `bot RSS before ${options.floodBodies} concurrent unsigned 3.9 MB bodies`, value: before, unit: 'MB' },
      { name: 'bot RSS peak during that flood', value: peak, unit: 'MB', target: `< ${Math.round(before + 50)} MB (before + 50)`, pass: peak < before + 50, detail: { statuses: count(floodStatuses) } },
      { name: 'real commands acknowledged within 3 s during the flood', value: acked, unit: 'of 5', target: '5 of 5', pass: acked === 5, detail: { ackMs: acks.map((a) => a.elapsedMs) } },
      { name: `fuzz: generated bodies sent (half signed)`, value: options.fuzzBodies, unit: 'bodies', detail: { statuses: Object.fromEntries(statuses) } },
      { name: 'fuzz: refused with 4xx', value: refused, unit: 'bodies' },
      { name: 'fuzz: bot crashes', value: alive ? 0 : 1, unit: 'crashes', target: '0', pass: alive },
      { name: '/exa status after the fuzz run: ack', value: status.elapsedMs, unit: 'ms', target: '< 3000 ms', pass: status.outcome === 'ok' && status.elapsedMs < 3000 },
      { name: '/exa status after the fuzz run: tables shown', value: answeredMs, unit: 'ms', target: '< 3000 ms', pass: tables && answeredMs < 3000 },
    ];
  } finally {
    await stack.close();
    await sim.stop();
  }
}

function count(statuses: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
}

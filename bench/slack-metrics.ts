// The Slack side, with the real bot against the loopback fake of Slack and the simulator:
// ack latency for a burst of commands while an operation runs and EXAoperation hangs; Slack API
// and XML-RPC calls per operation; progress edits per second; 429s at Slack's published tiers;
// memory idle and after 1,000 notifications.
import { CHANNELS, startStack, USERS } from '../test/e2e/harness.js';
import { startBotProcess } from './bot-process.js';
import { percentile, type BenchResult } from './stats.js';

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchSlack(options: { commands: number; notifications: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const stack = await startStack({
    env: { EXA_APPROVAL_REQUIRED_FOR: 'cluster-shutdown', EXA_TIMEOUT_MS: '2000' },
    sim: { durations: { databaseStop: 4000 } },
    startBot: false,
  });
  const bot = await startBotProcess(stack);
  try {
    const { fake, sim } = stack;
    fake.setRateLimiting(true);

    // 1. Ack latency: a burst of commands while an operation runs and EXAoperation hangs.
    await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text: 'db stop exa_db1' });
    await settle(300);
    sim.faults.hang('getNodeList');
    sim.faults.hang('getDatabaseList');
    const deliveries = await Promise.all(
      Array.from({ length: options.commands }, () => fake.slashCommand({ user: USERS.view, channel: CHANNELS.ops, text: 'status' })),
    );
    const acks = deliveries.map((d) => d.elapsedMs);
    const timeouts = deliveries.filter((d) => d.outcome !== 'ok').length;
    const p99 = percentile(acks, 99);
    results.push(
      { name: `ack latency p50, ${options.commands} commands during an operation, EXAoperation hung`, value: percentile(acks, 50), unit: 'ms' },
      { name: 'ack latency p99', value: p99, unit: 'ms', target: '< 100', pass: p99 < 100 },
      { name: 'acks missed (over 3 s)', value: timeouts, unit: 'commands', target: '0', pass: timeouts === 0 },
    );
    sim.faults.clear();
    await settle(6000); // the operation ends; the hung status replies time out and are answered

    // 2. Calls per operation: one database stop and start, and one full shut-down.
    for (const [label, text, approve] of [
      ['database start', 'db start exa_db1', false],
      ['cluster shut-down', 'shutdown', true],
    ] as const) {
      const apiBefore = fake.apiCalls().length;
      const rpcBefore = sim.calls.length;
      const postsBefore = fake.messages(CHANNELS.ops).length;
      await fake.slashCommand({ user: USERS.op, channel: CHANNELS.ops, text });
      if (approve) {
        const request = await fake.waitFor(() => fake.messages(CHANNELS.ops).slice(postsBefore).find((m) => /Approval needed/.test(m.text)), 5000, 'approval request');
        await fake.clickButton({ user: USERS.app, channel: CHANNELS.ops, messageTs: request.ts, actionId: 'exa_approve', value: 'op-3' });
      }
      await fake.waitFor(
        () => fake.messages(CHANNELS.ops).slice(postsBefore).find((m) => /: (succeeded|failed|refused|cancelled|interrupted)$/.test(m.text)),
        20_000,
        `the end of the ${label}`,
      );
      await settle(1500);
      const edited = (m: { history: readonly { via: string }[] }): number => m.history.filter((h) => h.via === 'chat.update').length;
      const progress = [...fake.messages(CHANNELS.ops).slice(postsBefore)].sort((a, b) => edited(b) - edited(a))[0];
      const editTimes = progress?.history.filter((h) => h.via === 'chat.update').map((h) => h.at) ?? [];
      let fastest = Infinity;
      for (let i = 1; i < editTimes.length; i += 1) fastest = Math.min(fastest, (editTimes[i] ?? 0) - (editTimes[i - 1] ?? 0));
      results.push(
        { name: `${label}: Slack API calls`, value: fake.apiCalls().length - apiBefore, unit: 'calls' },
        { name: `${label}: XML-RPC calls`, value: sim.calls.length - rpcBefore, unit: 'calls' },
        {
          name: `${label}: shortest gap between progress edits`,
          value: Number.isFinite(fastest) ? fastest : 0,
          unit: 'ms',
          target: '>= 1000 (one edit per second)',
          pass: !Number.isFinite(fastest) || fastest >= 990,
        },
      );
      if (label === 'cluster shut-down') break;
    }
    const limited = fake.apiCalls().filter((c) => c.status === 429).length;
    results.push({ name: '429 answers at Slack’s published tiers (rate limiting on)', value: limited, unit: 'answers', target: '0', pass: limited === 0 });
  } finally {
    await bot.stop();
    await stack.close();
  }

  // 3. Memory: idle, then after a flood of notifications through the watcher.
  const memory = await startStack({ env: { EXA_NOTIFY_CHANNEL: CHANNELS.other, EXA_WATCH_INTERVAL_MS: '100', EXA_NOTIFY_MIN_PRIORITY: 'Warning' }, startBot: false });
  const watcher = await startBotProcess(memory);
  try {
    await settle(3000);
    const idle = watcher.rssMb();
    for (let i = 0; i < options.notifications; i += 100) {
      memory.sim.model.writeLogEntries(
        Array.from({ length: 100 }, (_, k) => ({ system: 'EXAoperation', node: 'n0011', message: `bench warning ${i + k}`, priority: 'Warning' as const })),
      );
      await settle(150);
    }
    await settle(5000);
    const after = watcher.rssMb();
    const posted = memory.fake.messages(CHANNELS.other).length;
    results.push(
      { name: 'bot resident memory, idle (own process)', value: idle, unit: 'MB', target: '< 100', pass: idle < 100 },
      { name: `bot resident memory after ${options.notifications} notifications`, value: after, unit: 'MB' },
      { name: 'growth', value: after - idle, unit: 'MB' },
      { name: `channel messages for ${options.notifications} notifications (grouped)`, value: posted, unit: 'messages' },
    );
  } finally {
    await watcher.stop();
    await memory.close();
  }
  return results;
}

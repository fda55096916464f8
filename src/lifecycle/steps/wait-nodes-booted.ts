// Waiting for the nodes of a start-up to finish booting: online by the inventory, and their
// boot-finished message seen through the boot tracker's cursor (or, when that message is lost,
// 'Running' for long enough).
import { AllReachedProbe } from '../probe-all.js';
import { waitUntil } from '../wait-until.js';
import { done, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

/**
 * A node whose boot-finished message has not come although it has answered its inventory and
 * reported 'Running' for this many polls is taken as booted, with a warning: the message is
 * written within seconds of the boot's end, so it is lost rather than late (the reference cannot
 * promise every boot logs it).
 */
const BOOT_MESSAGE_GRACE_POLLS = 12;

export async function waitNodesBooted(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const online = new Set<string>();
  const slowest = { node: '', seconds: -1 };
  const upSince = new Map<string, number>();
  const withoutMessage: string[] = [];
  const graceMs = BOOT_MESSAGE_GRACE_POLLS * ctx.profile.pollIntervalMs;
  // Inventories are read one node at a time until that node is online (probe-all.ts).
  const inventory = new AllReachedProbe((node: string, call) => ctx.client.getHardwareInformation(node, call), (info) => info.online, ctx.clock);
  await waitUntil(
    async (signal) => {
      const call = signal ? { signal } : {};
      for (const booted of await ctx.boot.poll(call)) {
        ctx.detail({ kind: 'node-booted', node: booted.node, seconds: booted.seconds });
        if (booted.seconds > slowest.seconds) Object.assign(slowest, booted);
      }
      for (const [node, info] of await inventory.probe(nodes.filter((n) => !online.has(n)), call)) if (info.online) online.add(node);
      await giveUpOnLostBootMessages(ctx, nodes.filter((n) => online.has(n) && ctx.boot.needsBootMessage(n)), upSince, graceMs, withoutMessage, call);
      const pending = nodes.filter((n) => !online.has(n) || ctx.boot.needsBootMessage(n));
      const last = (n: string): string => {
        const message = ctx.boot.lastMessage(n);
        return message === undefined ? n : `${n} (last boot message: '${message}')`;
      };
      return pending.length === 0
        ? { done: true, value: undefined }
        : { done: false, seen: `not booted yet: ${pending.map(last).join(', ')}` };
    },
    waitOptions(ctx, `all ${nodes.length} node(s) are online and have finished booting`, ctx.profile.timeouts.nodeBootMs),
  );
  const suffix = slowest.seconds >= 0 ? `, slowest ${slowest.node} in ${slowest.seconds} s` : '';
  const note = `${nodes.length}/${nodes.length} nodes booted${suffix}`;
  if (withoutMessage.length === 0) return done(note);
  return { kind: 'done', warning: true, note: `${note}; no boot-finished message from ${withoutMessage.join(', ')}` };
}

async function giveUpOnLostBootMessages(
  ctx: StepContext,
  candidates: readonly string[],
  upSince: Map<string, number>,
  graceMs: number,
  withoutMessage: string[],
  call: { signal?: AbortSignal },
): Promise<void> {
  const states = await Promise.all(candidates.map((n) => ctx.client.getNodeState(n, call)));
  const now = ctx.clock.now();
  candidates.forEach((node, i) => {
    if (states[i]?.status.kind !== 'running') {
      upSince.delete(node);
      return;
    }
    const since = upSince.get(node) ?? now;
    upSince.set(node, since);
    if (now - since < graceMs) return;
    ctx.boot.giveUp(node);
    withoutMessage.push(node);
    ctx.detail({
      kind: 'note',
      text: `${node} answers its inventory and has reported 'Running' for ${Math.round((now - since) / 1000)} s, but its boot-finished message never came; taken as booted`,
    });
  });
}

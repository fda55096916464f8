import { isExaOperationError } from '../../exaoperation/errors.js';
import type { NodeStatus } from '../../exaoperation/types.js';
import { masterMessage } from '../build-plan.js';
import { hasOutOfBandManagement } from '../cluster-profile.js';
import { describePower, readNodePower, type NodePower } from '../node-power.js';
import { LifecycleError } from '../errors.js';
import { AllReachedProbe } from '../probe-all.js';
import { waitUntil } from '../wait-until.js';
import { bootInProgress } from './boot-tracker.js';
import { requestPower } from './power-request.js';
import { done, isExaoperationNotUpYet, isTransient, skipped, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

export async function waitExaoperation(ctx: StepContext): Promise<StepOutcome> {
  // The license server may still be booting: what that looks like is in isExaoperationNotUpYet.
  const nodes = await waitUntil(
    async (signal) => {
      const list = await ctx.client.getNodeList(signal ? { signal } : {});
      return list.length > 0 ? { done: true, value: list } : { done: false, seen: 'an empty node list' };
    },
    {
      ...waitOptions(ctx, 'EXAoperation answers', ctx.profile.timeouts.exaoperationMs),
      tolerate: isExaoperationNotUpYet,
    },
  );
  return done(`EXAoperation answers; ${nodes.length} data node(s) defined`);
}

/**
 * Powers on every node known to be off, all at once. A node still up in any state is left alone
 * (the next step waits for it). A refusal counts as "already powering on" only when the live state
 * agrees: the node answers its inventory, or the logservice shows its boot under way.
 */
export async function powerOnNodes(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const down = await nodesOff(ctx, nodes);
  if (down.length === 0) return skipped('no node is powered off');
  // The cursor is primed before the first startupNode, so every boot message is seen; also for
  // nodes powered on by hand: they are down now, so their boot finishes after this.
  await ctx.boot.prime(call);
  const byHand = down.filter((node) => !hasOutOfBandManagement(ctx.profile, node));
  for (const node of byHand) ctx.boot.expectBootMessage(node);
  const handNote = `no out-of-band management configured: power on ${byHand.join(', ')} by hand; the operation waits for them`;
  if (byHand.length === down.length) return skipped(handNote);
  if (byHand.length > 0) ctx.detail({ kind: 'note', text: handNote });
  const requests = await Promise.all(
    down.filter((node) => !byHand.includes(node)).map(async (node) => {
      const request = await requestPower(() => ctx.client.startupNode(node, call));
      if (request.kind === 'sent') {
        // Only a node this run powered on is sure to log its boot after the cursor.
        ctx.boot.expectBootMessage(node);
        ctx.detail({ kind: 'node-powered-on', node });
        return { node, request, underWay: true };
      }
      const underWay = (await bootUnderWay(ctx, node)) ?? lostEarlier(ctx, 'the next step waits for it to boot');
      if (underWay) {
        ctx.detail({ kind: 'note', text: `EXAoperation refused to power on ${node} (${request.reason}); it is ${underWay}, so the next step waits for it` });
      }
      return { node, request, underWay: underWay !== undefined };
    }),
  );
  const failed = requests.filter((r) => !r.underWay);
  if (failed.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `EXAoperation refused to power on ${failed.map((f) => `${f.node} (${f.request.kind === 'refused' ? f.request.reason : ''})`).join(', ')}, ` +
        'and nothing shows it booting. Stopped here; check the node in EXAoperation, then request the start-up again.',
    );
  }
  const refused = requests.filter((r) => r.request.kind === 'refused').length;
  const already = nodes.length - down.length;
  return done(
    `${requests.length - refused} powered on${refused ? `, ${refused} already powering on` : ''}` +
      `${byHand.length ? `, ${byHand.length} to power on by hand` : ''}${already ? `, ${already} already up` : ''}`,
  );
}

/**
 * On a step's second attempt, a refusal nothing in the live state explains may still be the first
 * attempt's call, gone through with its answer lost: the wait that follows decides, not the refusal.
 */
function lostEarlier(ctx: StepContext, then: string): string | undefined {
  return ctx.attempt > 1 ? `perhaps already on its way (an earlier attempt's answer was lost), so ${then}` : undefined;
}

/** How the live state shows a node on its way up, or undefined when nothing does. */
async function bootUnderWay(ctx: StepContext, node: string): Promise<string | undefined> {
  const call = { signal: ctx.signal };
  const power = await readNodePower(ctx.client, node, call);
  if (power.kind === 'up') return `up (${power.why})`;
  const { entries } = await ctx.client.logEntries(ctx.profile.logservice, call);
  return bootInProgress(entries, node) ? 'booting (its boot messages are in the logservice)' : undefined;
}

export async function checkNodesRunning(ctx: StepContext): Promise<StepOutcome> {
  const names = await ctx.client.getNodeList({ signal: ctx.signal });
  const states = await Promise.all(names.map((n) => ctx.client.getNodeState(n, { signal: ctx.signal })));
  const down = names.filter((_, i) => states[i]?.status.kind !== 'running');
  if (down.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Node(s) ${down.join(', ')} are not running, so EXAStorage cannot start. Start the cluster with startup instead.`,
    );
  }
  return done('every node is running');
}

/**
 * Shuts down every data node not known to be off, all at once. The EXAoperation master is checked
 * again first: it may have moved during a long database stop, and once the data nodes are down
 * only the master's license server can still be shut down through EXAoperation. A refusal counts
 * as "already going down" only when the live state agrees (the node is off, or no longer says
 * 'Running'); otherwise the step fails with EXAoperation's reason.
 */
export async function shutdownNodes(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const master = await ctx.client.getEXAoperationMaster(call);
  if (!ctx.profile.licenseServers.includes(master)) {
    throw new LifecycleError('PRECONDITION_FAILED', `Refused before any data node went down: ${masterMessage(master, ctx.profile)}.`);
  }
  const off = new Set(await nodesOff(ctx, nodes));
  const up = nodes.filter((n) => !off.has(n));
  if (up.length === 0) return skipped('every data node is off');
  const requests = await Promise.all(
    up.map(async (node) => {
      const request = await requestPower(() => ctx.client.shutdownNode(node, call));
      if (request.kind === 'sent') return { node, request, underWay: true };
      const underWay = (await shutdownUnderWay(ctx, node)) ?? lostEarlier(ctx, 'the next step waits until it is off');
      if (underWay) {
        ctx.detail({ kind: 'note', text: `EXAoperation refused to shut down ${node} (${request.reason}); it is ${underWay}, so the next step waits for it` });
      }
      return { node, request, underWay: underWay !== undefined };
    }),
  );
  const failed = requests.filter((r) => !r.underWay);
  if (failed.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `EXAoperation refused to shut down ${failed.map((f) => `${f.node} (${f.request.kind === 'refused' ? f.request.reason : ''})`).join(', ')}, ` +
        "and it still reports 'Running', so it is not known to be going down. Stopped here; the license server was left alone. " +
        'Check the node in EXAoperation, then request the shut-down again.',
    );
  }
  const refused = requests.filter((r) => r.request.kind === 'refused').length;
  return done(`${up.length - refused} shut down${refused ? `, ${refused} already going down` : ''}`);
}

async function shutdownUnderWay(ctx: StepContext, node: string): Promise<string | undefined> {
  const call = { signal: ctx.signal };
  const power = await readNodePower(ctx.client, node, call);
  if (power.kind === 'off') return 'already off';
  const state = await ctx.client.getNodeState(node, call);
  return state.status.kind === 'running' ? undefined : `going down (state ${describeStatus(state.status)})`;
}

/** The nodes EXAoperation positively reports as off (node-power.ts), read in parallel. */
async function nodesOff(ctx: StepContext, nodes: readonly string[]): Promise<string[]> {
  const powers = await Promise.all(nodes.map((n) => readNodePower(ctx.client, n, { signal: ctx.signal })));
  return nodes.filter((_, i) => powers[i]?.kind === 'off');
}

/**
 * Waits until every node is off by the positive test; a node seen off is not asked again, and one
 * node is asked at a time until it is off (probe-all.ts).
 */
export async function waitNodesDown(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const up = new Map<string, NodePower>(nodes.map((n) => [n, { kind: 'up', why: 'not read yet' }]));
  const power = new AllReachedProbe((node: string, call) => readNodePower(ctx.client, node, call), (p) => p.kind === 'off', ctx.clock);
  await waitUntil(async (signal) => {
    for (const [node, read] of await power.probe([...up.keys()], signal ? { signal } : {})) {
      if (read.kind === 'off') up.delete(node);
      else up.set(node, read);
    }
    return up.size === 0
      ? { done: true, value: undefined }
      : { done: false, seen: `still up: ${[...up].map(([n, p]) => `${n} ${describePower(p)}`).join(', ')}` };
  }, waitOptions(ctx, `all ${nodes.length} data node(s) are off`, ctx.profile.timeouts.nodeShutdownMs));
  return done(`${nodes.length} data node(s) off`);
}

/**
 * The license servers go last, and only when every data node is off by the positive test, read
 * again right here. A license server that is not the EXAoperation master is down when its own
 * state says so; the master goes after every other license server, and since EXAoperation stops
 * answering with it, only EXAoperation falling silent confirms it.
 */
export async function shutdownLicenseServer(ctx: StepContext, node: string): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const names = await ctx.client.getNodeList(call);
  const powers = await Promise.all(names.map((n) => readNodePower(ctx.client, n, call)));
  const up = names.flatMap((n, i) => (powers[i]?.kind === 'off' ? [] : [`${n} ${describePower(powers[i] as NodePower)}`]));
  if (up.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Data node(s) ${up.join(', ')} are not known to be off; the license server ${node} must be shut down last. Stopped here.`,
    );
  }
  const master = await ctx.client.getEXAoperationMaster(call);
  if (node !== master) return shutdownOtherLicenseServer(ctx, node);
  const others = ctx.profile.licenseServers.filter((n) => n !== node);
  const otherPowers = await Promise.all(others.map((n) => readNodePower(ctx.client, n, call)));
  const othersUp = others.filter((_, i) => otherPowers[i]?.kind !== 'off');
  if (othersUp.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `License server(s) ${othersUp.join(', ')} are still up; the EXAoperation master ${node} goes last, since nothing can be shut down through EXAoperation after it. Stopped here.`,
    );
  }
  try {
    await ctx.client.shutdownNode(node, call);
  } catch (error) {
    // A 5xx too: a web server going down with its host answers one; only silence decides below.
    if (!isTransient(error)) throw error;
  }
  // A dropped connection is what success looks like here, but so is a call that hung or never
  // arrived: only EXAoperation falling silent proves that the license server is going down.
  // Silent means refused, or no answer three probes in a row: a powered-off host often just
  // does not answer, while one slow answer from a busy EXAoperation proves nothing.
  let silent = 0;
  await waitUntil(
    async (signal) => {
      try {
        await ctx.client.getNodeList({ ...(signal ? { signal } : {}), timeoutMs: 2000 });
        silent = 0;
        return { done: false, seen: 'EXAoperation still answers' };
      } catch (error) {
        if (signal?.aborted) throw error;
        if (isExaOperationError(error, 'EXA_UNREACHABLE')) return { done: true, value: undefined };
        silent = isExaOperationError(error, 'EXA_TIMEOUT') ? silent + 1 : 0;
        if (silent >= 3) return { done: true, value: undefined };
        return { done: false, seen: error instanceof Error ? error.message : String(error) };
      }
    },
    waitOptions(ctx, `EXAoperation stops answering after the shutdown of license server ${node}`, ctx.profile.timeouts.nodeShutdownMs),
  );
  return done('EXAoperation stopped answering, as expected');
}

async function shutdownOtherLicenseServer(ctx: StepContext, node: string): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  if ((await readNodePower(ctx.client, node, call)).kind === 'off') return skipped(`license server ${node} is already off`);
  const request = await requestPower(() => ctx.client.shutdownNode(node, call));
  if (request.kind === 'refused' && (await shutdownUnderWay(ctx, node)) === undefined) {
    throw new LifecycleError('PRECONDITION_FAILED', `EXAoperation refused to shut down license server ${node} (${request.reason}). Stopped here.`);
  }
  await waitUntil(async (signal) => {
    const power = await readNodePower(ctx.client, node, signal ? { signal } : {});
    return power.kind === 'off' ? { done: true, value: undefined } : { done: false, seen: `${node} ${describePower(power)}` };
  }, waitOptions(ctx, `license server ${node} is off`, ctx.profile.timeouts.nodeShutdownMs));
  return done(`license server ${node} is off; EXAoperation still answers on the master`);
}

function describeStatus(status: NodeStatus): string {
  return status.kind === 'unknown' ? status.raw : status.kind === 'running' ? 'Running' : status.kind === 'offline' ? 'offline' : 'Suspended';
}

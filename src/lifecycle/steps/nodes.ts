import { isExaOperationError } from '../../exaoperation/errors.js';
import { hasOutOfBandManagement } from '../cluster-profile.js';
import { LifecycleError } from '../errors.js';
import { waitUntil } from '../wait-until.js';
import { requestPower } from './power-request.js';
import { done, isExaoperationNotUpYet, skipped, waitOptions, type StepContext, type StepOutcome } from './step-context.js';

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

/** Powers on every node that is down, all at once; each is checked first. */
export async function powerOnNodes(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const down = await nodesInState(ctx, nodes, false);
  if (down.length === 0) return skipped('every node is already running');
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
      } else {
        ctx.detail({ kind: 'note', text: `EXAoperation refused to power on ${node} (${request.reason}); taken as already powering on, the next step waits for it` });
      }
      return request;
    }),
  );
  const refused = requests.filter((r) => r.kind === 'refused').length;
  const already = nodes.length - down.length;
  return done(
    `${requests.length - refused} powered on${refused ? `, ${refused} already powering on` : ''}` +
      `${byHand.length ? `, ${byHand.length} to power on by hand` : ''}${already ? `, ${already} already running` : ''}`,
  );
}

export async function waitNodesBooted(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const online = new Set<string>();
  const slowest = { node: '', seconds: -1 };
  await waitUntil(
    async (signal) => {
      const call = signal ? { signal } : {};
      for (const booted of await ctx.boot.poll(call)) {
        ctx.detail({ kind: 'node-booted', node: booted.node, seconds: booted.seconds });
        if (booted.seconds > slowest.seconds) Object.assign(slowest, booted);
      }
      const unchecked = nodes.filter((n) => !online.has(n));
      const infos = await Promise.all(unchecked.map((n) => ctx.client.getHardwareInformation(n, call)));
      unchecked.forEach((n, i) => {
        if (infos[i]?.online) online.add(n);
      });
      const pending = nodes.filter((n) => !online.has(n) || ctx.boot.needsBootMessage(n));
      return pending.length === 0
        ? { done: true, value: undefined }
        : { done: false, seen: `not booted yet: ${pending.join(', ')}` };
    },
    waitOptions(ctx, `all ${nodes.length} node(s) are online and have finished booting`, ctx.profile.timeouts.nodeBootMs),
  );
  const suffix = slowest.seconds >= 0 ? `, slowest ${slowest.node} in ${slowest.seconds} s` : '';
  return done(`${nodes.length}/${nodes.length} nodes booted${suffix}`);
}

export async function checkNodesRunning(ctx: StepContext): Promise<StepOutcome> {
  const down = (await dataNodes(ctx)).filter((n) => !n.running).map((n) => n.name);
  if (down.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Node(s) ${down.join(', ')} are not running, so EXAStorage cannot start. Start the cluster with startup instead.`,
    );
  }
  return done('every node is running');
}

/** Shuts down every data node still running, all at once; each is checked first. */
export async function shutdownNodes(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const up = await nodesInState(ctx, nodes, true);
  if (up.length === 0) return skipped('no data node is running');
  // A node powering off still reports 'Running'; EXAoperation refuses to shut it down again.
  const requests = await Promise.all(
    up.map(async (node) => {
      const request = await requestPower(() => ctx.client.shutdownNode(node, call));
      if (request.kind === 'refused') {
        ctx.detail({ kind: 'note', text: `EXAoperation refused to shut down ${node} (${request.reason}); taken as already going down, the next step waits for it` });
      }
      return request;
    }),
  );
  const refused = requests.filter((r) => r.kind === 'refused').length;
  return done(`${up.length - refused} shut down${refused ? `, ${refused} already going down` : ''}`);
}

async function nodesInState(ctx: StepContext, nodes: readonly string[], running: boolean): Promise<string[]> {
  const states = await Promise.all(nodes.map((n) => ctx.client.getNodeState(n, { signal: ctx.signal })));
  return nodes.filter((_, i) => (states[i]?.status.kind === 'running') === running);
}

export async function waitNodesDown(ctx: StepContext, nodes: readonly string[]): Promise<StepOutcome> {
  // Only the nodes not yet seen down are asked again: a node powering off does not come back.
  let up = [...nodes];
  await waitUntil(async (signal) => {
    const states = await Promise.all(up.map((n) => ctx.client.getNodeState(n, signal ? { signal } : {})));
    up = up.filter((_, i) => states[i]?.status.kind === 'running');
    return up.length === 0 ? { done: true, value: undefined } : { done: false, seen: `still running: ${up.join(', ')}` };
  }, waitOptions(ctx, `all ${nodes.length} data node(s) are down`, ctx.profile.timeouts.nodeShutdownMs));
  return done();
}

/**
 * The license server goes last, and only when every data node is down: once it stops,
 * EXAoperation stops answering, so the call's own connection may drop and that is success.
 */
export async function shutdownLicenseServer(ctx: StepContext, node: string): Promise<StepOutcome> {
  const up = (await dataNodes(ctx)).filter((n) => n.running).map((n) => n.name);
  if (up.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Data node(s) ${up.join(', ')} are still running; the license server ${node} must be shut down last. Stopped here.`,
    );
  }
  try {
    await ctx.client.shutdownNode(node, { signal: ctx.signal });
  } catch (error) {
    const dropped = isExaOperationError(error) && ['EXA_UNREACHABLE', 'EXA_TIMEOUT', 'EXA_MALFORMED_RESPONSE'].includes(error.code);
    if (!dropped) throw error;
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

async function dataNodes(ctx: StepContext): Promise<{ name: string; running: boolean }[]> {
  const names = await ctx.client.getNodeList({ signal: ctx.signal });
  const states = await Promise.all(names.map((n) => ctx.client.getNodeState(n, { signal: ctx.signal })));
  return names.map((name, i) => ({ name, running: states[i]?.status.kind === 'running' }));
}

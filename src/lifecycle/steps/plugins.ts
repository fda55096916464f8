import { done, skipped, type StepContext, type StepOutcome } from './step-context.js';

/** The article restarts the plugin on the license server to bring it into the right PID namespace. */
export async function restartPlugin(ctx: StepContext, plugin: string, node: string): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  await ctx.client.callPlugin(plugin, node, 'STOP', '', call);
  const start = await ctx.client.callPlugin(plugin, node, 'START', '', call);
  return start.status === 0
    ? done(start.output || undefined)
    : { kind: 'done', warning: true, note: `START returned status ${start.status}: ${start.output}` };
}

export async function startPlugin(ctx: StepContext, plugin: string, node: string): Promise<StepOutcome> {
  const call = { signal: ctx.signal };
  const runningText = ctx.profile.plugins.find((p) => p.name === plugin)?.runningText ?? 'is running';
  const status = await ctx.client.callPlugin(plugin, node, 'STATUS', '', call);
  // 'is not running' contains 'is running' only when runningText is that loose; check the negation too.
  if (status.output.includes(runningText) && !status.output.includes('not running')) {
    return skipped(`${plugin} is already running on ${node}`);
  }
  const start = await ctx.client.callPlugin(plugin, node, 'START', '', call);
  return start.status === 0
    ? done(start.output || undefined)
    : { kind: 'done', warning: true, note: `START returned status ${start.status}: ${start.output}` };
}

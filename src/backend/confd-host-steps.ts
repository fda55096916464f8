// Exasol 8's power step, through the operator's host actions (src/hosts): ConfD cannot power
// hosts, so the exit status of the configured command is the only answer there is. Hosts go one
// at a time, in the configured order, and the first failure stops the step: a person decides.
import type { ConfdClient } from '../confd/client.js';
import { isConfdNotUpYet } from '../confd/errors.js';
import type { ConfdDatabaseInfo } from '../confd/types.js';
import { readDatabases } from './confd-databases.js';
import { expandArgv, nodeId, type HostCommand, type HostPowerDirection } from '../hosts/host-power.js';
import { describeEnd, hostCommandEnv, runHostCommand } from '../hosts/run-host-command.js';
import { LifecycleError } from '../lifecycle/errors.js';
import type { Step } from '../lifecycle/plan.js';
import { done, skipped, type StepOutcome } from '../lifecycle/steps/step-context.js';
import type { StepRun } from './cluster-backend.js';

export async function powerHosts(client: ConfdClient, run: StepRun, step: Step, direction: HostPowerDirection, nodes: readonly string[]): Promise<StepOutcome> {
  const hosts = run.profile.hostPower;
  const command = direction === 'off' ? hosts?.off : hosts?.on;
  if (!hosts || !command) {
    throw new LifecycleError('NOT_SUPPORTED', `No power-${direction} host action is configured for cluster ${run.profile.name}; nothing was run.`);
  }
  const todo = direction === 'off' ? nodes : await hostsStillDown(client, run, nodes);
  if (todo.length === 0) return skipped('ConfD reports every host of the step online');
  // What the approver saw as a skip is never run, whatever the state is now.
  if (step.expect.kind !== 'act') {
    throw new LifecycleError(
      'NOT_APPROVED',
      `Stopped here: step ${step.id} would now power ${direction} ${todo.join(', ')}, which the plan this run was approved with skips. Nothing was run.`,
    );
  }
  const finished: string[] = [];
  for (const node of todo) {
    if (direction === 'off') await checkBeforePowerOff(client, run, node, finished);
    const ok = await runOne(run, command, direction, node, hosts.env);
    if (!ok.ok) {
      const left = todo.slice(finished.length + 1);
      throw new LifecycleError(
        'HOST_ACTION_FAILED',
        `The power-${direction} host action for ${node} ${ok.end}. ` +
          `${finished.length ? `Done before it: ${finished.join(', ')}. ` : ''}${left.length ? `Not run for: ${left.join(', ')}. ` : ''}` +
          "Stopped here; the command's output is shown with the operation. Check the host, then request the operation again.",
      );
    }
    finished.push(node);
  }
  return done(`${finished.length} host(s) powered ${direction}: ${finished.join(', ')}`);
}

async function runOne(run: StepRun, command: HostCommand, direction: HostPowerDirection, node: string, env: Readonly<Record<string, string>>) {
  const argv = expandArgv(command.argv, { node, cluster: run.profile.name });
  const extra = { ...env, EXA_CLUSTER: run.profile.name, EXA_NODE: node, EXA_NODE_ID: nodeId(node), EXA_HOST_ACTION: `power-${direction}` };
  const result = await runHostCommand(argv, { timeoutMs: command.timeoutMs, env: hostCommandEnv(extra), signal: run.signal });
  const ok = result.end.kind === 'exited' && result.end.code === 0;
  const end = describeEnd(result.end);
  run.detail({ kind: 'host-output', node, direction, end, ok, output: result.output, truncated: result.truncated });
  return { ok, end };
}

/**
 * Read again right before each host goes down: every database stopped (one may have been started
 * while the hosts before it went off). ConfD must answer before the first host; once hosts are
 * off it may have lost quorum, and then no database can run on the cluster any more: that is said
 * in the thread and the next host goes too.
 */
async function checkBeforePowerOff(client: ConfdClient, run: StepRun, node: string, off: readonly string[]): Promise<void> {
  const call = { signal: run.signal };
  let infos: readonly ConfdDatabaseInfo[];
  try {
    infos = await readDatabases(client, call);
  } catch (error) {
    if (off.length > 0 && isConfdNotUpYet(error)) {
      run.detail({ kind: 'note', text: `ConfD no longer answers (quorum went with ${off.join(', ')}): ${node} is powered off without a fresh database check` });
      return;
    }
    throw error;
  }
  const running = infos.filter((i) => i.state.kind !== 'setup' && i.state.kind !== 'none');
  if (running.length > 0) {
    throw new LifecycleError(
      'PRECONDITION_FAILED',
      `Database(s) ${running.map((i) => i.name).join(', ')} run again: ${node} was not powered off${off.length ? ` (already off: ${off.join(', ')})` : ''}. Stopped here; stop them first, then request the shut-down again.`,
    );
  }
}

/** Hosts ConfD reports online need no power-on; when ConfD does not answer, every host of the step does. */
async function hostsStillDown(client: ConfdClient, run: StepRun, nodes: readonly string[]): Promise<readonly string[]> {
  try {
    const states = await client.nodeState({ signal: run.signal });
    const online = new Set(states.nodes.filter((n) => n.state.kind === 'online').map((n) => n.name));
    return nodes.filter((n) => !online.has(n));
  } catch (error) {
    if (!isConfdNotUpYet(error)) throw error;
    run.detail({ kind: 'note', text: `ConfD does not answer: the power-on host action runs for every host of the step (${nodes.join(', ')}); for a host that is already on, it is the command's to do nothing` });
    return nodes;
  }
}

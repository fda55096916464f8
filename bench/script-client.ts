// The baseline for the lifecycle benchmark: the article's start-up and shut-down procedure done the
// way Exasol's published scripts do it (exasol/exaoperation-xmlrpc, tools-and-examples/startstop/
// start.py and stop.py): one XML-RPC call at a time, object by object, and a fixed `sleep(5)`
// between two probes of a wait. It takes the same steps as the bot's plan (power on, boot, storage,
// every database up to accepting connections; databases, storage, data nodes, license server down)
// so both end in the same state, and only the way of calling and of waiting differs.
import type { ExaOperationClient } from '../src/exaoperation/client.js';
import { isExaOperationError } from '../src/exaoperation/errors.js';
import type { Clock } from '../src/util/clock.js';

export interface ScriptOptions {
  readonly client: ExaOperationClient;
  /** Simulated time: see sim-clock.ts. */
  readonly clock: Clock;
  /** The scripts' sleep between probes, in (simulated) ms: 5000. */
  readonly pollMs: number;
  readonly licenseServer: string;
}

/**
 * `while not done(): sleep(5)`, as stop.py waits for a database and for EXAStorage. `sleepAfterDone`
 * is the node loops of start.py and stop.py, which sleep once more after the round that found
 * every node in the wanted state (the sleep is the loop body's last line).
 */
async function poll(options: ScriptOptions, done: () => Promise<boolean>, sleepAfterDone = false): Promise<void> {
  for (;;) {
    const finished = await done();
    if (finished && !sleepAfterDone) return;
    await options.clock.sleep(options.pollMs);
    if (finished) return;
  }
}

/** start.py's node loop: getNodeList, then getNodeState node by node until one is not as wanted. */
async function allNodes(client: ExaOperationClient, running: boolean): Promise<boolean> {
  for (const node of await client.getNodeList()) {
    const state = await client.getNodeState(node);
    if ((state.status.kind === 'running') !== running) return false;
  }
  return true;
}

export async function scriptStartup(options: ScriptOptions): Promise<void> {
  const { client } = options;
  // Power on every node that is off, one call after the other.
  for (const node of await client.getNodeList()) {
    if ((await client.getNodeState(node)).status.kind !== 'running') await client.startupNode(node);
  }
  await poll(options, () => allNodes(client, true), true);
  if (!(await client.serviceIsOnline())) await client.startEXAStorage();
  await poll(options, async () => (await client.getServiceState()).every((s) => s.state.kind === 'ok'));
  for (const db of await client.getDatabaseList()) {
    if (!(await client.runningDatabase(db))) await client.startDatabase(db);
    await poll(options, async () => (await client.getDatabaseConnectionState(db)).kind === 'accepting');
  }
}

export async function scriptShutdown(options: ScriptOptions): Promise<void> {
  const { client } = options;
  const master = await client.getEXAoperationMaster();
  if (master !== options.licenseServer) throw new Error(`the EXAoperation master is ${master}, not ${options.licenseServer}`);
  for (const db of await client.getDatabaseList()) {
    if (await client.runningDatabase(db)) {
      await client.stopDatabase(db);
      await poll(options, async () => (await client.getDatabaseState(db)).kind === 'setup');
    }
  }
  if (await client.serviceIsOnline()) {
    await client.stopEXAStorage();
    await poll(options, async () => !(await client.serviceIsOnline()));
  }
  for (const node of await client.getNodeList()) await client.shutdownNode(node);
  await poll(options, () => allNodes(client, false), true);
  // The license server last; done when EXAoperation falls silent, as the bot's last step waits for.
  await client.shutdownNode(options.licenseServer).catch((error: unknown) => {
    if (!isExaOperationError(error)) throw error;
  });
  await poll(options, async () => {
    try {
      await client.getNodeList({ timeoutMs: 2000 });
      return false;
    } catch (error) {
      if (isExaOperationError(error) && (error.code === 'EXA_UNREACHABLE' || error.code === 'EXA_TIMEOUT')) return true;
      throw error;
    }
  });
}

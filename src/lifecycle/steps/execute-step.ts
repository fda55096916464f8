import { masterMessage } from '../build-plan.js';
import { LifecycleError } from '../errors.js';
import type { StepAction } from '../plan.js';
import * as databases from './databases.js';
import * as nodes from './nodes.js';
import { waitNodesBooted } from './wait-nodes-booted.js';
import * as plugins from './plugins.js';
import { done, type StepContext, type StepOutcome } from './step-context.js';
import * as storage from './storage.js';

/** Runs one step. Each checks the live state before it acts, so re-running a plan is harmless. */
export async function executeStep(ctx: StepContext, action: StepAction): Promise<StepOutcome> {
  switch (action.kind) {
    case 'wait-exaoperation':
      return nodes.waitExaoperation(ctx);
    case 'check-master':
      return checkMaster(ctx);
    case 'wait-cluster-online':
    case 'abort-backup':
    case 'power-off-hosts':
    case 'power-on-hosts':
    case 'start-databases-after-boot':
      throw new LifecycleError('NOT_SUPPORTED', 'This step belongs to a ConfD cluster and cannot run against EXAoperation.');
    case 'check-databases-idle':
      return databases.checkDatabasesIdle(ctx);
    case 'power-on-nodes':
      return nodes.powerOnNodes(ctx, action.nodes);
    case 'wait-nodes-booted':
      return waitNodesBooted(ctx, action.nodes);
    case 'check-nodes-running':
      return nodes.checkNodesRunning(ctx);
    case 'start-storage':
      return storage.startStorage(ctx);
    case 'wait-services-ok':
      return storage.waitServicesOk(ctx);
    case 'check-storage-online':
      return storage.checkStorageOnline(ctx);
    case 'start-database':
      return databases.startDatabase(ctx, action.database);
    case 'wait-database-accepting':
      return databases.waitDatabaseAccepting(ctx, action.database);
    case 'restart-plugin':
      return plugins.restartPlugin(ctx, action.plugin, action.node);
    case 'start-plugin':
      return plugins.startPlugin(ctx, action.plugin, action.node);
    case 'stop-database':
      return databases.stopDatabase(ctx, action.database);
    case 'wait-database-stopped':
      return databases.waitDatabaseStopped(ctx, action.database);
    case 'check-databases-stopped':
      return storage.checkDatabasesStopped(ctx);
    case 'stop-storage':
      return storage.stopStorage(ctx);
    case 'wait-storage-stopped':
      return storage.waitStorageStopped(ctx);
    case 'shutdown-nodes':
      return nodes.shutdownNodes(ctx, action.nodes);
    case 'wait-nodes-down':
      return nodes.waitNodesDown(ctx, action.nodes);
    case 'shutdown-license-server':
      return nodes.shutdownLicenseServer(ctx, action.node);
  }
}

async function checkMaster(ctx: StepContext): Promise<StepOutcome> {
  const master = await ctx.client.getEXAoperationMaster({ signal: ctx.signal });
  if (!ctx.profile.licenseServers.includes(master)) {
    throw new LifecycleError('PRECONDITION_FAILED', `Refused: ${masterMessage(master, ctx.profile)}.`);
  }
  return done(`master is ${master}`);
}

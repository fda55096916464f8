import type { ExaOperationClient } from '../exaoperation/client.js';
import { actionTargets, isActing } from './approved-actions.js';
import { LifecycleError } from './errors.js';
import type { Step } from './plan.js';

/**
 * The client a step gets: reads pass through; every call that changes the cluster is allowed only
 * on what this step of the plan acts on (the plan that was approved, or checked against the
 * approval, when the run started). A step planned as "skip" may change nothing. So whatever the
 * cluster does between the plan and the step — a database started by hand, a node back on — the
 * bot never acts on more than the approver saw; it stops and says what it would have done.
 */
export function guardedClient(client: ExaOperationClient, step: Step): ExaOperationClient {
  const allowed = new Set(step.expect.kind === 'act' && isActing(step.action) ? actionTargets(step.action) : []);
  const acts = step.expect.kind === 'act' && isActing(step.action);
  const refuse = (what: string): never => {
    throw new LifecycleError(
      'NOT_APPROVED',
      `Stopped here: step ${step.id} would now ${what}, which the plan this run was approved with does not include. ` +
        'Nothing was changed by it. Check the cluster with /exa status and request the operation again to approve the current plan.',
    );
  };
  const need = (ok: boolean, what: string): void => {
    if (!ok) refuse(what);
  };
  // Async, so a refusal is a rejected promise like any failed call, never a synchronous throw.
  const guards: Partial<ExaOperationClient> = {
    startupNode: async (node, o) => {
      need(step.action.kind === 'power-on-nodes' && allowed.has(node), `power on ${node}`);
      return client.startupNode(node, o);
    },
    shutdownNode: async (node, o) => {
      const kind = step.action.kind;
      need((kind === 'shutdown-nodes' || kind === 'shutdown-license-server') && allowed.has(node), `shut down ${node}`);
      return client.shutdownNode(node, o);
    },
    startEXAStorage: async (ignored, o) => {
      need(acts && step.action.kind === 'start-storage', 'start EXAStorage');
      return client.startEXAStorage(ignored, o);
    },
    stopEXAStorage: async (o) => {
      need(acts && step.action.kind === 'stop-storage', 'stop EXAStorage');
      return client.stopEXAStorage(o);
    },
    startDatabase: async (db, o) => {
      need(step.action.kind === 'start-database' && allowed.has(db), `start database ${db}`);
      return client.startDatabase(db, o);
    },
    stopDatabase: async (db, o) => {
      need(step.action.kind === 'stop-database' && allowed.has(db), `stop database ${db}`);
      return client.stopDatabase(db, o);
    },
    callPlugin: async (plugin, node, command, extra, o) => {
      if (command.toUpperCase() !== 'STATUS') {
        const kind = step.action.kind;
        need((kind === 'restart-plugin' || kind === 'start-plugin') && allowed.has(`${plugin}@${node}`), `run ${command} of plugin ${plugin} on ${node}`);
      }
      return client.callPlugin(plugin, node, command, extra, o);
    },
  };
  // A proxy rather than a spread: a client may be a class instance (the tests' fakes), whose
  // methods a spread would drop.
  return new Proxy(client, {
    get(target, property, receiver) {
      if (typeof property === 'string' && property in guards) return guards[property as keyof ExaOperationClient];
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

import type { ExaOperationClient } from '../exaoperation/client.js';
import type { CallOptions } from '../exaoperation/transport.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import { guardedClient } from '../lifecycle/guarded-client.js';
import { readClusterSnapshot } from '../lifecycle/snapshot.js';
import { BootTracker } from '../lifecycle/steps/boot-tracker.js';
import { executeWithRetries } from '../lifecycle/steps/retry-step.js';
import { isExaoperationNotUpYet } from '../lifecycle/steps/step-context.js';
import { classifyEntry } from '../watch/classify-entry.js';
import { EXAOPERATION_CAPABILITIES } from './capabilities.js';
import type { ClusterBackend } from './cluster-backend.js';

/**
 * Exasol 6/7: the cluster through EXAoperation's XML-RPC objects. The steps are the article's
 * (lifecycle/steps/*), each with a client limited to what its step acts on (guarded-client.ts).
 */
export function exaoperationBackend(client: ExaOperationClient, profile: ClusterProfile, close: () => void = () => undefined): ClusterBackend {
  return {
    kind: 'exaoperation',
    endpoint: client.endpoint,
    capabilities: EXAOPERATION_CAPABILITIES,
    snapshot: (options = {}) => readClusterSnapshot(client, options),
    operation(opId) {
      const boot = new BootTracker(client, profile.logservice, `exa-chatops-${opId}`);
      return {
        run: (run, step) => executeWithRetries({ ...run, client: guardedClient(client, step), boot }, step.action),
      };
    },
    logs: async (count, options = {}) => (await client.logEntries(profile.logservice, options)).entries.slice(0, Math.max(0, count)),
    logsSince: async (tag, options = {}) => (await client.logEntriesTagged(profile.logservice, tag, options)).entries,
    classify: classifyEntry,
    async nodes(options: CallOptions = {}) {
      const [names, master] = await Promise.all([client.getNodeList(options), client.getEXAoperationMaster(options)]);
      const nodes = await Promise.all(
        names.map(async (name) => {
          const [state, hardware] = await Promise.all([client.getNodeState(name, options), client.getHardwareInformation(name, options)]);
          return { name, status: state.status, online: hardware.online };
        }),
      );
      return { takenAt: Date.now(), master, licenseServers: profile.licenseServers, nodes };
    },
    probe: async (options = {}) => {
      await client.getNodeList(options);
    },
    isNotUpYet: isExaoperationNotUpYet,
    close,
  };
}

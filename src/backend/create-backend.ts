import type { ClusterConfig } from '../config/app-config.js';
import { createExaOperationClient } from '../exaoperation/client.js';
import { createTransport, type CallObserver } from '../exaoperation/transport.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterBackend } from './cluster-backend.js';
import { exaoperationBackend } from './exaoperation-backend.js';

export interface BackendDependencies {
  readonly logger: Logger;
  /** Sees every XML-RPC call (metrics); never its parameters or credentials. */
  readonly observe?: CallObserver;
}

/** The backend a configured cluster names: its transport, its client and its steps. */
export function createBackend(cluster: ClusterConfig, deps: BackendDependencies): ClusterBackend {
  const transport = createTransport(
    {
      url: cluster.url,
      user: cluster.user,
      password: cluster.password,
      timeoutMs: cluster.timeoutMs,
      tls: cluster.tls,
      maxCallsPerSecond: cluster.maxCallsPerSecond,
    },
    { logger: deps.logger, ...(deps.observe ? { observe: deps.observe } : {}) },
  );
  return exaoperationBackend(createExaOperationClient(transport), cluster.profile, () => transport.close());
}

import type { ClusterConfig } from '../config/app-config.js';
import { createConfdClient } from '../confd/client.js';
import { createConfdTransport } from '../confd/transport.js';
import { createExaOperationClient } from '../exaoperation/client.js';
import type { AppError } from '../errors/app-error.js';
import { createTransport } from '../exaoperation/transport.js';
import type { Logger } from '../logging/logger.js';
import type { ClusterBackend } from './cluster-backend.js';
import { confdBackend } from './confd-backend.js';
import { exaoperationBackend } from './exaoperation-backend.js';

export interface BackendDependencies {
  readonly logger: Logger;
  /** Sees every XML-RPC call (metrics): its method (a ConfD job), time and error; never parameters or credentials. */
  readonly observe?: (event: { readonly method: string; readonly durationMs: number; readonly error: AppError | undefined }) => void;
}

/** The backend a configured cluster names: its transport, its client and its steps. */
export function createBackend(cluster: ClusterConfig, deps: BackendDependencies): ClusterBackend {
  if (cluster.backend === 'confd') {
    const confd = createConfdTransport(
      { url: cluster.url, user: cluster.user, password: cluster.password, timeoutMs: cluster.timeoutMs, tls: cluster.tls, maxCallsPerSecond: cluster.maxCallsPerSecond },
      {
        logger: deps.logger,
        ...(deps.observe ? { observe: ({ site, durationMs, error }) => deps.observe?.({ method: site.job, durationMs, error }) } : {}),
      },
    );
    return confdBackend(createConfdClient(confd), cluster.user, () => confd.close(), cluster.profile.hostPower);
  }
  const transport = createTransport(
    {
      url: cluster.url,
      user: cluster.user,
      password: cluster.password,
      timeoutMs: cluster.timeoutMs,
      tls: cluster.tls,
      maxCallsPerSecond: cluster.maxCallsPerSecond,
    },
    { logger: deps.logger, ...(deps.observe ? { observe: ({ site, durationMs, error }) => deps.observe?.({ method: site.method, durationMs, error }) } : {}) },
  );
  return exaoperationBackend(createExaOperationClient(transport), cluster.profile, () => transport.close());
}

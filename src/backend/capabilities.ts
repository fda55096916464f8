/**
 * What a backend can do. Plans, views and messages branch on these, never on the kind: a step
 * a backend cannot take is not planned, and what it cannot tell is shown as such.
 */
export interface BackendCapabilities {
  /** The service's name as operators know it, for messages ('EXAoperation', 'ConfD'). */
  readonly service: string;
  /** EXAStorage has start and stop steps of its own; otherwise storage follows the nodes. */
  readonly storageSteps: boolean;
  /** A license server that must be the master to shut down and goes down last. */
  readonly licenseServer: boolean;
  /**
   * How nodes are powered on and off: through the service itself (EXAoperation's startupNode and
   * shutdownNode), through a host action the operator configured, or not at all.
   */
  readonly nodePower: 'service' | 'host-action' | 'none';
  /** EXAoperation plugins (e.g. VMware tools) that a start-up restarts. */
  readonly plugins: boolean;
  /** The backend reads running backups and can abort one as a step of a stop (ConfD's db_backup_abort). */
  readonly backupAbort: boolean;
}

/** Exasol 6/7 through EXAoperation: every step of the article. */
export const EXAOPERATION_CAPABILITIES: BackendCapabilities = {
  service: 'EXAoperation',
  storageSteps: true,
  licenseServer: true,
  nodePower: 'service',
  plugins: true,
  backupAbort: false,
};

/**
 * Exasol 8 through ConfD: no license server, storage follows the nodes, and ConfD has no node
 * power ("Exasol 8 does not include functionality to send out-of-band data", confd-api.md §1.6).
 */
export const CONFD_CAPABILITIES: BackendCapabilities = {
  service: 'ConfD',
  storageSteps: false,
  licenseServer: false,
  nodePower: 'none',
  plugins: false,
  backupAbort: true,
};

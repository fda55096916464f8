/**
 * EXAoperation answers with raw strings. Each is parsed once, at the client, into a tagged union.
 * A value we do not recognise is kept as `{ kind: 'unknown', raw }`, never dropped or guessed:
 * an operator must see exactly what EXAoperation said.
 */

/** getDatabaseState: 'none' (defined, not created), 'setup' (created, stopped), 'running', and the transitions. */
export type DatabaseState =
  | { readonly kind: 'none' }
  | { readonly kind: 'setup' }
  | { readonly kind: 'startup' }
  | { readonly kind: 'running' }
  | { readonly kind: 'shutdown' }
  | { readonly kind: 'unknown'; readonly raw: string };

/** getDatabaseOperation: the string 'None' when idle, anything else is a busy operation (e.g. a backup). */
export type DatabaseOperation = { readonly kind: 'idle' } | { readonly kind: 'busy'; readonly raw: string };

/** getDatabaseConnectionState: 'Yes' or 'No'. */
export type ConnectionState =
  | { readonly kind: 'accepting' }
  | { readonly kind: 'rejecting' }
  | { readonly kind: 'unknown'; readonly raw: string };

/** A service's runtime state in getServiceState: 'OK', 'not running', or something else. */
export type ServiceRuntimeState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'not-running' }
  | { readonly kind: 'unknown'; readonly raw: string };

export interface ServiceState {
  readonly name: string; // Loggingd, Lockd, Storaged, DWAd, …
  readonly state: ServiceRuntimeState;
}

/**
 * getNodeState()['status']: 'Running', 'Suspended' and 'Unknown' are observed. EXAoperation's own
 * 'Unknown' means what our `unknown` means (state not known), so it maps there with its raw text.
 */
export type NodeStatus =
  | { readonly kind: 'running' }
  | { readonly kind: 'suspended' }
  /** Exasol 8's node_state 'offline': not part of the cluster (its host may still be up). */
  | { readonly kind: 'offline' }
  | { readonly kind: 'unknown'; readonly raw: string };

export interface NodeState {
  readonly status: NodeStatus;
  /** Every key of the answer, as sent: only 'status' is documented. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type LogPriority = 'Information' | 'Notice' | 'Warning' | 'Error';

export interface LogEntry {
  readonly strtime: string;
  readonly system: string;
  readonly node: string;
  readonly message: string;
  readonly priority: LogPriority | { readonly kind: 'unknown'; readonly raw: string };
}

export interface LogEntries {
  /** Elements [0] and [1] of the answer: undocumented (reference §4.1), kept but never relied on. */
  readonly header: readonly [unknown, unknown];
  /** Element [2], newest first as EXAoperation sends it. */
  readonly entries: readonly LogEntry[];
}

export interface HardwareInformation {
  /** The article's test: the node answers with dmidecode output only when it is online. */
  readonly online: boolean;
  readonly text: string;
}

export interface PluginResult {
  /** Raw status; non-zero means the plugin command failed (it is not a fault). */
  readonly status: number;
  readonly output: string;
}

export interface DatabaseInfo {
  readonly name: string;
  readonly state: DatabaseState;
  readonly operation: DatabaseOperation;
  readonly connection: ConnectionState;
  readonly connectionString: string;
  readonly nodes: { readonly active: readonly string[]; readonly failed: readonly string[]; readonly reserve: readonly string[] };
  /** Every key as sent (keys contain spaces, e.g. 'persistent volume'). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface LicenseServer {
  readonly number: number; // e.g. 10
  readonly node: string; // e.g. n0010, formatted as Exasol's scripts do ('n%0.4i')
}

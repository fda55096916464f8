import type { ConnectionState, DatabaseOperation, DatabaseState } from '../exaoperation/types.js';
import type { JobFailure } from './errors.js';

/** A job's answer: `result_code` 0 is success; `result_output` is what the job returned, if anything. */
export interface JobResult extends JobFailure {
  readonly output: unknown;
}

/** `job_desc`: `[True, [description, mandatory, optional, substitute, allowed_users, allowed_groups]]`. */
export interface JobDescription {
  readonly description: string;
  readonly mandatory: readonly string[];
  readonly optional: readonly string[];
  readonly allowedUsers: readonly string[];
  readonly allowedGroups: readonly string[];
}

/**
 * `db_info`, in the bot's terms: the same states as on EXAoperation (db_state's lower-case strings
 * mapped), the operation (`'None'` when idle), connectible (`'Yes'`/`'No'`), the connection string
 * and the nodes. `autoStart` from `config` where the cluster says (Exasol 8), else undefined.
 */
export interface ConfdDatabaseInfo {
  readonly name: string;
  readonly state: DatabaseState;
  readonly operation: DatabaseOperation;
  readonly connection: ConnectionState;
  readonly connectionString: string;
  readonly nodes: { readonly active: readonly string[]; readonly failed: readonly string[]; readonly reserve: readonly string[] };
  readonly autoStart: boolean | undefined;
  readonly raw: Readonly<Record<string, unknown>>;
}

export type ConfdNodeState =
  | { readonly kind: 'online' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'deactivated' }
  | { readonly kind: 'unknown'; readonly raw: string };

/** `node_state`: `{'11': 'online', 'booted': {'11': 'Tue Jul  7 14:14:07 2020'}}`, per node id. */
export interface ConfdNodeStates {
  readonly nodes: readonly { readonly id: string; readonly name: string; readonly state: ConfdNodeState; readonly booted: string | undefined }[];
}

/** One storage volume of `st_volume_list`. */
export interface VolumeInfo {
  readonly name: string;
  /** As sent ('ONLINE', …). */
  readonly state: string;
  readonly redundancy: number | undefined;
  /** Summed over the volume's nodes. */
  readonly unrecoveredSegments: number;
  readonly labels: readonly string[];
}

/**
 * `db_backup_progress`: its shape is not published (confd-api.md §1.3 [I]). Only an answer that
 * says plainly that nothing runs counts as "none"; anything else is a backup that may be running.
 */
export type BackupProgress =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly text: string };

/** One event of `log_collect`, in the fields the watcher needs. */
export interface ConfdLogEntry {
  readonly time: string;
  readonly service: string;
  readonly node: string;
  readonly level: string;
  readonly message: string;
}

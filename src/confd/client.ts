import type { CallOptions } from '../exaoperation/transport.js';
import { ConfdError, type ConfdSite } from './errors.js';
import { sentence } from './map-error.js';
import * as parse from './parse.js';
import type { ConfdTransport } from './transport.js';
import type { BackupProgress, ConfdDatabaseInfo, ConfdLogEntry, ConfdNodeStates, JobDescription, VolumeInfo } from './types.js';

/** The jobs the bot runs, each with its parameters and its typed answer. Every failure is a ConfdError. */
export interface ConfdClient {
  readonly endpoint: string;
  master(options?: CallOptions): Promise<string>;
  /** `job_exec(name, {'params': …})`; a `result_code` other than 0 throws CONFD_JOB_FAILED. Returns `result_output`. */
  job(name: string, params?: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<unknown>;
  /** `job_desc(name)`: undefined when ConfD has no such job. */
  describeJob(name: string, options?: CallOptions): Promise<JobDescription | undefined>;

  dbList(options?: CallOptions): Promise<string[]>;
  dbInfo(db: string, options?: CallOptions): Promise<ConfdDatabaseInfo>;
  dbState(db: string, options?: CallOptions): Promise<ConfdDatabaseInfo['state']>;
  dbStart(db: string, options?: CallOptions & { readonly timeoutSeconds?: number }): Promise<void>;
  dbStop(db: string, options?: CallOptions): Promise<void>;
  dbBackupProgress(db: string, options?: CallOptions): Promise<BackupProgress>;
  dbBackupAbort(db: string, options?: CallOptions): Promise<void>;
  nodeState(options?: CallOptions): Promise<ConfdNodeStates>;
  volumeList(options?: CallOptions): Promise<VolumeInfo[]>;
  logCollect(params: { readonly tag?: string; readonly errorLevel?: string; readonly services?: readonly string[] }, options?: CallOptions): Promise<ConfdLogEntry[]>;
}

/** The services whose log events the bot follows (confd-api.md §1.3, `log_collect`). */
export const LOG_SERVICES = ['ConfD', 'DWAd', 'HealthD'] as const;

/** Jobs that change something: never sent twice after a connection that broke mid-call. */
const ACTING_JOBS: ReadonlySet<string> = new Set(['db_start', 'db_stop', 'db_backup_start', 'db_backup_abort', 'nodes_terminate', 'node_suspend', 'node_resume']);

export function createConfdClient(transport: ConfdTransport): ConfdClient {
  async function job(name: string, params?: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<unknown> {
    // Exactly the published call shape: no second argument for a job without parameters.
    const args = params === undefined ? [name] : [name, { params: { ...params } }];
    const answer = await transport.call(name, 'job_exec', args, { ...options, readOnly: !ACTING_JOBS.has(name) });
    const site: ConfdSite = { endpoint: transport.endpoint, job: name };
    const result = parse.jobResult(answer, site);
    if (result.resultCode !== 0) {
      throw new ConfdError(
        'CONFD_JOB_FAILED',
        `ConfD job ${name} failed: ${result.resultName}: ${sentence(result.resultDesc || 'no reason given')}${result.jobId ? ` (job ${result.jobId})` : ''}`,
        site,
        { job: result },
      );
    }
    return result.output;
  }
  const typed = async <T>(name: string, params: Readonly<Record<string, unknown>> | undefined, parser: (value: unknown, site: ConfdSite) => T, options?: CallOptions): Promise<T> =>
    parser(await job(name, params, options), { endpoint: transport.endpoint, job: name });

  return {
    endpoint: transport.endpoint,
    master: (o) => transport.master(o),
    job,
    async describeJob(name, options) {
      const answer = await transport.call(`job_desc ${name}`, 'job_desc', [name], { ...options, readOnly: true });
      return parse.jobDescription(answer, { endpoint: transport.endpoint, job: `job_desc ${name}` });
    },
    dbList: (o) => typed('db_list', undefined, parse.stringList, o),
    dbInfo: (db, o) => typed('db_info', { db_name: db }, (v, s) => parse.databaseInfo(db, v, s), o),
    dbState: (db, o) => typed('db_state', { db_name: db }, parse.databaseState, o),
    dbStart: async (db, o) => {
      await job('db_start', { db_name: db, ...(o?.timeoutSeconds === undefined ? {} : { timeout: o.timeoutSeconds }) }, o);
    },
    dbStop: async (db, o) => {
      await job('db_stop', { db_name: db }, o);
    },
    dbBackupProgress: (db, o) => typed('db_backup_progress', { db_name: db }, parse.backupProgress, o),
    dbBackupAbort: async (db, o) => {
      await job('db_backup_abort', { db_name: db }, o);
    },
    nodeState: (o) => typed('node_state', undefined, parse.nodeStates, o),
    volumeList: (o) => typed('st_volume_list', undefined, parse.volumeList, o),
    logCollect: (params, o) =>
      typed(
        'log_collect',
        {
          services: [...(params.services ?? LOG_SERVICES)],
          ...(params.tag === undefined ? {} : { tag: params.tag }),
          ...(params.errorLevel === undefined ? {} : { error_level: params.errorLevel }),
        },
        parse.logEntries,
        o,
      ),
  };
}

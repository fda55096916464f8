import type { CallOptions } from '../exaoperation/transport.js';
import type { ConfdClient } from './client.js';
import { isConfdError } from './errors.js';

/** Every job the bot runs, and what it needs it for. */
export const CONFD_JOBS: Readonly<Record<string, string>> = {
  db_list: 'status',
  db_info: 'status and every database step',
  db_state: 'database waits',
  db_start: 'database start and cluster start-up',
  db_stop: 'database stop and cluster shut-down',
  db_backup_progress: 'the backup check before a stop',
  db_backup_abort: 'a stop or shut-down requested with --abort-backup',
  node_state: 'node status and start-up waits',
  st_volume_list: 'volume status',
  log_collect: 'notifications',
};

/** Jobs whose refusal leaves a part of the status unreadable rather than the bot unusable. */
const OPTIONAL = new Set(['node_state', 'st_volume_list', 'log_collect', 'db_backup_abort']);

export interface PreflightReport {
  /** The bot cannot work on this cluster until these are fixed. */
  readonly problems: readonly string[];
  /** It works, with less (e.g. node states shown as "no permission"). */
  readonly warnings: readonly string[];
}

/**
 * At start-up: `job_desc` for every job the bot will run (does it exist on this Exasol version?
 * who may run it?), then one harmless read of `db_list` and `node_state`, which says whether the
 * configured user may read them; ConfD does not tell a user's groups, so the groups a job allows
 * are named for the operator to check (confd-api.md §1.1: node jobs need exaadm, database jobs
 * work for exadbadm). Unreachable ConfD is not a problem here: the bot starts, and says so later.
 */
export async function preflightConfd(client: ConfdClient, user: string, options: CallOptions = {}): Promise<PreflightReport> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const descriptions = await Promise.all(Object.keys(CONFD_JOBS).map(async (job) => [job, await client.describeJob(job, options)] as const));
  for (const [job, description] of descriptions) {
    const purpose = CONFD_JOBS[job] ?? '';
    if (description === undefined) {
      (OPTIONAL.has(job) ? warnings : problems).push(`ConfD has no job ${job} (needed for ${purpose}); check that the cluster runs Exasol 8`);
      continue;
    }
  }
  const allowedFor = (job: string): string => {
    const description = descriptions.find(([name]) => name === job)?.[1];
    const groups = description?.allowedGroups ?? [];
    return groups.length > 0 ? `; ConfD allows it for the groups ${groups.join(', ')}` : '';
  };
  for (const [job, read] of [
    ['db_list', () => client.dbList(options)],
    ['node_state', () => client.nodeState(options)],
  ] as const) {
    try {
      await read();
    } catch (error) {
      if (!isConfdError(error, 'CONFD_JOB_FAILED')) throw error;
      const text = `user '${user}' may not run ${job} (${error.job?.resultName ?? ''}: ${error.job?.resultDesc ?? ''})${allowedFor(job)}`;
      if (OPTIONAL.has(job)) warnings.push(`${text}. Node states will show as "no permission" and a start-up cannot wait for the nodes; add the user to exaadm to see them`);
      else problems.push(`${text}. The bot cannot read this cluster's databases`);
    }
  }
  return { problems, warnings };
}

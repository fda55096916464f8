// The job table: every job started gets an id ('<master id>.<n>', like '12.2'), is checked
// (exists, parameters, the caller's groups) and then runs; a waiting job is checked again lazily.
import type { RpcValue } from '../api/rpc-value.js';
import { UsageError } from '../model/usage-error.js';
import type { ConfdUser } from './confd-options.js';
import { JobFailure, type JobOutcome } from './job-result.js';
import { confdNames } from './node-ids.js';
import { ALLOWED_USERS, type JobContext, type JobSpec, type Params, type Waiting } from './job-spec.js';
import { CLUSTER_JOBS } from './jobs/cluster-jobs.js';
import { DATABASE_JOBS } from './jobs/database-jobs.js';

export const JOBS: ReadonlyMap<string, JobSpec> = new Map([...DATABASE_JOBS, ...CLUSTER_JOBS].map((j) => [j.name, j]));

export interface JobRecord {
  readonly id: string;
  readonly name: string;
  readonly params: Params;
  readonly user: string;
  readonly submittedAt: number;
  outcome: JobOutcome | undefined;
  waiting: Waiting | undefined;
}

function asFailure(error: unknown): JobFailure {
  if (error instanceof JobFailure) return error;
  if (error instanceof UsageError) return new JobFailure('JobFailed', confdNames(error.message));
  return new JobFailure('JobFailed', error instanceof Error ? error.message : String(error));
}

function checkParams(spec: JobSpec, params: Params): void {
  const known = new Set([...spec.mandatory, ...spec.optional]);
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new JobFailure('InvalidParameters', `Unknown parameters for job '${spec.name}': ${unknown.join(', ')}.`);
  const missing = spec.mandatory.filter((k) => params[k] === undefined);
  if (missing.length > 0) throw new JobFailure('InvalidParameters', `Missing mandatory parameters for job '${spec.name}': ${missing.join(', ')}.`);
}

export function mayRun(spec: JobSpec, user: ConfdUser): boolean {
  return (ALLOWED_USERS as readonly string[]).includes(user.name) || user.groups.some((g) => spec.groups.includes(g));
}

export class JobStore {
  private readonly records = new Map<string, JobRecord>();
  private seq = 0;

  constructor(
    private readonly ctx: JobContext,
    /** The master's ConfD id, the first part of each job id. */
    private readonly prefix: () => string,
  ) {}

  get all(): readonly JobRecord[] {
    return [...this.records.values()];
  }

  /** Starts a job; `injected` is a failure fault injection decided on. Never throws. */
  start(name: string, params: Params, user: ConfdUser, injected?: JobFailure): JobRecord {
    const record: JobRecord = { id: `${this.prefix()}.${++this.seq}`, name, params, user: user.name, submittedAt: this.ctx.now(), outcome: undefined, waiting: undefined };
    this.records.set(record.id, record);
    try {
      const spec = JOBS.get(name);
      if (spec === undefined) throw new JobFailure('UnknownJob', `Job '${name}' does not exist.`);
      if (!mayRun(spec, user)) {
        throw new JobFailure('PermissionDenied', `User '${user.name}' (groups ${user.groups.join(', ') || 'none'}) may not run job '${name}'; allowed groups: ${spec.groups.join(', ')}.`);
      }
      checkParams(spec, params);
      if (injected !== undefined) throw injected;
      const run = spec.run(this.ctx, params);
      if (run.kind === 'done') record.outcome = { kind: 'ok', output: run.output };
      else record.waiting = run;
    } catch (error) {
      record.outcome = { kind: 'failed', failure: asFailure(error) };
    }
    this.refresh(record);
    return record;
  }

  get(id: unknown): JobRecord {
    const record = typeof id === 'string' ? this.records.get(id) : undefined;
    if (record === undefined) throw new UsageError(`Job ${JSON.stringify(id)} does not exist.`);
    return this.refresh(record);
  }

  /** Looks at a waiting job again; returns it. */
  refresh(record: JobRecord): JobRecord {
    if (record.outcome !== undefined || record.waiting === undefined) return record;
    try {
      const answer = record.waiting.check();
      if (answer instanceof JobFailure) record.outcome = { kind: 'failed', failure: answer };
      else if (answer !== undefined) record.outcome = { kind: 'ok', output: answer.output };
    } catch (error) {
      record.outcome = { kind: 'failed', failure: asFailure(error) };
    }
    if (record.outcome !== undefined) record.waiting = undefined;
    return record;
  }

  checkAgainAt(record: JobRecord): number | undefined {
    return record.waiting?.checkAgainAt();
  }
}

export type JobOutput = RpcValue | undefined;

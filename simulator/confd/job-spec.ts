// A ConfD job as data: what job_desc reports (params, allowed users and groups) plus how it runs.
// A job either finishes at once or waits on the model's clock (db_start until the database runs).
import type { RpcValue } from '../api/rpc-value.js';
import type { ClusterModel } from '../model/cluster-model.js';
import type { ResolvedReadings } from './confd-options.js';
import { JobFailure } from './job-result.js';
import type { LogCursors } from './log-collect.js';

export type Params = Readonly<Record<string, unknown>>;

export interface JobContext {
  readonly model: ClusterModel;
  readonly readings: ResolvedReadings;
  readonly now: () => number;
  readonly logCursors: LogCursors;
  /** Simulated seconds a backup takes. */
  readonly backupSeconds: number;
}

/** A job still running: `check` answers once it is done, `checkAgainAt` says when to look again. */
export interface Waiting {
  readonly kind: 'waiting';
  readonly check: () => { readonly output: RpcValue | undefined } | JobFailure | undefined;
  readonly checkAgainAt: () => number | undefined;
}

export type JobRun = { readonly kind: 'done'; readonly output: RpcValue | undefined } | Waiting;

export interface JobSpec {
  readonly name: string;
  readonly description: string;
  readonly mandatory: readonly string[];
  readonly optional: readonly string[];
  readonly groups: readonly string[];
  readonly run: (ctx: JobContext, params: Params) => JobRun;
}

export const DB_GROUPS = ['root', 'exaadm', 'exadbadm'] as const;
export const NODE_GROUPS = ['root', 'exaadm'] as const;
export const STORAGE_GROUPS = ['root', 'exastoradm', 'exaadm'] as const;
/** ConfD jobs also list allowed users; root may run every job. */
export const ALLOWED_USERS = ['root'] as const;

export const done = (output?: RpcValue): JobRun => ({ kind: 'done', output });

export function stringParam(params: Params, key: string): string {
  const v = params[key];
  if (typeof v !== 'string' || v === '') throw new JobFailure('InvalidParameters', `Parameter '${key}': expected a non-empty string, got ${JSON.stringify(v)}.`);
  return v;
}

export function optionalBool(params: Params, key: string): boolean {
  const v = params[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new JobFailure('InvalidParameters', `Parameter '${key}': expected a boolean, got ${JSON.stringify(v)}.`);
  return v;
}

export function optionalInt(params: Params, key: string, fallback: number): number {
  const v = params[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new JobFailure('InvalidParameters', `Parameter '${key}': expected an integer >= 0, got ${JSON.stringify(v)}.`);
  return v;
}

export function optionalStringList(params: Params, key: string): string[] | undefined {
  const v = params[key];
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' || typeof x === 'number')) {
    throw new JobFailure('InvalidParameters', `Parameter '${key}': expected a list of strings, got ${JSON.stringify(v)}.`);
  }
  return list.map(String);
}

/** The database must exist: a NotFound failure otherwise. */
export function database(ctx: JobContext, params: Params): string {
  const name = stringParam(params, 'db_name');
  if (!ctx.model.hasDatabase(name)) throw new JobFailure('NotFound', `Database '${name}' does not exist.`);
  return name;
}

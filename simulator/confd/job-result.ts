// What a finished job answers. Success is the shape the reference confirms; failures use the
// names below (the reference has no failed example, so they are the simulator's choice).
import type { RpcValue } from '../api/rpc-value.js';

export const JOB_FAILURES = {
  JobFailed: 1,
  InvalidParameters: 2,
  PermissionDenied: 3,
  NotFound: 4,
  Timeout: 5,
  UnknownJob: 6,
} as const;

export type JobFailureName = keyof typeof JOB_FAILURES | (string & {});

/** Thrown by a job; becomes result_code/result_name/result_desc. */
export class JobFailure extends Error {
  constructor(
    readonly resultName: JobFailureName,
    message: string,
    readonly resultCode: number = (JOB_FAILURES as Record<string, number>)[resultName] ?? 1,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export type JobOutcome =
  | { readonly kind: 'ok'; readonly output: RpcValue | undefined }
  | { readonly kind: 'failed'; readonly failure: JobFailure };

export function resultStruct(jobId: string, outcome: JobOutcome): { [key: string]: RpcValue } {
  if (outcome.kind === 'failed') {
    const f = outcome.failure;
    return { result_code: f.resultCode, result_name: f.resultName, result_desc: f.message, result_jobid: jobId };
  }
  // db_start/db_stop and the like have no result_output key at all.
  const base = { result_code: 0, result_name: 'OK', result_desc: 'Success', result_jobid: jobId };
  return outcome.output === undefined ? base : { ...base, result_output: outcome.output };
}

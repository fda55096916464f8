import { AppError } from '../errors/app-error.js';

/**
 * Every way a ConfD call can fail, in the three classes the reference keeps apart (confd-api.md
 * §1.2): HTTP (refused, 401, a 302 from a node that is not the master, any other status), an
 * XML-RPC fault (an unknown method, a malformed call), and a job that ran and answered
 * `result_code != 0`. Everything downstream switches on `code`.
 */
export type ConfdErrorCode =
  // HTTP and below
  | 'CONFD_AUTH_FAILED' // 401: wrong user or password
  | 'CONFD_NOT_MASTER' // 302 again after the master was looked up again
  | 'CONFD_HTTP_ERROR' // any other status than 200
  | 'CONFD_UNREACHABLE' // refused, reset, no route, DNS
  | 'CONFD_TIMEOUT' // no answer within the call's deadline
  | 'CONFD_ABORTED' // the caller cancelled
  | 'CONFD_TLS_UNTRUSTED' // certificate not verified, or not the pinned one
  // XML-RPC
  | 'CONFD_FAULT' // a <fault>
  | 'CONFD_MALFORMED_RESPONSE' // not XML-RPC, or not the shape the job returns
  // the job
  | 'CONFD_JOB_FAILED'; // result_code != 0

/** Where a call went: enough to say what to check, never a credential. */
export interface ConfdSite {
  /** origin, e.g. https://10.0.0.11:20003 */
  readonly endpoint: string;
  /** The job (`db_state`), or the RPC method for calls that are not jobs (`job_desc`, `GET /master`). */
  readonly job: string;
}

/** A job's own answer when it failed: shown to operators with its job id, for Exasol support. */
export interface JobFailure {
  readonly resultCode: number;
  readonly resultName: string;
  readonly resultDesc: string;
  readonly jobId: string | undefined;
}

export class ConfdError extends AppError<ConfdErrorCode> {
  readonly site: ConfdSite;
  readonly httpStatus: number | undefined;
  readonly fault: { readonly code: number; readonly text: string } | undefined;
  readonly job: JobFailure | undefined;

  constructor(
    code: ConfdErrorCode,
    message: string,
    site: ConfdSite,
    options: { detail?: string; cause?: unknown; httpStatus?: number; fault?: ConfdError['fault']; job?: JobFailure } = {},
  ) {
    super(code, message, options);
    this.site = site;
    this.httpStatus = options.httpStatus;
    this.fault = options.fault;
    this.job = options.job;
  }
}

export function isConfdError(error: unknown, code?: ConfdErrorCode): error is ConfdError {
  return error instanceof ConfdError && (code === undefined || error.code === code);
}

/** ConfD down, coming up, without quorum, or briefly unreachable: "not yet", not a refusal. */
export function isConfdNotUpYet(error: unknown): boolean {
  if (!isConfdError(error)) return false;
  switch (error.code) {
    case 'CONFD_UNREACHABLE':
    case 'CONFD_TIMEOUT':
    case 'CONFD_MALFORMED_RESPONSE':
    case 'CONFD_NOT_MASTER':
      return true;
    case 'CONFD_HTTP_ERROR':
      return error.httpStatus !== undefined && error.httpStatus >= 500;
    default:
      return false;
  }
}

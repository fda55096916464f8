import { AppError } from '../errors/app-error.js';

/** Every way a call to EXAoperation can fail, as the rest of the bot sees it. */
export type ExaErrorCode =
  | 'EXA_AUTH_FAILED' // HTTP 401: wrong user or password, or a role too weak
  | 'EXA_NOT_FOUND' // Zope NotFound fault: no such object or method
  | 'EXA_PRECONDITION_FAILED' // UsageError fault: EXAoperation refused the action
  | 'EXA_FAULT' // any other XML-RPC fault
  | 'EXA_TIMEOUT' // no answer within the call's deadline
  | 'EXA_ABORTED' // the caller cancelled
  | 'EXA_UNREACHABLE' // refused, reset, no route, DNS
  | 'EXA_TLS_UNTRUSTED' // certificate could not be verified
  | 'EXA_HTTP_ERROR' // an HTTP status other than 200/401
  | 'EXA_MALFORMED_RESPONSE'; // not XML-RPC, or not the shape the method returns

/** Where a call went: enough to say in an error what to check, never a credential. */
export interface CallSite {
  readonly endpoint: string; // origin + path, e.g. https://10.0.0.10/cluster1/db_exa_db1
  readonly object: string; // cluster, storage, db_exa_db1, logservice1, n0011
  readonly method: string;
}

export class ExaOperationError extends AppError<ExaErrorCode> {
  readonly site: CallSite;
  /** The fault as EXAoperation sent it, when there was one. */
  readonly fault: { readonly code: number; readonly exception: string; readonly text: string } | undefined;
  /** The HTTP status of an EXA_HTTP_ERROR, so callers can tell a 5xx (EXAoperation coming up) from a 404. */
  readonly httpStatus: number | undefined;

  constructor(
    code: ExaErrorCode,
    message: string,
    site: CallSite,
    options: { detail?: string; cause?: unknown; fault?: ExaOperationError['fault']; httpStatus?: number } = {},
  ) {
    super(code, message, options);
    this.site = site;
    this.fault = options.fault;
    this.httpStatus = options.httpStatus;
  }
}

export function isExaOperationError(error: unknown, code?: ExaErrorCode): error is ExaOperationError {
  return error instanceof ExaOperationError && (code === undefined || error.code === code);
}

import { ExaOperationError, type CallSite } from './errors.js';
import { notFoundName, parseFault } from './fault.js';

/** What the transport knows about a failed call besides the error itself. */
export interface FailureContext {
  readonly site: CallSite;
  readonly timeoutMs: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly user: string;
}

export const UNREACHABLE: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
]);

export const TLS_UNTRUSTED: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_PIN_MISMATCH',
]);

interface RawError {
  code?: unknown;
  faultCode?: unknown;
  faultString?: unknown;
  message?: unknown;
  res?: { statusCode?: number };
}

/**
 * The one place where a failed XML-RPC call is classified. Everything downstream switches on
 * `code`; nothing else inspects error strings. Messages name the call and what to check, and are
 * built only from the call site and the server's answer, so a password cannot leak into them.
 */
export function mapCallError(error: unknown, context: FailureContext): ExaOperationError {
  if (error instanceof ExaOperationError) return error;
  const { site } = context;
  const call = `${site.method} on ${site.object}`;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as RawError;
  const errno = typeof raw.code === 'string' ? raw.code : undefined;
  const detail = `${errno ?? ''} ${typeof raw.message === 'string' ? raw.message : String(error)}`.trim();
  const status = raw.res?.statusCode;

  if (context.timedOut) {
    return new ExaOperationError(
      'EXA_TIMEOUT',
      `EXAoperation did not answer ${call} within ${formatSeconds(context.timeoutMs)}. ` +
        `Check that EXAoperation is up at ${site.endpoint} and not overloaded, or raise the call timeout.`,
      site,
      { detail, cause: error },
    );
  }
  if (context.aborted) {
    return new ExaOperationError('EXA_ABORTED', `The call ${call} was cancelled.`, site, { detail, cause: error });
  }
  if (status === 401) {
    return new ExaOperationError(
      'EXA_AUTH_FAILED',
      `EXAoperation at ${site.endpoint} refused user '${context.user}' (HTTP 401) for ${call}. ` +
        `Check the user name and the stored password, and that the user has at least the Administrator role.`,
      site,
      { detail, cause: error },
    );
  }
  if (raw.faultCode !== undefined) {
    const fault = parseFault(raw.faultCode, raw.faultString);
    const options = { detail: `fault ${fault.code}: ${fault.exception}: ${fault.text}`, cause: error, fault };
    if (fault.exception === 'NotFound') {
      const name = notFoundName(fault) ?? site.object;
      return new ExaOperationError(
        'EXA_NOT_FOUND',
        `EXAoperation has no object or method '${name}' (asked for ${call}). ` +
          `Check the database or node name; the cluster's databases are listed by /exa status.`,
        site,
        options,
      );
    }
    if (fault.exception === 'UsageError') {
      return new ExaOperationError(
        'EXA_PRECONDITION_FAILED',
        `EXAoperation refused ${call}: ${sentence(fault.text || 'no reason given')} Check the cluster state with /exa status.`,
        site,
        options,
      );
    }
    return new ExaOperationError(
      'EXA_FAULT',
      `EXAoperation answered ${call} with a fault: ${fault.exception ? `${fault.exception}: ` : ''}${sentence(fault.text)} ` +
        'Check EXAoperation\'s log (/exa logs) and the state of the object it names (/exa status).',
      site,
      options,
    );
  }
  if (status !== undefined && status !== 200) {
    const hint =
      status === 404
        ? 'Check that the EXAoperation URL ends with the cluster name, e.g. https://license-server/cluster1.'
        : 'Check EXAoperation and any proxy in between.';
    return new ExaOperationError('EXA_HTTP_ERROR', `EXAoperation answered ${call} with HTTP ${status}. ${hint}`, site, {
      detail,
      cause: error,
      httpStatus: status,
    });
  }
  if (errno === 'CERT_PIN_MISMATCH') {
    return new ExaOperationError(
      'EXA_TLS_UNTRUSTED',
      `The TLS certificate of ${site.endpoint} is not the pinned one. If EXAoperation's certificate was replaced on purpose, ` +
        'pin the new fingerprint; otherwise something is in between: do not connect.',
      site,
      { detail, cause: error },
    );
  }
  if (errno !== undefined && TLS_UNTRUSTED.has(errno)) {
    return new ExaOperationError(
      'EXA_TLS_UNTRUSTED',
      `The TLS certificate of ${site.endpoint} could not be verified (${errno}). ` +
        `Give EXAoperation's certificate or its CA as a CA file, or, for a lab only, turn verification off explicitly.`,
      site,
      { detail, cause: error },
    );
  }
  if (errno !== undefined && UNREACHABLE.has(errno)) {
    return new ExaOperationError(
      'EXA_UNREACHABLE',
      `Cannot reach EXAoperation at ${site.endpoint} (${errno}). ` +
        `Check that the license server is powered on, EXAoperation is running there, and the URL and port are right.`,
      site,
      { detail, cause: error },
    );
  }
  return new ExaOperationError(
    'EXA_MALFORMED_RESPONSE',
    `EXAoperation's answer to ${call} is not valid XML-RPC. ` +
      `Check that the URL points to EXAoperation's XML-RPC base, e.g. https://license-server/cluster1.`,
    site,
    { detail, cause: error },
  );
}

/** A result of the wrong shape is a protocol error too, and is reported the same way. */
export function malformedResult(site: CallSite, expected: string, got: unknown): ExaOperationError {
  const shown = JSON.stringify(got) ?? String(got);
  return new ExaOperationError(
    'EXA_MALFORMED_RESPONSE',
    `EXAoperation answered ${site.method} on ${site.object} with ${describe(got)} where ${expected} was expected. ` +
      `Check that this EXAoperation is version 6 or 7.`,
    site,
    { detail: `got ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}` },
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A reason from EXAoperation as one sentence: ends with exactly one full stop. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

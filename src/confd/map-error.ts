import { TLS_UNTRUSTED, UNREACHABLE } from '../exaoperation/map-error.js';
import { XmlRpcFaultError } from '../exaoperation/xmlrpc-response.js';
import { ConfdError, type ConfdSite } from './errors.js';

export interface ConfdFailureContext {
  readonly site: ConfdSite;
  readonly timeoutMs: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly user: string;
}

interface RawError {
  code?: unknown;
  message?: unknown;
  res?: { statusCode?: number };
}

/**
 * The one place where a failed ConfD call is classified (HTTP, fault; job failures are built by
 * the client from the job's answer). Messages are built from the call site and the server's
 * answer only, so a password cannot leak into them.
 */
export function mapConfdError(error: unknown, context: ConfdFailureContext): ConfdError {
  if (error instanceof ConfdError) return error;
  const { site } = context;
  const call = site.job;
  const raw = (typeof error === 'object' && error !== null ? error : {}) as RawError;
  const errno = typeof raw.code === 'string' ? raw.code : undefined;
  const detail = `${errno ?? ''} ${typeof raw.message === 'string' ? raw.message : String(error)}`.trim();
  const status = raw.res?.statusCode;
  const options = { detail, cause: error };

  if (context.timedOut) {
    return new ConfdError(
      'CONFD_TIMEOUT',
      `ConfD did not answer ${call} within ${seconds(context.timeoutMs)}. Check that ConfD is up at ${site.endpoint} and the cluster has quorum, or raise the call timeout.`,
      site,
      options,
    );
  }
  if (context.aborted) return new ConfdError('CONFD_ABORTED', `The call ${call} was cancelled.`, site, options);
  if (error instanceof XmlRpcFaultError) {
    const code = typeof error.faultCode === 'number' ? error.faultCode : Number(error.faultCode ?? NaN);
    const text = typeof error.faultString === 'string' ? error.faultString.trim() : String(error.faultString ?? '');
    return new ConfdError('CONFD_FAULT', `ConfD answered ${call} with a fault: ${sentence(text || 'no reason given')}`, site, {
      ...options,
      fault: { code, text },
      ...(status === undefined ? {} : { httpStatus: status }),
    });
  }
  if (status === 401) {
    return new ConfdError(
      'CONFD_AUTH_FAILED',
      `ConfD at ${site.endpoint} refused user '${context.user}' (HTTP 401) for ${call}. Check the user and its password (the credential profile or password file).`,
      site,
      { ...options, httpStatus: status },
    );
  }
  if (status === 302) {
    return new ConfdError(
      'CONFD_NOT_MASTER',
      `${site.endpoint} is not the ConfD master (HTTP 302) for ${call}, also after asking for the master again. The master may be moving; try again shortly.`,
      site,
      { ...options, httpStatus: status },
    );
  }
  if (status !== undefined && status !== 200) {
    return new ConfdError('CONFD_HTTP_ERROR', `ConfD answered ${call} with HTTP ${status}. Check ConfD and any proxy in between.`, site, {
      ...options,
      httpStatus: status,
    });
  }
  if (errno === 'CERT_PIN_MISMATCH') {
    return new ConfdError(
      'CONFD_TLS_UNTRUSTED',
      `The TLS certificate of ${site.endpoint} is not the pinned one. If ConfD's certificate was replaced on purpose (cert_update), pin the new fingerprint; otherwise something is in between: do not connect.`,
      site,
      options,
    );
  }
  if (errno !== undefined && TLS_UNTRUSTED.has(errno)) {
    return new ConfdError(
      'CONFD_TLS_UNTRUSTED',
      `The TLS certificate of ${site.endpoint} could not be verified (${errno}). Give ConfD's certificate or its CA as a CA file, pin its fingerprint, or, for a lab only, turn verification off explicitly.`,
      site,
      options,
    );
  }
  if (errno !== undefined && UNREACHABLE.has(errno)) {
    return new ConfdError(
      'CONFD_UNREACHABLE',
      `Cannot reach ConfD at ${site.endpoint} (${errno}). Check that the node is up, that more than half of the nodes are online (quorum), and that the URL and port (usually 20003) are right.`,
      site,
      options,
    );
  }
  return new ConfdError(
    'CONFD_MALFORMED_RESPONSE',
    `ConfD's answer to ${call} is not valid XML-RPC. Check that the URL points to ConfD's XML-RPC port (usually 20003), e.g. https://10.0.0.11:20003.`,
    site,
    options,
  );
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

import { readFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';
import { normalizeFingerprint } from './tls-pin.js';

export interface TlsOptions {
  /** PEM of EXAoperation's certificate or of the CA that signed it (EXAoperation's is self-signed by default). */
  readonly caPem?: string;
  /** Path of such a PEM file; read once at start. */
  readonly caFile?: string;
  /** Turn certificate verification off. Explicit, and logged as a warning at start. */
  readonly insecure?: boolean;
  /** Trust exactly the certificate with this SHA-256 fingerprint (AA:BB:… or hex): pinning a self-signed one. */
  readonly pinSha256?: string;
}

export interface TransportOptions {
  /** EXAoperation's XML-RPC base URL, e.g. https://10.0.0.10/cluster1. Never with credentials in it. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** Default deadline of a single call. */
  readonly timeoutMs?: number;
  readonly tls?: TlsOptions;
  /** Upper bound of parallel connections (default 128); bursts of calls reuse them (keep-alive). */
  readonly maxSockets?: number;
  /** At most this many calls start in any second (call-budget.ts); unset: no budget. */
  readonly maxCallsPerSecond?: number;
}

export interface ResolvedEndpoint {
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  readonly clusterPath: string;
  /** scheme://host:port, safe to show. */
  readonly origin: string;
  /** origin + cluster path, safe to show. */
  readonly display: string;
  readonly ca: string | undefined;
  readonly insecure: boolean;
  /** Normalised AA:BB:… fingerprint when pinned. */
  readonly pin: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A status read asks every node and database at once (two round-trips whatever the cluster
 * size), so up to this many calls run in parallel; idle ones are kept alive for the next burst.
 */
export const DEFAULT_MAX_SOCKETS = 128;

/**
 * Validates the URL and TLS settings, reporting every problem at once. A URL with credentials is
 * refused outright: that is exactly the plain-text password habit the bot exists to end.
 */
export function resolveEndpoint(options: TransportOptions): ResolvedEndpoint {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    // A URL that does not parse may still hold a password, with '/' or '@' in it: nothing between
    // the scheme and the last '@' is shown, and the password (if one was configured) never.
    const at = options.url.lastIndexOf('@');
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(options.url)?.[0] ?? '';
    const shown = at >= 0 ? `${scheme}…@${options.url.slice(at + 1)}` : options.url;
    const safe = options.password ? shown.split(options.password).join('…') : shown;
    problems.push(
      at >= 0
        ? `EXAoperation URL '${safe}' is not a URL and seems to hold credentials; remove them from the URL (set the user and password separately)`
        : `EXAoperation URL '${safe}' is not a URL; expected e.g. https://license-server/cluster1`,
    );
  }
  if (url) {
    if (url.username || url.password) {
      problems.push(
        'the EXAoperation URL contains credentials; remove them from the URL and configure the user and password separately',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`EXAoperation URL must start with https:// or http://, not ${url.protocol}//`);
    }
    if (url.pathname.replace(/\/+$/, '') === '') {
      problems.push(`EXAoperation URL must end with the cluster name, e.g. ${url.origin}/cluster1`);
    }
  }
  if (!options.user) problems.push('the EXAoperation user is empty');
  if (!options.password) problems.push('the EXAoperation password is empty');
  let ca = options.tls?.caPem;
  if (options.tls?.caFile) {
    try {
      ca = readFileSync(options.tls.caFile, 'utf8');
    } catch (error) {
      problems.push(`cannot read the CA file ${options.tls.caFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
    problems.push('the CA file does not contain a PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  const pin = options.tls?.pinSha256 ? normalizeFingerprint(options.tls.pinSha256) : undefined;
  if (options.tls?.pinSha256 && !pin) problems.push('the pinned certificate fingerprint must be 64 hex digits (SHA-256), e.g. AB:CD:…');
  if (pin && options.tls?.insecure) problems.push('pinning a certificate and turning verification off exclude each other; keep the pin');
  if (problems.length > 0 || !url) {
    throw new AppError('CONFIG_INVALID', `Invalid EXAoperation connection settings:\n- ${problems.join('\n- ')}`);
  }
  const secure = url.protocol === 'https:';
  const clusterPath = url.pathname.replace(/\/+$/, '');
  return {
    secure,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    clusterPath,
    origin: url.origin,
    display: `${url.origin}${clusterPath}`,
    ca,
    insecure: options.tls?.insecure === true,
    pin,
  };
}

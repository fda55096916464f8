import { readFileSync } from 'node:fs';
import { AppError } from '../errors/app-error.js';
import type { TlsOptions } from '../exaoperation/transport-options.js';
import { normalizeFingerprint } from '../exaoperation/tls-pin.js';

export interface ConfdEndpoint {
  /** The node the bot asks for the master (`GET /master`). */
  readonly host: string;
  readonly port: number;
  /** XML-RPC path: `/` unless configured (`/RPC2` and `/rpc2` work too). */
  readonly path: string;
  /** https://host:port, safe to show. */
  readonly origin: string;
  readonly ca: string | undefined;
  readonly insecure: boolean;
  readonly pin: string | undefined;
}

/**
 * Validates a ConfD URL and its TLS settings, every problem at once. ConfD listens on HTTPS only
 * (confd-api.md §1.1), so http:// is refused; so is a URL with credentials in it, the habit of
 * every published ConfD example that the bot exists to end.
 */
export function resolveConfdEndpoint(options: { readonly url: string; readonly user: string; readonly password: string; readonly tls?: TlsOptions }): ConfdEndpoint {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    problems.push(options.url.includes('@') ? 'the ConfD URL is not a URL and seems to hold credentials; remove them (set the user and password separately)' : `the ConfD URL '${options.url}' is not a URL; expected e.g. https://10.0.0.11:20003`);
  }
  if (url) {
    if (url.username || url.password) problems.push('the ConfD URL contains credentials; remove them from the URL and configure the user and password separately');
    if (url.protocol !== 'https:') problems.push(`the ConfD URL must start with https:// (ConfD serves HTTPS only), not ${url.protocol}//`);
  }
  if (!options.user) problems.push('the ConfD user is empty');
  if (!options.password) problems.push('the ConfD password is empty');
  let ca = options.tls?.caPem;
  if (options.tls?.caFile) {
    try {
      ca = readFileSync(options.tls.caFile, 'utf8');
    } catch (error) {
      problems.push(`cannot read the CA file ${options.tls.caFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) problems.push('the CA file does not contain a PEM certificate (-----BEGIN CERTIFICATE-----)');
  const pin = options.tls?.pinSha256 ? normalizeFingerprint(options.tls.pinSha256) : undefined;
  if (options.tls?.pinSha256 && !pin) problems.push('the pinned certificate fingerprint must be 64 hex digits (SHA-256), e.g. AB:CD:…');
  if (pin && options.tls?.insecure) problems.push('pinning a certificate and turning verification off exclude each other; keep the pin');
  if (problems.length > 0 || !url) throw new AppError('CONFIG_INVALID', `Invalid ConfD connection settings:\n- ${problems.join('\n- ')}`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 443,
    path: url.pathname === '' ? '/' : url.pathname,
    origin: url.origin,
    ca,
    insecure: options.tls?.insecure === true,
    pin,
  };
}

/**
 * What `GET /master` answered, as a place to connect to. The reference shows an IP address and
 * every published client then uses the port it already knows; an answer with a port of its own
 * (`10.0.0.12:20003`, or a URL) is taken as given. Anything else is refused: a client must not
 * connect to a place it cannot name.
 */
export function parseMasterAddress(text: string, fallbackPort: number): { readonly host: string; readonly port: number } | undefined {
  const value = text.trim().replace(/^"(.*)"$/, '$1');
  if (value === '' || /\s/.test(value)) return undefined;
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '')) return undefined;
    // Given explicitly, a scheme's default port (:443) counts too, though URL drops it.
    const explicit = /:(\d+)\/?$/.exec(value);
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: explicit ? Number(explicit[1]) : fallbackPort };
  } catch {
    return undefined;
  }
}

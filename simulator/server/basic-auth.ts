// HTTP Basic authentication, as EXAoperation (zope) does it: the check happens on every request and
// a failure is an HTTP 401, never an XML-RPC fault.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

// Hashing first gives equal-length buffers, so the comparison time does not reveal the length.
function same(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function isAuthorized(header: string | undefined, expected: Credentials): boolean {
  const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return false;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Evaluate both comparisons so timing does not tell which half was wrong.
  const userOk = same(decoded.slice(0, colon), expected.user);
  const passwordOk = same(decoded.slice(colon + 1), expected.password);
  return userOk && passwordOk;
}

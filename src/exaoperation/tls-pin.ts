import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';

/** Accepts 'AA:BB:…' or 'aabb…' (64 hex digits); returns Node's fingerprint256 format. */
export function normalizeFingerprint(pin: string): string | undefined {
  const hex = pin.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)?.join(':');
}

/**
 * Pinning a self-signed certificate: the safe alternative to turning verification off. Before
 * any request, one TLS handshake (no HTTP, no credentials) fetches the server's certificate; if
 * its SHA-256 fingerprint is the pinned one, that certificate becomes the only trusted CA and
 * every later connection must present exactly it (checked again per connection).
 */
export async function fetchPinnedCertificate(host: string, port: number, fingerprint: string, timeoutMs: number): Promise<string> {
  const cert = await new Promise<PeerCertificate>((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const peer = socket.getPeerCertificate(false);
      socket.end();
      resolve(peer);
    });
    socket.on('timeout', () => socket.destroy(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' })));
    socket.on('error', reject);
  });
  if (cert.fingerprint256 !== fingerprint) {
    throw Object.assign(new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned ${fingerprint}`), {
      code: 'CERT_PIN_MISMATCH',
    });
  }
  return `-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----\n`;
}

/** Used as checkServerIdentity: the pinned fingerprint replaces the host name check. */
export function checkPin(fingerprint: string) {
  return (_host: string, cert: PeerCertificate): Error | undefined =>
    cert.fingerprint256 === fingerprint
      ? undefined
      : Object.assign(new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned one`), { code: 'CERT_PIN_MISMATCH' });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

// HTTPS material. Without a given cert/key we make a self-signed certificate that is its own CA,
// so a client can verify it strictly (cafile = the certificate) instead of turning checks off.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
}

export interface Certificate extends TlsMaterial {
  /** SHA-256 fingerprint, colon-separated upper-case hex (as `openssl x509 -fingerprint -sha256`). */
  readonly fingerprint256: string;
}

export async function selfSignedCertificate(host: string): Promise<TlsMaterial> {
  const names = new Set(['127.0.0.1', 'localhost', host]);
  const altNames = [...names].map((name) => (isIP(name) !== 0 ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
  const pems = await generate([{ name: 'commonName', value: host }], {
    algorithm: 'sha256',
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

export function describeCertificate(material: TlsMaterial): Certificate {
  // Parsing here also rejects a broken --cert file at start rather than at the first handshake.
  return { ...material, fingerprint256: new X509Certificate(material.cert).fingerprint256 };
}

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { selfSignedCertificate } from '../../simulator/server/tls.js';
import { encodeCall, post, valueOf } from './helpers/xml-rpc-post.js';

describe('server: HTTPS', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ password: 'secret', https: true });
  });
  after(() => sim.stop());

  it('generates a self-signed sha256 certificate for 127.0.0.1 and localhost', () => {
    assert.equal(sim.url, `https://127.0.0.1:${sim.port}/cluster1`);
    const cert = new X509Certificate(sim.certificatePem ?? '');
    assert.equal(cert.subject, 'CN=127.0.0.1');
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.equal(cert.ca, true, 'usable as its own trust anchor');
    assert.equal(sim.certificateFingerprint256, cert.fingerprint256);
    assert.match(sim.certificateFingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('is verifiable with the certificate as CA, and refused without it', async () => {
    assert.deepEqual(await valueOf(sim.url, 'getNodeList', [], { ca: sim.certificatePem ?? '' }), ['n0011', 'n0012', 'n0013', 'n0014']);
    await assert.rejects(post(sim.url, encodeCall('getNodeList')), /self-signed certificate/);
  });

  it('requires TLS 1.2 or newer', async () => {
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: sim.port, ca: sim.certificatePem ?? '', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', resolve);
    });
    assert.ok(error instanceof Error, 'a TLS 1.1 handshake must fail');
  });

  it('serves a given certificate and key instead of generating one', async () => {
    const material = await selfSignedCertificate('localhost');
    const other = await startSimulator({ password: 'secret', tls: material, host: '127.0.0.1' });
    try {
      assert.equal(other.certificatePem, material.cert);
      assert.match(other.url, /^https:/);
      assert.deepEqual(await valueOf(other.url.replace('127.0.0.1', 'localhost'), 'getDatabaseList', [], { ca: material.cert }), ['exa_db1']);
    } finally {
      await other.stop();
    }
  });
});

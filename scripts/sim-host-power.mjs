#!/usr/bin/env node
// A host action for the ConfD simulator: powers one simulated host off or on through the
// simulator's control endpoint, as a real host action would call IPMI or a hypervisor.
//   node scripts/sim-host-power.mjs <control-url> <poweroff|poweron> <nid>
// Credentials come from the environment, never argv: SIM_USER (default admin) and SIM_PASSWORD, or
// SIM_PASSWORD_FILE (a file holding it: what the bot's host actions pass, since they hold no secrets).
// TLS: SIM_CAFILE (the simulator's certificate) verifies the server; without it verification is
// off, as for a self-signed ConfD. Exits 0 on success, 1 on failure, 2 on bad arguments.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

function fail(code, message) {
  process.stderr.write(`sim-host-power: ${message}\n`);
  process.exit(code);
}

const [url, action, nid] = process.argv.slice(2);
if (url === undefined || !['poweroff', 'poweron'].includes(action ?? '') || !/^n?\d+$/.test(nid ?? '')) {
  fail(2, 'usage: sim-host-power.mjs <control-url> <poweroff|poweron> <nid>   (SIM_PASSWORD in the environment)');
}
let password = process.env.SIM_PASSWORD;
if ((password === undefined || password === '') && process.env.SIM_PASSWORD_FILE) {
  try {
    password = readFileSync(process.env.SIM_PASSWORD_FILE, 'utf8').trim();
  } catch (error) {
    fail(2, `cannot read SIM_PASSWORD_FILE: ${error.message}`);
  }
}
if (password === undefined || password === '') fail(2, 'SIM_PASSWORD (or SIM_PASSWORD_FILE) is not set');
const user = process.env.SIM_USER || 'admin';
let target;
try {
  target = new URL(`/_simulator/hosts/${encodeURIComponent(nid)}/${action}`, url);
} catch {
  fail(2, `not a URL: ${url}`);
}
const ca = process.env.SIM_CAFILE ? readFileSync(process.env.SIM_CAFILE, 'utf8') : undefined;
const req = request(
  target,
  {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'Content-Length': '0' },
    ...(ca === undefined ? { rejectUnauthorized: false } : { ca }),
    timeout: 30_000,
  },
  (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c) => (body += c));
    res.on('end', () => {
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      if (res.statusCode === 200) {
        process.stdout.write(`${action} n${String(nid).replace(/^n/, '')}: ${parsed?.host?.power ?? 'ok'}\n`);
        process.exit(0);
      }
      fail(1, `${action} ${nid} refused (HTTP ${res.statusCode}): ${parsed?.error ?? body.trim()}`);
    });
  },
);
req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
req.on('error', (error) => fail(1, `cannot reach ${target.origin}: ${error.message}`));
req.end();

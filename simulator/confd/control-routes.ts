// The simulator's own control endpoint, outside ConfD's namespace: /_simulator/hosts/<nid>/poweroff
// and /poweron (POST), /_simulator/hosts (GET). JSON in, JSON out; same Basic auth as ConfD's
// default user. It is served on its own always-on port too, since ConfD's ports go dark with the nodes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UsageError } from '../model/usage-error.js';
import { isAuthorized, type Credentials } from '../server/basic-auth.js';
import type { HostPower } from './host-power.js';

export const CONTROL_PREFIX = '/_simulator/';

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

export function handleControl(req: IncomingMessage, res: ServerResponse, credentials: Credentials, hosts: HostPower): void {
  req.resume();
  if (!isAuthorized(req.headers.authorization, credentials)) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="simulator"', 'Content-Type': 'application/json' });
    res.end('{"error":"unauthorized"}\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://simulator').pathname;
  if (path === '/_simulator/hosts' && req.method === 'GET') {
    json(res, 200, { hosts: hosts.list() });
    return;
  }
  const match = /^\/_simulator\/hosts\/([^/]+)\/(poweroff|poweron)$/.exec(path);
  if (match === null) {
    json(res, 404, { error: `no such control: ${req.method ?? ''} ${path}` });
    return;
  }
  if (req.method !== 'POST') {
    json(res, 405, { error: 'use POST' });
    return;
  }
  const nid = decodeURIComponent(match[1] ?? '');
  try {
    const host = match[2] === 'poweroff' ? hosts.powerOff(nid) : hosts.powerOn(nid);
    json(res, 200, { ok: true, action: match[2], host });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    json(res, error instanceof UsageError && /does not exist/.test(message) ? 404 : 409, { error: message });
  }
}

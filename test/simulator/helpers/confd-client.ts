// A small ConfD client for the ConfD simulator tests: HTTPS verified against the simulator's own
// certificate, credentials as a Basic header, answers decoded by npm xmlrpc's Deserializer.
import { request } from 'node:https';
import { decodeResponse, encodeCall, post, type Decoded, type RawResponse } from './xml-rpc-post.js';

export interface ConfdTarget {
  readonly url: string;
  readonly certificatePem: string;
}

export function get(sim: ConfdTarget, path: string, url = sim.url): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { ca: sim.certificatePem, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function rpc(sim: ConfdTarget, method: string, params: readonly unknown[] = [], auth = 'admin:secret', url = sim.url): Promise<Decoded> {
  const res = await post(url, encodeCall(method, params), { auth, ca: sim.certificatePem });
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${method}: ${res.body}`);
  return decodeResponse(res.body);
}

export async function value(sim: ConfdTarget, method: string, params: readonly unknown[] = [], auth?: string, url?: string): Promise<unknown> {
  const d = await rpc(sim, method, params, auth, url);
  if (d.kind === 'fault') throw new Error(`fault from ${method}: ${d.faultString}`);
  return d.value;
}

export type JobResult = Record<string, unknown> & { result_code: number; result_name: string; result_desc: string; result_jobid: string };

/** job_exec(name[, {'params': params}]) as the KB calls it. */
export async function exec(sim: ConfdTarget, job: string, params?: Record<string, unknown>, auth?: string): Promise<JobResult> {
  return (await value(sim, 'job_exec', params === undefined ? [job] : [job, { params }], auth)) as JobResult;
}

export async function output(sim: ConfdTarget, job: string, params?: Record<string, unknown>, auth?: string): Promise<unknown> {
  const r = await exec(sim, job, params, auth);
  if (r.result_code !== 0) throw new Error(`${job} failed: ${r.result_name}: ${r.result_desc}`);
  return r.result_output;
}

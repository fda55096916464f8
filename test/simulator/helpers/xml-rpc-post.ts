// A deliberately small XML-RPC client for the server tests: it writes the request XML by hand and
// returns the raw HTTP answer, so tests can assert status, headers and bytes as well as values.
// Responses are decoded with npm xmlrpc's Deserializer (a third-party parser, not simulator code).
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PassThrough } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface PostOptions {
  /** 'user:password'; null sends no Authorization header. */
  readonly auth?: string | null;
  /** CA certificate for https. */
  readonly ca?: string;
  /** @default false: a fresh connection per call, so "server gone" shows as ECONNREFUSED, not a reset keep-alive socket. */
  readonly agent?: Agent | false;
  readonly method?: string;
  readonly signal?: AbortSignal;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function encodeValue(value: unknown): string {
  if (value === null) return '<value><nil/></value>';
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') return Number.isInteger(value) ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `<member><name>${escapeXml(k)}</name>${encodeValue(v)}</member>`)
    .join('');
  return `<value><struct>${members}</struct></value>`;
}

export function encodeCall(method: string, params: readonly unknown[] = []): string {
  const encoded = params.map((p) => `<param>${encodeValue(p)}</param>`).join('');
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${encoded}</params></methodCall>`;
}

export function post(url: string, body: string, options: PostOptions = {}): Promise<RawResponse> {
  const auth = options.auth === undefined ? 'admin:secret' : options.auth;
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'POST',
        headers: {
          'Content-Type': 'text/xml',
          ...(auth === null ? {} : { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` }),
        },
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        agent: options.agent ?? false,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export type Decoded = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'fault'; readonly faultCode: number; readonly faultString: string };

export function decodeResponse(body: string): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer().deserializeMethodResponse(stream, (error, value) => {
      const fault = error as (Error & { faultCode?: number; faultString?: string }) | null | undefined;
      if (fault?.faultCode !== undefined) resolve({ kind: 'fault', faultCode: fault.faultCode, faultString: fault.faultString ?? '' });
      else if (error) reject(error);
      else resolve({ kind: 'value', value });
    });
    stream.end(body);
  });
}

export interface CallResult extends RawResponse {
  readonly decoded: Decoded;
}

/** POSTs one call to `url` (a cluster or object URL) and decodes the answer (HTTP 200 expected). */
export async function xmlRpcCall(url: string, method: string, params: readonly unknown[] = [], options: PostOptions = {}): Promise<CallResult> {
  const response = await post(url, encodeCall(method, params), options);
  if (response.status !== 200) throw new Error(`HTTP ${response.status} for ${method}: ${response.body}`);
  return { ...response, decoded: await decodeResponse(response.body) };
}

/** The value of a successful call; throws with the faultString otherwise. */
export async function valueOf(url: string, method: string, params: readonly unknown[] = [], options: PostOptions = {}): Promise<unknown> {
  const { decoded } = await xmlRpcCall(url, method, params, options);
  if (decoded.kind === 'fault') throw new Error(`fault from ${method}: ${decoded.faultString}`);
  return decoded.value;
}

/** The faultString of a call expected to fail. */
export async function faultOf(url: string, method: string, params: readonly unknown[] = [], options: PostOptions = {}): Promise<string> {
  const { decoded } = await xmlRpcCall(url, method, params, options);
  if (decoded.kind !== 'fault') throw new Error(`expected a fault from ${method}, got ${JSON.stringify(decoded.value)}`);
  return decoded.faultString;
}

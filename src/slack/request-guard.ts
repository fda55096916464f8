// The gate in front of Bolt's HTTP receiver. Bolt reads a body up to 10 MB before it checks the
// signature, and trusts the shape of whatever it parsed: 150 unsigned 3.9 MB bodies cost 250 MB,
// and one signed `payload=null` throws outside any listener. Here, on headers alone, an unsigned,
// stale or future-dated request is refused before its body is read; a body over the limit is
// refused (413) once it passes the limit; the HMAC is checked on at most that many bytes; a
// replay is refused; and only a body of a shape Bolt is built for goes on, already read (Bolt
// uses `req.rawBody` when it is there and checks the signature once more).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkPayload, type PayloadVerdict } from './payload-shape.js';
import type { ReplayGuard } from './replay-guard.js';

/**
 * Slack's deliveries are a few KB, but a click echoes the whole message it was on (up to 50 blocks
 * of 3,000 characters, URL-encoded): 256 KiB covers the largest message the bot posts with buttons.
 * Only signed requests are read at all, so the limit bounds what someone with the secret can send.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/** Unsigned bodies are read only to find Slack's `ssl_check=1`, and only this much of them. */
const SSL_CHECK_MAX_BYTES = 1024;

export type Refusal = 'unsigned' | 'bad-signature' | 'stale' | 'replay' | 'too-large' | 'malformed';

export interface RequestGuardOptions {
  readonly signingSecret: string;
  readonly maxBodyBytes: number;
  readonly replay: ReplayGuard;
  /** Every refused delivery: counted and logged (sparingly), never audited one by one. */
  readonly onRefused: (refusal: Refusal, status: number, reason: string) => void;
  /** A correctly signed delivery of a shape Bolt must not see: someone with the secret sent it. */
  readonly onMalformed: (verdict: Extract<PayloadVerdict, { ok: false }>) => void;
}

/** True when the request may go on to Bolt (with `rawBody` set); otherwise it has been answered. */
export async function guardDelivery(req: IncomingMessage, res: ServerResponse, options: RequestGuardOptions): Promise<boolean> {
  const refuse = (refusal: Refusal, status: number, reason: string): false => {
    options.onRefused(refusal, status, reason);
    if (!res.headersSent) {
      // Close the connection: the rest of a body we did not read must not be read as a next request.
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
      res.end(status === 413 ? 'request body too large\n' : status === 400 ? 'malformed request\n' : 'request refused\n');
    }
    return false;
  };
  const declared = Number(req.headers['content-length']);
  const contentType = req.headers['content-type'];

  if (req.headers['x-slack-signature'] === undefined) {
    // Slack's ssl_check comes unsigned; nothing else may.
    if (contentType !== 'application/x-www-form-urlencoded' || !(declared <= SSL_CHECK_MAX_BYTES)) return refuse('unsigned', 401, 'request is not signed');
    const body = await readBody(req, SSL_CHECK_MAX_BYTES);
    if (body === undefined || !/^(?:.*&)?ssl_check=1(?:&.*)?$/.test(body.toString('utf8'))) return refuse('unsigned', 401, 'request is not signed');
    setRawBody(req, Buffer.from('ssl_check=1'));
    return true;
  }
  const verdict = options.replay.screen(req.headers);
  if (!verdict.ok) return refuse(/replay/.test(verdict.reason) ? 'replay' : /format/.test(verdict.reason) ? 'bad-signature' : 'stale', 401, verdict.reason);
  if (declared > options.maxBodyBytes) return refuse('too-large', 413, `request body of ${declared} bytes is over the limit of ${options.maxBodyBytes}`);
  const body = await readBody(req, options.maxBodyBytes);
  if (body === undefined) return refuse('too-large', 413, `request body is over the limit of ${options.maxBodyBytes} bytes`);
  if (!signatureMatches(options.signingSecret, req, body)) return refuse('bad-signature', 401, 'request signature does not match');
  if (!options.replay.remember(req.headers)) return refuse('replay', 401, 'request was already received (replay)');
  if (!(await options.replay.firstAmongReplicas(req.headers))) return refuse('replay', 401, 'request was already received by another replica (replay)');
  const shape = checkPayload(contentType, body.toString('utf8'));
  if (!shape.ok) {
    options.onMalformed(shape);
    return refuse('malformed', 400, shape.reason);
  }
  setRawBody(req, body);
  return true;
}

function signatureMatches(secret: string, req: IncomingMessage, body: Buffer): boolean {
  const timestamp = String(req.headers['x-slack-request-timestamp']);
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`);
  const given = Buffer.from(String(req.headers['x-slack-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The body, or undefined once it passes `limit`: reading stops there (the stream is paused, not
 * destroyed, so the refusal can still be sent; its `connection: close` ends the socket).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | undefined): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      done(undefined);
    };
    const onEnd = (): void => done(Buffer.concat(chunks));
    const onError = (): void => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function setRawBody(req: IncomingMessage, body: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
}

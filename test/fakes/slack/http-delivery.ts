// Posting a payload to the bot's Request URL, as Slack does in HTTP mode, and timing the answer.
// A fresh connection per delivery (no keep-alive) so the bot's server can stop at once in tests.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpDeliveryAnswer {
  /** 0 when the bot never answered (aborted or connection failed). */
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly elapsedMs: number;
}

export function postToBot(url: string, headers: Record<string, string>, body: string, abortAfterMs: number): Promise<HttpDeliveryAnswer> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
      signal: AbortSignal.timeout(abortAfterMs),
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'] ?? '',
          elapsedMs: elapsed(),
        }),
      );
      res.on('error', () => resolve({ status: 0, body: '', contentType: '', elapsedMs: elapsed() }));
    });
    req.on('error', () => resolve({ status: 0, body: '', contentType: '', elapsedMs: elapsed() }));
    req.end(body);
  });
}

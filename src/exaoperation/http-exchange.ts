import http from 'node:http';
import https from 'node:https';

/** The answer to one POST: its status and its whole body as text. */
export interface HttpAnswer {
  readonly statusCode: number;
  readonly body: string;
}

/**
 * Far above any real answer (a logservice's whole backlog is a few MB), and there so that a
 * server streaming without end runs into an error rather than into the bot's memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * One POST of an XML body over a keep-alive agent; resolves with the status and the body once
 * the answer is complete. Fails with the socket's error (ECONNREFUSED, ECONNRESET, …), with the
 * signal's reason when it aborts (the socket is destroyed), or when the body exceeds the limit.
 */
export function postXml(secure: boolean, options: http.RequestOptions, body: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body, 'utf8');
    const headers = { ...options.headers, 'Content-Type': 'text/xml', Accept: 'text/xml', 'Content-Length': payload.length };
    const request = (secure ? https : http).request({ ...options, method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          request.destroy(Object.assign(new Error(`the answer exceeds ${MAX_ANSWER_BYTES} bytes`), { code: 'EXA_ANSWER_TOO_LARGE' }));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        // 'end' after an abort mid-body does not mean the body is complete.
        if (!response.complete) reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
        else resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks, size).toString('utf8') });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

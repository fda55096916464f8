import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly socketPort: number;
}

export type FixtureReply =
  | { readonly kind: 'xml'; readonly body: string; readonly status?: number; readonly contentType?: string }
  | { readonly kind: 'hang' };

/**
 * A plain HTTP server answering each XML-RPC request with a recorded answer, so the client is
 * tested against exact bytes (real-shaped and broken) rather than against our own serializer.
 */
export async function startFixtureServer(reply: (request: RecordedRequest) => FixtureReply): Promise<{
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socketPort: req.socket.remotePort ?? 0,
      };
      requests.push(request);
      const answer = reply(request);
      if (answer.kind === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/xml;charset=utf-8' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cluster1`,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/xml/${name}`, import.meta.url), 'utf8');
}

export const xml = (name: string, status?: number, contentType?: string): FixtureReply => ({
  kind: 'xml',
  body: fixture(name),
  ...(status === undefined ? {} : { status }),
  ...(contentType === undefined ? {} : { contentType }),
});

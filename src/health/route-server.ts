// A plain HTTP server for the health and metrics routes: in Socket Mode (nothing else listens on
// HTTP), or on HEALTH_PORT when they must not share the public Slack port.
import { createServer, type Server } from 'node:http';
import type { Route } from './health-routes.js';

/** In Socket Mode nothing else listens on HTTP; health and metrics get a server of their own. */
export async function serveRoutes(routes: readonly Route[], port: number, host: string): Promise<Server> {
  return listen(createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? 'GET'));
    if (route) route.handler(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  }), port, host);
}

export async function listen(server: Server, port: number, host: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

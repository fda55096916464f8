import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { ReadinessProbe } from './readiness.js';

export interface Route {
  readonly path: string;
  readonly method: string[];
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * /healthz is liveness only: 200 while the process serves (Docker HEALTHCHECK, Kubernetes
 * livenessProbe), touching nothing else. /readyz answers 503 unless the bot can take Slack
 * requests (accepting, Slack connected, journal writable), with each cluster's reachability in its
 * body; /metrics serves Prometheus text.
 */
export function healthRoutes(probe: ReadinessProbe, registry: Registry): Route[] {
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return [
    {
      path: '/healthz',
      method: ['GET', 'HEAD'],
      handler: (_req, res) => json(res, 200, { live: true }),
    },
    {
      path: '/readyz',
      method: ['GET', 'HEAD'],
      handler: (_req, res) => {
        void probe.check().then((readiness) => json(res, readiness.ready ? 200 : 503, readiness));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        void registry.metrics().then((text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        });
      },
    },
  ];
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { ReadinessProbe } from './readiness.js';

export interface Route {
  readonly path: string;
  readonly method: string[];
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * /healthz answers 200 while the process lives (liveness, Docker HEALTHCHECK) and reports
 * readiness in its body; /readyz answers 503 until Slack is connected and every EXAoperation
 * answers; /metrics serves Prometheus text.
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
      handler: (_req, res) => {
        void probe.check().then((readiness) => json(res, 200, { live: true, ...readiness }));
      },
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

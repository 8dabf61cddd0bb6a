import type { CustomRoute } from '@slack/bolt';
import type { Registry } from 'prom-client';
import { createRouteServer } from '../web/route-server';

export const METRICS_PATH = '/metrics';

/** `GET /metrics` in Prometheus' text format; a route, so that it can also join the public server when asked. */
export function metricsRoute(registry: Registry): CustomRoute {
  return {
    path: METRICS_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Metrics could not be collected\n');
        },
      );
    },
  };
}

/** A server of its own for `/metrics` (METRICS_PORT on METRICS_HOST, loopback by default), apart from the public port. */
export async function startMetricsServer(registry: Registry, port: number, host: string): Promise<{ readonly port: number; close(): Promise<void> }> {
  const server = createRouteServer([metricsRoute(registry)]);
  const bound = await server.listen(port, host);
  return { port: bound, close: () => server.close() };
}

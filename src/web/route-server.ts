import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

/**
 * The small HTTP server that serves the bot's own pages (IP capture, /healthz) when Slack talks to the bot
 * over Socket Mode, where Bolt's HTTP receiver is not running. Routes use Bolt's `CustomRoute` shape so the
 * same route list serves both transports; `:name` path segments become `req.params.name`.
 */
export interface RouteServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function createRouteServer(routes: readonly CustomRoute[]): RouteServer {
  const compiled = routes.map((route) => ({
    segments: route.path.split('/').filter((segment) => segment !== ''),
    methods: (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase()),
    handler: route.handler,
  }));

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const parts = path.split('/').filter((segment) => segment !== '');
    for (const route of compiled) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined || !route.methods.includes((req.method ?? 'GET').toUpperCase())) continue;
      route.handler(Object.assign(req, { params }), res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });

  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? '';
    const actual = parts[index] ?? '';
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

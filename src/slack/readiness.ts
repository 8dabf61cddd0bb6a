import type { CustomRoute } from '@slack/bolt';

export const READY_PATH = '/readyz';

/** Each thing the bot needs before it can serve, by name: true when it is there. */
export type ReadinessChecks = Readonly<Record<string, boolean>>;

/**
 * `GET /readyz`: 200 when every check holds, else 503 naming what is not ready
 * (`{"ready":false,"notReady":["soracom"],"checks":{…}}`). The checks read state the bot already keeps; a probe
 * never calls Slack or SORACOM.
 */
export function readinessRoute(checks: () => ReadinessChecks): CustomRoute {
  return {
    path: READY_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      const current = checks();
      const notReady = Object.keys(current).filter((name) => current[name] !== true);
      res.writeHead(notReady.length === 0 ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ready: notReady.length === 0, notReady, checks: current }));
    },
  };
}

interface ConnectionEvents {
  on(event: 'connected' | 'connecting' | 'reconnecting' | 'disconnecting' | 'disconnected', listener: () => void): unknown;
}

/** Whether the Socket Mode client holds a connection Slack said hello on, from the client's own state events. */
export function watchSocketConnection(client: ConnectionEvents): () => boolean {
  let connected = false;
  client.on('connected', () => {
    connected = true;
  });
  for (const event of ['connecting', 'reconnecting', 'disconnecting', 'disconnected'] as const) {
    client.on(event, () => {
      connected = false;
    });
  }
  return () => connected;
}

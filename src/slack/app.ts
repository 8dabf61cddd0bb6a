import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type LogLevel } from '@slack/bolt';
import { releaseClaimsOfGoneProcess } from '../use-cases/recover';
import { createIpCaptureRoutes } from '../web/index';
import { createRouteServer, type RouteServer } from '../web/route-server';
import { observeSlackApiErrors } from './api-errors';
import { boundedRateLimitFetch } from './bounded-fetch';
import type { SlackDeps } from './deps';
import { slackFailureReason } from './failure';
import { backoffDelayMs, SLACK_RETRY } from './identity';
import { confirmIpCapture } from './ip-confirm';
import { registerListeners } from './listeners/index';
import { registerFailureLog, requestPipeline } from './pipeline/middleware';
import { registerReminderJob } from './present/reminder';
import { registerWatchJobs } from './present/watch';
import { registerCaptureJob } from './present/capture';
import { recoverAfterStart } from './recovery';
import { readinessRoute, type ReadinessChecks, watchSocketConnection } from './readiness';
import { guardSlackRequests } from './request-gate';
import { type SchedulerLoop, startSchedulerLoop } from './scheduler-loop';
import { housekeepingJob } from '../use-cases/housekeeping';

export type SlackTransport =
  | { readonly kind: 'http'; readonly signingSecret: string; readonly port: number; readonly host?: string }
  /** `port` serves the bot's own pages (IP capture, /healthz); Slack itself comes in over the socket. */
  | { readonly kind: 'socket'; readonly appToken: string; readonly port: number; readonly host?: string };

export interface SlackAppOptions {
  readonly botToken: string;
  readonly transport: SlackTransport;
  /** Slack's Web API base, e.g. the local stand-in; undefined means real Slack. */
  readonly slackApiUrl?: string | undefined;
  readonly logLevel?: LogLevel;
  /** Tests only: hold the HTTP response until the listener finished, so assertions can follow it. */
  readonly processBeforeResponse?: boolean;
  /** Web API retries; small, so that a Slack outage cannot stall the bot for half an hour (the default). */
  readonly retries?: number;
  /** Skip the constructor's `auth.test` by naming the bot (tests against a fake may still let it run). */
  readonly botIdentity?: { readonly botId: string; readonly botUserId: string };
  /** The IP capture page: proxies whose X-Forwarded-For is believed, and the IP-echo URL for browsers behind NAT. */
  readonly ipCapture?: { readonly trustedProxies?: readonly string[]; readonly ipEchoUrl?: string | undefined };
  /** Socket Mode client tuning (tests lower the ping timeouts). */
  readonly socket?: { readonly clientPingTimeoutMs?: number; readonly serverPingTimeoutMs?: number };
  /** The scheduler's beat (ms of real time between looks for due jobs); false: no loop, the caller runs due jobs (tests). */
  readonly schedulerBeatMs?: number | false;
  /** More to say on /healthz (e.g. how many unhandled failures the process survived). */
  readonly health?: () => Readonly<Record<string, number | string | boolean>>;
  /** What /readyz checks besides the Slack connection in Socket Mode (the database, SORACOM). */
  readonly readiness?: () => ReadinessChecks;
  /** More routes on the public server (/metrics, when METRICS_PORT names the public port). */
  readonly extraRoutes?: readonly CustomRoute[];
}

export interface SlackAppHandle {
  readonly app: App;
  /** Resolves with the port actually bound (the HTTP receiver's, or the page server's in Socket Mode). */
  start(): Promise<{ readonly port: number }>;
  /**
   * Stops taking requests, lets running work finish for at most `graceMs` (unbounded when omitted), and closes
   * the servers; what is still running then is handed back (its in-flight rows are finished at the next start).
   * The store stays open.
   */
  stop(graceMs?: number): Promise<{ readonly unfinished: number }>;
  /** Runs the jobs due now (tests drive the clock and call this instead of waiting for the loop). */
  runDueJobs(): Promise<number>;
  /** How late the oldest due job is (ms), for metrics. */
  schedulerLagMs(): number;
  /** Whether the scheduler's last look at its jobs reached the store (true before the first), for /readyz. */
  storeReachable(): boolean;
}

const HEALTH_PATH = '/healthz';
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Builds the Bolt app with every `/napter` listener, the buttons, the IP capture page and `/healthz`,
 * on either transport. It does not start anything: `start()` does.
 */
export function createSlackApp(deps: SlackDeps, options: SlackAppOptions): SlackAppHandle {
  const apiBase = options.slackApiUrl ?? 'https://slack.com/api/';
  const metrics = deps.metrics;
  const clientOptions = {
    ...(options.slackApiUrl === undefined ? {} : { slackApiUrl: options.slackApiUrl }),
    retryConfig: { retries: options.retries ?? 2, factor: 1.5, maxTimeout: 5_000 },
    fetch:
      metrics === undefined
        ? boundedRateLimitFetch(apiBase)
        : observeSlackApiErrors(apiBase, (method, code) => metrics.slackApiError(method, code), boundedRateLimitFetch(apiBase)),
  };
  // Known once the Socket Mode receiver exists; HTTP mode has no connection of its own to watch.
  let slackConnected: (() => boolean) | undefined;

  // The page's Confirm needs the app's client, and the routes must exist before the app does.
  let appRef: App | undefined;
  const routes: CustomRoute[] = [
    ...createIpCaptureRoutes({
      store: deps.store,
      clock: deps.clock,
      trustedProxies: options.ipCapture?.trustedProxies ?? [],
      ipEchoUrl: options.ipCapture?.ipEchoUrl,
      logger: deps.logger,
      onConfirm: async (capture, address) => {
        if (appRef === undefined) throw new Error('The Slack app is not ready yet');
        const client = appRef.client;
        return deps.tasks.run('ip-confirm', () => confirmIpCapture(deps, client, capture, address));
      },
    }),
    {
      path: HEALTH_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ ok: true, ...options.health?.() }));
      },
    },
    readinessRoute(() => ({ ...options.readiness?.(), ...(slackConnected === undefined ? {} : { slack: slackConnected() }) })),
    ...(options.extraRoutes ?? []),
  ];

  const transport = options.transport;
  let routeServer: RouteServer | undefined;
  let receiver: HTTPReceiver | SocketModeReceiver;
  if (transport.kind === 'http') {
    receiver = new HTTPReceiver({
      signingSecret: transport.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      customRoutes: routes,
      processBeforeResponse: options.processBeforeResponse ?? false,
      logger: deps.logger,
      port: transport.port,
    });
    guardSlackRequests(receiver, { signingSecret: transport.signingSecret, eventsPath: SLACK_EVENTS_PATH, logger: deps.logger });
  } else {
    receiver = new SocketModeReceiver({
      appToken: transport.appToken,
      logger: deps.logger,
      installerOptions: { clientOptions },
      ...(options.socket?.clientPingTimeoutMs === undefined ? {} : { clientPingTimeout: options.socket.clientPingTimeoutMs }),
      ...(options.socket?.serverPingTimeoutMs === undefined ? {} : { serverPingTimeout: options.socket.serverPingTimeoutMs }),
    });
    slackConnected = watchSocketConnection(receiver.client);
    routeServer = createRouteServer(routes);
  }

  const app = new App({
    token: options.botToken,
    receiver,
    logger: deps.logger,
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    clientOptions,
    // Conversation state is not used, and the default keeps it in memory per replica.
    convoStore: false,
    // The failure log sees the request as well as the error.
    extendedErrorHandler: true,
    ...(options.botIdentity === undefined ? {} : { botId: options.botIdentity.botId, botUserId: options.botIdentity.botUserId }),
  });
  appRef = app;
  deps.homeRefresher.attach(app.client);

  registerFailureLog(app, deps);
  app.use(requestPipeline(deps));
  registerListeners(app, deps);
  registerWatchJobs(deps, app.client);
  deps.scheduler.register('housekeeping', housekeepingJob(deps));
  registerReminderJob(deps, app.client);
  registerCaptureJob(deps, app.client);

  let started = false;
  let loop: SchedulerLoop | undefined;
  const recover = () => {
    void deps.tasks
      .run('recovery', () => recoverAfterStart(deps, app.client))
      .catch(() => undefined)
      .finally(() => {
        // Jobs run once the start's reconciliation has looked at SORACOM, and only while the app runs.
        if (started && options.schedulerBeatMs !== false && loop === undefined) {
          loop = startSchedulerLoop(deps.scheduler, {
            clock: deps.clock,
            ...(options.schedulerBeatMs === undefined ? {} : { beatMs: options.schedulerBeatMs }),
            onError: (error) => deps.logger.warn('The scheduler could not read its jobs; trying again', error),
          });
        }
      });
  };
  return {
    app,
    async start() {
      // One bot process per database: claims nobody completed belong to a process that is gone.
      const released = await releaseClaimsOfGoneProcess(deps);
      if (released > 0) deps.logger.info(`Released ${released} claims left by the previous process`);
      if (transport.kind === 'http') {
        const listenOptions = transport.host === undefined ? { port: transport.port } : { port: transport.port, host: transport.host };
        const server = (await app.start(listenOptions)) as unknown as Server;
        started = true;
        recover();
        return { port: (server.address() as AddressInfo).port };
      }
      // The bot's own pages first: /healthz answers while Slack is still out of reach.
      const port = await (routeServer as RouteServer).listen(transport.port, transport.host);
      await startSocketMode(app, deps);
      started = true;
      recover();
      return { port };
    },
    async stop(graceMs) {
      if (started) {
        started = false;
        // Commands still waiting for their turn (and any that come now) do not start; their users are told to run
        // them again. First, so that nothing waits on a turn that would come only after Bolt has stopped.
        deps.commandSlots.close();
        await app.stop();
      }
      // No new job starts; the round under way finishes (a job cut off is run again once its lease runs out).
      await (loop?.stop() ?? deps.scheduler.stop());
      const settled = deps.tasks.settle().then(() => true);
      const finished = graceMs === undefined ? await settled : await Promise.race([settled, delay(graceMs).then(() => false)]);
      await routeServer?.close();
      return { unfinished: finished ? 0 : deps.tasks.pending };
    },
    runDueJobs: () => deps.scheduler.runDue(),
    schedulerLagMs: () => deps.scheduler.schedulerLagMs(),
    storeReachable: () => loop?.storeReachable() ?? true,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Socket Mode needs Slack to hand out a WebSocket URL. While Slack cannot be reached, that is said in one line
 * per try and tried again with backoff, until it works or the process stops.
 */
async function startSocketMode(app: App, deps: SlackDeps): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await app.start();
      if (attempt > 0) deps.logger.info('Connected to Slack over Socket Mode');
      return;
    } catch (error) {
      if (deps.stopping.aborted) throw error;
      const delayMs = backoffDelayMs(SLACK_RETRY, attempt);
      deps.logger.warn(`Cannot connect to Slack over Socket Mode (${slackFailureReason(error)}); trying again in ${(delayMs / 1000).toFixed(1)} s`);
      await deps.sleep(delayMs);
    }
  }
}

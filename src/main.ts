import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig, type Config } from './config';
import { errorCodeOf, NapterBotError } from './common/errors';
import { createProcessFailures } from './common/process-failures';
import { loadPolicy } from './policy/index';
import { systemClock, type Clock } from './common/clock';
import { startSimulator, type RunningSimulator } from './simulator/server';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackAppHandle } from './slack/app';
import { buildSlackDeps } from './slack/deps';
import { resolveBotIdentity } from './slack/identity';
import { createRedactingLogger, toLogLevel } from './common/logger';
import { createSlackDriver, startFakeSlack, type FakeSlack } from './slack-fake/index';
import { createSoracomClient } from './soracom/index';
import { openSqliteStore } from './storage/sqlite';
import type { Store } from './use-cases/ports/store';
import { metricsRoute, startMetricsServer } from './metrics/server';
import { OffsetClock } from './local/offset-clock';
import { startLocalRepl, type LocalRepl } from './local/repl';

/**
 * The composition root. Reads the configuration once, then wires the store, the policy, the SORACOM
 * client (real, or the built-in simulator when there is no AuthKey) and Slack (HTTP, Socket Mode, or the
 * local stand-in with a terminal playground when there are no Slack credentials). `npm start` from a clean
 * clone, with no .env at all, starts the full local playground.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }

  const isLocal = config.slack.kind === 'local';
  // The playground lets the user move time forward to watch mappings expire; real deployments use real time.
  const offsetClock = isLocal && config.soracom.kind === 'simulator' ? new OffsetClock() : undefined;
  const clock: Clock = offsetClock ?? systemClock;
  const secrets = secretsOf(config);
  // The playground's terminal is for the conversation: below warnings, logs stay out of it unless asked for.
  const logLevel = isLocal && config.logLevel === 'info' ? 'warn' : config.logLevel;
  const logger = createRedactingLogger({ level: logLevel, secrets, format: config.logFormat });
  // prom-client costs tens of milliseconds to load: only when metrics are asked for.
  const prometheus = config.metrics === undefined ? undefined : (await import('./metrics/prometheus')).createPrometheusMetrics();

  const closers: Array<() => Promise<void> | void> = [];
  const stopping = new AbortController();
  const failures = createProcessFailures(logger);
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Waits end, loops hand back their work, and whatever happens below, the process ends in bounded time.
    stopping.abort();
    setTimeout(() => process.exit(code), SHUTDOWN_GRACE_MS + SHUTDOWN_CLOSE_MS).unref();
    for (const close of [...closers].reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn('Error while shutting down', error);
      }
    }
    process.exit(code);
  };
  // One failure nobody handled is that request's problem, not everyone's: counted and logged, the bot stays up.
  process.on('unhandledRejection', (reason) => {
    if (failures.onUnhandledRejection(reason)) void shutdown(1);
  });
  process.on('uncaughtException', (error) => {
    logger.error('Uncaught exception; shutting down', error);
    void shutdown(1);
  });
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => {
    logger.info('SIGTERM: no new work; finishing what runs, for at most', `${SHUTDOWN_GRACE_MS / 1000} s`);
    void shutdown(0);
  });

  try {
    const dbPath = config.dbPath ?? freshDatabase(closers);
    if (config.dbPath === undefined) logger.info('A fresh database for this run (the simulator starts a new world too); NAPTER_DB keeps one');
    const store: Store = openSqliteStore({ path: dbPath, clock });
    let storeOpen = true;
    closers.push(() => {
      storeOpen = false;
      return store.close();
    });
    const policy = loadPolicy(config.policyPath);

    let simulator: RunningSimulator | undefined;
    let soracom: { endpoint: string; authKeyId: string; authKey: string };
    if (config.soracom.kind === 'real') {
      soracom = config.soracom;
    } else {
      simulator = await startSimulator({ port: 0, host: '127.0.0.1', clock, scenario: 'demo' });
      const running = simulator;
      closers.push(() => running.close());
      soracom = { endpoint: running.baseUrl, authKeyId: running.authKeyId, authKey: running.authKey };
      logger.info(`SORACOM simulator on ${running.baseUrl} (no AuthKey configured)`);
    }
    const api = createSoracomClient({ ...soracom, clock, logger, ...(prometheus === undefined ? {} : { onCall: prometheus.metrics.soracomCall }) });
    // The token is fetched now, so the first command does not wait for it; one that comes first shares this sign-in.
    api.signIn().catch((error: unknown) => logger.warn('Could not sign in to SORACOM at start; the first request tries again', errorCodeOf(error)));

    let fake: FakeSlack | undefined;
    let botToken: string;
    let transport: Parameters<typeof createSlackApp>[1]['transport'];
    let slackApiUrl = config.slackApiUrl;
    // Local mode is for this machine only; otherwise HOST, or every interface.
    const host = isLocal ? '127.0.0.1' : config.host;
    if (config.slack.kind === 'local') {
      fake = await startFakeSlack({ clock });
      const running = fake;
      closers.push(() => running.close());
      botToken = fake.botToken;
      slackApiUrl = fake.apiUrl;
      transport = { kind: 'http', signingSecret: randomBytes(32).toString('hex'), port: config.port, host: '127.0.0.1' };
    } else if (config.slack.kind === 'socket') {
      botToken = config.slack.botToken;
      transport = { kind: 'socket', appToken: config.slack.appToken, port: config.port };
    } else {
      botToken = config.slack.botToken;
      transport = { kind: 'http', signingSecret: config.slack.signingSecret, port: config.port };
    }

    // With PORT=0 the port is known only after start; links are built later, so they read it then.
    let boundPort = config.port;
    const localUrl = () => `http://127.0.0.1:${boundPort}`;
    if (config.publicUrl === undefined && !isLocal) {
      logger.warn(`PUBLIC_URL is not set: IP capture links will point at ${localUrl()}, which only works on this machine`);
    }
    const built = buildSlackDeps({
      api,
      store,
      policy,
      clock,
      publicUrl: config.publicUrl ?? localUrl(),
      logger,
      stopping: stopping.signal,
      metrics: prometheus?.metrics,
      watch: config.watch,
      commandConcurrency: config.commandConcurrency,
    });
    const deps = config.publicUrl === undefined ? Object.defineProperty({ ...built }, 'publicUrl', { get: localUrl, enumerable: true }) : built;
    const botIdentity = await resolveBotIdentity({ botToken, slackApiUrl, logger, stopping: stopping.signal, sleep: deps.sleep });
    const app: SlackAppHandle = createSlackApp(deps, {
      botToken,
      botIdentity,
      transport: host === undefined ? transport : { ...transport, host },
      slackApiUrl,
      logLevel: toLogLevel(logLevel),
      ipCapture: { trustedProxies: config.trustedProxies, ipEchoUrl: config.ipEchoUrl },
      // The scheduler's lag: how late the oldest due job is (/metrics reads it too).
      health: () => ({ unhandledFailures: failures.survived, schedulerLagMs: app.schedulerLagMs() }),
      readiness: () => ({ database: storeOpen && app.storeReachable(), soracom: api.tokenReadiness().ready }),
      // Only asked for by name: METRICS_PORT equal to PORT puts /metrics on the public server.
      ...(prometheus !== undefined && config.metrics?.port === config.port && config.port !== 0 ? { extraRoutes: [metricsRoute(prometheus.registry)] } : {}),
    });
    if (prometheus !== undefined) {
      prometheus.registerSchedulerLag(() => deps.scheduler.schedulerLagMs());
      prometheus.registerCommandQueue(() => deps.commandSlots.waiting);
    }
    if (prometheus !== undefined && config.metrics !== undefined && (config.metrics.port !== config.port || config.port === 0)) {
      const { host, port: metricsPort } = config.metrics;
      const server = await startMetricsServer(prometheus.registry, metricsPort, host).catch((error: unknown) => {
        throw portInUse(error) ? new ConfigError([`METRICS_PORT ${metricsPort} is already in use: set METRICS_PORT to a free port, or unset it`]) : error;
      });
      closers.push(() => server.close());
      logger.info(`Metrics on http://${host.includes(':') ? `[${host}]` : host}:${server.port}/metrics`);
    }
    closers.push(async () => {
      const { unfinished } = await app.stop(SHUTDOWN_GRACE_MS);
      if (unfinished > 0) logger.warn(`Stopped with ${unfinished} tasks unfinished; the next start finishes their work`);
    });
    const { port } = await app.start().catch((error: unknown) => {
      throw portInUse(error)
        ? new ConfigError([`PORT ${config.port} is already in use: set PORT to a free port (or 0 for any), or stop what listens there`])
        : error;
    });
    boundPort = port;
    logger.info(`napter-bot is running (${config.slack.kind} mode, port ${port} on ${host ?? 'every interface'})`);

    let repl: LocalRepl | undefined;
    if (fake !== undefined && transport.kind === 'http') {
      repl = startLocalRepl({
        fake,
        driver: createSlackDriver({
          fake,
          transport: { kind: 'http', eventsUrl: `${localUrl()}${SLACK_EVENTS_PATH}`, signingSecret: transport.signingSecret },
        }),
        settle: () => deps.tasks.settle(),
        clock: offsetClock ?? { nowMs: () => clock.nowMs(), advance: () => process.stdout.write('Time travel needs the simulator.\n') },
        world: simulator?.world,
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
      });
      const running = repl;
      closers.push(() => running.close());
      void repl.done.then(() => shutdown(0));
    }
  } catch (error) {
    if (shuttingDown) return;
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
    else if (error instanceof NapterBotError) logger.error(`napter-bot could not start: ${error.message}`);
    else logger.error('napter-bot could not start', error);
    await shutdown(1);
  }
}

/** How long running work may take to finish once the process is asked to stop. */
const SHUTDOWN_GRACE_MS = 10_000;
/** And how long closing the servers and the store may take after that. */
const SHUTDOWN_CLOSE_MS = 5_000;

function portInUse(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'EADDRINUSE';
}

function secretsOf(config: Config): string[] {
  const secrets: Array<string | undefined> = [];
  if (config.slack.kind === 'http') secrets.push(config.slack.botToken, config.slack.signingSecret);
  if (config.slack.kind === 'socket') secrets.push(config.slack.botToken, config.slack.appToken, config.slack.signingSecret);
  if (config.soracom.kind === 'real') secrets.push(config.soracom.authKey, config.soracom.authKeyId);
  return secrets.filter((secret): secret is string => secret !== undefined);
}

void main();

/** A database in a temporary directory, removed at exit (after the store closes: closers run in reverse). */
function freshDatabase(closers: Array<() => Promise<void> | void>): string {
  const dir = mkdtempSync(join(tmpdir(), 'napter-bot-'));
  closers.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'napter.db');
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@slack/bolt';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../src/policy/index';
import { ManualClock } from '../../src/common/clock';
import type { FaultSpec } from '../../src/simulator/faults';
import { startSimulator } from '../../src/simulator/server';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackAppHandle } from '../../src/slack/app';
import { buildSlackDeps, type SlackDeps } from '../../src/slack/deps';
import { createRedactingLogger } from '../../src/common/logger';
import { createSlackDriver, DEFAULT_FAKE_BOT_TOKEN, startFakeSlack, type FakeSlack, type SlackDriver } from '../../src/slack-fake/index';
import { createSoracomClient } from '../../src/soracom/index';
import { openSqliteStore } from '../../src/storage/sqlite';
import type { Store } from '../../src/use-cases/ports/store';

/**
 * The end-to-end rig every Slack test runs on: the real SORACOM simulator, the real SORACOM client, the
 * fake Slack, the real SQLite store (a temp file), the real policy, and the real Bolt app over HTTP (or
 * Socket Mode) on 127.0.0.1. One ManualClock drives the simulator, the fake Slack, the store and the app.
 * Nothing is mocked: tests speak to the app the way Slack does and look at what Slack and SORACOM saw.
 */
export interface HarnessOptions {
  readonly transport?: 'http' | 'socket';
  /** A simulator scenario name; default `demo` (every SIM of the demo world). */
  readonly scenario?: string;
  /** false: start with an empty world (tests add their own SIMs through `sim.world`). */
  readonly demo?: boolean;
  /** Policy YAML; default: the built-in permissive-but-safe policy. */
  readonly policyText?: string;
  /** Reuse a database file (e.g. across a restart); default: a fresh temp file. */
  readonly dbPath?: string;
  readonly startMs?: number;
  /** The fake's `chat:write.public`. */
  readonly chatWritePublic?: boolean;
  /** Faults the simulator injects from the start (e.g. `device-silent` on the downlink probes). */
  readonly simulatorFaults?: FaultSpec;
  /** The app's waits; default at most 10 ms of real time. A test can hold one (a capture's poll) until it lets go. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How many commands work at once (the app's default otherwise). */
  readonly commandConcurrency?: number;
}

export interface Harness {
  readonly sim: Awaited<ReturnType<typeof startSimulator>>;
  readonly slack: FakeSlack;
  /** The app currently running (replaced by `restartApp`). */
  app: SlackAppHandle;
  driver: SlackDriver;
  store: Store;
  deps: SlackDeps;
  readonly clock: ManualClock;
  readonly policy: Policy;
  readonly dbPath: string;
  /** Base URL of the app (the IP page, /healthz; /slack/events in HTTP mode). */
  appUrl: string;
  readonly eventsUrl: string;
  readonly signingSecret: string;
  readonly botToken: string;
  /** Every line the app logged, already through the redacting logger. */
  readonly logs: string[];
  /** Awaits all work the app started after its acks (IP confirms, clicks, commands over Socket Mode). */
  settle(): Promise<void>;
  /** Settles, runs every job due at the clock's time (the app runs no scheduler loop here), and settles again. */
  runJobs(): Promise<number>;
  /** Stops the app, closes and reopens the store from the same file, and starts a new app. */
  restartApp(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_START_MS = Date.UTC(2025, 5, 2, 1, 0, 0);

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new ManualClock(options.startMs ?? DEFAULT_START_MS);
  const transport = options.transport ?? 'http';
  const sim = await startSimulator({
    port: 0,
    clock,
    ...(options.scenario !== undefined ? { scenario: options.scenario } : options.demo === false ? {} : { scenario: 'demo' }),
    ...(options.simulatorFaults === undefined ? {} : { faults: options.simulatorFaults }),
  });
  const slack = await startFakeSlack({ clock, ...(options.chatWritePublic === undefined ? {} : { chatWritePublic: options.chatWritePublic }) });

  const tempDir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'napter-harness-')) : undefined;
  const dbPath = options.dbPath ?? join(tempDir as string, 'napter.db');
  const policy = options.policyText === undefined ? DEFAULT_POLICY : parsePolicy(options.policyText, 'test-policy.yaml');
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = DEFAULT_FAKE_BOT_TOKEN;
  const appToken = 'xapp-1-A0FAKENAPTER-test-app-token';
  const logs: string[] = [];

  // One logger for everything, at debug, so the secret scan sees Bolt's, the Web API client's and SORACOM's lines.
  const logger = createRedactingLogger({
    level: 'debug',
    secrets: [botToken, signingSecret, appToken, sim.authKey, sim.authKeyId],
    write: (_level: LogLevel, line: string) => logs.push(line),
  });

  const api = createSoracomClient({
    logger,
    endpoint: sim.baseUrl,
    authKeyId: sim.authKeyId,
    authKey: sim.authKey,
    clock,
    timeoutMs: 5_000,
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: () => Promise.resolve(),
  });

  const makeApp = async (store: Store) => {
    let appUrl = '';
    const built = buildSlackDeps({
      api,
      store,
      policy,
      clock,
      publicUrl: 'http://127.0.0.1',
      logger,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)))),
      commandConcurrency: options.commandConcurrency,
    });
    // The app listens on an ephemeral port, known only after start: the IP links read it then.
    const deps: SlackDeps = Object.defineProperty({ ...built }, 'publicUrl', { get: () => appUrl, enumerable: true });
    const app = createSlackApp(deps, {
      botToken,
      slackApiUrl: slack.apiUrl,
      retries: 0,
      processBeforeResponse: true,
      logLevel: LogLevel.DEBUG,
      // Skips the constructor's auth.test, whose promise would outlive a harness closed right after start.
      botIdentity: { botId: slack.workspace.botId, botUserId: slack.workspace.botUserId },
      // Tests reach the IP page from 127.0.0.1: as a trusted proxy, an X-Forwarded-For header plays "the server
      // saw this global address"; without one the page sees a private peer and takes the browser's claim.
      ipCapture: { trustedProxies: ['127.0.0.1'] },
      // The test moves the clock and runs due jobs itself (`runJobs`): nothing fires behind its back.
      schedulerBeatMs: false,
      transport: transport === 'http' ? { kind: 'http', signingSecret, port: 0, host: '127.0.0.1' } : { kind: 'socket', appToken, port: 0, host: '127.0.0.1' },
    });
    const { port } = await app.start();
    appUrl = `http://127.0.0.1:${port}`;
    return { deps, app, appUrl };
  };

  let store = openSqliteStore({ path: dbPath, clock });
  let running = await makeApp(store);
  const eventsUrl = () => `${running.appUrl}${SLACK_EVENTS_PATH}`;
  const makeDriver = () =>
    createSlackDriver({
      fake: slack,
      transport: transport === 'http' ? { kind: 'http', eventsUrl: eventsUrl(), signingSecret } : { kind: 'socket' },
    });

  const harness: Harness = {
    sim,
    slack,
    app: running.app,
    driver: makeDriver(),
    store,
    deps: running.deps,
    clock,
    policy,
    dbPath,
    appUrl: running.appUrl,
    get eventsUrl() {
      return eventsUrl();
    },
    signingSecret,
    botToken,
    logs,
    settle: async () => {
      // Socket Mode acks before the work; give the envelope's listener a turn to start it.
      await new Promise((resolve) => setImmediate(resolve));
      await harness.deps.tasks.settle();
    },
    runJobs: async () => {
      await harness.settle();
      const ran = await harness.app.runDueJobs();
      await harness.settle();
      return ran;
    },
    restartApp: async () => {
      await running.app.stop();
      await store.close();
      store = openSqliteStore({ path: dbPath, clock });
      running = await makeApp(store);
      harness.app = running.app;
      harness.deps = running.deps;
      harness.store = store;
      harness.appUrl = running.appUrl;
      harness.driver = makeDriver();
    },
    close: async () => {
      await running.app.stop();
      await store.close();
      await slack.close();
      await sim.close();
      if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    },
  };
  return harness;
}

import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultSpec } from '../../../src/simulator/faults';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/server';
import { BotProcess, waitFor } from '../../reliability/support/bot-process';
import type { Rig } from '../../reliability/support/rig';
import { createSlackDriver, startFakeSlack } from '../../../src/slack-fake/index';

/**
 * The bot as production runs it (its own process, configured by its environment) between the simulator and the
 * fake Slack, with SORACOM reached through a recording pass-through, so that a test knows the API key and token
 * the simulator issued to the bot and can look for them in its output.
 */
export interface ObservedBot extends Rig {
  /** The API keys and tokens `/auth` answered the bot with. */
  readonly issuedSecrets: readonly string[];
  /** The bot's /metrics URL, read from its start-up line (undefined when metrics are off). */
  metricsUrl(): string | undefined;
}

export interface ObservedBotOptions {
  /** The bot's settings beyond the rig's own (`undefined` removes one). */
  readonly extra?: Readonly<Record<string, string | undefined>>;
  /** Faults the simulator injects from its start (before the bot signs in). */
  readonly simulatorFaults?: FaultSpec;
  /** Socket Mode (an app token, no signing secret) instead of HTTP. */
  readonly socketMode?: boolean;
}

export async function startObservedBot(options: ObservedBotOptions = {}): Promise<ObservedBot> {
  const sim = await startSimulator({
    port: 0,
    scenario: 'demo',
    rateLimitPerMinute: 1_000_000,
    ...(options.simulatorFaults === undefined ? {} : { faults: options.simulatorFaults }),
  });
  const startedAtMs = Date.now();
  const recorder = await startRecordingProxy(sim);
  const slack = await startFakeSlack(options.socketMode === true ? { socketPingIntervalMs: 1_000 } : {});
  const bot = new BotProcess({
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    soracom: { endpoint: recorder.url, authKeyId: sim.authKeyId, authKey: sim.authKey },
    extra: { ...(options.socketMode === true ? { SLACK_APP_TOKEN: 'xapp-1-A0FAKENAPTER-observed', SLACK_SIGNING_SECRET: undefined } : {}), ...options.extra },
  });
  const close = async () => {
    await bot.close();
    await slack.close();
    await recorder.close();
    await sim.close();
  };
  try {
    await bot.start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    startedAtMs,
    sim,
    slack,
    bot,
    issuedSecrets: recorder.issued,
    driver: () =>
      createSlackDriver({
        fake: slack,
        transport: options.socketMode === true ? { kind: 'socket' } : { kind: 'http', eventsUrl: bot.eventsUrl, signingSecret: bot.signingSecret },
      }),
    metricsUrl: () => bot.lines.map((line) => /Metrics on (http:\/\/[^\s"]+\/metrics)/.exec(line)?.[1]).find((url) => url !== undefined),
    close,
  };
}

/** Forwards every request to the simulator and keeps what `/auth` answered (apiKey, token). */
async function startRecordingProxy(sim: RunningSimulator): Promise<{ url: string; issued: string[]; close(): Promise<void> }> {
  const target = new URL(sim.baseUrl);
  const issued: string[] = [];
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url?.startsWith('/v1/auth') === true) {
          try {
            const parsed = JSON.parse(body.toString('utf8')) as { apiKey?: unknown; token?: unknown };
            for (const value of [parsed.apiKey, parsed.token]) if (typeof value === 'string') issued.push(value);
          } catch {
            // Not an issued token: nothing to remember.
          }
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    issued,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { freePort } from '../../support/free-port';
export { waitFor };

import { startSimulator, type RunningSimulator } from '../../src/simulator/server';
import { createSlackDriver, startFakeSlack, type FakeSlack, type SlackDriver } from '../../src/slack-fake/index';
import { startLatencyProxy, type LatencyProxy } from './latency-proxy';
import { startBot, type BotLaunch, type RunningBot } from './bot';

/**
 * One measured world: the SORACOM simulator (demo world, real time) behind a latency proxy, the fake Slack,
 * and the bot in its own process pointed at both. Everything on 127.0.0.1.
 */
export interface BenchWorld {
  readonly sim: RunningSimulator;
  readonly proxy: LatencyProxy;
  readonly slack: FakeSlack;
  readonly bot: RunningBot;
  readonly driver: SlackDriver;
  readonly asUser: { readonly userId: string; readonly channelId: string };
  /** Resolves once neither SORACOM nor Slack has seen a call for `quietMs` (the bot's work after its acks is done). */
  settle(quietMs?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startBenchWorld(
  options: { launch?: BotLaunch; latencyMs?: number; sequential?: boolean; env?: Record<string, string> } = {},
): Promise<BenchWorld> {
  // The benchmarks measure the bot, not SORACOM's rate limit: the simulator's is set out of reach.
  const sim = await startSimulator({ scenario: 'demo', rateLimitPerMinute: 1_000_000 });
  const proxy = await startLatencyProxy(sim.baseUrl, { latencyMs: options.latencyMs ?? 0, sequential: options.sequential ?? false });
  const slack = await startFakeSlack();
  const bot = await startBot(options.launch ?? 'built', {
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    soracom: { endpoint: proxy.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey },
    ...(options.env === undefined ? {} : { extra: options.env }),
  });
  const driver = createSlackDriver({ fake: slack, transport: { kind: 'http', eventsUrl: bot.eventsUrl, signingSecret: bot.signingSecret } });
  const asUser = { userId: 'U0ALICE', channelId: 'C0OPS' };
  return {
    sim,
    proxy,
    slack,
    bot,
    driver,
    asUser,
    async settle(quietMs = 1_000, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = -1;
      let quietSince = Date.now();
      while (Date.now() < deadline) {
        const count = proxy.calls.length + slack.calls.length + slack.responseUrlPosts.length;
        const inFlight = proxy.calls.some((call) => call.endedAtMs === 0);
        if (count !== seen || inFlight) {
          seen = count;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= quietMs) {
          return;
        }
        await sleep(50);
      }
      throw new Error('The bot was still busy at the deadline');
    },
    async close() {
      await bot.stop();
      await slack.close();
      await proxy.close();
      await sim.close();
    },
  };
}

/** Percentile of a sample (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

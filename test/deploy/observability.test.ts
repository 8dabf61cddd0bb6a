import { VERDICT_IDS } from '../../src/domain/diagnosis/types';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import { awaitAnswer, sendCommand } from '../reliability/support/rig';
import { sampleOf, scrape } from '../support/metrics-text';
import { freePort, startObservedBot, waitFor, type ObservedBot } from './support/observed-bot';

/**
 * What an operator watches, on the bot as production runs it: JSON log lines (LOG_FORMAT=json), /readyz, and
 * /metrics on its own loopback port (METRICS_PORT), scraped after real commands over signed HTTP.
 */
const OPS = 'C0OPS';
const ALICE = 'U0ALICE';
/** A user the bot has not asked Slack about yet: their first request makes it call users.info. */
const HANAKO = 'U0HANAKO';

jest.setTimeout(120_000);
let bot: ObservedBot;
let metricsUrl: string;
beforeAll(async () => {
  bot = await startObservedBot({ extra: { LOG_FORMAT: 'json', LOG_LEVEL: 'debug', METRICS_PORT: '0' } });
  metricsUrl = await waitFor('the metrics line', () => bot.metricsUrl());
}, 60_000);
afterAll(async () => {
  await bot?.close();
});

describe('/metrics', () => {
  it('is served on its own loopback port, not on the public one', async () => {
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(metricsUrl).port).not.toBe(String(bot.bot.port));
    const onPublic = await fetch(`${bot.bot.baseUrl}/metrics`);
    expect(onPublic.status).toBe(404);
    await onPublic.text();
    const text = await scrape(metricsUrl);
    expect(text).toContain('process_cpu_user_seconds_total');
    // The scheduler is wired to its gauge; nothing is due in this world, so it is not behind.
    expect(text).toMatch(/^napter_scheduler_lag_seconds 0$/m);
  });

  it('counts commands by subcommand and outcome, verdicts, SORACOM calls by operation and status, and acks', async () => {
    const before = await scrape(metricsUrl);
    bot.sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/audit_logs/napter', count: 1, status: 503 });
    const diagnose = await sendCommand(bot, 'diagnose demo-app-down', { userId: ALICE, channelId: OPS });
    await awaitAnswer(bot, diagnose);
    const help = await sendCommand(bot, 'help', { userId: ALICE, channelId: OPS });
    await awaitAnswer(bot, help);
    const after = await waitFor('the diagnose to be counted', async () => {
      const text = await scrape(metricsUrl);
      return sampleOf(text, 'napter_commands_total', { kind: 'diagnose' }) > 0 ? text : undefined;
    });

    expect(
      sampleOf(after, 'napter_commands_total', { kind: 'help', outcome: 'help' }) -
        sampleOf(before, 'napter_commands_total', { kind: 'help', outcome: 'help' }),
    ).toBe(1);
    expect(sampleOf(after, 'napter_commands_total', { kind: 'diagnose', outcome: 'posted' })).toBe(1);
    const verdicts = VERDICT_IDS.filter((verdict) => sampleOf(after, 'napter_verdicts_total', { verdict }) > 0);
    expect(verdicts).toHaveLength(1);
    expect(sampleOf(after, 'napter_verdicts_total')).toBe(1);
    // The injected 503 is one attempt; the client's retry is another, answered 200.
    expect(sampleOf(after, 'napter_soracom_calls_total', { operation: 'getNapterAuditLogs', status: '503' })).toBe(1);
    expect(sampleOf(after, 'napter_soracom_calls_total', { operation: 'getNapterAuditLogs', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(after, 'napter_soracom_calls_total', { operation: 'auth', status: '200' })).toBe(1);
    expect(sampleOf(after, 'napter_soracom_call_duration_seconds_count', { operation: 'getNapterAuditLogs' })).toBe(
      sampleOf(after, 'napter_soracom_calls_total', { operation: 'getNapterAuditLogs' }),
    );
    expect(sampleOf(after, 'napter_ack_duration_seconds_count') - sampleOf(before, 'napter_ack_duration_seconds_count')).toBe(2);
    // No label carries a SIM, a user or an address.
    expect(after).not.toMatch(/U0ALICE|C0OPS|89811\d{10,}|44010\d{10,}|\d+\.\d+\.\d+\.\d+/);
  });

  it('counts a click by its action id and outcome, and the verdict of the run it started', async () => {
    const parent = bot.slack.channelMessages(OPS).find((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.diagnosis);
    if (parent === undefined) throw new Error('no diagnosis in the channel');
    const before = await scrape(metricsUrl);
    await bot.driver().clickButton({ userId: ALICE, message: { ts: parent.ts, channelId: OPS, blocks: parent.blocks }, actionId: ACTION_IDS.diagnoseAgain });
    const after = await waitFor('the click to be counted', async () => {
      const text = await scrape(metricsUrl);
      return sampleOf(text, 'napter_clicks_total', { kind: ACTION_IDS.diagnoseAgain }) > 0 ? text : undefined;
    });
    expect(sampleOf(after, 'napter_clicks_total', { kind: ACTION_IDS.diagnoseAgain })).toBe(1);
    expect(sampleOf(after, 'napter_clicks_total', { kind: ACTION_IDS.diagnoseAgain, outcome: 'diagnosed' })).toBe(1);
    expect(sampleOf(after, 'napter_verdicts_total') - sampleOf(before, 'napter_verdicts_total')).toBe(1);
    expect(sampleOf(after, 'napter_ack_duration_seconds_count') - sampleOf(before, 'napter_ack_duration_seconds_count')).toBe(1);
  });

  it('counts a Slack API error by method and code', async () => {
    bot.slack.faults.failNext('users.info', 'user_not_found');
    const help = await sendCommand(bot, 'help', { userId: HANAKO, channelId: OPS });
    await awaitAnswer(bot, help);
    const text = await waitFor('the error to be counted', async () => {
      const scraped = await scrape(metricsUrl);
      return sampleOf(scraped, 'napter_slack_api_errors_total', { method: 'users.info' }) > 0 ? scraped : undefined;
    });
    expect(sampleOf(text, 'napter_slack_api_errors_total', { method: 'users.info', code: 'user_not_found' })).toBe(1);
  });
});

describe('/readyz', () => {
  it('answers 200 when the database, SORACOM and Slack are there', async () => {
    const response = await fetch(`${bot.bot.baseUrl}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true, notReady: [], checks: { database: true, soracom: true } });
  });
});

describe('LOG_FORMAT=json', () => {
  it('writes one JSON object per line with time, level and msg; request lines name the team and user', async () => {
    const open = await sendCommand(bot, 'open demo-healthy ssh from 198.51.100.77', { userId: ALICE, channelId: OPS });
    await awaitAnswer(bot, open);
    const lines = bot.bot.lines.filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(20);
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`Not a JSON line: ${line}`);
      }
    });
    for (const entry of parsed) {
      expect(typeof entry['time']).toBe('string');
      expect(new Date(String(entry['time'])).toISOString()).toBe(entry['time']);
      expect(['debug', 'info', 'warn', 'error']).toContain(entry['level']);
      expect(typeof entry['msg']).toBe('string');
    }
    const forRequests = parsed.filter((entry) => entry['requestId'] !== undefined);
    expect(forRequests.length).toBeGreaterThan(5);
    for (const entry of forRequests) {
      expect(entry['teamId']).toBe(bot.slack.workspace.teamId);
      expect(typeof entry['userId']).toBe('string');
    }
    expect(new Set(forRequests.map((entry) => entry['userId']))).toEqual(new Set([ALICE, HANAKO]));
    // The SORACOM client's structured lines keep their fields as fields.
    expect(parsed.some((entry) => entry['msg'] === 'SORACOM call' && typeof entry['status'] === 'number')).toBe(true);
  });

  it('never writes a secret or a Napter endpoint, even at debug level', () => {
    const output = bot.bot.output();
    const secrets = [bot.bot.signingSecret, bot.slack.botToken, bot.sim.authKey, ...bot.issuedSecrets];
    expect(bot.issuedSecrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(output).not.toContain(secret);
    const endpoints = bot.sim.world.state.mappings.filter((mapping) => mapping.createdAtMs >= bot.startedAtMs);
    expect(endpoints.length).toBeGreaterThan(0);
    for (const mapping of endpoints) {
      expect(output).not.toContain(`${mapping.ipAddress}:${mapping.port}`);
      expect(output).not.toContain(mapping.ipAddress);
      expect(output).not.toContain(mapping.hostname);
    }
  });
});

describe('METRICS_PORT equal to PORT', () => {
  it('serves /metrics on the public server, since that was asked for by name', async () => {
    const port = await freePort();
    const shared = await startObservedBot({ extra: { PORT: String(port), METRICS_PORT: String(port) } });
    try {
      expect(shared.metricsUrl()).toBeUndefined();
      const text = await scrape(`${shared.bot.baseUrl}/metrics`);
      expect(text).toContain('napter_soracom_calls_total{operation="auth",status="200"} 1');
    } finally {
      await shared.close();
    }
  });
});

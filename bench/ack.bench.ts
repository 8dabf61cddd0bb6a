import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { startSimulator } from '../src/simulator/server';
import { startFakeSlack } from '../src/slack-fake/index';
import { BotProcess } from '../test/reliability/support/bot-process';
import type { BenchEntry } from './bench-kit';

const COMMANDS = 200;
const SORACOM_LATENCY_MS = 300;

/**
 * Sends every signed command at once and times each HTTP answer (the ack). It runs on a thread of its own, so the
 * simulator and the fake Slack (busy answering the bot meanwhile) cannot delay reading an answer.
 */
const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
(async () => {
  const timestampSec = Math.floor(Date.now() / 1000);
  const sign = (body) => 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + timestampSec + ':' + body).digest('hex');
  const times = await Promise.all(workerData.bodies.map(async (body) => {
    const sentAt = performance.now();
    const response = await fetch(workerData.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': sign(body) },
      body,
    });
    await response.text();
    if (response.status !== 200) throw new Error('HTTP ' + response.status);
    return performance.now() - sentAt;
  }));
  parentPort.postMessage(times);
})();
`;

/**
 * How long Slack waits for its 3-second ack when many commands arrive at once and SORACOM is slow: the bot in its
 * own process (as in production), 200 `/napter open` commands sent together, SORACOM adding 300 ms to every call;
 * the time from sending a signed request to its HTTP answer. A quick figure; issue 11 brings the measured bench.
 */
export const ackBench: BenchEntry = {
  name: 'ack',
  description: `ack latency of ${COMMANDS} concurrent commands, SORACOM +${SORACOM_LATENCY_MS} ms per call`,
  async run(report) {
    const sim = await startSimulator({ port: 0, scenario: 'demo', rateLimitPerMinute: 1_000_000 });
    const slack = await startFakeSlack();
    const bot = new BotProcess({
      slackApiUrl: slack.apiUrl,
      botToken: slack.botToken,
      soracom: { endpoint: sim.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey },
    });
    try {
      await bot.start();
      const body = (text: string) =>
        new URLSearchParams({
          team_id: slack.workspace.teamId,
          channel_id: 'C0OPS',
          user_id: 'U0ALICE',
          command: '/napter',
          text,
          response_url: slack.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' }),
          trigger_id: slack.newTriggerId('U0ALICE'),
        }).toString();
      const send = (bodies: string[], url = bot.eventsUrl) =>
        new Promise<number[]>((resolve, reject) => {
          const worker = new Worker(CLIENT, { eval: true, workerData: { url, secret: bot.signingSecret, bodies } });
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      // One command first: connections, the SORACOM token and the JIT are warm before the burst.
      await send([body('list demo-healthy')]);
      // What the machine and the client cost by themselves: an HTTP server that answers at once, the same burst.
      const empty = createServer((req, res) => req.resume().on('end', () => res.end()));
      await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', resolve));
      const floor = await send(
        Array.from({ length: COMMANDS }, () => body('')),
        `http://127.0.0.1:${(empty.address() as AddressInfo).port}/`,
      );
      empty.close();
      sim.faults.add({ kind: 'latency', latencyMs: SORACOM_LATENCY_MS });
      const acks = await send(Array.from({ length: COMMANDS }, (_, index) => body(`open demo-healthy ssh from 203.0.113.${(index % 250) + 1}`)));
      report(`the bot:                 ${quantiles(acks)}`);
      report(`an empty server (floor): ${quantiles(floor)}`);
    } finally {
      await bot.close();
      await slack.close();
      await sim.close();
    }
  },
};

function quantiles(times: readonly number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN).toFixed(1);
  return `p50 ${at(0.5)} ms · p90 ${at(0.9)} ms · p99 ${at(0.99)} ms · max ${at(1)} ms (${times.length} answers)`;
}

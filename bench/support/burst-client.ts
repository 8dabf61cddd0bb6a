import { Worker } from 'node:worker_threads';
import type { FakeSlack } from '../../src/slack-fake/index';

/**
 * Sends signed slash-command bodies all at once and times each HTTP answer, from a thread of its own: the bench
 * process also runs the simulator, the latency proxy and the fake Slack, which are busy answering the bot during a
 * burst, and a client on their event loop would read the answers late and charge that delay to the bot.
 */
const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const { createHmac } = require('node:crypto');
(async () => {
  const timestampSec = Math.floor(Date.now() / 1000);
  const sign = (body) => 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + timestampSec + ':' + body).digest('hex');
  const results = await Promise.all(workerData.bodies.map(async (body) => {
    const sentAt = performance.now();
    try {
      const response = await fetch(workerData.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': sign(body) },
        body,
      });
      await response.text();
      return { ms: performance.now() - sentAt, status: response.status };
    } catch {
      return { ms: performance.now() - sentAt, status: 0 };
    }
  }));
  parentPort.postMessage(results);
})();
`;

export interface BurstResult {
  readonly latencies: number[];
  /** Answers other than HTTP 200, and requests that got no answer at all. */
  readonly failures: number;
}

export function sendBurst(url: string, signingSecret: string, bodies: readonly string[]): Promise<BurstResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { url, secret: signingSecret, bodies } });
    worker.once('message', (results: Array<{ ms: number; status: number }>) => {
      resolve({ latencies: results.map((result) => result.ms), failures: results.filter((result) => result.status !== 200).length });
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** A `/napter` command's form body as Slack sends it, with a fresh response URL and trigger id from the fake. */
export function commandBody(fake: FakeSlack, text: string, as: { readonly userId: string; readonly channelId: string }): string {
  return new URLSearchParams({
    token: 'fake-verification-token',
    team_id: fake.workspace.teamId,
    channel_id: as.channelId,
    user_id: as.userId,
    command: '/napter',
    text,
    response_url: fake.newResponseUrl(as),
    trigger_id: fake.newTriggerId(as.userId),
  }).toString();
}

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
const http = require('node:http');
const target = new URL(workerData.url);
const timestampSec = Math.floor(Date.now() / 1000);
// Signed before any clock starts: Slack signs on its own machines, not on the bot's CPU.
const requests = workerData.bodies.map((body) => ({
  body,
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': 'v0=' + createHmac('sha256', workerData.secret).update('v0:' + timestampSec + ':' + body).digest('hex'),
  },
}));
// node:http with a new connection per request (Slack's side is not known to keep one open): fetch costs this
// machine enough CPU per request to be charged to the very answers it times.
const send = ({ body, headers }) =>
  new Promise((resolve) => {
    const sentAt = performance.now();
    const request = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false, headers }, (response) => {
      response.resume();
      response.once('end', () => resolve({ ms: performance.now() - sentAt, status: response.statusCode ?? 0 }));
    });
    request.once('error', () => resolve({ ms: performance.now() - sentAt, status: 0 }));
    request.end(body);
  });
Promise.all(requests.map(send)).then((results) => parentPort.postMessage(results));
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

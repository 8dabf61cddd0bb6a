import { startHarness, type Harness } from '../support/harness';
import { activeWorldMappings, latestEphemeral, textOf } from '../support/slack-views';

/** Slack failing the bot: the requester still gets a clear final answer, and nothing waits for minutes. */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function openFrom(ip: string): Promise<void> {
  await h.driver.command(`open demo-healthy ssh from ${ip}`, { userId: ALICE, channelId: OPS });
  await h.settle();
}

async function theMapping() {
  const [stored] = await h.store.mappings.list({ activeAtMs: h.clock.nowMs() });
  if (stored === undefined) throw new Error('no mapping');
  return stored;
}

it('chat.postMessage answering 503: no card, yet the requester gets the endpoint, told the card was not posted', async () => {
  h.slack.faults.serverErrorNext('chat.postMessage', 503, 5);
  await openFrom('203.0.113.71');
  const reply = textOf(latestEphemeral(h.slack, ALICE, OPS));
  expect(reply).toContain(`${(await theMapping()).port}`);
  expect(reply).toContain('http_503');
  expect((await theMapping()).card).toBeUndefined();
  expect(await h.store.inflight.list({ unsettled: true })).toEqual([]);
});

it('a 429 asking for two minutes is not waited out: the card is skipped at once and the requester answered', async () => {
  h.slack.faults.rateLimitNext('chat.postMessage', 120, 5);
  const started = Date.now();
  await openFrom('203.0.113.72');
  expect(Date.now() - started).toBeLessThan(20_000);
  const reply = textOf(latestEphemeral(h.slack, ALICE, OPS));
  expect(reply).toContain(`${(await theMapping()).port}`);
  expect(reply).toContain('ratelimited');
});

it('a response_url that no longer works: the final answer arrives as an ephemeral all the same', async () => {
  h.slack.faults.failNext('response_url', 'expired_url', 10);
  await openFrom('203.0.113.73');
  expect(activeWorldMappings(h).filter((mapping) => mapping.sourceIpRanges.includes('203.0.113.73/32'))).toHaveLength(1);
  const posted = h.slack.callsTo('chat.postEphemeral').map((call) => JSON.stringify(call.args));
  const { port } = await theMapping();
  expect(posted.some((args) => args.includes(`${port}`))).toBe(true);
});

it('a failed command whose response_url is gone still tells the requester why', async () => {
  h.slack.faults.failNext('response_url', 'used_url', 10);
  h.sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/query/sims', count: 10 });
  await openFrom('203.0.113.74');
  expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('SORACOM is unavailable');
});

import { startHarness, type Harness } from '../support/harness';
import { latestEphemeral } from '../support/slack-views';

/** What the requester hears when SORACOM rate-limits or fails: at once, and in words that say what to do. */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function postedTexts(responseUrl: string | undefined): string[] {
  return h.slack.responseUrlPosts.filter((post) => post.url === responseUrl).map((post) => String((post.body as { text?: unknown }).text ?? ''));
}

it('a rate limit: the requester is told SORACOM makes the bot wait, before the result, once', async () => {
  // SORACOM's minute for the SIM search started 40 s ago: its 429 asks for a 20 s wait, which the client honours.
  await h.driver.command('list demo-healthy', { userId: ALICE, channelId: OPS });
  await h.settle();
  h.clock.advance(40_000);
  h.sim.faults.add({ kind: 'rate-limit', method: 'GET', path: '/v1/query/sims', count: 1 });
  const answer = await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
  await h.settle();
  const texts = postedTexts(answer.responseUrl);
  const waiting = texts.findIndex((text) => text.includes('SORACOM is rate-limiting the bot'));
  const result = texts.findIndex((text) => text.includes('Napter is open'));
  expect(waiting).toBeGreaterThanOrEqual(0);
  expect(result).toBeGreaterThan(waiting);
  expect(texts.filter((text) => text.includes('rate-limiting'))).toHaveLength(1);
});

it('a rate limit longer than the bot may wait: told at once that SORACOM is rate-limiting, no silence', async () => {
  h.sim.faults.add({ kind: 'rate-limit', method: 'GET', path: '/v1/query/sims', count: 1 });
  await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
  await h.settle();
  expect(latestEphemeral(h.slack, ALICE, OPS).text).toContain('SORACOM is rate-limiting the bot right now');
});

it('a SORACOM 5xx reads as "unavailable, try again", never as a refusal', async () => {
  h.sim.faults.add({ kind: 'error-5xx', method: 'GET', path: '/v1/query/sims', count: 10 });
  await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId: ALICE, channelId: OPS });
  await h.settle();
  const text = latestEphemeral(h.slack, ALICE, OPS).text;
  expect(text).toContain('SORACOM is unavailable right now (it answered HTTP 503)');
  expect(text).toContain('try again');
  expect(text).not.toContain('refused');
});

import { startHarness, type Harness } from '../support/harness';
import { captureUrlIn, createCalls, latestEphemeral } from '../support/slack-views';

/**
 * The IP page's token is its only credential and it travels in the path: a method the page does not
 * serve (a link checker's HEAD, a stray PUT) gets 405 from the page itself, and no log line ever holds
 * the token, whoever logged it (our routes, or Bolt's "unhandled request" line).
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it.each(['HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405, keeps the token usable and out of the logs', async (method) => {
  await h.driver.command('open demo-healthy ssh', { userId: ALICE, channelId: OPS });
  await h.settle();
  const url = captureUrlIn(latestEphemeral(h.slack, ALICE, OPS));
  const token = url.split('/napter/ip/')[1] ?? '';
  expect(token.length).toBeGreaterThanOrEqual(22);
  const creates = createCalls(h);

  const answer = await fetch(url, { method });
  await answer.arrayBuffer();
  expect(answer.status).toBe(405);
  expect(answer.headers.get('allow')).toBe('GET, POST');
  expect(h.logs.join('\n')).not.toContain(token);

  // The page still works for its owner: nothing was consumed.
  const page = await fetch(url);
  expect(page.status).toBe(200);
  await page.text();
  expect(createCalls(h)).toBe(creates);
  expect(h.logs.join('\n')).not.toContain(token);
});

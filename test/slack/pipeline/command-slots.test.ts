import { startHarness, type Harness } from '../../support/harness';

/**
 * Commands take turns after their ack: at most NAPTER_COMMAND_CONCURRENCY work at once, the others wait and are all
 * answered in the end. Real app over HTTP, real SORACOM client against the simulator, which answers slowly here.
 */
const ALICE = { userId: 'U0ALICE', channelId: 'C0OPS' };

let h: Harness;
afterEach(async () => {
  await h.close();
});

it('a burst of commands works two at a time, and every one is answered', async () => {
  h = await startHarness({ commandConcurrency: 2 });
  h.sim.faults.add({ kind: 'latency', method: 'GET', path: '/v1/*', latencyMs: 150 });
  const seen = { running: 0, waiting: 0 };
  const sampler = setInterval(() => {
    seen.running = Math.max(seen.running, h.deps.commandSlots.running);
    seen.waiting = Math.max(seen.waiting, h.deps.commandSlots.waiting);
  }, 5);
  try {
    const answers = await Promise.all(Array.from({ length: 6 }, () => h.driver.command('list demo-healthy', ALICE)));
    await h.settle();
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const answer of answers) {
      const texts = h.slack.responseUrlPosts.filter((post) => post.url === answer.responseUrl).map((post) => JSON.stringify(post.body));
      expect(texts.join('\n')).toContain('demo-healthy');
    }
  } finally {
    clearInterval(sampler);
  }
  expect(seen.running).toBe(2);
  expect(seen.waiting).toBeGreaterThanOrEqual(1);
  expect({ running: h.deps.commandSlots.running, waiting: h.deps.commandSlots.waiting }).toEqual({ running: 0, waiting: 0 });
});

it('commands still waiting when the bot stops do not start, and their users are told to run them again', async () => {
  h = await startHarness({ commandConcurrency: 1 });
  h.sim.faults.add({ kind: 'latency', method: 'GET', path: '/v1/*', latencyMs: 300 });
  const answers = Array.from({ length: 3 }, () => h.driver.command('list demo-healthy', ALICE));
  const deadline = Date.now() + 10_000;
  while (h.deps.commandSlots.waiting < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(h.deps.commandSlots.waiting).toBe(2);
  await h.app.stop(10_000);
  const urls = (await Promise.all(answers)).map((answer) => answer.responseUrl);
  const told = urls.map((url) =>
    h.slack.responseUrlPosts
      .filter((post) => post.url === url)
      .map((post) => JSON.stringify(post.body))
      .join('\n'),
  );
  expect(told.filter((text) => text.includes('The bot is restarting'))).toHaveLength(2);
  expect(told.filter((text) => text.includes('demo-healthy') && !text.includes('restarting'))).toHaveLength(1);
});

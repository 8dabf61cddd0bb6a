import { startSimulator } from '../../src/simulator/server';
import { startFakeSlack } from '../../src/slack-fake/index';
import { BotProcess } from '../reliability/support/bot-process';
import { awaitAnswer, sendCommand } from '../reliability/support/rig';
import { freePort, startObservedBot, waitFor } from './support/observed-bot';

/**
 * /readyz on the bot as production runs it: ready only with the database open, a SORACOM token in hand (or the
 * last sign-in having worked) and, in Socket Mode, the socket connected; otherwise 503 naming what is missing.
 */
jest.setTimeout(120_000);

async function readiness(baseUrl: string): Promise<{ status: number; body: { ready: boolean; notReady: string[]; checks: Record<string, boolean> } }> {
  const response = await fetch(`${baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; notReady: string[]; checks: Record<string, boolean> } };
}

it('is 503 naming SORACOM while nothing answers where SORACOM should be, and /healthz stays 200', async () => {
  const sim = await startSimulator({ port: 0 });
  const slack = await startFakeSlack();
  const bot = new BotProcess({
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    soracom: { endpoint: `http://127.0.0.1:${await freePort()}`, authKeyId: sim.authKeyId, authKey: sim.authKey },
  });
  try {
    await bot.start();
    await waitFor('the failed sign-in', () => bot.lines.some((line) => line.includes('Could not sign in to SORACOM at start')));
    expect(await readiness(bot.baseUrl)).toEqual({ status: 503, body: { ready: false, notReady: ['soracom'], checks: { database: true, soracom: false } } });
    expect((await bot.health()).status).toBe(200);
  } finally {
    await bot.close();
    await slack.close();
    await sim.close();
  }
});

it('is 503 while SORACOM refuses the sign-in at start, and 200 once a later sign-in works', async () => {
  // The client's first sign-in and its three retries all meet a 503.
  const rig = await startObservedBot({ simulatorFaults: { rules: [{ kind: 'error-5xx', method: 'POST', path: '/v1/auth', count: 4, status: 503 }] } });
  try {
    await waitFor('the failed sign-in', () => rig.bot.lines.some((line) => line.includes('Could not sign in to SORACOM at start')));
    const refused = await readiness(rig.bot.baseUrl);
    expect(refused.status).toBe(503);
    expect(refused.body.notReady).toEqual(['soracom']);

    // The next call that needs SORACOM signs in again (a probe never does before 30 s have passed).
    const diagnose = await sendCommand(rig, 'diagnose demo-app-down', { userId: 'U0ALICE', channelId: 'C0OPS' });
    await awaitAnswer(rig, diagnose);
    expect(await readiness(rig.bot.baseUrl)).toEqual({ status: 200, body: { ready: true, notReady: [], checks: { database: true, soracom: true } } });
  } finally {
    await rig.close();
  }
});

it('in Socket Mode is 503 naming Slack while the socket is down, and 200 once it is back', async () => {
  const rig = await startObservedBot({ socketMode: true });
  try {
    await rig.slack.socket.waitForConnection(30_000);
    const up = await waitFor('the socket to count', async () => {
      const answer = await readiness(rig.bot.baseUrl);
      return answer.status === 200 ? answer : undefined;
    });
    expect(up.body.checks).toEqual({ database: true, soracom: true, slack: true });

    // Slack recycles the connection and cannot hand out a new one for a while.
    rig.slack.faults.failNext('apps.connections.open', 'internal_error', 1);
    rig.slack.socket.requestReconnect();
    const down = await waitFor('the socket to be down', async () => {
      const answer = await readiness(rig.bot.baseUrl);
      return answer.status === 503 ? answer : undefined;
    });
    expect(down.body).toEqual({ ready: false, notReady: ['slack'], checks: { database: true, soracom: true, slack: false } });

    await waitFor(
      'the socket to be back',
      async () => {
        const answer = await readiness(rig.bot.baseUrl);
        return answer.status === 200;
      },
      60_000,
    );
    expect(rig.slack.socket.connected).toBe(true);
  } finally {
    await rig.close();
  }
});

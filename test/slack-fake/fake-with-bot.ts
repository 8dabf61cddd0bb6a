import { ErrorCode, type WebAPIPlatformError, WebClient, type WebClientOptions } from '@slack/web-api';
import { ManualClock } from '../../src/common/clock';
import { startFakeSlack, type FakeSlack } from '../../src/slack-fake';
import { quietLogger } from './quiet-logger';

export const START_MS = Date.UTC(2026, 0, 15, 3, 0, 0);

export interface FakeWithBot {
  readonly fake: FakeSlack;
  readonly clock: ManualClock;
  /** The real WebClient with the bot token, pointed at the fake, without retries. */
  readonly bot: WebClient;
}

/**
 * One fake Slack per test file on a manual clock, with the bot's WebClient: started before all tests,
 * emptied and set back to START_MS before each, closed after all. `onStarted` hands the three to the file.
 */
export function useFakeWithBot(onStarted: (started: FakeWithBot) => void, clientOptions: WebClientOptions = {}): void {
  let started: FakeWithBot | undefined;
  beforeAll(async () => {
    const clock = new ManualClock(START_MS);
    const fake = await startFakeSlack({ clock });
    const bot = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...clientOptions });
    started = { fake, clock, bot };
    onStarted(started);
  });
  afterAll(async () => {
    await started?.fake.close();
  });
  beforeEach(() => {
    started?.fake.reset();
    started?.clock.set(START_MS);
  });
}

/** The Slack error code a call fails with (`channel_not_found`…); fails the test when the call succeeds. */
export async function platformError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const platform = error as WebAPIPlatformError;
    if (platform.code === ErrorCode.PlatformError) return platform.data.error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

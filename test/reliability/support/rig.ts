import { MESSAGE_AREAS } from '../../../src/domain/i18n/catalog';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/server';
import { createSlackDriver, startFakeSlack, type DriverResult, type FakeSlack, type SlackDriver } from '../../../src/slack-fake/index';
import { BotProcess, sleep, waitFor } from './bot-process';
import { recordFigures } from './figures';

/**
 * One reliability rig: the SORACOM simulator (demo world, real clock) and the fake Slack in the test's process,
 * and the bot in its own, between them over real HTTP.
 */
export interface Rig {
  /** When the rig started: what SORACOM holds from before is the demo world's. */
  readonly startedAtMs: number;
  readonly sim: RunningSimulator;
  readonly slack: FakeSlack;
  readonly bot: BotProcess;
  driver(): SlackDriver;
  close(): Promise<void>;
}

export async function startRig(options: { readonly botEnv?: Readonly<Record<string, string | undefined>>; readonly start?: boolean } = {}): Promise<Rig> {
  // SORACOM's rate limit is a per-minute budget; the soak alone sends more than the default in a minute.
  const sim = await startSimulator({ port: 0, scenario: 'demo', rateLimitPerMinute: 1_000_000 });
  const startedAtMs = Date.now();
  const slack = await startFakeSlack();
  const bot = new BotProcess({
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    soracom: { endpoint: sim.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey },
    ...(options.botEnv === undefined ? {} : { extra: options.botEnv }),
  });
  const close = async () => {
    await bot.close();
    await slack.close();
    await sim.close();
  };
  if (options.start !== false) {
    try {
      await bot.start();
    } catch (error) {
      await close();
      throw error;
    }
  }
  return {
    startedAtMs,
    sim,
    slack,
    bot,
    driver: () => createSlackDriver({ fake: slack, transport: { kind: 'http', eventsUrl: bot.eventsUrl, signingSecret: bot.signingSecret } }),
    close,
  };
}

/**
 * The usual file set-up: one rig for the file (the bot started unless `start: false`), its figures recorded and
 * everything closed at the end, a generous timeout for tests that wait on real processes.
 */
export function useRig(options: Parameters<typeof startRig>[0] = {}, timeoutMs = 90_000): { readonly rig: Rig; readonly tally: Tally } {
  jest.setTimeout(timeoutMs);
  let rig: Rig | undefined;
  const tally = new Tally();
  beforeAll(async () => {
    rig = await startRig(options);
  }, 60_000);
  afterAll(async () => {
    tally.record();
    await rig?.close();
  });
  return {
    get rig(): Rig {
      if (rig === undefined) throw new Error('The rig is not started (beforeAll failed)');
      return rig;
    },
    tally,
  };
}

/** Every progress line and interim notice the bot may show, as patterns: what is not one of them is an answer. */
const INTERIM_KEYS = [
  /^slack\.progress\./,
  /^thread\.progress\.(started|readingSim|readingMappings|readingAuditLog|probing|diagnosing)$/,
  /^slack\.open\.outcome-unknown$/,
];
const INTERIM_PATTERNS: RegExp[] = Object.values(MESSAGE_AREAS).flatMap((area) =>
  (['en', 'ja'] as const).flatMap((lang) =>
    Object.entries(area[lang])
      .filter(([key]) => INTERIM_KEYS.some((pattern) => pattern.test(key)))
      // Slack shows an icon before some texts (src/slack/text.ts): the catalog keeps the words only.
      .map(([, template]) => new RegExp(`^(?::[a-z_]+: )?${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[\\s\\S]*')}$`)),
  ),
);

export function isInterim(text: string): boolean {
  return INTERIM_PATTERNS.some((pattern) => pattern.test(text));
}

export interface Answer {
  readonly text: string;
  readonly blocks: unknown[];
  readonly atMs: number;
}

/**
 * The final answer a command got: its last response_url post that is not a progress line, or (when the
 * response_url failed) an ephemeral or DM to the requester posted after the command.
 */
export function finalAnswer(slack: FakeSlack, command: { readonly result: DriverResult; readonly userId: string; readonly sentAtMs: number }): Answer | undefined {
  const posts = slack.responseUrlPosts
    .filter((post) => post.url === command.result.responseUrl && post.httpStatus === 200)
    .map((post) => {
      const body = post.body as { text?: unknown; blocks?: unknown };
      return { text: String(body.text ?? ''), blocks: Array.isArray(body.blocks) ? body.blocks : [], atMs: post.atMs };
    });
  const last = posts[posts.length - 1];
  if (last !== undefined && !isInterim(last.text)) return last;
  const fallback = slack
    .callsTo('chat.postEphemeral')
    .concat(slack.callsTo('chat.postMessage'))
    .filter((call) => call.atMs >= command.sentAtMs && call.response['ok'] === true)
    .filter((call) => (call.args as { user?: unknown }).user === command.userId || (call.args as { channel?: unknown }).channel === command.userId)
    .map((call) => ({ text: String((call.args as { text?: unknown }).text ?? ''), blocks: [] as unknown[], atMs: call.atMs }))
    .filter((candidate) => !isInterim(candidate.text));
  return fallback[fallback.length - 1];
}

export interface SentCommand {
  readonly text: string;
  readonly userId: string;
  readonly channelId: string;
  readonly sentAtMs: number;
  readonly result: DriverResult;
}

export async function sendCommand(rig: Rig, text: string, as: { readonly userId: string; readonly channelId: string }): Promise<SentCommand> {
  const sentAtMs = Date.now();
  const result = await rig.driver().command(text, as);
  return { text, ...as, sentAtMs, result };
}

/** Waits for the command's final answer (real time), failing with what the user saw when none comes. */
export async function awaitAnswer(rig: Rig, command: SentCommand, timeoutMs = 30_000): Promise<Answer> {
  try {
    return await waitFor(`an answer to "${command.text}"`, () => finalAnswer(rig.slack, command), timeoutMs);
  } catch (error) {
    const seen = rig.slack.responseUrlPosts.filter((post) => post.url === command.result.responseUrl).map((post) => (post.body as { text?: unknown }).text);
    throw new Error(`${(error as Error).message}; the user saw ${JSON.stringify(seen)}\n${rig.bot.lines.slice(-30).join('\n')}`);
  }
}

/**
 * Active mappings SORACOM holds from a source range that were made while the rig ran (the demo world's own,
 * made "earlier", do not count): one per open request is the rule.
 */
export function mappingsFrom(rig: Rig, cidr: string): number {
  const nowMs = Date.now();
  return rig.sim.world.state.mappings.filter(
    (mapping) => mapping.end === 'active' && mapping.expiresAtMs > nowMs && mapping.createdAtMs >= rig.startedAtMs && mapping.sourceIpRanges.includes(cidr),
  ).length;
}

export function demoSim(rig: Rig, name: string): { simId: string; imsi: string } {
  const sim = rig.sim.world.state.sims.find((candidate) => candidate.tags['name'] === name);
  if (sim === undefined) throw new Error(`No demo SIM ${name}`);
  return { simId: sim.simId, imsi: sim.imsi };
}

/** Counts for the suite's summary line, kept by one test file and added to the others' at the end. */
export class Tally {
  attempts = 0;
  refused = 0;
  duplicates = 0;
  lost = 0;
  answered = 0;
  answeredWithin10s = 0;

  answer(command: SentCommand, answer: Answer | undefined): void {
    this.attempts += 1;
    if (answer === undefined) {
      this.lost += 1;
      return;
    }
    this.answered += 1;
    if (answer.atMs - command.sentAtMs <= 10_000) this.answeredWithin10s += 1;
  }

  record(): void {
    recordFigures({
      attempts: this.attempts,
      refused: this.refused,
      duplicates: this.duplicates,
      lost: this.lost,
      answered: this.answered,
      answeredWithin10s: this.answeredWithin10s,
    });
  }
}

export { sleep, waitFor };

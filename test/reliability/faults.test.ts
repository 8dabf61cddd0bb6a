import type { FaultRule } from '../../src/simulator/faults';
import type { FakeSlack } from '../../src/slack-fake/index';
import { awaitAnswer, demoSim, finalAnswer, mappingsFrom, sendCommand, useRig, waitFor, type Rig } from './support/rig';

/**
 * SORACOM and Slack misbehaving under a running bot: every command gets a clear final answer, retries are
 * bounded, the process stays up, and SORACOM holds exactly one mapping per open request that succeeded.
 */
const ALICE = 'U0ALICE';
const OPS = 'C0OPS';
/** SORACOM calls one open may make, retries and the look after a lost answer included. */
const MAX_SORACOM_CALLS_PER_COMMAND = 20;

const fixture = useRig();
const tally = fixture.tally;
let rig: Rig;
beforeAll(() => {
  rig = fixture.rig;
});
afterEach(() => {
  rig.sim.faults.clear();
  rig.slack.faults.clear();
});

interface FaultCase {
  readonly name: string;
  readonly soracom?: (simId: string) => FaultRule[];
  readonly slack?: (slack: FakeSlack) => void;
  /** What the final answer says. */
  readonly says: RegExp;
  /** Mappings SORACOM holds from the command's source afterwards (where it depends on the answer: what it says). */
  readonly holds: 0 | 1 | ((answer: string) => 0 | 1);
}

const SIM_CREATE = '/v1/port_mappings/sims/*';
const OPENED = /Napter is open/;

const CASES: readonly FaultCase[] = [
  { name: 'SORACOM 5xx on every SIM search', soracom: () => [{ kind: 'error-5xx', method: 'GET', path: '/v1/query/sims', count: 20 }], says: /SORACOM is unavailable/, holds: 0 },
  { name: 'a SORACOM 5xx once, then fine', soracom: () => [{ kind: 'error-5xx', method: 'GET', path: '/v1/query/sims', count: 1 }], says: OPENED, holds: 1 },
  { name: 'a SIM search that hangs once', soracom: () => [{ kind: 'hang', method: 'GET', path: '/v1/query/sims', count: 1 }], says: OPENED, holds: 1 },
  { name: 'a malformed SIM answer', soracom: () => [{ kind: 'malformed-json', method: 'GET', path: '/v1/query/sims', count: 5 }], says: /SORACOM answered with something the bot did not expect/, holds: 0 },
  { name: 'a create that hangs (never made)', soracom: () => [{ kind: 'hang', method: 'POST', path: SIM_CREATE, count: 1 }], says: /SORACOM did not create the mapping/, holds: 0 },
  { name: 'a create answered with malformed JSON', soracom: () => [{ kind: 'malformed-json', method: 'POST', path: SIM_CREATE, count: 1 }], says: OPENED, holds: 1 },
  { name: 'a create answered with the wrong shape', soracom: () => [{ kind: 'wrong-shape', method: 'POST', path: SIM_CREATE, count: 1 }], says: OPENED, holds: 1 },
  { name: 'a create committed, then the connection dropped', soracom: () => [{ kind: 'commit-then-drop', method: 'POST', path: SIM_CREATE, count: 1 }], says: OPENED, holds: 1 },
  { name: 'a create committed, then a load balancer 5xx', soracom: () => [{ kind: 'commit-then-5xx', method: 'POST', path: SIM_CREATE, count: 1 }], says: OPENED, holds: 1 },
  {
    name: 'a create committed and lost, and the listing after it failing',
    soracom: (simId) => [
      { kind: 'commit-then-drop', method: 'POST', path: SIM_CREATE, count: 1 },
      { kind: 'error-5xx', method: 'GET', path: `/v1/port_mappings/sims/${simId}`, after: 1, count: 4 },
    ],
    says: OPENED,
    holds: 1,
  },
  { name: 'a 5xx to the create (not made)', soracom: () => [{ kind: 'error-5xx', method: 'POST', path: SIM_CREATE, count: 1 }], says: /SORACOM did not create the mapping/, holds: 0 },
  { name: 'a token that expires in the middle of the flow', soracom: () => [{ kind: 'token-expired', method: 'POST', path: SIM_CREATE, count: 1 }], says: OPENED, holds: 1 },
  {
    // SORACOM's window decides: a wait the client may take is taken (and said), a longer one is answered at once.
    name: 'a 429 burst on the create',
    soracom: () => [{ kind: 'rate-limit', method: 'POST', path: SIM_CREATE, count: 3 }],
    says: /Napter is open|rate-limiting/,
    holds: (answer) => (OPENED.test(answer) ? 1 : 0),
  },
  { name: 'Slack 429 with a short Retry-After on the card', slack: (slack) => slack.faults.rateLimitNext('chat.postMessage', 1, 1), says: OPENED, holds: 1 },
  { name: 'Slack 429 asking for two minutes on the card', slack: (slack) => slack.faults.rateLimitNext('chat.postMessage', 120, 3), says: /Napter is open[\s\S]*ratelimited/, holds: 1 },
  { name: 'Slack 5xx on chat.postMessage', slack: (slack) => slack.faults.serverErrorNext('chat.postMessage', 503, 3), says: /Napter is open[\s\S]*http_503/, holds: 1 },
  { name: 'an expired response_url', slack: (slack) => slack.faults.failNext('response_url', 'expired_url', 10), says: OPENED, holds: 1 },
];

describe('every open under a fault gets a clear answer, bounded retries, and at most one mapping', () => {
  CASES.forEach((testCase, index) => {
    it(testCase.name, async () => {
      const cidr = `198.51.100.${index + 100}/32`;
      const { simId } = demoSim(rig, 'demo-healthy');
      for (const rule of testCase.soracom?.(simId) ?? []) rig.sim.faults.add(rule);
      testCase.slack?.(rig.slack);
      const callsBefore = rig.sim.requests.length;
      const command = await sendCommand(rig, `open demo-healthy ssh from ${cidr.split('/')[0]}`, { userId: ALICE, channelId: OPS });
      // Within seconds the requester sees something: progress, a notice of SORACOM's wait, or the answer.
      await waitFor('a first word', () => rig.slack.responseUrlPosts.some((post) => post.url === command.result.responseUrl) || finalAnswer(rig.slack, command), 10_000);
      const answer = await awaitAnswer(rig, command, 60_000);
      tally.answer(command, answer);
      const said = `${answer.text}\n${JSON.stringify(answer.blocks)}`;
      expect(said).toMatch(testCase.says);
      expect(rig.bot.running).toBe(true);
      expect(rig.sim.requests.length - callsBefore).toBeLessThanOrEqual(MAX_SORACOM_CALLS_PER_COMMAND);
      const held = mappingsFrom(rig, cidr);
      if (held > 1) tally.duplicates += held - 1;
      expect(held).toBe(typeof testCase.holds === 'function' ? testCase.holds(said) : testCase.holds);
    });
  });

  it('a close whose answer is lost, and a card update Slack fails: closed, told, still up', async () => {
    const open = await sendCommand(rig, 'open demo-app-down ssh from 198.51.100.99', { userId: ALICE, channelId: OPS });
    tally.answer(open, await awaitAnswer(rig, open));
    expect(mappingsFrom(rig, '198.51.100.99/32')).toBe(1);
    rig.sim.faults.add({ kind: 'commit-then-drop', method: 'DELETE', path: '/v1/port_mappings/*', count: 1 });
    rig.slack.faults.serverErrorNext('chat.update', 502, 3);
    const close = await sendCommand(rig, 'close demo-app-down', { userId: ALICE, channelId: OPS });
    const answer = await awaitAnswer(rig, close);
    tally.answer(close, answer);
    expect(answer.text).toMatch(/[Cc]losed/);
    expect(mappingsFrom(rig, '198.51.100.99/32')).toBe(0);
    expect(rig.bot.running).toBe(true);
  });

  it('after all of it, the process never counted an unhandled failure', async () => {
    expect((await rig.bot.health()).body['unhandledFailures']).toBe(0);
  });
});

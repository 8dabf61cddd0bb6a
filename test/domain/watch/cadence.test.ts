import { DEFAULT_CADENCE, nextPoll, type PollOutcome } from '../../../src/domain/watch';

const BASE = DEFAULT_CADENCE.baseIntervalMs;
const budget = (limit: number | undefined, remaining: number | undefined, secondsBeforeRefresh: number | undefined) => ({
  limit,
  remaining,
  secondsBeforeRefresh,
});

describe('nextPoll', () => {
  it.each<[string, number, PollOutcome | undefined, ReturnType<typeof nextPoll>]>([
    ['nothing watched: stop', 0, { kind: 'read', pages: 1, rateLimit: budget(1000, 999, 60) }, { kind: 'stop' }],
    ['the first read', 3, undefined, { kind: 'wait', delayMs: BASE, reason: 'interval' }],
    ['a budget with plenty left', 3, { kind: 'read', pages: 1, rateLimit: budget(1000, 700, 40) }, { kind: 'wait', delayMs: BASE, reason: 'interval' }],
    [
      'no rate-limit headers at all',
      3,
      { kind: 'read', pages: 1, rateLimit: budget(undefined, undefined, undefined) },
      { kind: 'wait', delayMs: BASE, reason: 'interval' },
    ],
    [
      'the budget down to the reserve: wait for the refresh',
      3,
      { kind: 'read', pages: 1, rateLimit: budget(1000, 200, 45) },
      { kind: 'wait', delayMs: 45_000, reason: 'budget-low' },
    ],
    [
      'a read of many pages would eat into the reserve',
      3,
      { kind: 'read', pages: 60, rateLimit: budget(1000, 250, 45) },
      { kind: 'wait', delayMs: 45_000, reason: 'budget-low' },
    ],
    [
      'a refresh sooner than the interval keeps the interval',
      3,
      { kind: 'read', pages: 1, rateLimit: budget(1000, 10, 5) },
      { kind: 'wait', delayMs: BASE, reason: 'budget-low' },
    ],
    [
      'no limit header: only an empty budget waits',
      3,
      { kind: 'read', pages: 1, rateLimit: budget(undefined, 0, 50) },
      { kind: 'wait', delayMs: 50_000, reason: 'budget-low' },
    ],
    ['a 429: as long as SORACOM says', 3, { kind: 'rate-limited', rateLimit: budget(1000, 0, 55) }, { kind: 'wait', delayMs: 55_000, reason: 'rate-limited' }],
    [
      'a 429 that says nothing: a minute',
      3,
      { kind: 'rate-limited', rateLimit: budget(undefined, undefined, undefined) },
      { kind: 'wait', delayMs: 60_000, reason: 'rate-limited' },
    ],
    [
      'a 429 asking for longer than the usual maximum is obeyed',
      3,
      { kind: 'rate-limited', rateLimit: budget(1000, 0, 600) },
      { kind: 'wait', delayMs: 600_000, reason: 'rate-limited' },
    ],
    ['one failure', 3, { kind: 'failed', consecutive: 1 }, { kind: 'wait', delayMs: BASE, reason: 'failing' }],
    ['three failures: doubled twice', 3, { kind: 'failed', consecutive: 3 }, { kind: 'wait', delayMs: 4 * BASE, reason: 'failing' }],
    ['many failures: capped', 3, { kind: 'failed', consecutive: 20 }, { kind: 'wait', delayMs: DEFAULT_CADENCE.maxIntervalMs, reason: 'failing' }],
  ])('%s', (_name, watches, outcome, expected) => {
    expect(nextPoll(watches, outcome)).toEqual(expected);
  });

  it('calls per minute do not depend on the number of watches', () => {
    const outcome: PollOutcome = { kind: 'read', pages: 1, rateLimit: budget(1000, 900, 30) };
    const delays = [1, 10, 100, 1000].map((watches) => nextPoll(watches, outcome));
    expect(new Set(delays.map((delay) => JSON.stringify(delay))).size).toBe(1);
  });
});

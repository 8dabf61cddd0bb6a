import {
  DEFAULT_EXTENSION_SEC,
  MIN_REMINDER_NOTICE_MS,
  planExtension,
  reminderDecision,
  reminderDueAtMs,
  type ExtensionInput,
  type ExtensionPlan,
} from '../../src/domain/expiry';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const thirtyMinutes = { createdAtMs: T0, expiresAtMs: T0 + 30 * MIN };

describe('reminderDueAtMs', () => {
  it.each([
    ['30 minutes, the default lead: 5 minutes before the end', thirtyMinutes, undefined, T0 + 25 * MIN],
    ['a lead of its own', thirtyMinutes, 10 * 60, T0 + 20 * MIN],
    ['a mapping a minute longer than the lead: a minute after the open', { createdAtMs: T0, expiresAtMs: T0 + 6 * MIN }, undefined, T0 + MIN],
    ['a mapping as short as the lead: none', { createdAtMs: T0, expiresAtMs: T0 + 5 * MIN }, undefined, undefined],
    ['a 90-second mapping: none', { createdAtMs: T0, expiresAtMs: T0 + 90_000 }, undefined, undefined],
  ])('%s', (_name, mapping, leadSec, expected) => {
    expect(reminderDueAtMs(mapping, leadSec)).toBe(expected);
  });
});

describe('reminderDecision', () => {
  it.each([
    ['before it is due: wait', false, T0 + 10 * MIN, { kind: 'wait', untilMs: T0 + 25 * MIN }],
    ['due: send', false, T0 + 25 * MIN, { kind: 'send' }],
    ['run late after a restart, with time left: send', false, T0 + 28 * MIN, { kind: 'send' }],
    ['run so late that less than a minute is left: skip', false, T0 + 30 * MIN - MIN_REMINDER_NOTICE_MS + 1, { kind: 'skip', reason: 'too-late' }],
    ['the mapping already ended (closed, deleted): skip', true, T0 + 25 * MIN, { kind: 'skip', reason: 'ended' }],
    ['past the end: skip', false, T0 + 31 * MIN, { kind: 'skip', reason: 'ended' }],
  ])('%s', (_name, ended, nowMs, expected) => {
    expect(reminderDecision({ mapping: thirtyMinutes, ended, nowMs })).toEqual(expected);
  });

  it('a mapping too short for a reminder never gets one', () => {
    expect(reminderDecision({ mapping: { createdAtMs: T0, expiresAtMs: T0 + 3 * MIN }, ended: false, nowMs: T0 + MIN })).toEqual({
      kind: 'skip',
      reason: 'no-reminder',
    });
  });
});

describe('planExtension', () => {
  const base: ExtensionInput = { mapping: thirtyMinutes, accessStartedAtMs: T0, nowMs: T0 + 26 * MIN, policyMaxDurationSec: 8 * 3600 };

  it.each<[string, Partial<ExtensionInput>, ExtensionPlan]>([
    [
      'the default: 30 minutes more, as a new mapping from now',
      {},
      { ok: true, durationSec: 34 * 60, expiresAtMs: T0 + 60 * MIN, addedSec: DEFAULT_EXTENSION_SEC, limitedBy: 'none' },
    ],
    ['an extension of its own', { extensionSec: 3600 }, { ok: true, durationSec: 64 * 60, expiresAtMs: T0 + 90 * MIN, addedSec: 3600, limitedBy: 'none' }],
    [
      'the policy’s longest access counts from the first open of the chain',
      { mapping: { createdAtMs: T0 + 50 * MIN, expiresAtMs: T0 + 80 * MIN }, nowMs: T0 + 76 * MIN, policyMaxDurationSec: 90 * 60 },
      { ok: true, durationSec: 14 * 60, expiresAtMs: T0 + 90 * MIN, addedSec: 10 * 60, limitedBy: 'policy' },
    ],
    [
      'the policy’s budget spent: no extension, the mapping keeps its end',
      { policyMaxDurationSec: 30 * 60 },
      { ok: false, reason: 'policy-limit', policyEndsAtMs: T0 + 30 * MIN },
    ],
    [
      'less than a minute of budget left counts as spent',
      { policyMaxDurationSec: 30 * 60 + 59 },
      { ok: false, reason: 'policy-limit', policyEndsAtMs: T0 + 30 * MIN + 59_000 },
    ],
    [
      'Napter’s 8 hours from now cap the new mapping',
      { mapping: { createdAtMs: T0, expiresAtMs: T0 + 8 * HOUR }, nowMs: T0 + 20 * MIN, policyMaxDurationSec: 24 * 3600 },
      { ok: true, durationSec: 8 * 3600, expiresAtMs: T0 + 8 * HOUR + 20 * MIN, addedSec: 20 * 60, limitedBy: 'napter' },
    ],
    [
      'a mapping that already ends 8 hours from now cannot go further',
      { mapping: { createdAtMs: T0, expiresAtMs: T0 + 8 * HOUR }, nowMs: T0 + 30_000, policyMaxDurationSec: 24 * 3600 },
      { ok: false, reason: 'napter-limit', policyEndsAtMs: T0 + 24 * HOUR },
    ],
    ['an ended mapping: nothing to extend', { nowMs: T0 + 30 * MIN }, { ok: false, reason: 'ended', policyEndsAtMs: T0 + 8 * HOUR }],
    [
      'whole seconds, never past a bound',
      { nowMs: T0 + 26 * MIN + 400, policyMaxDurationSec: 45 * 60 },
      { ok: true, durationSec: 19 * 60 - 1, expiresAtMs: T0 + 45 * MIN - 600, addedSec: 15 * 60 - 1, limitedBy: 'policy' },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(planExtension({ ...base, ...overrides })).toEqual(expected);
  });

  it('the new mapping never exceeds Napter’s cap or the policy, whatever the inputs', () => {
    for (let nowOffset = 0; nowOffset < 30 * MIN; nowOffset += 97_000) {
      for (const policyMin of [10, 30, 45, 60, 240, 600]) {
        const plan = planExtension({ ...base, nowMs: T0 + nowOffset, policyMaxDurationSec: policyMin * 60 });
        if (!plan.ok) continue;
        expect(Number.isInteger(plan.durationSec)).toBe(true);
        expect(plan.durationSec).toBeLessThanOrEqual(8 * 3600);
        expect(plan.expiresAtMs).toBeLessThanOrEqual(T0 + policyMin * MIN);
        expect(plan.addedSec).toBeGreaterThanOrEqual(60);
      }
    }
  });
});

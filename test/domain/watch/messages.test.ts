import { formatDuration } from '../../../src/domain/duration';
import { planExtension } from '../../../src/domain/expiry';
import { hasMessage, t } from '../../../src/domain/i18n/catalog';
import type { MessageRef } from '../../../src/domain/i18n/message-ref';
import { cardMessages, extensionMessage, requesterMessages, type WatchSummary, type WatchUpdate } from '../../../src/domain/watch';
import { BOB, MIN, T0 } from './fixtures';

const render = { time: (ms: number) => `<t${ms}>`, duration: (sec: number) => formatDuration(sec, 'en') };
const text = (refs: readonly MessageRef[], lang: 'en' | 'ja' = 'en') => refs.map((ref) => t(lang, ref)).join('\n');
const summary: WatchSummary = {
  counts: { access: 3, connected: 1, denied: 2, refused: 0, closed: 1 },
  deniedSources: [{ ip: BOB, attempts: 2, requester: 'likely' }],
  refusedSources: [],
  otherSources: 0,
};

describe('watch messages', () => {
  const update: WatchUpdate = {
    watchId: 'w1',
    summary,
    events: [],
    changes: [
      { kind: 'connected', connections: 1, sourceIps: ['198.51.100.7'], ambiguous: false },
      { kind: 'denied', sourceIp: BOB, attempts: 2, requester: 'likely', ambiguous: true },
      { kind: 'closed', connections: 2, endedAtOnce: 1, withoutConnect: 1 },
      { kind: 'ended', end: { how: 'deleted', atMs: T0 + 5 * MIN, evidence: 'audit-log' } },
    ],
  };

  it('tells the requester each change, with the address in full, in both languages', () => {
    const refs = requesterMessages(update, render);
    expect(refs.every((ref) => hasMessage(ref.key))).toBe(true);
    expect(refs.map((ref) => ref.key)).toEqual([
      'watch.change.connected',
      'watch.change.denied.likely',
      'watch.change.ambiguous',
      'watch.change.closed',
      'watch.change.closed.at-once',
      'watch.change.closed.without-connect',
      'watch.end.deleted',
    ]);
    expect(text(refs)).toContain(BOB);
    expect(text(refs, 'ja')).toContain(BOB);
    expect(text(refs)).toContain(`<t${T0 + 5 * MIN}>`);
    expect(text(refs)).not.toMatch(/\{\w+\}/);
  });

  it('shows the channel the counts and masked addresses only', () => {
    const card = text(cardMessages({ ...summary, ended: { how: 'expired', atMs: T0, evidence: 'clock' } }, render));
    expect(card).toContain('203.0.113.x (2)');
    expect(card).not.toContain(BOB);
    expect(card).toContain('1 connected');
    expect(text(cardMessages({ ...summary, counts: { access: 0, connected: 0, denied: 0, refused: 0, closed: 0 }, deniedSources: [] }, render))).toContain(
      'nobody has tried',
    );
  });

  it.each([
    ['extended', {}, 'watch.extend.done'],
    ['cut short by the policy', { policyMaxDurationSec: 45 * 60 }, 'watch.extend.done.policy'],
    ['refused: the policy budget is spent', { policyMaxDurationSec: 30 * 60 }, 'watch.extend.refused.policy-limit'],
    ['refused: ended', { nowMs: T0 + 31 * MIN }, 'watch.extend.refused.ended'],
  ])('answers an Extend that was %s', (_name, overrides, key) => {
    const input = {
      mapping: { createdAtMs: T0, expiresAtMs: T0 + 30 * MIN },
      accessStartedAtMs: T0,
      nowMs: T0 + 26 * MIN,
      policyMaxDurationSec: 8 * 3600,
      ...overrides,
    };
    const ref = extensionMessage(planExtension(input), { currentEndMs: T0 + 30 * MIN, policyMaxDurationSec: input.policyMaxDurationSec }, render);
    expect(ref.key).toBe(key);
    expect(hasMessage(ref.key)).toBe(true);
    expect(t('en', ref)).not.toMatch(/\{\w+\}/);
    expect(t('ja', ref)).not.toMatch(/\{\w+\}/);
  });
});

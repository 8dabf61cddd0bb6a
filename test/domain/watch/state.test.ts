import { applyAuditRead, EMPTY_AUDIT_CURSOR, emptyWatchState, parseWatchState, summariseWatch, MAX_SUMMARY_SOURCES } from '../../../src/domain/watch';
import { BOB, MIN, T0, connection, mapping } from './fixtures';

describe('watch state', () => {
  const watched = mapping({ expiresAtMs: T0 + 60 * MIN });
  const result = applyAuditRead({
    cursor: EMPTY_AUDIT_CURSOR,
    window: { fromMs: T0, toMs: T0 + 40 * MIN },
    events: [
      ...connection('c1', T0 + MIN, 'session', { sessionMs: MIN }),
      ...connection('c2', T0 + 2 * MIN, 'pending'),
      ...connection('d1', T0 + 3 * MIN, 'denied', { ip: BOB }),
    ],
    watches: [{ mapping: watched, state: emptyWatchState() }],
    nowMs: T0 + 40 * MIN,
  });
  const state = result.states[0]?.state ?? emptyWatchState();

  it('survives a store as JSON', () => {
    expect(state.connections).toHaveLength(3);
    expect(parseWatchState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(parseWatchState(JSON.parse(JSON.stringify(emptyWatchState())))).toEqual(emptyWatchState());
  });

  it.each([
    ['another version', { ...state, version: 2 }],
    ['a negative count', { ...state, counts: { ...state.counts, denied: -1 } }],
    ['a connection of an unknown stage', { ...state, connections: [{ id: 'x', startedAtMs: T0, stage: 'gone' }] }],
    ['an address without its counts', { ...state, sources: [{ ip: BOB }] }],
    ['an end without evidence', { ...state, ended: { how: 'expired', atMs: T0 } }],
    ['not an object', 'state'],
  ])('refuses %s', (_name, value) => {
    expect(parseWatchState(JSON.parse(JSON.stringify(value)))).toBeUndefined();
  });

  it('summarises for the card: the busiest addresses first, the rest counted', () => {
    const sources = Array.from({ length: MAX_SUMMARY_SOURCES + 2 }, (_, i) => ({
      ip: `203.0.113.${i + 1}`,
      denied: i + 1,
      refused: i === 0 ? 1 : 0,
      firstAtMs: T0 + 50 * MIN,
      lastAtMs: T0 + 50 * MIN + i,
      reportedDenied: false,
      reportedRefused: false,
    }));
    const summary = summariseWatch(watched, { ...emptyWatchState(), sources });
    expect(summary.deniedSources.map((source) => source.attempts)).toEqual([7, 6, 5, 4, 3]);
    expect(summary.refusedSources).toEqual([{ ip: '203.0.113.1', attempts: 1, requester: 'likely' }]);
    expect(summary.otherSources).toBe(1);
  });
});

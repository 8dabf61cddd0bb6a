import type { AuditEvent } from '../../../src/domain/soracom';
import {
  DEFAULT_WATCH_OPTIONS,
  EMPTY_AUDIT_CURSOR,
  applyAuditRead,
  emptyWatchState,
  endWatch,
  nextAuditWindow,
  type AuditCursor,
  type WatchChange,
  type WatchedMapping,
  type WatchOptions,
  type WatchState,
  type WatchUpdate,
} from '../../../src/domain/watch';
import { ALICE, BOB, IMSI, MIN, OTHER_IMSI, STRANGER, T0, connection, event, mapping } from './fixtures';

/**
 * A poller as the scheduler will run it: each read asks for the window the cursor gives, sees what the log
 * shows by then (events appear `ingestDelayMs` after they happen, under their own time), and keeps the
 * cursor and the watch states the read returns, as a store would (through JSON).
 */
class Poller {
  cursor: AuditCursor = EMPTY_AUDIT_CURSOR;
  readonly states = new Map<string, WatchState>();
  readonly log: AuditEvent[] = [];
  checkListing: readonly string[] = [];
  finished: readonly string[] = [];

  constructor(
    readonly mappings: WatchedMapping[],
    readonly ingestDelayMs = 0,
    readonly options: WatchOptions = DEFAULT_WATCH_OPTIONS,
  ) {
    for (const watched of mappings) this.states.set(watched.watchId, emptyWatchState());
  }

  happen(...events: AuditEvent[][]): this {
    this.log.push(...events.flat());
    return this;
  }

  read(nowMs: number): WatchUpdate[] {
    const window = nextAuditWindow(this.cursor, this.mappings, nowMs, this.options);
    if (window === undefined) return [];
    const visible = this.log.filter((e) => e.atMs >= window.fromMs && e.atMs <= window.toMs && e.atMs <= nowMs - this.ingestDelayMs).reverse();
    const result = applyAuditRead({
      cursor: this.cursor,
      window,
      events: visible,
      watches: this.mappings.map((watched) => ({ mapping: watched, state: this.states.get(watched.watchId) ?? emptyWatchState() })),
      nowMs,
      options: this.options,
    });
    this.cursor = JSON.parse(JSON.stringify(result.cursor)) as AuditCursor;
    for (const { watchId, state } of result.states) this.states.set(watchId, JSON.parse(JSON.stringify(state)) as WatchState);
    this.checkListing = result.checkListing;
    this.finished = result.finished;
    return [...result.updates];
  }

  state(watchId = 'w1'): WatchState {
    const state = this.states.get(watchId);
    if (state === undefined) throw new Error(`no watch ${watchId}`);
    return state;
  }
}

const kinds = (update: WatchUpdate | undefined): string[] => (update?.changes ?? []).map((change) => change.kind);
const change = <K extends WatchChange['kind']>(update: WatchUpdate | undefined, kind: K) =>
  update?.changes.find((candidate): candidate is Extract<WatchChange, { kind: K }> => candidate.kind === kind);

describe('a watched mapping learns what the audit log shows, once', () => {
  it('an allowed attempt: connected in one update, then closed in a later one', () => {
    const poller = new Poller([mapping()]).happen(connection('c1', T0 + 2 * MIN, 'session', { sessionMs: 10 * MIN }));
    const first = poller.read(T0 + 3 * MIN);
    expect(first).toHaveLength(1);
    expect(first[0]?.changes).toEqual([{ kind: 'connected', connections: 1, sourceIps: [ALICE], ambiguous: false }]);
    expect(first[0]?.summary.counts).toEqual({ access: 1, connected: 1, denied: 0, refused: 0, closed: 0 });
    expect(first[0]?.events.map((e) => e.type)).toEqual(['ACCESS', 'CONNECTED']);
    expect(poller.read(T0 + 4 * MIN)).toEqual([]);
    const later = poller.read(T0 + 13 * MIN);
    expect(later[0]?.changes).toEqual([{ kind: 'closed', connections: 1, endedAtOnce: 0, withoutConnect: 0 }]);
    expect(later[0]?.summary.counts.closed).toBe(1);
  });

  it('reached Napter, with the verdict in the next read: each step told once', () => {
    const poller = new Poller([mapping()]).happen(connection('c1', T0 + MIN, 'pending'));
    expect(kinds(poller.read(T0 + MIN + 1)[0])).toEqual(['reached']);
    poller.happen([event('CONNECTED', T0 + MIN + 2, { conn: 'c1' })]);
    expect(kinds(poller.read(T0 + 2 * MIN)[0])).toEqual(['connected']);
    expect(poller.state().counts).toMatchObject({ access: 1, connected: 1 });
  });

  it.each([
    ['ended at once (the device hung up)', 'at-once' as const, { connections: 1, endedAtOnce: 1, withoutConnect: 0 }],
    ['closed without being forwarded (no CONNECTED)', 'no-forward' as const, { connections: 1, endedAtOnce: 0, withoutConnect: 1 }],
  ])('%s', (_name, outcome, closed) => {
    const poller = new Poller([mapping()]).happen(connection('c1', T0 + MIN, outcome));
    expect(change(poller.read(T0 + 2 * MIN)[0], 'closed')).toEqual({ kind: 'closed', ...closed });
  });

  it('a burst of denied attempts from one address: one update, the address told once with its attempts', () => {
    const burst = Array.from({ length: 4 }, (_, i) => connection(`d${i}`, T0 + MIN + i * 1_000, 'denied', { ip: BOB }));
    const poller = new Poller([mapping()]).happen(...burst);
    const updates = poller.read(T0 + 2 * MIN);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.changes).toEqual([{ kind: 'denied', sourceIp: BOB, attempts: 4, requester: 'likely', ambiguous: false }]);
    expect(updates[0]?.summary).toMatchObject({ counts: { access: 4, denied: 4, closed: 0 }, deniedSources: [{ ip: BOB, attempts: 4 }] });
    // More of the same: the card's counts move, the requester is not told again.
    poller.happen(connection('d9', T0 + 3 * MIN, 'denied', { ip: BOB }));
    const again = poller.read(T0 + 4 * MIN);
    expect(again[0]?.changes).toEqual([]);
    expect(again[0]?.summary.counts.denied).toBe(5);
    // Then Napter blocks it: that is new.
    poller.happen(connection('r1', T0 + 5 * MIN, 'refused', { ip: BOB }), connection('r2', T0 + 5 * MIN + 500, 'refused', { ip: BOB }));
    const refused = poller.read(T0 + 6 * MIN);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.changes).toEqual([{ kind: 'refused', sourceIp: BOB, attempts: 7, requester: 'likely', ambiguous: false }]);
  });

  it.each([
    ['one of the requester’s known addresses', { requesterAddresses: [STRANGER] }, 40 * MIN, 1, 'known'],
    ['an address trying soon after the open', {}, 5 * MIN, 1, 'likely'],
    ['an address trying twice, late', {}, 40 * MIN, 2, 'likely'],
  ] as const)('a denial from %s is told (%s)', (_name, overrides, afterMs, attempts, requester) => {
    const poller = new Poller([mapping({ expiresAtMs: T0 + 8 * 60 * MIN, ...overrides })]);
    for (let i = 0; i < attempts; i += 1) poller.happen(connection(`d${i}`, T0 + afterMs + i * 1_000, 'denied', { ip: STRANGER }));
    expect(change(poller.read(T0 + afterMs + MIN)[0], 'denied')).toMatchObject({ sourceIp: STRANGER, requester });
  });

  it('a single late attempt from an unknown address (a scanner, most likely) only counts on the card, until it tries again', () => {
    const poller = new Poller([mapping({ expiresAtMs: T0 + 2 * 60 * MIN })]).happen(connection('d1', T0 + 40 * MIN, 'denied', { ip: STRANGER }));
    const first = poller.read(T0 + 41 * MIN);
    expect(first[0]?.changes).toEqual([]);
    expect(first[0]?.summary.deniedSources).toEqual([{ ip: STRANGER, attempts: 1, requester: 'unlikely' }]);
    poller.happen(connection('d2', T0 + 50 * MIN, 'denied', { ip: STRANGER }));
    expect(change(poller.read(T0 + 51 * MIN)[0], 'denied')).toMatchObject({ sourceIp: STRANGER, attempts: 2, requester: 'likely' });
  });
});

describe('routing the operator-wide log', () => {
  it('ignores other IMSIs, other device ports, and attempts before the open or after the end', () => {
    const poller = new Poller([mapping({ expiresAtMs: T0 + 10 * MIN })]).happen(
      connection('imsi', T0 + MIN, 'session', { imsi: OTHER_IMSI }),
      connection('port', T0 + MIN, 'session', { port: 80 }),
      connection('before', T0 - MIN, 'denied', { ip: BOB }),
      connection('after', T0 + 11 * MIN, 'denied', { ip: BOB }),
    );
    const updates = poller.read(T0 + 12 * MIN);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.changes).toEqual([{ kind: 'ended', end: { how: 'expired', atMs: T0 + 10 * MIN, evidence: 'clock' } }]);
    expect(updates[0]?.summary.counts.access).toBe(0);
  });

  it('a mapping by SIM ID hears every IMSI of its SIM', () => {
    const poller = new Poller([mapping({ imsis: [IMSI, OTHER_IMSI] })]).happen(connection('c1', T0 + MIN, 'session', { imsi: OTHER_IMSI }));
    expect(kinds(poller.read(T0 + 2 * MIN)[0])).toEqual(['connected']);
  });

  describe('two watched mappings to the same device port', () => {
    const alices = mapping({ watchId: 'alice', sourceIpRanges: [`${ALICE}/32`] });
    const bobs = mapping({ watchId: 'bob', sourceIpRanges: ['203.0.113.16/28'] });

    it.each([
      ['a connection from Alice’s range goes to Alice’s only', connection('c1', T0 + MIN, 'session', { ip: ALICE }), ['alice']],
      ['a denial of an address Bob’s range admits cannot be Bob’s', connection('c1', T0 + MIN, 'denied', { ip: BOB }), ['alice']],
      ['a denial of Alice’s address cannot be Alice’s', connection('c1', T0 + MIN, 'denied', { ip: ALICE }), ['bob']],
    ])('%s', (_name, events, expected) => {
      const poller = new Poller([alices, bobs]).happen(events);
      const updates = poller.read(T0 + 2 * MIN);
      expect(updates.map((update) => update.watchId)).toEqual(expected);
      expect(updates.flatMap((update) => update.changes).every((c) => !('ambiguous' in c) || !c.ambiguous)).toBe(true);
    });

    it('a denial neither range admits goes to both, marked ambiguous', () => {
      const poller = new Poller([alices, bobs]).happen(connection('c1', T0 + MIN, 'denied', { ip: STRANGER }));
      const updates = poller.read(T0 + 2 * MIN);
      expect(updates.map((update) => [update.watchId, change(update, 'denied')?.ambiguous])).toEqual([
        ['alice', true],
        ['bob', true],
      ]);
    });

    it('a DELETED the log cannot pin to one of them ends neither and asks for the listing', () => {
      const poller = new Poller([alices, bobs]).happen([event('DELETED', T0 + 5 * MIN)]);
      expect(poller.read(T0 + 6 * MIN)).toEqual([]);
      expect(poller.checkListing).toEqual(['alice', 'bob']);
    });
  });

  it('a connection remembered from an earlier read keeps its watch: its CLOSED lands there even after the mapping ended', () => {
    const poller = new Poller([mapping({ expiresAtMs: T0 + 10 * MIN })]).happen(connection('c1', T0 + 9 * MIN, 'session', { sessionMs: 2 * MIN }));
    expect(kinds(poller.read(T0 + 9 * MIN + 10)[0])).toEqual(['connected']);
    poller.happen([event('EXPIRED', T0 + 10 * MIN)]);
    expect(kinds(poller.read(T0 + 10 * MIN + 30_000)[0])).toEqual(['ended']);
    expect(kinds(poller.read(T0 + 11 * MIN + 30_000)[0])).toEqual(['closed']);
  });
});

describe('the end of a mapping', () => {
  it.each([
    ['EXPIRED in the log', [event('EXPIRED', T0 + 30 * MIN)], T0 + 31 * MIN, { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'audit-log' }],
    ['DELETED by someone else', [event('DELETED', T0 + 12 * MIN)], T0 + 13 * MIN, { how: 'deleted', atMs: T0 + 12 * MIN, evidence: 'audit-log' }],
    ['the clock, when the log has not shown it yet', [], T0 + 30 * MIN, { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'clock' }],
  ])('%s ends it once', (_name, events, nowMs, end) => {
    const poller = new Poller([mapping()]).happen(events);
    expect(poller.read(nowMs)[0]?.changes).toEqual([{ kind: 'ended', end }]);
    poller.happen([event('EXPIRED', T0 + 30 * MIN), event('DELETED', T0 + 30 * MIN + 1)]);
    expect(poller.read(nowMs + MIN)).toEqual([]);
    expect(poller.state().ended).toEqual(end);
  });

  it('an end noticed outside a read (the bot closed it) is told once, and the log’s DELETED then says nothing', () => {
    const watched = mapping();
    const poller = new Poller([watched]);
    const closed = endWatch(watched, poller.state(), { how: 'closed', atMs: T0 + 5 * MIN, evidence: 'bot' });
    expect(closed?.update.changes).toEqual([{ kind: 'ended', end: { how: 'closed', atMs: T0 + 5 * MIN, evidence: 'bot' } }]);
    poller.states.set('w1', closed?.state ?? emptyWatchState());
    expect(endWatch(watched, poller.state(), { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'listing' })).toBeUndefined();
    poller.happen([event('DELETED', T0 + 5 * MIN)]);
    expect(poller.read(T0 + 6 * MIN)).toEqual([]);
  });

  it('the DELETED of a mapping the bot closed is not taken for the end of the mapping an Extend made just before', () => {
    const old = mapping({ watchId: 'old', expiresAtMs: T0 + 45 * MIN });
    const replacement = mapping({ watchId: 'new', openedAtMs: T0 + 40 * MIN - 200, expiresAtMs: T0 + 75 * MIN });
    const poller = new Poller([old, replacement]);
    const closed = endWatch(old, poller.state('old'), { how: 'closed', atMs: T0 + 40 * MIN, evidence: 'bot' });
    poller.states.set('old', closed?.state ?? emptyWatchState());
    poller.happen([event('DELETED', T0 + 40 * MIN - 50)]);
    expect(poller.read(T0 + 41 * MIN)).toEqual([]);
    expect(poller.state('new').ended).toBeUndefined();
    // Which of them SORACOM deleted is its listing's to say, for the one still alive only.
    expect(poller.checkListing).toEqual(['new']);
    // Once the closed one's end is long past, a DELETED is the live mapping's own again.
    poller.happen([event('DELETED', T0 + 50 * MIN)]);
    expect(poller.read(T0 + 51 * MIN).map((update) => [update.watchId, kinds(update)])).toEqual([['new', ['ended']]]);
  });

  it('an ended watch is finished once late events have had the trailing time to arrive', () => {
    const poller = new Poller([mapping({ expiresAtMs: T0 + 10 * MIN })]);
    poller.read(T0 + 10 * MIN);
    expect(poller.finished).toEqual([]);
    poller.read(T0 + 10 * MIN + DEFAULT_WATCH_OPTIONS.trailingMs);
    expect(poller.finished).toEqual(['w1']);
  });
});

describe('nothing is told twice', () => {
  it('reading the same window again (a read retried after a crash) changes nothing', () => {
    const poller = new Poller([mapping()]).happen(connection('c1', T0 + MIN, 'session'), connection('d1', T0 + MIN, 'denied', { ip: BOB }));
    const cursorBefore = poller.cursor;
    const statesBefore = new Map(poller.states);
    const first = poller.read(T0 + 2 * MIN);
    expect(first).toHaveLength(1);
    // The crash came after the read, before the store kept its result: the same read runs again, told the same.
    poller.cursor = cursorBefore;
    for (const [id, state] of statesBefore) poller.states.set(id, state);
    expect(poller.read(T0 + 2 * MIN)).toEqual(first);
    // Kept this time: the next read, overlapping it, tells nothing new.
    expect(poller.read(T0 + 2 * MIN + 30_000)).toEqual([]);
  });

  it('a lost cursor makes the log be read again from the open; the watch’s own memory keeps it from telling anything again', () => {
    const poller = new Poller([mapping()]).happen(
      connection('c1', T0 + MIN, 'session', { sessionMs: MIN }),
      connection('d1', T0 + 2 * MIN, 'denied', { ip: BOB }),
    );
    poller.read(T0 + 5 * MIN);
    const counts = poller.state().counts;
    poller.cursor = EMPTY_AUDIT_CURSOR;
    expect(poller.read(T0 + 6 * MIN)).toEqual([]);
    expect(poller.state().counts).toEqual(counts);
  });

  it.each([
    // The log showed ACCESS one read before CONNECTED (2 ms apart, on either side of a read's edge).
    ['an overlap longer than the ingest delay catches every late event, told once', DEFAULT_WATCH_OPTIONS.lookbackMs, ['reached', 'connected', 'closed']],
    ['without the overlap, events that show late are lost (never repeated)', 0, []],
  ])('%s', (_name, lookbackMs, expected) => {
    const poller = new Poller([mapping()], 60_000, { ...DEFAULT_WATCH_OPTIONS, lookbackMs }).happen(connection('c1', T0 + MIN, 'session'));
    const seen: string[] = [];
    for (let nowMs = T0 + MIN; nowMs <= T0 + 10 * MIN; nowMs += 30_000) {
      for (const update of poller.read(nowMs)) seen.push(...update.changes.map((c) => c.kind));
    }
    expect(seen).toEqual(expected);
  });

  it('the watch’s memory stays bounded: closed connections are forgotten first', () => {
    const options = { ...DEFAULT_WATCH_OPTIONS, maxTrackedConnections: 3 };
    const watched = mapping({ expiresAtMs: T0 + 60 * MIN });
    const events = [
      ...connection('open', T0 + MIN, 'pending'),
      ...Array.from({ length: 5 }, (_, i) => connection(`c${i}`, T0 + 2 * MIN + i * 1_000, 'session', { sessionMs: 10_000 })).flat(),
    ];
    const result = applyAuditRead({
      cursor: EMPTY_AUDIT_CURSOR,
      window: { fromMs: T0, toMs: T0 + 5 * MIN },
      events,
      watches: [{ mapping: watched, state: emptyWatchState() }],
      nowMs: T0 + 5 * MIN,
      options,
    });
    expect(result.states[0]?.state.connections.map((c) => c.id)).toEqual(['open', 'c3', 'c4']);
    expect(result.states[0]?.state.counts).toMatchObject({ access: 6, connected: 5, closed: 5 });
  });
});

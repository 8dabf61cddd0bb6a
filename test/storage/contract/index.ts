import type { ManualClock } from '../../../src/common/clock';
import { IP_CAPTURE_TTL_MS, type Store } from '../../../src/use-cases/ports/store';
import { describeJobsContract } from './jobs';
import { captureLinkInput, diagnosisInput, mappingInput, packetCaptureInput, T0 } from './fixtures';

/**
 * What every store adapter must do, whatever database is behind it: the behaviour the use-cases rely on,
 * pinned without a word about tables or SQL. An adapter's test calls `describeStoreContract` with a factory
 * of fresh databases (`test/storage/sqlite.contract.test.ts`).
 */
export interface ContractDatabase {
  /** A connection to a fresh, empty database whose clock starts at T0. */
  readonly store: Store;
  readonly clock: ManualClock;
  /** Another connection to the same database, as a second replica (or the next process) would have. */
  connect(): Promise<Store>;
  /** Closes every connection and removes the database. */
  dispose(): Promise<void>;
}

export { T0 };

export function describeStoreContract(name: string, openFresh: () => Promise<ContractDatabase>): void {
  describe(`store contract: ${name}`, () => {
    let db: ContractDatabase;
    let store: Store;
    let clock: ManualClock;
    beforeEach(async () => {
      db = await openFresh();
      store = db.store;
      clock = db.clock;
    });
    afterEach(async () => {
      await db.dispose();
    });

    describe('ledger', () => {
      test('records entries at the clock time and lists them newest first, filtered', async () => {
        const first = await store.ledger.record({
          kind: 'open',
          teamId: 'T1',
          userId: 'U1',
          simId: 'S1',
          mappingId: 'M1',
          devicePort: 22,
          sourceCidr: '203.0.113.5/32',
          details: { durationSec: 1800 },
        });
        clock.advance(1000);
        await store.ledger.record({ kind: 'close', teamId: 'T1', userId: 'U2', simId: 'S1', mappingId: 'M1' });
        clock.advance(1000);
        await store.ledger.record({ kind: 'diagnose', teamId: 'T1', userId: 'U1', simId: 'S2', imsi: '440103100000002', channelId: 'C9' });

        expect(first).toMatchObject({ kind: 'open', atMs: T0, details: { durationSec: 1800 } });
        expect(first.id).not.toBe('');
        const kinds = async (filter?: Parameters<Store['ledger']['list']>[0]) => (await store.ledger.list(filter)).map((entry) => entry.kind);
        expect(await kinds()).toEqual(['diagnose', 'close', 'open']);
        expect(await kinds({ simId: 'S1' })).toEqual(['close', 'open']);
        expect(await kinds({ userId: 'U1' })).toEqual(['diagnose', 'open']);
        expect(await kinds({ mappingId: 'M1', limit: 1 })).toEqual(['close']);
        expect(await kinds({ imsi: '440103100000002' })).toEqual(['diagnose']);
        expect(await kinds({ sinceMs: T0 + 1000 })).toEqual(['diagnose', 'close']);
        expect(await kinds({ kinds: ['open', 'close', 'extend'] })).toEqual(['close', 'open']);
        expect(await kinds({ kinds: [] })).toEqual([]);
        expect(await kinds({ teamId: 'T1', kinds: ['diagnose'] })).toEqual(['diagnose']);
        expect(await kinds({ teamId: 'T2' })).toEqual([]);
        expect((await store.ledger.list({ mappingId: 'M1' })).at(-1)).toEqual(first);
      });

      test('orders entries of the same millisecond by when they were written, and leaves out fields never given', async () => {
        await store.ledger.record({ kind: 'open', teamId: 'T1', userId: 'U1' });
        await store.ledger.record({ kind: 'reuse', teamId: 'T1', userId: 'U1', simId: undefined });
        const listed = await store.ledger.list();
        expect(listed.map((entry) => entry.kind)).toEqual(['reuse', 'open']);
        expect(Object.keys(listed[0] ?? {}).sort()).toEqual(['atMs', 'id', 'kind', 'teamId', 'userId']);
      });
    });

    describe('mappings', () => {
      test('saves, reads back, finds by endpoint and lists, newest first', async () => {
        const saved = await store.mappings.save(mappingInput({ requestKey: 'req-1' }));
        expect(saved).toEqual({ ...mappingInput({ requestKey: 'req-1' }), id: saved.id });
        expect(await store.mappings.get(saved.id)).toEqual(saved);
        expect(await store.mappings.get('nope')).toBeUndefined();
        expect((await store.mappings.findByEndpoint('198.51.100.10', 40123))?.id).toBe(saved.id);
        expect(await store.mappings.findByEndpoint('198.51.100.10', 40124)).toBeUndefined();

        const other = await store.mappings.save(
          mappingInput({ simId: 'S2', imsi: '440103100000002', port: 40200, createdAtMs: T0 + 10, expiresAtMs: T0 + 60_000 }),
        );
        const ids = async (filter?: Parameters<Store['mappings']['list']>[0]) => (await store.mappings.list(filter)).map((mapping) => mapping.id);
        expect(await ids()).toEqual([other.id, saved.id]);
        expect(await ids({ simId: 'S2' })).toEqual([other.id]);
        expect(await ids({ imsi: '440103100000001' })).toEqual([saved.id]);
        expect(await ids({ activeAtMs: T0 + 120_000 })).toEqual([saved.id]);
        expect(await ids({ activeAtMs: T0 + 1800 * 1000 })).toEqual([]);
      });

      test('keeps how the source range was chosen, and leaves it out when never given', async () => {
        for (const sourceKind of ['me', 'last', 'claimed', 'cidr'] as const) {
          const saved = await store.mappings.save(mappingInput({ sourceKind, port: 41000 + sourceKind.length }));
          expect((await store.mappings.get(saved.id))?.sourceKind).toBe(sourceKind);
        }
        const plain = await store.mappings.get((await store.mappings.save(mappingInput())).id);
        expect(plain).not.toHaveProperty('sourceKind');
      });

      test('finds the newest mapping when SORACOM handed an endpoint out again', async () => {
        await store.mappings.save(mappingInput());
        const newer = await store.mappings.save(
          mappingInput({ createdAtMs: T0 + 3_600_000, expiresAtMs: T0 + 5_400_000, openedBy: { teamId: 'T1', userId: 'U2' } }),
        );
        expect((await store.mappings.findByEndpoint('198.51.100.10', 40123))?.id).toBe(newer.id);
      });

      test('keeps the card and who closed it; the first close wins; a closed mapping is not active', async () => {
        const saved = await store.mappings.save(mappingInput());
        await store.mappings.setCard(saved.id, { channelId: 'C1', ts: '1736931600.000100' });
        await store.mappings.markClosed(saved.id, { byUserId: 'U7', atMs: T0 + 5000 });
        await store.mappings.markClosed(saved.id, { byUserId: 'U8', atMs: T0 + 9000 });
        expect(await store.mappings.get(saved.id)).toMatchObject({
          card: { channelId: 'C1', ts: '1736931600.000100' },
          closed: { byUserId: 'U7', atMs: T0 + 5000 },
        });
        expect(await store.mappings.list({ activeAtMs: T0 + 6000 })).toEqual([]);
      });

      test("an Extend's new mapping takes over the card of the one it replaces, which no longer has one", async () => {
        const card = { channelId: 'C1', ts: '1736931600.000100' };
        const old = await store.mappings.save(mappingInput());
        await store.mappings.setCard(old.id, card);
        const replacement = await store.mappings.save(mappingInput({ port: 40200, expiresAtMs: T0 + 3600 * 1000 }), { takesCardOf: old.id });
        expect(replacement.card).toEqual(card);
        expect(await store.mappings.get(replacement.id)).toMatchObject({ card });
        expect(await store.mappings.get(old.id)).not.toHaveProperty('card');
        // Seen from another connection too: the move is written, not held by this one.
        const other = await db.connect();
        expect((await other.mappings.get(replacement.id))?.card).toEqual(card);
        expect((await other.mappings.get(old.id))?.card).toBeUndefined();

        // The next Extend takes it on again; a mapping without a card, or an unknown one, hands nothing over.
        const third = await store.mappings.save(mappingInput({ port: 40300 }), { takesCardOf: replacement.id });
        expect(third.card).toEqual(card);
        expect(await store.mappings.get(replacement.id)).not.toHaveProperty('card');
        expect((await store.mappings.save(mappingInput({ port: 40400 }), { takesCardOf: old.id })).card).toBeUndefined();
        expect((await store.mappings.save(mappingInput({ port: 40500 }), { takesCardOf: 'missing' })).card).toBeUndefined();
        expect((await store.mappings.get(third.id))?.card).toEqual(card);
        // The card's owner, asked by the card: the newest holder, never one it left.
        expect((await store.mappings.findByCard(card))?.id).toBe(third.id);
        expect(await store.mappings.findByCard({ channelId: 'C1', ts: '1736931600.000999' })).toBeUndefined();
        expect(await store.mappings.findByCard({ channelId: 'C2', ts: card.ts })).toBeUndefined();
      });

      test('a closed mapping keeps its card: its "closed" stays where it is and the new mapping takes nothing', async () => {
        const old = await store.mappings.save(mappingInput());
        await store.mappings.setCard(old.id, { channelId: 'C1', ts: '1.2' });
        await store.mappings.markClosed(old.id, { byUserId: 'U7', atMs: T0 + 5000 });
        const replacement = await store.mappings.save(mappingInput({ port: 40200 }), { takesCardOf: old.id });
        expect(replacement).not.toHaveProperty('card');
        expect((await store.mappings.get(old.id))?.card).toEqual({ channelId: 'C1', ts: '1.2' });
        expect((await store.mappings.findByCard({ channelId: 'C1', ts: '1.2' }))?.id).toBe(old.id);
      });

      test('refuses to update a mapping that does not exist', async () => {
        await expect(store.mappings.setCard('missing', { channelId: 'C1', ts: '1.2' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
        await expect(store.mappings.markClosed('missing', { byUserId: 'U1', atMs: T0 })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
      });
    });

    describe('IP capture links', () => {
      test('issues an unguessable token (256 bits, URL-safe) bound to the user and request, valid for 10 minutes', async () => {
        const { capture, token } = await store.ipCaptures.create(captureLinkInput);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(32);
        expect(capture).toMatchObject({ ...captureLinkInput, createdAtMs: T0, expiresAtMs: T0 + IP_CAPTURE_TTL_MS });
        expect(IP_CAPTURE_TTL_MS).toBe(600_000);
        expect(capture.usedAtMs).toBeUndefined();
        expect(await store.ipCaptures.get(capture.id)).toEqual(capture);
        const tokens = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await store.ipCaptures.create(captureLinkInput)).token)));
        expect(tokens.size).toBe(20);
      });

      test('peek does not consume; consume works once, then says used', async () => {
        const { capture, token } = await store.ipCaptures.create(captureLinkInput);
        expect(await store.ipCaptures.peek(token)).toEqual(capture);
        expect(await store.ipCaptures.peek(token)).toEqual(capture);
        clock.advance(30_000);
        expect(await store.ipCaptures.consume(token)).toEqual({ ...capture, usedAtMs: T0 + 30_000 });
        expect(await store.ipCaptures.consume(token)).toEqual({ error: 'used' });
        expect(await store.ipCaptures.peek(token)).toEqual({ error: 'used' });
      });

      test('expires exactly 10 minutes after creation', async () => {
        const { token } = await store.ipCaptures.create(captureLinkInput);
        clock.advance(IP_CAPTURE_TTL_MS - 1);
        expect('error' in (await store.ipCaptures.peek(token))).toBe(false);
        clock.advance(1);
        expect(await store.ipCaptures.peek(token)).toEqual({ error: 'expired' });
        expect(await store.ipCaptures.consume(token)).toEqual({ error: 'expired' });
      });

      test('says unknown for a token it never issued, malformed or not', async () => {
        const { token } = await store.ipCaptures.create(captureLinkInput);
        const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
        for (const candidate of [altered, '', 'short', `${token}x`, '../../etc/passwd']) {
          expect(await store.ipCaptures.peek(candidate)).toEqual({ error: 'unknown' });
          expect(await store.ipCaptures.consume(candidate)).toEqual({ error: 'unknown' });
        }
        expect('error' in (await store.ipCaptures.peek(token))).toBe(false);
      });

      test("takes a response_url for the link message only from the link's owner, and only while it is open", async () => {
        const { capture, token } = await store.ipCaptures.create(captureLinkInput);
        const buttonUrl = 'https://hooks.slack.com/actions/T1/2/def';
        expect(await store.ipCaptures.attachResponseUrl(capture.id, { teamId: 'T1', userId: 'U2' }, 'https://hooks.slack.com/actions/T1/3/x')).toBe(false);
        expect(await store.ipCaptures.attachResponseUrl(capture.id, { teamId: 'T2', userId: 'U1' }, 'https://hooks.slack.com/actions/T2/3/x')).toBe(false);
        expect((await store.ipCaptures.get(capture.id))?.responseUrl).toBe(captureLinkInput.responseUrl);
        expect(await store.ipCaptures.attachResponseUrl(capture.id, { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(true);
        expect(await store.ipCaptures.peek(token)).toMatchObject({ responseUrl: buttonUrl });
        expect(await store.ipCaptures.consume(token)).toMatchObject({ responseUrl: buttonUrl });
        expect(await store.ipCaptures.attachResponseUrl(capture.id, { teamId: 'T1', userId: 'U1' }, 'https://hooks.slack.com/actions/T1/4/late')).toBe(false);
        expect((await store.ipCaptures.get(capture.id))?.responseUrl).toBe(buttonUrl);

        const expiring = (await store.ipCaptures.create(captureLinkInput)).capture;
        clock.advance(IP_CAPTURE_TTL_MS);
        expect(await store.ipCaptures.attachResponseUrl(expiring.id, { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(false);
        expect(await store.ipCaptures.attachResponseUrl('missing', { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(false);
      });

      test('a used link whose work never finished is listed, can be reopened once, and finishing it ends that', async () => {
        const cut = await store.ipCaptures.create(captureLinkInput);
        const done = await store.ipCaptures.create(captureLinkInput);
        await store.ipCaptures.create(captureLinkInput);
        await store.ipCaptures.consume(cut.token);
        clock.advance(1000);
        await store.ipCaptures.consume(done.token);
        await store.ipCaptures.finish(done.capture.id);
        expect((await store.ipCaptures.listUnfinished()).map((capture) => capture.id)).toEqual([cut.capture.id]);
        expect(await store.ipCaptures.reopen(done.capture.id)).toBe(false);
        expect(await store.ipCaptures.reopen(cut.capture.id)).toBe(true);
        expect(await store.ipCaptures.reopen(cut.capture.id)).toBe(false);
        expect(await store.ipCaptures.listUnfinished()).toEqual([]);
        expect('error' in (await store.ipCaptures.consume(cut.token))).toBe(false);
        await store.ipCaptures.finish(cut.capture.id);
        expect((await store.ipCaptures.get(cut.capture.id))?.finishedAtMs).toBe(T0 + 1000);
        clock.advance(IP_CAPTURE_TTL_MS);
        const late = await store.ipCaptures.create(captureLinkInput);
        await store.ipCaptures.consume(late.token);
        clock.advance(IP_CAPTURE_TTL_MS);
        expect(await store.ipCaptures.listUnfinished()).toEqual([]);
        expect(await store.ipCaptures.reopen(late.capture.id)).toBe(false);
      });

      test('lets exactly one of two concurrent consumes win, across two connections', async () => {
        const other = await db.connect();
        for (let round = 0; round < 10; round += 1) {
          const { token } = await store.ipCaptures.create(captureLinkInput);
          const outcomes = await Promise.all([store.ipCaptures.consume(token), other.ipCaptures.consume(token)]);
          expect(outcomes.filter((outcome) => 'error' in outcome)).toEqual([{ error: 'used' }]);
        }
      });
    });

    describe('idempotency claims', () => {
      test('claims once; a second claim sees the work in flight, then its result', async () => {
        expect(await store.claims.claim('open:T1:U1:abc', 60_000)).toEqual({ claimed: true });
        expect(await store.claims.claim('open:T1:U1:abc', 60_000)).toEqual({ claimed: false, result: undefined });
        await store.claims.complete('open:T1:U1:abc', { mappingId: 'M1' });
        expect(await store.claims.claim('open:T1:U1:abc', 60_000)).toEqual({ claimed: false, result: { mappingId: 'M1' } });
        expect(await store.claims.claim('other', 60_000)).toEqual({ claimed: true });
      });

      test('can be claimed again after a release or after the TTL', async () => {
        await store.claims.claim('k', 10_000);
        await store.claims.release('k');
        expect(await store.claims.claim('k', 10_000)).toEqual({ claimed: true });
        clock.advance(9_999);
        expect((await store.claims.claim('k', 10_000)).claimed).toBe(false);
        clock.advance(1);
        expect(await store.claims.claim('k', 10_000)).toEqual({ claimed: true });
      });

      test('keeps a completed null result distinct from "still running"', async () => {
        await store.claims.claim('k', 10_000);
        await store.claims.complete('k', null);
        expect(await store.claims.claim('k', 10_000)).toEqual({ claimed: false, result: null });
      });

      test('forgets claims never completed when asked at start, and keeps the completed ones', async () => {
        await store.claims.claim('running', 60_000);
        await store.claims.claim('done', 60_000);
        await store.claims.complete('done', true);
        expect(await store.claims.releaseUnfinished()).toBe(1);
        expect(await store.claims.claim('running', 60_000)).toEqual({ claimed: true });
        expect(await store.claims.claim('done', 60_000)).toEqual({ claimed: false, result: true });
      });

      test('gives a key to exactly one of many concurrent claimers, across two connections', async () => {
        const other = await db.connect();
        const claims = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? store : other).claims.claim('contested', 60_000)));
        expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
      });
    });

    describe('remembered values', () => {
      test('recalls a value until it expires, replaces it on a second remember, and never creates one on recall', async () => {
        expect(await store.remembered.recall('grant:1')).toBeUndefined();
        expect(await store.remembered.recall('grant:1')).toBeUndefined();
        await store.remembered.remember('grant:1', 60_000, { userId: 'U1', diagnosisId: 'd1' });
        expect(await store.remembered.recall('grant:1')).toEqual({ userId: 'U1', diagnosisId: 'd1' });
        await store.remembered.remember('grant:1', 60_000, { userId: 'U2' });
        expect(await store.remembered.recall('grant:1')).toEqual({ userId: 'U2' });
        clock.advance(60_000);
        expect(await store.remembered.recall('grant:1')).toBeUndefined();
      });

      test('is seen from another connection', async () => {
        await store.remembered.remember('grant:modal', 3_600_000, { viewId: 'V1' });
        expect(await (await db.connect()).remembered.recall('grant:modal')).toEqual({ viewId: 'V1' });
      });
    });

    describe('last confirmed addresses', () => {
      test('remembers the latest address per team and user', async () => {
        expect(await store.lastIps.get('T1', 'U1')).toBeUndefined();
        await store.lastIps.set('T1', 'U1', '203.0.113.5');
        clock.advance(5000);
        await store.lastIps.set('T1', 'U1', '203.0.113.77');
        await store.lastIps.set('T2', 'U1', '2001:db8::1');
        expect(await store.lastIps.get('T1', 'U1')).toEqual({ ip: '203.0.113.77', atMs: T0 + 5000 });
        expect(await store.lastIps.get('T2', 'U1')).toEqual({ ip: '2001:db8::1', atMs: T0 + 5000 });
        expect(await store.lastIps.get('T1', 'U2')).toBeUndefined();
      });
    });

    describe('work in flight', () => {
      const begin = (overrides: Partial<Parameters<Store['inflight']['begin']>[0]> = {}) =>
        store.inflight.begin({
          kind: 'open',
          requestKey: 'command:T1:trigger-1',
          teamId: 'T1',
          userId: 'U1',
          channelId: 'C1',
          simId: 'S1',
          state: 'started',
          params: { v: 1, devicePort: 22 },
          reply: { v: 1, lang: 'ja' },
          ...overrides,
        });

      test('keeps the row as begun; an update changes only the fields it names', async () => {
        const flight = await begin();
        expect(flight).toMatchObject({ state: 'started', params: { v: 1, devicePort: 22 }, reply: { v: 1, lang: 'ja' }, startedAtMs: T0 });
        expect(flight.settledAtMs).toBeUndefined();
        clock.advance(1000);
        await store.inflight.update(flight.id, { state: 'creating', startedAtMs: T0 + 1000 });
        const updated = await store.inflight.update(flight.id, { mappingId: 'M1' });
        expect(updated).toMatchObject({ state: 'creating', mappingId: 'M1', startedAtMs: T0 + 1000, updatedAtMs: T0 + 1000 });
        expect(await store.inflight.get(flight.id)).toEqual(updated);
        expect(await store.inflight.update('missing', { state: 'failed' })).toBeUndefined();
        expect(await store.inflight.get('missing')).toBeUndefined();
      });

      test('lists oldest first by kind, SIM, request and whether someone still waits', async () => {
        const open = await begin();
        clock.advance(10);
        const close = await begin({ kind: 'close', state: 'deleting', requestKey: 'click:T1:t2', simId: 'S2' });
        clock.advance(10);
        const other = await begin({ requestKey: 'capture:c1' });
        await store.inflight.settle(other.id);
        clock.advance(10);
        await store.inflight.settle(other.id);
        const ids = async (filter?: Parameters<Store['inflight']['list']>[0]) => (await store.inflight.list(filter)).map((flight) => flight.id);
        expect(await ids()).toEqual([open.id, close.id, other.id]);
        expect(await ids({ unsettled: true })).toEqual([open.id, close.id]);
        expect(await ids({ kind: 'close' })).toEqual([close.id]);
        expect(await ids({ kind: 'open', simId: 'S1', unsettled: true })).toEqual([open.id]);
        expect(await ids({ requestKey: 'capture:c1' })).toEqual([other.id]);
        expect((await store.inflight.get(other.id))?.settledAtMs).toBe(T0 + 20);
      });
    });

    describe('diagnoses', () => {
      test('saves, reads and patches a diagnosis; fields left out keep their value', async () => {
        const saved = await store.diagnoses.save(diagnosisInput);
        expect(saved).toEqual({ ...diagnosisInput, id: saved.id, createdAtMs: T0, updatedAtMs: T0 });
        clock.advance(2000);
        const patch = { parentTs: '1736931600.000300', verdict: 'healthy', diagnosis: { verdict: 'healthy' }, windowToMs: T0 + 2000 };
        expect(await store.diagnoses.update(saved.id, patch)).toEqual({ ...saved, ...patch, updatedAtMs: T0 + 2000 });
        expect(await store.diagnoses.update(saved.id, { verdict: 'sim-offline' })).toMatchObject({ parentTs: '1736931600.000300', verdict: 'sim-offline' });
        expect(await store.diagnoses.get('missing')).toBeUndefined();
        expect(await store.diagnoses.update('missing', { verdict: 'healthy' })).toBeUndefined();
      });

      test('modifies from the row as stored now, so two interleaved read-modify-writes both survive', async () => {
        type Rec = { run: number; activity: string[] };
        const saved = await store.diagnoses.save({ ...diagnosisInput, diagnosis: { run: 1, activity: [] } });
        const append = (line: string) => (current: { diagnosis: unknown }) => {
          const record = current.diagnosis as Rec;
          return { diagnosis: { ...record, activity: [...record.activity, line] } };
        };
        const seenByRerun = (await store.diagnoses.get(saved.id))?.diagnosis as Rec;
        clock.advance(1000);
        await store.diagnoses.modify(saved.id, append('capture-done'));
        const after = await store.diagnoses.modify(saved.id, (current) => ({
          verdict: 'healthy',
          diagnosis: { ...(current.diagnosis as Rec), run: seenByRerun.run + 1 },
        }));
        expect(after?.diagnosis).toEqual({ run: 2, activity: ['capture-done'] });
        expect(after).toMatchObject({ verdict: 'healthy', updatedAtMs: T0 + 1000 });
        expect(await store.diagnoses.get(saved.id)).toEqual(after);
      });

      test('writes nothing when the change returns undefined or fails, refuses an async change, and knows no missing id', async () => {
        const saved = await store.diagnoses.save(diagnosisInput);
        clock.advance(1000);
        expect(await store.diagnoses.modify(saved.id, () => undefined)).toEqual(saved);
        await expect(
          store.diagnoses.modify(saved.id, () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        await expect(store.diagnoses.modify(saved.id, (async () => ({ verdict: 'healthy' })) as never)).rejects.toMatchObject({ code: 'STORE_ASYNC_CHANGE' });
        expect(await store.diagnoses.get(saved.id)).toEqual(saved);
        let called = false;
        const missing = await store.diagnoses.modify('missing', () => {
          called = true;
          return { verdict: 'healthy' };
        });
        expect(missing).toBeUndefined();
        expect(called).toBe(false);
      });

      test('loses no change when two connections modify the same diagnosis concurrently', async () => {
        const other = await db.connect();
        const saved = await store.diagnoses.save({ ...diagnosisInput, diagnosis: { activity: [] } });
        const rounds = 20;
        await Promise.all(
          Array.from({ length: rounds }, (_, index) =>
            (index % 2 === 0 ? store : other).diagnoses.modify(saved.id, (current) => ({
              diagnosis: { activity: [...(current.diagnosis as { activity: number[] }).activity, index] },
            })),
          ),
        );
        const activity = ((await store.diagnoses.get(saved.id))!.diagnosis as { activity: number[] }).activity;
        expect([...activity].sort((a, b) => a - b)).toEqual(Array.from({ length: rounds }, (_, index) => index));
      });
    });

    describe('packet captures', () => {
      test('saves a capture of a diagnosis and tracks its status; fields left out keep their value', async () => {
        const diagnosis = await store.diagnoses.save(diagnosisInput);
        const capture = await store.captures.save(packetCaptureInput(diagnosis.id));
        expect(capture).toMatchObject({ status: 'REQUESTED', diagnosisId: diagnosis.id, createdAtMs: T0 });
        clock.advance(1000);
        expect(await store.captures.update(capture.id, { progressTs: '1.2' })).toMatchObject({
          status: 'REQUESTED',
          progressTs: '1.2',
          updatedAtMs: T0 + 1000,
        });
        expect(await store.captures.update(capture.id, { status: 'CAPTURING' })).toMatchObject({ status: 'CAPTURING', progressTs: '1.2' });
        expect((await store.captures.get(capture.id))?.status).toBe('CAPTURING');
        expect(await store.captures.get('missing')).toBeUndefined();
        expect(await store.captures.update('missing', { status: 'DONE' })).toBeUndefined();
      });

      test('lists a diagnosis’s captures newest first', async () => {
        const diagnosis = await store.diagnoses.save(diagnosisInput);
        const elsewhere = await store.diagnoses.save(diagnosisInput);
        const first = await store.captures.save(packetCaptureInput(diagnosis.id));
        clock.advance(1000);
        const second = await store.captures.save(packetCaptureInput(diagnosis.id, { sessionId: 'peek-2' }));
        const other = await store.captures.save(packetCaptureInput(elsewhere.id, { sessionId: 'peek-3' }));
        await store.captures.update(first.id, { status: 'DONE' });
        expect((await store.captures.listByDiagnosis(diagnosis.id)).map((capture) => capture.id)).toEqual([second.id, first.id]);
        expect(await store.captures.listByDiagnosis('none')).toEqual([]);
        expect((await store.captures.listByDiagnosis(elsewhere.id)).map((capture) => capture.id)).toEqual([other.id]);
      });

      test('refuses a capture of a diagnosis that does not exist', async () => {
        // Matched by shape: a driver's error class may come from another realm (jest loads native modules once).
        await expect(store.captures.save(packetCaptureInput('missing'))).rejects.toMatchObject({ message: expect.any(String) });
      });

      test('schedules the job that follows a capture with its row, and neither when the row is refused', async () => {
        const diagnosis = await store.diagnoses.save(diagnosisInput);
        const follow = (saved: { readonly id: string }) => ({
          key: `capture-poll:${saved.id}`,
          kind: 'capture-poll' as const,
          dueAtMs: T0 + 5_000,
          payload: { captureId: saved.id },
        });
        const capture = await store.captures.save(packetCaptureInput(diagnosis.id), follow);
        expect(await store.jobs.get(`capture-poll:${capture.id}`)).toMatchObject({
          kind: 'capture-poll',
          dueAtMs: T0 + 5_000,
          payload: { captureId: capture.id },
        });
        const pendingBefore = (await store.jobs.listPending()).length;
        await expect(store.captures.save(packetCaptureInput('missing', { sessionId: 'peek-9' }), follow)).rejects.toMatchObject({
          message: expect.any(String),
        });
        expect(await store.jobs.listPending()).toHaveLength(pendingBefore);
      });
    });

    describeJobsContract(() => ({ store, clock, connect: () => db.connect() }));

    test('everything written is there for the next connection', async () => {
      const { capture, token } = await store.ipCaptures.create(captureLinkInput);
      const mapping = await store.mappings.save(mappingInput());
      await store.claims.claim('k', 60_000);
      await store.claims.complete('k', { mappingId: mapping.id });
      await store.lastIps.set('T1', 'U1', '203.0.113.5');
      const diagnosis = await store.diagnoses.save(diagnosisInput);
      const packetCapture = await store.captures.save(packetCaptureInput(undefined));
      await store.ledger.record({ kind: 'open', teamId: 'T1', userId: 'U1', mappingId: mapping.id });

      const next = await db.connect();
      expect(await next.ipCaptures.peek(token)).toEqual(capture);
      expect(await next.mappings.get(mapping.id)).toEqual(mapping);
      expect(await next.claims.claim('k', 60_000)).toEqual({ claimed: false, result: { mappingId: mapping.id } });
      expect(await next.lastIps.get('T1', 'U1')).toEqual({ ip: '203.0.113.5', atMs: T0 });
      expect(await next.diagnoses.get(diagnosis.id)).toEqual(diagnosis);
      expect(await next.captures.get(packetCapture.id)).toEqual(packetCapture);
      expect(await next.ledger.list({ mappingId: mapping.id })).toHaveLength(1);
      expect('error' in (await next.ipCaptures.consume(token))).toBe(false);
      expect(await store.ipCaptures.consume(token)).toEqual({ error: 'used' });
    });
  });
}

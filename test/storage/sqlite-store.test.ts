import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/common/clock';
import { IP_CAPTURE_TTL_MS, openStore, StoreError, type MappingInput, type NapterStore } from '../../src/storage';
import { hashToken } from '../../src/storage/sqlite-store';
import { MIGRATIONS } from '../../src/storage/migrations';

const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'napter-store-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
const freshPath = () => {
  fileCounter += 1;
  return join(dir, `store-${fileCounter}.db`);
};

function memoryStore(clock = new ManualClock(T0)): { store: NapterStore; clock: ManualClock } {
  return { store: openStore({ path: ':memory:', clock }), clock };
}

const mappingInput = (overrides: Partial<MappingInput> = {}): MappingInput => ({
  simId: '8981100000000000001',
  imsi: '440103100000001',
  ipAddress: '198.51.100.10',
  port: 40123,
  hostname: 'p-1.napter.soracom.io',
  devicePort: 22,
  tlsRequired: false,
  sourceCidr: '203.0.113.5/32',
  durationSec: 1800,
  createdAtMs: T0,
  expiresAtMs: T0 + 1800 * 1000,
  openedBy: { teamId: 'T1', userId: 'U1' },
  channelId: 'C1',
  ...overrides,
});

const captureInput = {
  teamId: 'T1',
  userId: 'U1',
  channelId: 'C1',
  lang: 'ja' as const,
  request: { sim: 'gw-01', devicePort: 22, durationSec: 1800 },
  responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
};

describe('ledger', () => {
  it('records entries with the clock time and lists them newest first, filtered', () => {
    const { store, clock } = memoryStore();
    const first = store.recordLedger({
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
    store.recordLedger({ kind: 'close', teamId: 'T1', userId: 'U2', simId: 'S1', mappingId: 'M1' });
    clock.advance(1000);
    store.recordLedger({ kind: 'diagnose', teamId: 'T1', userId: 'U1', simId: 'S2', imsi: '440103100000002', channelId: 'C9' });

    expect(first).toMatchObject({ kind: 'open', atMs: T0, details: { durationSec: 1800 } });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.listLedger().map((e) => e.kind)).toEqual(['diagnose', 'close', 'open']);
    expect(store.listLedger({ simId: 'S1' }).map((e) => e.kind)).toEqual(['close', 'open']);
    expect(store.listLedger({ userId: 'U1' }).map((e) => e.kind)).toEqual(['diagnose', 'open']);
    expect(store.listLedger({ mappingId: 'M1', limit: 1 }).map((e) => e.kind)).toEqual(['close']);
    expect(store.listLedger({ imsi: '440103100000002' })).toHaveLength(1);
    expect(store.listLedger({ sinceMs: T0 + 1000 }).map((e) => e.kind)).toEqual(['diagnose', 'close']);
    expect(store.listLedger({ mappingId: 'M1' }).at(-1)).toEqual(first);
    store.close();
  });

  it('orders entries of the same millisecond by insertion', () => {
    const { store } = memoryStore();
    store.recordLedger({ kind: 'open', teamId: 'T1', userId: 'U1' });
    store.recordLedger({ kind: 'reuse', teamId: 'T1', userId: 'U1' });
    expect(store.listLedger().map((e) => e.kind)).toEqual(['reuse', 'open']);
    store.close();
  });
});

describe('mappings', () => {
  it('saves, reads back, finds by endpoint and lists active ones', () => {
    const { store } = memoryStore();
    const saved = store.saveMapping(mappingInput({ requestKey: 'req-1' }));
    expect(saved).toEqual({ ...mappingInput({ requestKey: 'req-1' }), id: saved.id });
    expect(store.getMapping(saved.id)).toEqual(saved);
    expect(store.getMapping('nope')).toBeUndefined();
    expect(store.findMappingByEndpoint('198.51.100.10', 40123)?.id).toBe(saved.id);
    expect(store.findMappingByEndpoint('198.51.100.10', 40124)).toBeUndefined();

    const other = store.saveMapping(mappingInput({ simId: 'S2', imsi: '440103100000002', port: 40200, createdAtMs: T0 + 10, expiresAtMs: T0 + 60_000 }));
    expect(store.listMappings().map((m) => m.id)).toEqual([other.id, saved.id]);
    expect(store.listMappings({ simId: 'S2' }).map((m) => m.id)).toEqual([other.id]);
    expect(store.listMappings({ imsi: '440103100000001' }).map((m) => m.id)).toEqual([saved.id]);
    expect(store.listMappings({ activeAtMs: T0 + 120_000 }).map((m) => m.id)).toEqual([saved.id]);
    expect(store.listMappings({ activeAtMs: T0 + 1800 * 1000 })).toEqual([]);
    store.close();
  });

  it('finds the newest mapping when SORACOM reused an endpoint', () => {
    const { store } = memoryStore();
    store.saveMapping(mappingInput());
    const newer = store.saveMapping(mappingInput({ createdAtMs: T0 + 3_600_000, expiresAtMs: T0 + 5_400_000, openedBy: { teamId: 'T1', userId: 'U2' } }));
    expect(store.findMappingByEndpoint('198.51.100.10', 40123)?.id).toBe(newer.id);
    store.close();
  });

  it('keeps the card and who closed it; the first close wins', () => {
    const { store } = memoryStore();
    const saved = store.saveMapping(mappingInput());
    store.setMappingCard(saved.id, { channelId: 'C1', ts: '1736931600.000100' });
    store.markMappingClosed(saved.id, { byUserId: 'U7', atMs: T0 + 5000 });
    store.markMappingClosed(saved.id, { byUserId: 'U8', atMs: T0 + 9000 });
    expect(store.getMapping(saved.id)).toMatchObject({
      card: { channelId: 'C1', ts: '1736931600.000100' },
      closed: { byUserId: 'U7', atMs: T0 + 5000 },
    });
    expect(store.listMappings({ activeAtMs: T0 + 6000 })).toEqual([]);
    store.close();
  });

  it('refuses to update a mapping that does not exist', () => {
    const { store } = memoryStore();
    expect(() => store.setMappingCard('missing', { channelId: 'C1', ts: '1.2' })).toThrow(StoreError);
    expect(() => store.markMappingClosed('missing', { byUserId: 'U1', atMs: T0 })).toThrow(/No stored mapping/);
    store.close();
  });
});

describe('IP captures', () => {
  it('issues a 256-bit base64url token bound to the user and request, valid for 10 minutes', () => {
    const { store } = memoryStore();
    const { capture, token } = store.createIpCapture(captureInput);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(capture).toMatchObject({ ...captureInput, createdAtMs: T0, expiresAtMs: T0 + IP_CAPTURE_TTL_MS });
    expect(IP_CAPTURE_TTL_MS).toBe(600_000);
    expect(capture.usedAtMs).toBeUndefined();
    expect(store.getIpCapture(capture.id)).toEqual(capture);
    store.close();
  });

  it('gives a different token each time', () => {
    const { store } = memoryStore();
    const tokens = new Set(Array.from({ length: 50 }, () => store.createIpCapture(captureInput).token));
    expect(tokens.size).toBe(50);
    store.close();
  });

  it('peek does not consume; consume works once, then says used', () => {
    const { store, clock } = memoryStore();
    const { capture, token } = store.createIpCapture(captureInput);
    expect(store.peekIpCapture(token)).toEqual(capture);
    expect(store.peekIpCapture(token)).toEqual(capture);
    clock.advance(30_000);
    const consumed = store.consumeIpCapture(token);
    expect(consumed).toEqual({ ...capture, usedAtMs: T0 + 30_000 });
    expect(store.consumeIpCapture(token)).toEqual({ error: 'used' });
    expect(store.peekIpCapture(token)).toEqual({ error: 'used' });
    store.close();
  });

  it('expires exactly 10 minutes after creation', () => {
    const { store, clock } = memoryStore();
    const { token } = store.createIpCapture(captureInput);
    clock.advance(IP_CAPTURE_TTL_MS - 1);
    expect('error' in store.peekIpCapture(token)).toBe(false);
    clock.advance(1);
    expect(store.peekIpCapture(token)).toEqual({ error: 'expired' });
    expect(store.consumeIpCapture(token)).toEqual({ error: 'expired' });
    store.close();
  });

  it('says unknown for a token it never issued, malformed or not', () => {
    const { store } = memoryStore();
    const { token } = store.createIpCapture(captureInput);
    const altered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const candidate of [altered, '', 'short', `${token}x`, '../../etc/passwd']) {
      expect(store.peekIpCapture(candidate)).toEqual({ error: 'unknown' });
      expect(store.consumeIpCapture(candidate)).toEqual({ error: 'unknown' });
    }
    expect('error' in store.peekIpCapture(token)).toBe(false);
    store.close();
  });

  it('attaches the Slack message that carries the link', () => {
    const { store } = memoryStore();
    const { capture } = store.createIpCapture(captureInput);
    store.attachIpCaptureMessage(capture.id, { channelId: 'D1', ts: '1736931600.000200' });
    expect(store.getIpCapture(capture.id)?.message).toEqual({ channelId: 'D1', ts: '1736931600.000200' });
    expect(() => store.attachIpCaptureMessage('missing', { channelId: 'D1', ts: '1.2' })).toThrow(StoreError);
    store.close();
  });

  it("takes a response_url for the link message only from the capture's owner, and only while it is open", () => {
    const { store, clock } = memoryStore();
    const { capture, token } = store.createIpCapture(captureInput);
    const buttonUrl = 'https://hooks.slack.com/actions/T1/2/def';
    expect(store.attachIpCaptureResponseUrl(capture.id, { teamId: 'T1', userId: 'U2' }, 'https://hooks.slack.com/actions/T1/3/x')).toBe(false);
    expect(store.attachIpCaptureResponseUrl(capture.id, { teamId: 'T2', userId: 'U1' }, 'https://hooks.slack.com/actions/T2/3/x')).toBe(false);
    expect(store.getIpCapture(capture.id)?.responseUrl).toBe(captureInput.responseUrl);
    expect(store.attachIpCaptureResponseUrl(capture.id, { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(true);
    expect(store.peekIpCapture(token)).toMatchObject({ responseUrl: buttonUrl });
    expect(store.consumeIpCapture(token)).toMatchObject({ responseUrl: buttonUrl });
    expect(store.attachIpCaptureResponseUrl(capture.id, { teamId: 'T1', userId: 'U1' }, 'https://hooks.slack.com/actions/T1/4/late')).toBe(false);
    expect(store.getIpCapture(capture.id)?.responseUrl).toBe(buttonUrl);

    const expiring = store.createIpCapture(captureInput).capture;
    clock.advance(IP_CAPTURE_TTL_MS);
    expect(store.attachIpCaptureResponseUrl(expiring.id, { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(false);
    expect(store.attachIpCaptureResponseUrl('missing', { teamId: 'T1', userId: 'U1' }, buttonUrl)).toBe(false);
    store.close();
  });

  it('stores only the SHA-256 of the token, never the token itself', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const store = openStore({ path, clock });
    const { token } = store.createIpCapture(captureInput);
    store.close();

    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT * FROM ip_captures').all() as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_sha256).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    for (const file of readdirSync(dir).filter((name) => name.startsWith(path.split('/').pop() ?? ''))) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(token))).toBe(false);
    }
  });

  it('lets exactly one of two concurrent consumers win, across two connections to the same file', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const a = openStore({ path, clock });
    const b = openStore({ path, clock });
    const results = [];
    for (let round = 0; round < 20; round += 1) {
      const { token } = a.createIpCapture(captureInput);
      const outcomes = await Promise.all([Promise.resolve().then(() => a.consumeIpCapture(token)), Promise.resolve().then(() => b.consumeIpCapture(token))]);
      results.push(outcomes.filter((outcome) => !('error' in outcome)).length);
      expect(outcomes.filter((outcome) => 'error' in outcome)).toEqual([{ error: 'used' }]);
    }
    expect(results.every((winners) => winners === 1)).toBe(true);
    a.close();
    b.close();
  });
  it('lets exactly one of two threads win when they consume the same token at the same instant', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const store = openStore({ path, clock });
    const tokens = Array.from({ length: 10 }, () => store.createIpCapture(captureInput).token);
    store.close();

    // Each thread opens its own connection, then both release together on a shared barrier per token.
    const barrier = new Int32Array(new SharedArrayBuffer(4 * tokens.length));
    const source = `
      require('tsx/cjs');
      const { workerData, parentPort } = require('node:worker_threads');
      const { openStore } = require(workerData.storeModule);
      const store = openStore({ path: workerData.path, clock: { nowMs: () => workerData.nowMs } });
      const wins = workerData.tokens.map((token, index) => {
        Atomics.add(workerData.barrier, index, 1);
        while (Atomics.load(workerData.barrier, index) < 2) {}
        return !('error' in store.consumeIpCapture(token));
      });
      store.close();
      parentPort.postMessage(wins);
    `;
    const run = () =>
      new Promise<boolean[]>((resolve, reject) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { path, tokens, barrier, nowMs: T0 + 1000, storeModule: join(__dirname, '../../src/storage/index.ts') },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    const [first, second] = await Promise.all([run(), run()]);
    expect(first).toHaveLength(tokens.length);
    for (const index of tokens.keys()) expect(Number(first?.[index]) + Number(second?.[index])).toBe(1);
  });
});

describe('remembered values', () => {
  it('recalls a value until it expires, replaces it on a second remember, and never creates one on recall', () => {
    const { store, clock } = memoryStore();
    expect(store.recallValue('grant:1')).toBeUndefined();
    expect(store.recallValue('grant:1')).toBeUndefined();

    store.rememberValue('grant:1', 60_000, { userId: 'U1', diagnosisId: 'd1' });
    expect(store.recallValue('grant:1')).toEqual({ userId: 'U1', diagnosisId: 'd1' });
    store.rememberValue('grant:1', 60_000, { userId: 'U2' });
    expect(store.recallValue('grant:1')).toEqual({ userId: 'U2' });

    clock.advance(60_000);
    expect(store.recallValue('grant:1')).toBeUndefined();
    // A claim under a remembered key that expired works as for any other key.
    expect(store.claimIdempotencyKey('grant:1', 1_000)).toEqual({ claimed: true });
    expect(store.recallValue('grant:1')).toBeUndefined();
  });

  it('survives a restart', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const first = openStore({ path, clock });
    first.rememberValue('grant:modal', 3_600_000, { viewId: 'V1' });
    first.close();
    const second = openStore({ path, clock });
    expect(second.recallValue('grant:modal')).toEqual({ viewId: 'V1' });
    second.close();
  });
});

describe('idempotency keys', () => {
  it('claims once; a second claim sees the work in flight, then its result', () => {
    const { store } = memoryStore();
    expect(store.claimIdempotencyKey('open:T1:U1:abc', 60_000)).toEqual({ claimed: true });
    expect(store.claimIdempotencyKey('open:T1:U1:abc', 60_000)).toEqual({ claimed: false, result: undefined });
    store.completeIdempotencyKey('open:T1:U1:abc', { mappingId: 'M1' });
    expect(store.claimIdempotencyKey('open:T1:U1:abc', 60_000)).toEqual({ claimed: false, result: { mappingId: 'M1' } });
    expect(store.claimIdempotencyKey('other', 60_000)).toEqual({ claimed: true });
    store.close();
  });

  it('can be claimed again after a release or after the TTL', () => {
    const { store, clock } = memoryStore();
    store.claimIdempotencyKey('k', 10_000);
    store.releaseIdempotencyKey('k');
    expect(store.claimIdempotencyKey('k', 10_000)).toEqual({ claimed: true });
    clock.advance(9_999);
    expect(store.claimIdempotencyKey('k', 10_000).claimed).toBe(false);
    clock.advance(1);
    expect(store.claimIdempotencyKey('k', 10_000)).toEqual({ claimed: true });
    store.close();
  });

  it('keeps a completed null result distinct from "still running"', () => {
    const { store } = memoryStore();
    store.claimIdempotencyKey('k', 10_000);
    store.completeIdempotencyKey('k', null);
    expect(store.claimIdempotencyKey('k', 10_000)).toEqual({ claimed: false, result: null });
    store.close();
  });
});

describe('last confirmed IP', () => {
  it('remembers the latest address per team and user', () => {
    const { store, clock } = memoryStore();
    expect(store.getLastConfirmedIp('T1', 'U1')).toBeUndefined();
    store.setLastConfirmedIp('T1', 'U1', '203.0.113.5');
    clock.advance(5000);
    store.setLastConfirmedIp('T1', 'U1', '203.0.113.77');
    store.setLastConfirmedIp('T2', 'U1', '2001:db8::1');
    expect(store.getLastConfirmedIp('T1', 'U1')).toEqual({ ip: '203.0.113.77', atMs: T0 + 5000 });
    expect(store.getLastConfirmedIp('T2', 'U1')).toEqual({ ip: '2001:db8::1', atMs: T0 + 5000 });
    expect(store.getLastConfirmedIp('T1', 'U2')).toBeUndefined();
    store.close();
  });
});

describe('diagnoses and peeks', () => {
  const diagnosisInput = {
    teamId: 'T1',
    channelId: 'C1',
    requestedBy: 'U1',
    simRefText: 'gw-01',
    simId: 'S1',
    imsi: '440103100000001',
    windowFromMs: T0 - 86_400_000,
    windowToMs: T0,
    verdict: 'source-ip-mismatch',
    diagnosis: { verdict: 'source-ip-mismatch', remedies: [{ kind: 'reopen', sourceCidr: '203.0.113.9/32' }] },
    intent: { devicePort: 22 },
    lang: 'en' as const,
  };

  it('saves, reads and patches a diagnosis', () => {
    const { store, clock } = memoryStore();
    const saved = store.saveDiagnosis(diagnosisInput);
    expect(saved).toEqual({ ...diagnosisInput, id: saved.id, createdAtMs: T0, updatedAtMs: T0 });
    clock.advance(2000);
    const updated = store.updateDiagnosis(saved.id, {
      parentTs: '1736931600.000300',
      verdict: 'healthy',
      diagnosis: { verdict: 'healthy' },
      windowToMs: T0 + 2000,
    });
    expect(updated).toEqual({
      ...saved,
      parentTs: '1736931600.000300',
      verdict: 'healthy',
      diagnosis: { verdict: 'healthy' },
      windowToMs: T0 + 2000,
      updatedAtMs: T0 + 2000,
    });
    expect(store.updateDiagnosis(saved.id, { verdict: 'sim-offline' })).toMatchObject({ parentTs: '1736931600.000300', verdict: 'sim-offline' });
    expect(store.getDiagnosis('missing')).toBeUndefined();
    expect(store.updateDiagnosis('missing', { verdict: 'healthy' })).toBeUndefined();
    store.close();
  });

  it('modifies a diagnosis from the row as stored now, so two interleaved read-modify-writes both survive', () => {
    const { store, clock } = memoryStore();
    const saved = store.saveDiagnosis({ ...diagnosisInput, diagnosis: { run: 1, activity: [] as string[] } });
    type Rec = { run: number; activity: string[] };
    const append = (line: string) => (current: { diagnosis: unknown }) => {
      const record = current.diagnosis as Rec;
      return { diagnosis: { ...record, activity: [...record.activity, line] } };
    };
    // Two actions both read the record first (a re-run about to take minutes, a capture about to finish) ...
    const seenByRerun = store.getDiagnosis(saved.id)?.diagnosis as Rec;
    const seenByCapture = store.getDiagnosis(saved.id)?.diagnosis as Rec;
    expect(seenByCapture).toEqual(seenByRerun);
    // ... then write in turn. Each change starts from what the other wrote, not from what it read earlier.
    clock.advance(1000);
    store.modifyDiagnosis(saved.id, append('capture-done'));
    const after = store.modifyDiagnosis(saved.id, (current) => {
      const record = current.diagnosis as Rec;
      return { verdict: 'healthy', diagnosis: { ...record, run: seenByRerun.run + 1 } };
    });
    expect(after?.diagnosis).toEqual({ run: 2, activity: ['capture-done'] });
    expect(after).toMatchObject({ verdict: 'healthy', updatedAtMs: T0 + 1000 });
    expect(store.getDiagnosis(saved.id)).toEqual(after);

    // The unsafe pattern the method replaces: writing back what was read earlier loses the other change.
    const stale = store.getDiagnosis(saved.id)?.diagnosis as Rec;
    store.modifyDiagnosis(saved.id, append('reopened'));
    store.updateDiagnosis(saved.id, { diagnosis: { ...stale, run: 3 } });
    expect((store.getDiagnosis(saved.id)!.diagnosis as Rec).activity).toEqual(['capture-done']);
    store.close();
  });

  it('writes nothing when the change returns undefined or fails, refuses an async change, and knows no missing id', () => {
    const { store, clock } = memoryStore();
    const saved = store.saveDiagnosis(diagnosisInput);
    clock.advance(1000);
    expect(store.modifyDiagnosis(saved.id, () => undefined)).toEqual(saved);
    expect(() =>
      store.modifyDiagnosis(saved.id, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => store.modifyDiagnosis(saved.id, (async () => ({ verdict: 'healthy' })) as never)).toThrow(
      expect.objectContaining({ code: 'STORE_ASYNC_CHANGE' }),
    );
    expect(store.getDiagnosis(saved.id)).toEqual(saved);
    let called = false;
    expect(
      store.modifyDiagnosis('missing', () => {
        called = true;
        return { verdict: 'healthy' };
      }),
    ).toBeUndefined();
    expect(called).toBe(false);
    store.close();
  });

  it('loses no change when two threads modify the same diagnosis at the same time', async () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const store = openStore({ path, clock });
    const saved = store.saveDiagnosis({ ...diagnosisInput, diagnosis: { activity: [] } });
    store.close();

    const rounds = 40;
    const barrier = new Int32Array(new SharedArrayBuffer(4 * rounds));
    const source = `
      require('tsx/cjs');
      const { workerData, parentPort } = require('node:worker_threads');
      const { openStore } = require(workerData.storeModule);
      const store = openStore({ path: workerData.path, clock: { nowMs: () => workerData.nowMs } });
      for (let index = 0; index < workerData.rounds; index += 1) {
        Atomics.add(workerData.barrier, index, 1);
        while (Atomics.load(workerData.barrier, index) < 2) {}
        store.modifyDiagnosis(workerData.id, (current) => ({
          diagnosis: { activity: [...current.diagnosis.activity, workerData.name + index] },
        }));
      }
      store.close();
      parentPort.postMessage('done');
    `;
    const run = (name: string) =>
      new Promise<unknown>((resolve, reject) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { path, id: saved.id, name, rounds, barrier, nowMs: T0 + 1000, storeModule: join(__dirname, '../../src/storage/index.ts') },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    await Promise.all([run('a'), run('b')]);

    const after = openStore({ path, clock });
    const activity = (after.getDiagnosis(saved.id)!.diagnosis as { activity: string[] }).activity;
    after.close();
    expect(activity).toHaveLength(2 * rounds);
    expect(new Set(activity)).toEqual(new Set(Array.from({ length: rounds }, (_, index) => [`a${index}`, `b${index}`]).flat()));
  });

  it('saves a peek linked to its diagnosis and tracks its status', () => {
    const { store, clock } = memoryStore();
    const diagnosis = store.saveDiagnosis(diagnosisInput);
    const peek = store.savePeek({
      simId: 'S1',
      sessionId: 'peek-1',
      diagnosisId: diagnosis.id,
      channelId: 'C1',
      threadTs: '1.1',
      requestedBy: 'U1',
      teamId: 'T1',
    });
    expect(peek).toMatchObject({ status: 'REQUESTED', diagnosisId: diagnosis.id, createdAtMs: T0 });
    clock.advance(1000);
    expect(store.updatePeek(peek.id, { progressTs: '1.2' })).toMatchObject({ status: 'REQUESTED', progressTs: '1.2', updatedAtMs: T0 + 1000 });
    expect(store.updatePeek(peek.id, { status: 'CAPTURING' })).toMatchObject({ status: 'CAPTURING', progressTs: '1.2' });
    expect(store.getPeek(peek.id)?.status).toBe('CAPTURING');
    expect(store.getPeek('missing')).toBeUndefined();
    store.close();
  });

  it('refuses a peek that names a diagnosis that does not exist (foreign keys are on)', () => {
    const { store } = memoryStore();
    expect(() => store.savePeek({ simId: 'S1', sessionId: 'p', diagnosisId: 'missing', channelId: 'C1', requestedBy: 'U1', teamId: 'T1' })).toThrow(
      /FOREIGN KEY/,
    );
    store.close();
  });
});

describe('restart and migrations', () => {
  it('keeps everything when the same file is opened again', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const before = openStore({ path, clock });
    const { capture, token } = before.createIpCapture(captureInput);
    const mapping = before.saveMapping(mappingInput());
    before.claimIdempotencyKey('k', 60_000);
    before.completeIdempotencyKey('k', { mappingId: mapping.id });
    before.setLastConfirmedIp('T1', 'U1', '203.0.113.5');
    const diagnosis = before.saveDiagnosis({
      teamId: 'T1',
      channelId: 'C1',
      requestedBy: 'U1',
      simRefText: 'gw-01',
      windowFromMs: 0,
      windowToMs: T0,
      verdict: 'healthy',
      diagnosis: { ok: true },
      lang: 'ja',
    });
    const peek = before.savePeek({ simId: 'S1', sessionId: 'p', channelId: 'C1', requestedBy: 'U1', teamId: 'T1' });
    before.recordLedger({ kind: 'open', teamId: 'T1', userId: 'U1', mappingId: mapping.id });
    before.close();

    const after = openStore({ path, clock });
    expect(after.peekIpCapture(token)).toEqual(capture);
    expect(after.getMapping(mapping.id)).toEqual(mapping);
    expect(after.claimIdempotencyKey('k', 60_000)).toEqual({ claimed: false, result: { mappingId: mapping.id } });
    expect(after.getLastConfirmedIp('T1', 'U1')).toEqual({ ip: '203.0.113.5', atMs: T0 });
    expect(after.getDiagnosis(diagnosis.id)).toEqual(diagnosis);
    expect(after.getPeek(peek.id)).toEqual(peek);
    expect(after.listLedger({ mappingId: mapping.id })).toHaveLength(1);
    expect('error' in after.consumeIpCapture(token)).toBe(false);
    after.close();

    const third = openStore({ path, clock });
    expect(third.consumeIpCapture(token)).toEqual({ error: 'used' });
    third.close();
  });

  it('applies each migration once and records the schema version', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    openStore({ path, clock }).close();
    openStore({ path, clock }).close();
    const db = new Database(path, { readonly: true });
    const versions = db.prepare('SELECT version FROM schema_version ORDER BY version').all();
    const journal = db.pragma('journal_mode', { simple: true });
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    expect(journal).toBe('wal');
  });

  it('upgrades an existing database with a new migration, keeping its data', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    const v1 = openStore({ path, clock });
    const mapping = v1.saveMapping(mappingInput());
    v1.close();
    const extra = { version: MIGRATIONS.length + 1, sql: 'ALTER TABLE mappings ADD COLUMN note TEXT' };
    const v2 = openStore({ path, clock, migrations: [...MIGRATIONS, extra] });
    expect(v2.getMapping(mapping.id)).toEqual(mapping);
    v2.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: extra.version });
    db.close();
  });

  it('rolls back a migration that fails, leaving the version unchanged', () => {
    const path = freshPath();
    const clock = new ManualClock(T0);
    openStore({ path, clock }).close();
    const broken = { version: MIGRATIONS.length + 1, sql: 'CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL' };
    expect(() => openStore({ path, clock, migrations: [...MIGRATIONS, broken] })).toThrow(StoreError);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: MIGRATIONS.length });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('names the path when the database cannot be opened', () => {
    expect(() => openStore({ path: join(dir, 'no-such-dir', 'x.db'), clock: new ManualClock(T0) })).toThrow(/no-such-dir.*NAPTER_DB/);
  });
});

import { diagnose } from '../../../src/domain/diagnosis/diagnose';
import type { DiagnoseInput, Diagnosis, Remedy, VerdictId } from '../../../src/domain/diagnosis/types';
import { VERDICT_IDS } from '../../../src/domain/diagnosis/types';
import type { AuditEvent } from '../../../src/domain/soracom';
import { ENDED_AT_ONCE_MS, JUST_OPENED_MS, NORMAL_USE_MIN_MS } from '../../../src/domain/diagnosis/facts';
import {
  attempt,
  attempts,
  created,
  deleted,
  diagnoseInput,
  expired,
  HOUR_MS,
  MINUTE_MS,
  NOW_MS,
  OTHER_USER_IP,
  portMapping,
  scannerHits,
  simSnapshot,
  USER_IP,
} from './factories';

const evidenceTypes = (diagnosis: Diagnosis): string[] => diagnosis.evidence.map((item) => item.event.type);
const whyKeys = (diagnosis: Diagnosis): string[] => diagnosis.evidence.map((item) => item.why.key);
const noteKeys = (diagnosis: Diagnosis): string[] => diagnosis.notes.map((note) => note.key);
const stepKeys = (diagnosis: Diagnosis): string[] => diagnosis.nextSteps.map((step) => step.key);

interface VerdictCase {
  readonly name: string;
  readonly input: () => DiagnoseInput;
  readonly verdict: VerdictId;
  readonly evidence: readonly string[];
  readonly remedies: readonly Remedy[];
  readonly check?: (diagnosis: Diagnosis, input: DiagnoseInput) => void;
}

const mappingCreatedAt = NOW_MS - 20 * MINUTE_MS;
const activeMapping = (overrides: Partial<Parameters<typeof portMapping>[0]> = {}) => portMapping({ createdAtMs: mappingCreatedAt, ...overrides });

const VERDICT_CASES: readonly VerdictCase[] = [
  {
    name: 'no SIM matched',
    input: () => diagnoseInput({ sim: undefined }),
    verdict: 'sim-not-found',
    evidence: [],
    remedies: [],
    check: (d) => expect(stepKeys(d)).toEqual(['diagnosis.step.check-sim-ref']),
  },
  {
    name: 'a suspended SIM',
    input: () => diagnoseInput({ sim: simSnapshot({ status: 'suspended' }), mappings: [activeMapping()] }),
    verdict: 'sim-inactive',
    evidence: [],
    remedies: [],
    check: (d) => expect(d.summary.params).toEqual({ status: { key: 'diagnosis.sim-status.suspended' } }),
  },
  {
    name: 'an offline device comes before mapping problems',
    input: () =>
      diagnoseInput({
        sim: simSnapshot({ online: false }),
        mappings: [activeMapping({ tlsRequired: true })],
        events: [created(mappingCreatedAt)],
      }),
    verdict: 'sim-offline',
    evidence: [],
    remedies: [{ kind: 'draft-ticket' }],
  },
  {
    name: 'no mapping and no events',
    input: () => diagnoseInput(),
    verdict: 'no-mapping',
    evidence: [],
    remedies: [{ kind: 'reopen' }],
  },
  {
    name: 'the mapping expired and the attempts after it are denied',
    input: () => {
      const createdAtMs = NOW_MS - 90 * MINUTE_MS;
      return diagnoseInput({
        mappings: [portMapping({ createdAtMs })],
        events: [
          created(createdAtMs),
          ...attempt({ atMs: createdAtMs + 2 * MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
          expired(createdAtMs + 30 * MINUTE_MS),
          ...attempts(3, { atMs: NOW_MS - 10 * MINUTE_MS, ip: USER_IP, outcome: 'denied' }),
        ],
      });
    },
    verdict: 'mapping-expired',
    evidence: ['EXPIRED', 'DENIED', 'DENIED', 'DENIED'],
    remedies: [{ kind: 'reopen' }],
    check: (d) => {
      expect(whyKeys(d)).toEqual([
        'diagnosis.why.expired',
        'diagnosis.why.denied-after-end',
        'diagnosis.why.denied-after-end',
        'diagnosis.why.denied-after-end',
      ]);
      expect(stepKeys(d)).toEqual(['diagnosis.step.open-again', 'diagnosis.step.default-duration', 'diagnosis.step.api-unit-seconds']);
      expect(d.causes).toEqual(['mapping-expired']);
    },
  },
  {
    name: 'the listing says expired though the EXPIRED event is not in the log yet; nothing ever reached it',
    input: () => diagnoseInput({ mappings: [portMapping({ createdAtMs: NOW_MS - 45 * MINUTE_MS })], events: [created(NOW_MS - 45 * MINUTE_MS)] }),
    verdict: 'mapping-expired',
    evidence: ['CREATED'],
    remedies: [{ kind: 'reopen' }],
    check: (d) => {
      // The guide: CREATED/EXPIRED but no ACCESS → the network; expired too.
      expect(d.summary.key).toBe('diagnosis.verdict.mapping-expired.summary-never-reached');
      expect(d.causes).toEqual(['mapping-expired', 'client-network-blocked']);
      expect(stepKeys(d)).toEqual([
        'diagnosis.step.open-again',
        'diagnosis.step.expired-without-access',
        'diagnosis.step.ask-network-admin',
        'diagnosis.step.default-duration',
        'diagnosis.step.api-unit-seconds',
      ]);
    },
  },
  {
    name: 'the mapping was deleted early',
    input: () =>
      diagnoseInput({
        events: [
          created(NOW_MS - 30 * MINUTE_MS),
          deleted(NOW_MS - 20 * MINUTE_MS),
          ...attempts(2, { atMs: NOW_MS - 5 * MINUTE_MS, ip: USER_IP, outcome: 'denied' }),
        ],
      }),
    verdict: 'mapping-expired',
    evidence: ['DELETED', 'DENIED', 'DENIED'],
    remedies: [{ kind: 'reopen' }],
    check: (d) => expect(d.summary.key).toBe('diagnosis.verdict.mapping-expired.summary-deleted'),
  },
  {
    name: 'TLS on a mapping to SSH',
    input: () => diagnoseInput({ mappings: [activeMapping({ tlsRequired: true })], events: [created(mappingCreatedAt)] }),
    verdict: 'tls-on-non-tls-protocol',
    evidence: ['CREATED'],
    remedies: [{ kind: 'reopen-with-fix', fix: { tlsRequired: false } }],
    check: (d) => {
      expect(d.summary.params).toEqual({ port: 22, protocol: 'SSH' });
      expect(d.causes).toEqual(['tls-on-non-tls-protocol']);
    },
  },
  {
    name: 'CONNECTED with TLS to RDP, mapping known only from the log',
    input: () =>
      diagnoseInput({
        events: [
          created(mappingCreatedAt, 3389),
          ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', port: 3389, tls: true, closeAfterMs: 300 }),
        ],
      }),
    verdict: 'tls-on-non-tls-protocol',
    evidence: ['CONNECTED'],
    remedies: [{ kind: 'reopen-with-fix', fix: { tlsRequired: false } }],
    check: (d) => expect(whyKeys(d)).toEqual(['diagnosis.why.connected-with-tls']),
  },
  {
    name: 'CREATED and no ACCESS since',
    input: () => diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt)] }),
    verdict: 'client-network-blocked',
    evidence: ['CREATED'],
    remedies: [{ kind: 'draft-ticket' }],
    check: (d) => {
      expect(whyKeys(d)).toEqual(['diagnosis.why.created-no-access']);
      expect(stepKeys(d)[0]).toBe('diagnosis.step.ask-network-admin');
    },
  },
  {
    name: 'DENIED from an address outside the range while the mapping is active',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping()],
        intent: { actionTimesMs: [mappingCreatedAt] },
        events: [created(mappingCreatedAt), ...attempts(4, { atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
    verdict: 'source-ip-mismatch',
    evidence: ['DENIED', 'DENIED', 'DENIED', 'DENIED'],
    remedies: [{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } }, { kind: 'reopen' }],
    check: (d) => {
      expect(d.observedSources).toEqual([
        expect.objectContaining({ ip: OTHER_USER_IP, count: 4, admitted: false, likelyUser: true, types: { ACCESS: 4, DENIED: 4, CLOSED: 4 } }),
      ]);
      expect(d.causes).toEqual(['source-ip-mismatch']);
      expect(whyKeys(d)).toEqual(Array(4).fill('diagnosis.why.denied-outside-range'));
    },
  },
  {
    name: 'REFUSED after repeated DENIED',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping()],
        events: [
          created(mappingCreatedAt),
          ...attempts(3, { atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied', everyMs: 2000 }),
          ...attempt({ atMs: mappingCreatedAt + 2 * MINUTE_MS, ip: OTHER_USER_IP, outcome: 'refused' }),
        ],
      }),
    verdict: 'source-ip-refused',
    evidence: ['DENIED', 'DENIED', 'DENIED', 'REFUSED'],
    remedies: [{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } }, { kind: 'reopen' }],
    check: (d) => {
      expect(stepKeys(d)[0]).toBe('diagnosis.step.stop-retrying');
      expect(d.causes).toEqual(['source-ip-refused']);
    },
  },
  {
    name: 'CONNECTED then CLOSED at once, the probe got an answer: the application hangs up on the client',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping()],
        probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS },
        events: [created(mappingCreatedAt), ...attempts(3, { atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 120 })],
      }),
    verdict: 'device-side-problem',
    evidence: ['CONNECTED', 'CLOSED', 'CONNECTED', 'CLOSED', 'CONNECTED', 'CLOSED'],
    remedies: [{ kind: 'packet-capture' }, { kind: 'draft-ticket' }],
    check: (d) => {
      expect(whyKeys(d).filter((key) => key === 'diagnosis.why.ended-at-once')).toHaveLength(3);
      expect(d.summary.key).toBe('diagnosis.verdict.device-side-problem.summary-closed-at-once');
      expect(d.deviceCause).toBe('closed-at-once');
      expect(noteKeys(d)).toContain('diagnosis.note.probe-answered-look-further');
      expect(d.causes).toEqual(['device-application-down']);
      expect(stepKeys(d)).toEqual([
        'diagnosis.step.check-device-application',
        'diagnosis.step.check-tls-end-to-end',
        'diagnosis.step.check-device-port',
        'diagnosis.step.check-device-firewall',
        'diagnosis.step.capture-packets',
      ]);
    },
  },
  {
    name: 'the mapping points at another port than the user meant',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping({ port: 22 })],
        intent: { devicePort: 8080 },
        events: [created(mappingCreatedAt), ...attempts(2, { atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })],
      }),
    verdict: 'device-side-problem',
    evidence: ['CONNECTED', 'CONNECTED', 'CLOSED', 'CLOSED'],
    remedies: [{ kind: 'reopen-with-fix', fix: { port: 8080 } }, { kind: 'probe', port: 8080 }, { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
    check: (d) => {
      expect(stepKeys(d)[0]).toBe('diagnosis.step.open-with-intended-port');
      expect(d.summary).toEqual({ key: 'diagnosis.verdict.device-side-problem.summary-wrong-port', params: { port: 22, intended: 8080, seconds: 0 } });
      expect(d.causes).toEqual(['wrong-device-port']);
    },
  },
  {
    name: 'the probe was refused and nothing of the user’s reached the device',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping()],
        probe: { kind: 'refused', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'SEM0100: connection refused', elapsedMs: 130 },
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'access-only', closeAfterMs: 3000 })],
      }),
    verdict: 'device-port-closed',
    evidence: ['ACCESS', 'CLOSED'],
    remedies: [{ kind: 'packet-capture' }, { kind: 'probe', port: 22 }, { kind: 'draft-ticket' }],
    check: (d) => {
      expect(d.summary).toEqual({ key: 'diagnosis.verdict.device-port-closed.summary', params: { port: 22 } });
      expect(d.deviceCause).toBe('refused');
      expect(stepKeys(d)[0]).toBe('diagnosis.step.check-service-listening');
    },
  },
  {
    name: 'connected with normal sessions',
    input: () =>
      diagnoseInput({
        mappings: [activeMapping()],
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })],
      }),
    verdict: 'healthy',
    evidence: ['CONNECTED', 'CLOSED'],
    remedies: [{ kind: 'probe', port: 22 }, { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
    check: (d) => {
      expect(d.causes).toEqual([]);
      expect(stepKeys(d)[0]).toBe('diagnosis.step.look-at-client');
    },
  },
  {
    name: 'an active mapping but no events at all',
    input: () => diagnoseInput({ mappings: [activeMapping()] }),
    verdict: 'insufficient-evidence',
    evidence: [],
    remedies: [{ kind: 'packet-capture' }],
    check: (d) => {
      expect(stepKeys(d)).toEqual(['diagnosis.step.try-now-while-watching', 'diagnosis.step.start-peek']);
      expect(noteKeys(d)).toContain('diagnosis.note.retention-empty');
    },
  },
];

describe('diagnose: one case per verdict', () => {
  test.each(VERDICT_CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const input = testCase.input();
    const diagnosis = diagnose(input);
    expect(diagnosis.verdict).toBe(testCase.verdict);
    expect(evidenceTypes(diagnosis)).toEqual(testCase.evidence);
    expect(diagnosis.remedies).toEqual(testCase.remedies);
    expect(diagnosis.window).toEqual(input.window);
    testCase.check?.(diagnosis, input);
  });

  test('the table covers every verdict id', () => {
    const covered = new Set(VERDICT_CASES.map((c) => c.verdict));
    expect(VERDICT_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('diagnose: real, messy logs', () => {
  test('several mappings in the window: the latest decides, the older one is set aside', () => {
    const oldCreatedAt = NOW_MS - 5 * HOUR_MS;
    const newCreatedAt = NOW_MS - 30 * MINUTE_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [portMapping({ createdAtMs: newCreatedAt, durationSec: 3600 })],
        events: [
          created(oldCreatedAt),
          expired(oldCreatedAt + 30 * MINUTE_MS),
          ...attempts(3, { atMs: oldCreatedAt + 40 * MINUTE_MS, ip: USER_IP, outcome: 'denied' }),
          created(newCreatedAt),
          ...attempt({ atMs: newCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
    expect(diagnosis.mapping?.createdAtMs).toBe(newCreatedAt);
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.older-mappings', params: { count: 3 } });
    expect(diagnosis.causes).not.toContain('mapping-expired');
  });

  test('a TLS mistake on an older mapping does not blame the current one', () => {
    const oldCreatedAt = NOW_MS - 3 * HOUR_MS;
    const newCreatedAt = NOW_MS - 20 * MINUTE_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [portMapping({ createdAtMs: newCreatedAt, tlsRequired: false })],
        events: [
          created(oldCreatedAt),
          ...attempts(2, { atMs: oldCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', tls: true, closeAfterMs: 200 }),
          expired(oldCreatedAt + 30 * MINUTE_MS),
          created(newCreatedAt),
          ...attempt({ atMs: newCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
    expect(diagnosis.causes).not.toContain('tls-on-non-tls-protocol');
  });

  test('events of many connection ids interleaved, newest first: the connections are told apart', () => {
    // Three connections whose ACCESS/CONNECTED/CLOSED overlap in time; the latest one ended at once.
    const base = mappingCreatedAt + MINUTE_MS;
    const events: AuditEvent[] = [
      ...attempt({ atMs: base, ip: USER_IP, outcome: 'connected', closeAfterMs: 5 * MINUTE_MS }),
      ...attempt({ atMs: base + 100, ip: USER_IP, outcome: 'connected', closeAfterMs: 4 * MINUTE_MS }),
      ...attempt({ atMs: base + 200, ip: USER_IP, outcome: 'connected', closeAfterMs: 400 }),
    ];
    const diagnosis = diagnose(diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt), ...events] }));
    expect(diagnosis.verdict).toBe('device-side-problem');
    const atOnce = diagnosis.evidence.filter((item) => item.why.key === 'diagnosis.why.ended-at-once');
    expect(atOnce).toHaveLength(1);
    expect(atOnce[0]?.event.atMs).toBe(base + 200 + 15 + 400);
  });

  test('the order of events does not matter (newest first, oldest first, shuffled)', () => {
    const events = [
      created(mappingCreatedAt),
      ...scannerHits(6, mappingCreatedAt, 15 * MINUTE_MS),
      ...attempts(4, { atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' }),
    ];
    const base = { mappings: [activeMapping()], window: { fromMs: NOW_MS - 24 * HOUR_MS, toMs: NOW_MS }, nowMs: NOW_MS, sim: simSnapshot() };
    const newest = diagnose({ ...base, events: [...events].sort((a, b) => b.atMs - a.atMs) });
    const oldest = diagnose({ ...base, events: [...events].sort((a, b) => a.atMs - b.atMs) });
    const shuffled = diagnose({
      ...base,
      events: events
        .map((e, i) => [(i * 7919) % 101, e] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, e]) => e),
    });
    expect(newest.verdict).toBe('source-ip-mismatch');
    expect(oldest).toEqual(newest);
    expect(shuffled).toEqual(newest);
  });

  test('a few scanner DENIEDs do not turn a healthy connection into a source-ip-mismatch', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [
          created(mappingCreatedAt),
          ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
          ...scannerHits(5, mappingCreatedAt + 2 * MINUTE_MS, 15 * MINUTE_MS),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
    expect(diagnosis.causes).toEqual([]);
    expect(diagnosis.observedSources[0]).toEqual(expect.objectContaining({ ip: USER_IP, likelyUser: true, admitted: true, count: 1 }));
    expect(diagnosis.observedSources.filter((source) => !source.likelyUser)).toHaveLength(5);
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.scanners', params: { addresses: 5, attempts: 5 } });
  });

  test('scanner DENIEDs after expiry leave the verdict at mapping-expired', () => {
    const createdAtMs = NOW_MS - 2 * HOUR_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        events: [
          created(createdAtMs),
          expired(createdAtMs + 30 * MINUTE_MS),
          ...scannerHits(4, createdAtMs + 5 * MINUTE_MS, HOUR_MS),
          ...attempts(2, { atMs: NOW_MS - 3 * MINUTE_MS, ip: USER_IP, outcome: 'denied' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('mapping-expired');
    // Only the user's attempts are evidence; the scanners are counted in a note.
    expect(diagnosis.evidence.filter((item) => item.event.type === 'DENIED').map((item) => item.event.sourceIp)).toEqual([USER_IP, USER_IP]);
  });

  test('repeated attempts are the user’s candidates wherever they fall; the remedy offers the one denied most while the mapping lived', () => {
    const actionAt = mappingCreatedAt + 2 * MINUTE_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        intent: { actionTimesMs: [actionAt] },
        events: [
          created(mappingCreatedAt),
          ...attempts(2, { atMs: mappingCreatedAt - 10 * HOUR_MS, ip: '192.0.2.77', outcome: 'denied' }),
          ...attempts(3, { atMs: actionAt + 30_000, ip: OTHER_USER_IP, outcome: 'denied' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('source-ip-mismatch');
    expect(diagnosis.remedies[0]).toEqual({ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } });
    const byIp = Object.fromEntries(diagnosis.observedSources.map((s) => [s.ip, s.likelyUser]));
    expect(byIp).toEqual({ [OTHER_USER_IP]: true, '192.0.2.77': true });
    expect(diagnosis.remedies.filter((remedy) => remedy.kind === 'reopen-with-fix')).toEqual([{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } }]);
  });

  test('the intent’s source address marks the user even for a single attempt', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping({ ranges: ['192.0.2.0/28'] })],
        intent: { sourceIp: OTHER_USER_IP },
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
    );
    expect(diagnosis.verdict).toBe('source-ip-mismatch');
    expect(diagnosis.observedSources[0]).toEqual(expect.objectContaining({ ip: OTHER_USER_IP, likelyUser: true, admitted: false }));
  });

  test('only scanners reached the endpoint: the user’s network is blocking it', () => {
    const diagnosis = diagnose(
      diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt), ...scannerHits(3, mappingCreatedAt + MINUTE_MS, 10 * MINUTE_MS)] }),
    );
    expect(diagnosis.verdict).toBe('client-network-blocked');
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.others-reached-endpoint', params: { attempts: 3 } });
  });

  test('a window longer than the retention gets a note when nothing older came back', () => {
    const events = [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })];
    const long = diagnose(diagnoseInput({ mappings: [activeMapping()], events, window: { fromMs: NOW_MS - 72 * HOUR_MS, toMs: NOW_MS } }));
    const day = diagnose(diagnoseInput({ mappings: [activeMapping()], events }));
    const paidRetention = diagnose(
      diagnoseInput({ mappings: [activeMapping()], events, window: { fromMs: NOW_MS - 72 * HOUR_MS, toMs: NOW_MS }, retentionMs: 366 * 24 * HOUR_MS }),
    );
    expect(long.notes).toContainEqual({ key: 'diagnosis.note.retention', params: { hours: 24 } });
    expect(noteKeys(day)).not.toContain('diagnosis.note.retention');
    expect(noteKeys(paidRetention)).not.toContain('diagnosis.note.retention');
  });

  test('a session proves use only past any connect timeout: at once is device-side, a lone short one is not enough either way', () => {
    const run = (closeAfterMs: number) =>
      diagnose(
        diagnoseInput({
          mappings: [activeMapping()],
          events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs })],
        }),
      );
    expect(run(ENDED_AT_ONCE_MS - 1).verdict).toBe('device-side-problem');
    const short = run(60_000);
    expect(short.verdict).toBe('insufficient-evidence');
    expect(short.notes).toContainEqual({ key: 'diagnosis.note.session-too-short', params: { seconds: 60, threshold: NORMAL_USE_MIN_MS / 1000 } });
    expect(run(NORMAL_USE_MIN_MS - 1).verdict).toBe('insufficient-evidence');
    expect(run(NORMAL_USE_MIN_MS).verdict).toBe('healthy');
  });

  test('events of another IMSI are ignored', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [
          created(mappingCreatedAt),
          ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
          ...attempts(3, { atMs: mappingCreatedAt + 2 * MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied', imsi: '295050000000999' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
    expect(diagnosis.observedSources.map((s) => s.ip)).toEqual([USER_IP]);
  });

  test('an expired mapping that also denied the user’s address offers the reopen with that address first', () => {
    const createdAtMs = NOW_MS - 50 * MINUTE_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [portMapping({ createdAtMs })],
        events: [
          created(createdAtMs),
          ...attempts(3, { atMs: createdAtMs + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' }),
          expired(createdAtMs + 30 * MINUTE_MS),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('mapping-expired');
    expect(diagnosis.causes).toEqual(['mapping-expired', 'source-ip-mismatch']);
    expect(diagnosis.remedies).toEqual([{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } }, { kind: 'reopen' }]);
  });

  test('a mapping that lived only a minute gets the seconds-vs-minutes note', () => {
    const createdAtMs = NOW_MS - 10 * MINUTE_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [portMapping({ createdAtMs, durationSec: 60 })],
        events: [created(createdAtMs), expired(createdAtMs + MINUTE_MS), ...attempts(2, { atMs: createdAtMs + 3 * MINUTE_MS, ip: USER_IP, outcome: 'denied' })],
      }),
    );
    expect(diagnosis.verdict).toBe('mapping-expired');
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.short-duration', params: { seconds: 60 } });
    const normal = diagnose(
      diagnoseInput({ mappings: [portMapping({ createdAtMs: NOW_MS - HOUR_MS })], events: [created(NOW_MS - HOUR_MS), expired(NOW_MS - 30 * MINUTE_MS)] }),
    );
    expect(noteKeys(normal)).not.toContain('diagnosis.note.short-duration');
  });

  test('no ACCESS at all: the TCP-only step (ping and UDP never reach Napter) comes with the network steps', () => {
    const diagnosis = diagnose(diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt)] }));
    expect(diagnosis.verdict).toBe('client-network-blocked');
    expect(stepKeys(diagnosis)).toContain('diagnosis.step.tcp-only');
  });

  test('causes come in the guide’s order', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping({ tlsRequired: true, port: 22 })],
        intent: { devicePort: 3389 },
        events: [created(mappingCreatedAt)],
      }),
    );
    expect(diagnosis.verdict).toBe('tls-on-non-tls-protocol');
    expect(diagnosis.causes).toEqual(['tls-on-non-tls-protocol', 'wrong-device-port']);
  });

  test('a user who was denied from one address and then connected from the right one is healthy', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [
          created(mappingCreatedAt),
          ...attempts(3, { atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' }),
          ...attempt({ atMs: mappingCreatedAt + 5 * MINUTE_MS, ip: USER_IP, outcome: 'connected' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
  });

  test('an answered probe agrees with a healthy verdict and is noted; no probe button is offered', () => {
    const probe = { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS } as const;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        probe,
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })],
      }),
    );
    expect(diagnosis.verdict).toBe('healthy');
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.probe-answered', params: { port: 22 } });
    expect(diagnosis.remedies).not.toContainEqual(expect.objectContaining({ kind: 'probe' }));
    expect(diagnosis.probe).toEqual(probe);
  });

  test('evidence is in time order and never repeats an event', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [created(mappingCreatedAt), ...attempts(8, { atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
    );
    const times = diagnosis.evidence.map((item) => item.event.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(diagnosis.evidence.map((item) => item.event)).size).toBe(diagnosis.evidence.length);
    expect(diagnosis.evidence.length).toBe(5);
    // The five latest of the eight denials are shown.
    expect(times[0]).toBe(mappingCreatedAt + MINUTE_MS + 3 * 20_000 + 15);
  });
});

describe('diagnose: the evidence read the way the guide reads it', () => {
  const refused = (port = 22): DiagnoseInput['probe'] => ({
    kind: 'refused',
    port,
    method: 'tcp-wait-first',
    atMs: NOW_MS,
    message: 'SEM0100: connection refused',
    elapsedMs: 120,
  });
  const silent = (port: number, conclusive: boolean): DiagnoseInput['probe'] => ({
    kind: 'no-answer',
    port,
    method: 'tcp-wait-first',
    atMs: NOW_MS,
    message: 'SEM0100: no data within the timeout',
    elapsedMs: 5000,
    conclusive,
  });

  test('CONNECTED sessions that were used outrank a failed probe: healthy, with the contradiction as a note', () => {
    for (const probe of [refused(80), silent(80, true)]) {
      const diagnosis = diagnose(
        diagnoseInput({
          mappings: [activeMapping({ port: 80, tlsRequired: true })],
          probe,
          events: [created(mappingCreatedAt, 80), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', port: 80, tls: true })],
        }),
      );
      expect(diagnosis.verdict).toBe('healthy');
      expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.probe-contradicts-sessions', params: { port: 80 } });
    }
  });

  test('a silent probe of a port that waits for its client proves nothing', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping({ port: 502 })],
        probe: silent(502, false),
        events: [created(mappingCreatedAt, 502)],
      }),
    );
    expect(diagnosis.verdict).toBe('client-network-blocked');
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.probe-inconclusive', params: { port: 502 } });
  });

  test('one DENIED from the user’s real address, a minute after the open: the address, not the network', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
    );
    expect(diagnosis.verdict).toBe('source-ip-mismatch');
    expect(diagnosis.causes).toEqual(['source-ip-mismatch']);
    expect(diagnosis.observedSources).toEqual([expect.objectContaining({ ip: OTHER_USER_IP, likelyUser: true, count: 1 })]);
    expect(diagnosis.remedies).toEqual([{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } }, { kind: 'reopen' }]);
    expect(stepKeys(diagnosis)).toContain('diagnosis.step.confirm-observed-address');
    expect(stepKeys(diagnosis)).not.toContain('diagnosis.step.ask-network-admin');
  });

  test('two DENIED from one address long after the bot’s open are still the user, not scanners', () => {
    const openedAt = NOW_MS - 3 * HOUR_MS;
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [portMapping({ createdAtMs: openedAt, durationSec: 4 * 3600 })],
        intent: { actionTimesMs: [openedAt] },
        events: [created(openedAt), ...attempts(2, { atMs: NOW_MS - 30 * MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
    );
    expect(diagnosis.verdict).toBe('source-ip-mismatch');
  });

  test('DENIED from two addresses: both shown, one "that address is mine" button each, the most denied first', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [
          created(mappingCreatedAt),
          ...attempts(2, { atMs: mappingCreatedAt + MINUTE_MS, ip: '192.0.2.50', outcome: 'denied' }),
          ...attempt({ atMs: mappingCreatedAt + 4 * MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('source-ip-mismatch');
    expect(diagnosis.summary.params).toEqual({ count: 3, addresses: '192.0.2.x, 198.51.100.x' });
    expect(diagnosis.remedies).toEqual([
      { kind: 'reopen-with-fix', fix: { sourceIp: '192.0.2.50' } },
      { kind: 'reopen-with-fix', fix: { sourceIp: OTHER_USER_IP } },
      { kind: 'reopen' },
    ]);
  });

  test('a crowd of single attempts from many addresses is scanner noise; one or two lone addresses are not', () => {
    const crowd = diagnose(
      diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt), ...scannerHits(3, mappingCreatedAt + MINUTE_MS, 10 * MINUTE_MS)] }),
    );
    const pair = diagnose(
      diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt), ...scannerHits(2, mappingCreatedAt + MINUTE_MS, 10 * MINUTE_MS)] }),
    );
    expect(crowd.verdict).toBe('client-network-blocked');
    expect(pair.verdict).toBe('source-ip-mismatch');
  });

  test('right after the open, nobody has tried yet: insufficient evidence, never "blocked"', () => {
    const openedAt = NOW_MS - 40_000;
    const diagnosis = diagnose(diagnoseInput({ mappings: [portMapping({ createdAtMs: openedAt })], events: [created(openedAt)] }));
    expect(diagnosis.verdict).toBe('insufficient-evidence');
    expect(diagnosis.summary).toEqual({ key: 'diagnosis.verdict.insufficient-evidence.summary-just-opened', params: { seconds: 40 } });
    expect(stepKeys(diagnosis)[0]).toBe('diagnosis.step.connect-now');
    expect(diagnosis.causes).toEqual([]);
    // Five minutes on, still nothing: now the guide's reading applies.
    const later = diagnose(
      diagnoseInput({ mappings: [portMapping({ createdAtMs: openedAt })], events: [created(openedAt)], nowMs: openedAt + JUST_OPENED_MS }),
    );
    expect(later.verdict).toBe('client-network-blocked');
  });

  test('right after the open, a refused probe says the port is closed before anyone wastes a try', () => {
    const openedAt = NOW_MS - 60_000;
    const diagnosis = diagnose(diagnoseInput({ mappings: [portMapping({ createdAtMs: openedAt })], events: [created(openedAt)], probe: refused() }));
    expect(diagnosis.verdict).toBe('device-port-closed');
    expect(diagnosis.deviceCause).toBe('refused');
  });

  test.each([
    ['HTTPS on 443', 443, undefined, undefined, 'HTTPS'],
    ['VNC on 5900', 5900, undefined, undefined, 'VNC'],
    ['SSH on 2222, named by the configuration', 2222, undefined, { 2222: 'ssh' }, 'SSH'],
    ['SSH on 2222, named by the user’s open', 2222, { devicePort: 2222, protocol: 'ssh' }, undefined, 'SSH'],
  ] as const)('TLS misuse on %s', (_name, port, intent, protocolsByPort, protocol) => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping({ port, tlsRequired: true })],
        events: [created(mappingCreatedAt, port)],
        ...(intent === undefined ? {} : { intent }),
        ...(protocolsByPort === undefined ? {} : { protocolsByPort }),
      }),
    );
    expect(diagnosis.verdict).toBe('tls-on-non-tls-protocol');
    expect(diagnosis.summary.params).toEqual({ port, protocol });
    expect(diagnosis.remedies).toEqual([{ kind: 'reopen-with-fix', fix: { tlsRequired: false } }]);
  });

  test('TLS on an HTTP port, or on a port nobody names, is not misuse', () => {
    for (const port of [80, 2222]) {
      const diagnosis = diagnose(diagnoseInput({ mappings: [activeMapping({ port, tlsRequired: true })], events: [created(mappingCreatedAt, port)] }));
      expect(diagnosis.verdict).toBe('client-network-blocked');
    }
  });

  test('connections that hang until the same timeout, again and again, are the device’s: no answer', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS },
        events: [
          created(mappingCreatedAt),
          ...attempts(3, { atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 30_000, everyMs: 40_000 }),
        ],
      }),
    );
    expect(diagnosis.verdict).toBe('device-side-problem');
    expect(diagnosis.deviceCause).toBe('no-answer');
    expect(diagnosis.summary).toEqual({ key: 'diagnosis.verdict.device-side-problem.summary-no-answer', params: { port: 22, intended: 22, seconds: 30 } });
    expect(diagnosis.causes).toEqual(['device-firewall', 'device-routing-other-interface']);
    expect(stepKeys(diagnosis).slice(0, 2)).toEqual(['diagnosis.step.check-device-firewall', 'diagnosis.step.check-device-routing']);
    expect(whyKeys(diagnosis)).toContain('diagnosis.why.ended-after-timeout');
    // The platform got an answer where the user did not: a rule by source address, or a route.
    expect(noteKeys(diagnosis)).toContain('diagnosis.note.probe-answered-not-you');
  });

  test('one short connection is not normal use, but with a probe that heard nothing from an SSH server it is the device’s', () => {
    const events = [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 30_000 })];
    expect(diagnose(diagnoseInput({ mappings: [activeMapping()], events })).verdict).toBe('insufficient-evidence');
    const withProbe = diagnose(diagnoseInput({ mappings: [activeMapping()], events, probe: silent(22, true) }));
    expect(withProbe.verdict).toBe('device-side-problem');
    expect(withProbe.deviceCause).toBe('no-answer');
  });

  test('ACCESS then CLOSED without CONNECTED is device-side', () => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        events: [created(mappingCreatedAt), ...attempt({ atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'access-only' })],
      }),
    );
    expect(diagnosis.verdict).toBe('device-side-problem');
    expect(diagnosis.summary.key).toBe('diagnosis.verdict.device-side-problem.summary');
    expect(diagnosis.deviceCause).toBeUndefined();
  });

  test.each([
    ['refused by the probe', refused(), 'refused', 'summary-refused', 'diagnosis.step.check-service-listening'],
    ['no SSH greeting for the probe', silent(22, true), 'closed-at-once', 'summary-wrong-service', 'diagnosis.step.check-device-port'],
    ['no probe', undefined, 'closed-at-once', 'summary-closed-at-once', 'diagnosis.step.check-device-application'],
  ] as const)('connections closed at once, %s: a specific headline and first step', (_name, probe, cause, headline, firstStep) => {
    const diagnosis = diagnose(
      diagnoseInput({
        mappings: [activeMapping()],
        ...(probe === undefined ? {} : { probe }),
        events: [created(mappingCreatedAt), ...attempts(2, { atMs: mappingCreatedAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 240 })],
      }),
    );
    expect(diagnosis.verdict).toBe('device-side-problem');
    expect(diagnosis.deviceCause).toBe(cause);
    expect(diagnosis.summary.key).toBe(`diagnosis.verdict.device-side-problem.${headline}`);
    expect(stepKeys(diagnosis)[0]).toBe(firstStep);
  });

  test('an unreadable audit entry is counted in a note', () => {
    const diagnosis = diagnose(diagnoseInput({ mappings: [activeMapping()], events: [created(mappingCreatedAt)], malformedEventCount: 1 }));
    expect(diagnosis.notes).toContainEqual({ key: 'diagnosis.note.malformed-events', params: { count: 1 } });
    expect(diagnosis.eventCount).toBe(1);
  });
});

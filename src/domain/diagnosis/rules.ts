import type { AuditEvent } from '../soracom';
import { type KeysUnder, type MessageParams, msg, type MessageRef } from '../i18n/message-ref';
import { maskIp } from '../net/address';
import { NOT_FOR_TLS_TERMINATION, probeFoundTrouble, SPEAKS_FIRST } from '../probe';
import { HANG_LENGTH_SPREAD, HANG_LENGTH_SPREAD_MIN_MS, JUST_OPENED_MS, NORMAL_USE_MIN_MS, type ConnectionFacts, type Facts } from './facts';
import type { CauseId, DeviceCause, EvidenceItem, Remedy, VerdictId } from './types';
import { simStatusLabel } from './labels';

/**
 * SORACOM's troubleshooting guide as an ordered list: the first rule whose evidence is there names the
 * verdict. The order is the path a connection takes (SIM → mapping → client network → source address →
 * device), so the verdict is the first obstacle on that path; `diagnose` adds every other cause that applies.
 * Evidence outranks absence: a probe never outranks the user's own CONNECTED sessions, and "nothing has
 * tried yet" is never read as "blocked".
 */

export interface Finding {
  readonly summary: MessageRef;
  readonly evidence: readonly EvidenceItem[];
  readonly nextSteps: readonly MessageRef[];
  readonly remedies: readonly Remedy[];
  readonly notes?: readonly MessageRef[];
  /** Causes this finding names besides the ones `diagnose` derives (the device list, the network behind an expiry). */
  readonly causes?: readonly CauseId[];
  readonly deviceCause?: DeviceCause | undefined;
}

export interface Rule {
  readonly verdict: VerdictId;
  readonly decide: (facts: Facts) => Finding | undefined;
}

/** Evidence lists stay readable in a Slack thread; the raw event table is the Slack layer's. */
export const MAX_EVIDENCE_PER_KIND = 5;
/** "Open again for this address" buttons offered at most, one per address the user may be behind. */
const MAX_ADDRESS_FIXES = 3;

const why = (key: KeysUnder<'diagnosis.why.'>, params?: MessageParams): MessageRef => msg(`diagnosis.why.${key}`, params);
const step = (key: KeysUnder<'diagnosis.step.'>, params?: MessageParams): MessageRef => msg(`diagnosis.step.${key}`, params);
const note = (key: KeysUnder<'diagnosis.note.'>, params?: MessageParams): MessageRef => msg(`diagnosis.note.${key}`, params);
export const verdictSummary = (verdict: VerdictId, params?: MessageParams): MessageRef => msg(`diagnosis.verdict.${verdict}.summary`, params);

const item = (event: AuditEvent | undefined, reason: MessageRef): EvidenceItem[] => (event ? [{ event, why: reason }] : []);
const seconds = (ms: number): number => Math.round(ms / 1000);
/** Tenths of a second, as a number: a reset comes back in a fraction of one. */
const tenths = (ms: number): number => Math.round(ms / 100) / 10;

/** The n latest by start time in one pass: the lists can hold every connection of a busy day. */
export function latestConnections(connections: readonly ConnectionFacts[], count: number, keep: (connection: ConnectionFacts) => boolean): ConnectionFacts[] {
  const kept: ConnectionFacts[] = [];
  for (const connection of connections) {
    if (!keep(connection)) continue;
    if (kept.length < count) {
      kept.push(connection);
      kept.sort((a, b) => b.startedAtMs - a.startedAtMs);
      continue;
    }
    const last = kept[kept.length - 1];
    if (last && connection.startedAtMs > last.startedAtMs) {
      kept[kept.length - 1] = connection;
      kept.sort((a, b) => b.startedAtMs - a.startedAtMs);
    }
  }
  return kept;
}

const probeNotRun = (facts: Facts): boolean => facts.input.probe === undefined || facts.input.probe.kind === 'skipped';

function probeRemedy(facts: Facts): Remedy[] {
  return probeNotRun(facts) && facts.devicePort !== undefined && facts.simOnline ? [{ kind: 'probe', port: facts.devicePort }] : [];
}

/** The intended port differs from the mapping's: the wrong-device-port case the guide lists. */
export function intendedPortDiffers(facts: Facts): boolean {
  const intended = facts.input.intent?.devicePort;
  return intended !== undefined && facts.focus?.devicePort !== undefined && facts.focus.devicePort !== intended;
}

function userConnections(facts: Facts, keep: (connection: ConnectionFacts) => boolean): ConnectionFacts[] {
  return latestConnections(facts.focusConnections, MAX_EVIDENCE_PER_KIND, (c) => c.fromUser && keep(c));
}

const anyUserConnection = (facts: Facts): boolean => facts.focusConnections.some((c) => c.fromUser);

/** The user's addresses that Napter denied (or refused) while the mapping was active: most often first, the latest on a tie. */
export function deniedUserAddresses(facts: Facts, outcome: 'denied' | 'refused'): string[] {
  const counts = new Map<string, { count: number; latestAtMs: number }>();
  for (const connection of facts.focusConnections) {
    if (!connection.fromUser || connection.sourceIp === undefined || connection.phase !== 'while-active') continue;
    if (connection.outcome !== outcome) continue;
    const entry = counts.get(connection.sourceIp) ?? { count: 0, latestAtMs: Number.NEGATIVE_INFINITY };
    entry.count += 1;
    entry.latestAtMs = Math.max(entry.latestAtMs, connection.startedAtMs);
    counts.set(connection.sourceIp, entry);
  }
  return [...counts.entries()].sort(([, a], [, b]) => b.count - a.count || b.latestAtMs - a.latestAtMs).map(([ip]) => ip);
}

/** A mapping that lived only minutes is the guide's classic: minutes (or an hour) sent as seconds. */
export const SHORT_MAPPING_SEC = 5 * 60;

function livedMs(facts: Facts): number | undefined {
  const focus = facts.focus;
  if (!focus) return undefined;
  if (focus.mapping?.durationSec !== undefined) return focus.mapping.durationSec * 1000;
  return focus.startAtMs !== undefined && focus.endAtMs !== undefined ? focus.endAtMs - focus.startAtMs : undefined;
}

function shortLived(facts: Facts): number | undefined {
  if (facts.focus?.end !== 'expired') return undefined;
  const lived = livedMs(facts);
  return lived !== undefined && lived < SHORT_MAPPING_SEC * 1000 ? seconds(lived) : undefined;
}

function sourceFixes(facts: Facts, outcome: 'denied' | 'refused'): Remedy[] {
  return deniedUserAddresses(facts, outcome)
    .slice(0, MAX_ADDRESS_FIXES)
    .map((sourceIp) => ({ kind: 'reopen-with-fix', fix: { sourceIp } }) as const);
}

/** Opening an ended mapping again as it was would repeat a mistake it also had: offer the fixed one first. */
function fixesCarriedOver(facts: Facts): Remedy[] {
  return [
    ...(tlsMisuse(facts) ? [{ kind: 'reopen-with-fix', fix: { tlsRequired: false } } as const] : []),
    ...(userDeniedWhileActive(facts) ? sourceFixes(facts, 'denied') : []),
  ];
}

/**
 * TLS termination in front of a protocol that cannot take it: the focus mapping requires TLS and its device
 * port speaks SSH, RDP, VNC or HTTPS (by the user's word, the configuration or the default ports), or the
 * user's connections went through with TLS to such a port.
 */
export function tlsMisuse(facts: Facts): { port: number; protocol: string; connected: ConnectionFacts[] } | undefined {
  const focus = facts.focus;
  if (!focus) return undefined;
  const misused = (port: number | undefined): boolean => {
    const protocol = facts.protocolOf(port);
    return protocol !== undefined && NOT_FOR_TLS_TERMINATION.has(protocol);
  };
  const connected = latestConnections(facts.focusConnections, MAX_EVIDENCE_PER_KIND, (c) => c.connected !== undefined && c.tls && misused(c.devicePort));
  const port = focus.tlsRequired === true && misused(focus.devicePort) ? focus.devicePort : connected[0]?.devicePort;
  if (port === undefined) return undefined;
  return { port, protocol: (facts.protocolOf(port) ?? 'tcp').toUpperCase(), connected };
}

/** The user's latest attempt was refused, or denied after a refusal of the same address. */
export function userRefused(facts: Facts): boolean {
  const latest = facts.latestUserConnection;
  if (latest?.phase !== 'while-active') return false;
  if (latest.outcome === 'refused') return true;
  if (latest.outcome !== 'denied') return false;
  return facts.focusConnections.some((c) => c.fromUser && c.outcome === 'refused' && c.sourceIp === latest.sourceIp && c.phase === 'while-active');
}

export function userDeniedWhileActive(facts: Facts): boolean {
  const latest = facts.latestUserConnection;
  return latest !== undefined && latest.phase === 'while-active' && latest.outcome === 'denied';
}

/** Connections of the user whose lengths match the latest one's: each hung until the same timeout. */
function hungLike(facts: Facts, latest: ConnectionFacts): ConnectionFacts[] {
  const length = latest.connectedMs ?? 0;
  const spread = Math.max(HANG_LENGTH_SPREAD_MIN_MS, length * HANG_LENGTH_SPREAD);
  return facts.focusConnections.filter((c) => c.fromUser && c.use === 'short' && c.connectedMs !== undefined && Math.abs(c.connectedMs - length) <= spread);
}

type DeviceTrouble =
  /** The user's latest connections ended at once. */
  | { readonly kind: 'at-once'; readonly connections: readonly ConnectionFacts[] }
  /** They hung until a timeout, all about as long. */
  | { readonly kind: 'hung'; readonly connections: readonly ConnectionFacts[] }
  /** They reached Napter and never the device. */
  | { readonly kind: 'access-only'; readonly connections: readonly ConnectionFacts[] }
  /** They reached the device, but the mapping points at another port than the user meant. */
  | { readonly kind: 'wrong-port'; readonly connections: readonly ConnectionFacts[] };

function deviceSideTrouble(facts: Facts): DeviceTrouble | undefined {
  const latest = facts.latestUserConnection;
  const probe = facts.input.probe;
  if (latest?.outcome === 'access-only') return { kind: 'access-only', connections: userConnections(facts, (c) => c.outcome === 'access-only') };
  if (latest?.outcome === 'connected') {
    if (latest.use === 'at-once') return { kind: 'at-once', connections: userConnections(facts, (c) => c.use === 'at-once') };
    if (latest.use === 'short') {
      const alike = hungLike(facts, latest);
      const silentProbe = probe?.kind === 'no-answer' && probe.conclusive;
      if (alike.length >= 2 || silentProbe) return { kind: 'hung', connections: latestConnections(alike, MAX_EVIDENCE_PER_KIND, () => true) };
    }
  }
  const connectedOnce = facts.focusConnections.some((c) => c.fromUser && c.outcome === 'connected');
  if (intendedPortDiffers(facts) && connectedOnce) return { kind: 'wrong-port', connections: userConnections(facts, (c) => c.outcome === 'connected') };
  return undefined;
}

interface DeviceReading {
  readonly cause: DeviceCause | undefined;
  /** Which headline the evidence allows: `diagnosis.verdict.device-side-problem.summary-<headline>`. */
  readonly headline: 'refused' | 'no-answer' | 'closed-at-once' | 'wrong-service' | 'wrong-port' | 'generic';
}

/** What the device did, from the sessions first and the probe second (a probe never outranks sessions). */
function readDevice(facts: Facts, trouble: DeviceTrouble): DeviceReading {
  const probe = facts.input.probe;
  const atOnceCause = (): DeviceReading => {
    if (probe?.kind === 'refused') return { cause: 'refused', headline: 'refused' };
    // A server that must greet first said nothing to SORACOM, yet took the user's connections: what
    // listens there is not that server.
    if (probe?.kind === 'no-answer' && probe.conclusive && facts.protocol !== undefined && SPEAKS_FIRST.has(facts.protocol)) {
      return { cause: 'closed-at-once', headline: 'wrong-service' };
    }
    return { cause: 'closed-at-once', headline: 'closed-at-once' };
  };
  switch (trouble.kind) {
    case 'hung':
      return { cause: 'no-answer', headline: 'no-answer' };
    case 'at-once':
      return atOnceCause();
    case 'wrong-port':
      return { cause: undefined, headline: 'wrong-port' };
    case 'access-only':
      if (probe?.kind === 'refused') return { cause: 'refused', headline: 'refused' };
      if (probe?.kind === 'no-answer' && probe.conclusive) return { cause: 'no-answer', headline: 'no-answer' };
      return { cause: undefined, headline: 'generic' };
  }
}

/** The checks the guide lists under CONNECTED, the likeliest first for what the device did. */
function deviceSteps(headline: DeviceReading['headline'], port: number | string): MessageRef[] {
  const all = {
    port: step('check-device-port', { port }),
    listening: step('check-service-listening', { port }),
    routing: step('check-device-routing'),
    firewall: step('check-device-firewall'),
    application: step('check-device-application'),
    tls: step('check-tls-end-to-end'),
  };
  const order: Record<DeviceReading['headline'], readonly MessageRef[]> = {
    refused: [all.listening, all.port, all.application, all.firewall],
    'no-answer': [all.firewall, all.routing, all.port],
    'closed-at-once': [all.application, all.tls, all.port, all.firewall],
    'wrong-service': [all.port, all.application],
    'wrong-port': [all.port, all.application],
    generic: [all.port, all.routing, all.firewall, all.application],
  };
  return [...order[headline], step('capture-packets')];
}

/** The guide's device-side causes that fit what the device did. */
function deviceCauses(headline: DeviceReading['headline']): CauseId[] {
  switch (headline) {
    case 'refused':
      return ['wrong-device-port', 'device-application-down'];
    case 'no-answer':
      return ['device-firewall', 'device-routing-other-interface'];
    case 'closed-at-once':
      return ['device-application-down'];
    case 'wrong-service':
    case 'wrong-port':
      return ['wrong-device-port'];
    case 'generic':
      return ['wrong-device-port', 'device-firewall', 'device-routing-other-interface', 'device-application-down'];
  }
}

function deviceEvidence(trouble: DeviceTrouble): EvidenceItem[] {
  return trouble.connections.flatMap((c) => {
    if (c.outcome === 'access-only') return [...item(c.access, why('access-not-connected')), ...item(c.closed, why('closed'))];
    const closedWhy =
      c.use === 'at-once'
        ? why('ended-at-once', { seconds: tenths(c.connectedMs ?? 0) })
        : c.use === 'short'
          ? why('ended-after-timeout', { seconds: seconds(c.connectedMs ?? 0) })
          : why('closed');
    return [...item(c.connected, why('connected')), ...item(c.closed, closedWhy)];
  });
}

export const RULES: readonly Rule[] = [
  {
    verdict: 'sim-not-found',
    decide: (facts) =>
      facts.simFound ? undefined : { summary: verdictSummary('sim-not-found'), evidence: [], nextSteps: [step('check-sim-ref')], remedies: [] },
  },
  {
    verdict: 'sim-inactive',
    decide: (facts) =>
      facts.simDataCapable
        ? undefined
        : {
            summary: verdictSummary('sim-inactive', { status: simStatusLabel(facts.input.sim?.status ?? '') }),
            evidence: [],
            nextSteps: [step('activate-sim', { status: simStatusLabel(facts.input.sim?.status ?? '') })],
            remedies: [],
          },
  },
  {
    verdict: 'sim-offline',
    decide: (facts) =>
      facts.simOnline
        ? undefined
        : {
            summary: verdictSummary('sim-offline'),
            evidence: [],
            nextSteps: [step('napter-needs-online'), step('attach-device')],
            remedies: [{ kind: 'draft-ticket' }],
          },
  },
  {
    verdict: 'no-mapping',
    decide: (facts) => {
      if (facts.lifetimes.length > 0) return undefined;
      const attempts = latestConnections(facts.connections, MAX_EVIDENCE_PER_KIND, (c) => c.fromUser);
      return {
        summary: verdictSummary('no-mapping'),
        evidence: attempts.flatMap((c) => item(c.denied ?? c.refused ?? c.access, why('attempt-without-mapping'))),
        nextSteps: [step('open-mapping')],
        remedies: [{ kind: 'reopen' }],
      };
    },
  },
  {
    verdict: 'mapping-expired',
    decide: (facts) => {
      const focus = facts.focus;
      if (!focus || facts.focusActiveNow) return undefined;
      const deleted = focus.end === 'deleted';
      const after = userConnections(facts, (c) => c.phase === 'after-end');
      // The guide: "CREATED, DELETED, EXPIRED … but no ACCESS" → the network blocks Napter. A mapping that
      // lived long enough to be tried and that nothing of the user's ever reached, before or after its end.
      const lived = livedMs(facts);
      const neverReached = !anyUserConnection(facts) && (lived === undefined || lived >= JUST_OPENED_MS);
      const short = shortLived(facts);
      return {
        summary: deleted
          ? msg('diagnosis.verdict.mapping-expired.summary-deleted', { attempts: after.length })
          : neverReached
            ? msg('diagnosis.verdict.mapping-expired.summary-never-reached')
            : verdictSummary('mapping-expired', { attempts: after.length }),
        evidence: [
          ...item(focus.endEvent, why(deleted ? 'deleted' : 'expired')),
          ...(neverReached ? item(focus.createdEvent, why('created-no-access')) : []),
          ...after.flatMap((c) => item(c.denied ?? c.refused ?? c.access, why('denied-after-end'))),
        ],
        nextSteps: [
          step('open-again'),
          ...(neverReached ? [step('expired-without-access'), step('ask-network-admin')] : []),
          step('default-duration'),
          step('api-unit-seconds'),
        ],
        remedies: [...fixesCarriedOver(facts), { kind: 'reopen' }],
        notes: short !== undefined ? [note('short-duration', { seconds: short })] : [],
        causes: neverReached ? ['client-network-blocked'] : [],
      };
    },
  },
  {
    verdict: 'tls-on-non-tls-protocol',
    decide: (facts) => {
      const misuse = tlsMisuse(facts);
      if (!misuse) return undefined;
      return {
        summary: verdictSummary('tls-on-non-tls-protocol', { port: misuse.port, protocol: misuse.protocol }),
        evidence: [
          ...(facts.focus?.tlsRequired === true
            ? item(facts.focus.createdEvent, why('created-with-tls', { port: misuse.port, protocol: misuse.protocol }))
            : []),
          ...misuse.connected.flatMap((c) => item(c.connected, why('connected-with-tls', { port: misuse.port, protocol: misuse.protocol }))),
        ],
        nextSteps: [step('reopen-tls-off', { port: misuse.port, protocol: misuse.protocol }), step('tls-for-plain-http')],
        remedies: [{ kind: 'reopen-with-fix', fix: { tlsRequired: false } }],
      };
    },
  },
  {
    verdict: 'source-ip-refused',
    decide: (facts) => {
      if (!userRefused(facts)) return undefined;
      const refused = userConnections(facts, (c) => c.outcome === 'refused' && c.phase === 'while-active');
      const denied = userConnections(facts, (c) => c.outcome === 'denied' && c.phase === 'while-active');
      const addressFixes = sourceFixes(facts, 'refused');
      const latestIp = facts.latestUserConnection?.sourceIp;
      return {
        summary: verdictSummary('source-ip-refused', { count: refused.length }),
        evidence: [...denied.flatMap((c) => item(c.denied, why('denied-before-refused'))), ...refused.flatMap((c) => item(c.refused, why('refused')))],
        nextSteps: [step('stop-retrying'), step('compare-source-address'), step('check-global-range')],
        remedies: [
          ...(addressFixes.length > 0 ? addressFixes : latestIp !== undefined ? [{ kind: 'reopen-with-fix', fix: { sourceIp: latestIp } } as const] : []),
          { kind: 'reopen' },
        ],
      };
    },
  },
  {
    verdict: 'source-ip-mismatch',
    decide: (facts) => {
      if (!userDeniedWhileActive(facts)) return undefined;
      const denied = userConnections(facts, (c) => c.outcome === 'denied' && c.phase === 'while-active');
      const addresses = deniedUserAddresses(facts, 'denied');
      return {
        summary: verdictSummary('source-ip-mismatch', {
          count: denied.length,
          addresses: addresses.slice(0, MAX_ADDRESS_FIXES).map(maskIp).join(', '),
        }),
        evidence: denied.flatMap((c) => item(c.denied, why('denied-outside-range'))),
        nextSteps: [step('compare-source-address'), step('check-global-range'), step('confirm-observed-address')],
        remedies: [...sourceFixes(facts, 'denied'), { kind: 'reopen' }],
      };
    },
  },
  {
    verdict: 'device-port-closed',
    decide: (facts) => {
      // SORACOM's own connection failed and nothing of the user's reached the device to say otherwise.
      const probe = facts.input.probe;
      if (!probeFoundTrouble(probe)) return undefined;
      if (facts.focusConnections.some((c) => c.fromUser && c.outcome === 'connected')) return undefined;
      const headline = probe.kind === 'refused' ? 'refused' : 'no-answer';
      const accessOnly = userConnections(facts, (c) => c.outcome === 'access-only');
      return {
        summary: msg(headline === 'refused' ? 'diagnosis.verdict.device-port-closed.summary' : 'diagnosis.verdict.device-port-closed.summary-no-answer', {
          port: probe.port,
        }),
        evidence: accessOnly.flatMap((c) => [...item(c.access, why('access-not-connected')), ...item(c.closed, why('closed'))]),
        nextSteps: deviceSteps(headline, probe.port),
        remedies: [{ kind: 'packet-capture' }, { kind: 'probe', port: probe.port }, { kind: 'draft-ticket' }],
        // Long open and never tried: the guide's network reading applies as well.
        causes: [
          ...(facts.focusActiveNow && (facts.focusAgeMs ?? 0) >= JUST_OPENED_MS && !anyUserConnection(facts) ? (['client-network-blocked'] as const) : []),
          ...deviceCauses(headline),
        ],
        deviceCause: headline,
      };
    },
  },
  {
    verdict: 'insufficient-evidence',
    decide: (facts) => {
      // Just opened, nobody has tried yet (or the log has not caught up): say so, never "blocked".
      const age = facts.focusAgeMs;
      if (!facts.focusActiveNow || age === undefined || age >= JUST_OPENED_MS || anyUserConnection(facts)) return undefined;
      return {
        summary: msg('diagnosis.verdict.insufficient-evidence.summary-just-opened', { seconds: Math.max(0, seconds(age)) }),
        evidence: [],
        nextSteps: [step('connect-now'), step('start-peek')],
        remedies: [{ kind: 'packet-capture' }],
      };
    },
  },
  {
    verdict: 'insufficient-evidence',
    decide: (facts) =>
      facts.eventCount > 0
        ? undefined
        : {
            summary: msg('diagnosis.verdict.insufficient-evidence.summary-empty'),
            evidence: [],
            nextSteps: [step('try-now-while-watching'), step('start-peek')],
            remedies: [{ kind: 'packet-capture' }],
          },
  },
  {
    verdict: 'client-network-blocked',
    decide: (facts) => {
      const focus = facts.focus;
      if (!focus || !facts.focusActiveNow || focus.startAtMs === undefined) return undefined;
      if (anyUserConnection(facts)) return undefined;
      const othersReached = facts.focusConnections.length > 0;
      return {
        summary: verdictSummary('client-network-blocked', { minutes: Math.floor((facts.focusAgeMs ?? 0) / 60_000) }),
        evidence: item(focus.createdEvent, why('created-no-access')),
        nextSteps: [step('ask-network-admin'), step('try-other-network'), step('tcp-only'), step('try-now-if-not-yet')],
        remedies: [{ kind: 'draft-ticket' }],
        notes: othersReached ? [note('others-reached-endpoint', { attempts: facts.focusConnections.length })] : [],
      };
    },
  },
  {
    verdict: 'device-side-problem',
    decide: (facts) => {
      const trouble = deviceSideTrouble(facts);
      if (!trouble) return undefined;
      const port = facts.focus?.devicePort ?? facts.devicePort ?? '?';
      const intended = facts.input.intent?.devicePort;
      const wrongPort = intendedPortDiffers(facts) && intended !== undefined;
      // The mapping points elsewhere than the user meant: whatever the device did there, that comes first.
      const observed = readDevice(facts, trouble);
      const reading: DeviceReading = wrongPort ? { cause: observed.cause, headline: 'wrong-port' } : observed;
      const headline = reading.headline === 'generic' ? 'summary' : (`summary-${reading.headline}` as const);
      const portFix: Remedy[] = wrongPort ? [{ kind: 'reopen-with-fix', fix: { port: intended } }] : [];
      const length = trouble.kind === 'hung' ? seconds(trouble.connections[0]?.connectedMs ?? 0) : 0;
      return {
        summary: msg(`diagnosis.verdict.device-side-problem.${headline}`, {
          port,
          intended: intended ?? port,
          seconds: length,
        }),
        evidence: deviceEvidence(trouble),
        nextSteps: [...(wrongPort ? [step('open-with-intended-port', { port: intended })] : []), ...deviceSteps(reading.headline, port)],
        remedies: [...portFix, ...probeRemedy(facts), { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
        causes: deviceCauses(reading.headline),
        deviceCause: reading.cause,
      };
    },
  },
  {
    verdict: 'healthy',
    decide: (facts) => {
      // Only use proves the path: a connection that outlasted any connect timeout (or is still open past it).
      const latest = facts.latestUserConnection;
      if (latest?.outcome !== 'connected') return undefined;
      const used = userConnections(facts, (c) => c.use === 'used');
      if (latest.use !== 'used' && used.length === 0) return undefined;
      return {
        summary: verdictSummary('healthy', { count: used.length }),
        evidence: used.flatMap((c) => [
          ...item(c.connected, why('connected-normal', { minutes: Math.floor((c.connectedMs ?? 0) / 60_000) })),
          ...item(c.closed, why('closed')),
        ]),
        nextSteps: [step('look-at-client'), step('check-device-application'), step('capture-packets')],
        remedies: [...probeRemedy(facts), { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
      };
    },
  },
  {
    verdict: 'insufficient-evidence',
    decide: (facts) => {
      const latest = facts.latestUserConnection;
      const unclear = latest?.outcome === 'connected' && (latest.use === 'short' || latest.use === 'open');
      return {
        summary: verdictSummary('insufficient-evidence'),
        evidence: unclear ? [...item(latest.connected, why('connected')), ...item(latest.closed, why('closed'))] : [],
        nextSteps: [step('try-now-while-watching'), step('start-peek')],
        remedies: [{ kind: 'packet-capture' }],
        notes: unclear
          ? [
              note(latest.use === 'open' ? 'session-still-open' : 'session-too-short', {
                seconds: seconds(latest.connectedMs ?? 0),
                threshold: seconds(NORMAL_USE_MIN_MS),
              }),
            ]
          : [],
      };
    },
  },
];

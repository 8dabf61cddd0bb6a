import type { AuditEvent } from '../soracom';
import { msg, type MessageRef } from '../i18n/message-ref';
import { NON_TLS_DEVICE_PORTS, type ConnectionFacts, type Facts } from './facts';
import type { EvidenceItem, Remedy, VerdictId } from './types';

/**
 * SORACOM's troubleshooting guide as an ordered list: the first rule whose evidence is there names the
 * verdict. The order is the path a connection takes (SIM → mapping → client network → source address →
 * device), so the verdict is the first obstacle on that path; `diagnose` adds every other cause that applies.
 */

export interface Finding {
  readonly summary: MessageRef;
  readonly evidence: readonly EvidenceItem[];
  readonly nextSteps: readonly MessageRef[];
  readonly remedies: readonly Remedy[];
  readonly notes?: readonly MessageRef[];
}

export interface Rule {
  readonly verdict: VerdictId;
  readonly decide: (facts: Facts) => Finding | undefined;
}

/** Evidence lists stay readable in a Slack thread; the raw event table is the Slack layer's. */
export const MAX_EVIDENCE_PER_KIND = 5;

const why = (key: string, params?: Record<string, string | number>): MessageRef => msg(`diagnosis.why.${key}`, params);
const step = (key: string, params?: Record<string, string | number>): MessageRef => msg(`diagnosis.step.${key}`, params);
const note = (key: string, params?: Record<string, string | number>): MessageRef => msg(`diagnosis.note.${key}`, params);
export const verdictSummary = (verdict: VerdictId, params?: Record<string, string | number>): MessageRef =>
  msg(`diagnosis.verdict.${verdict}.summary`, params);

const item = (event: AuditEvent | undefined, reason: MessageRef): EvidenceItem[] => (event ? [{ event, why: reason }] : []);

/** The n latest by start time in one pass: the lists can hold every connection of a busy day. */
export function latestConnections(
  connections: readonly ConnectionFacts[],
  count: number,
  keep: (connection: ConnectionFacts) => boolean,
): ConnectionFacts[] {
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

const deviceChecks = (port: number | string): MessageRef[] => [
  step('check-device-port', { port }),
  step('check-device-routing'),
  step('check-device-firewall'),
  step('check-device-application'),
  step('capture-packets'),
];

/** The intended port differs from the mapping's: the wrong-device-port case the guide lists. */
export function intendedPortDiffers(facts: Facts): boolean {
  const intended = facts.input.intent?.devicePort;
  return intended !== undefined && facts.focus?.devicePort !== undefined && facts.focus.devicePort !== intended;
}

function userConnections(facts: Facts, keep: (connection: ConnectionFacts) => boolean): ConnectionFacts[] {
  return latestConnections(facts.focusConnections, MAX_EVIDENCE_PER_KIND, (c) => c.fromUser && keep(c));
}

/** The user address to offer in "open again for this address": the one denied most often, the latest on a tie. */
export function mostDeniedUserAddress(facts: Facts, outcome: 'denied' | 'refused'): string | undefined {
  const counts = new Map<string, { count: number; latestAtMs: number }>();
  for (const connection of facts.focusConnections) {
    if (!connection.fromUser || connection.sourceIp === undefined || connection.phase !== 'while-active') continue;
    if (connection.outcome !== outcome) continue;
    const entry = counts.get(connection.sourceIp) ?? { count: 0, latestAtMs: Number.NEGATIVE_INFINITY };
    entry.count += 1;
    entry.latestAtMs = Math.max(entry.latestAtMs, connection.startedAtMs);
    counts.set(connection.sourceIp, entry);
  }
  let best: { ip: string; count: number; latestAtMs: number } | undefined;
  for (const [ip, entry] of counts) {
    if (!best || entry.count > best.count || (entry.count === best.count && entry.latestAtMs > best.latestAtMs)) {
      best = { ip, ...entry };
    }
  }
  return best?.ip;
}

/** A mapping that lived only minutes is the guide's classic: minutes (or an hour) sent as seconds. */
export const SHORT_MAPPING_SEC = 5 * 60;

function shortLived(facts: Facts): number | undefined {
  const focus = facts.focus;
  if (!focus || focus.end !== 'expired') return undefined;
  const livedSec =
    focus.mapping?.durationSec ??
    (focus.startAtMs !== undefined && focus.endAtMs !== undefined ? Math.round((focus.endAtMs - focus.startAtMs) / 1000) : undefined);
  return livedSec !== undefined && livedSec < SHORT_MAPPING_SEC ? livedSec : undefined;
}

/** Opening an ended mapping again as it was would repeat a mistake it also had: offer the fixed one first. */
function fixesCarriedOver(facts: Facts): Remedy[] {
  const fixes: Remedy[] = [];
  if (tlsMisuse(facts)) fixes.push({ kind: 'reopen-with-fix', fix: { tlsRequired: false } });
  const deniedAddress = userDeniedWhileActive(facts) ? mostDeniedUserAddress(facts, 'denied') : undefined;
  if (deniedAddress !== undefined) fixes.push({ kind: 'reopen-with-fix', fix: { sourceIp: deniedAddress } });
  return fixes;
}

export function tlsMisuse(facts: Facts): { port: number; connected: ConnectionFacts[] } | undefined {
  const focus = facts.focus;
  if (!focus) return undefined;
  const connected = latestConnections(
    facts.focusConnections,
    MAX_EVIDENCE_PER_KIND,
    (c) => c.connected !== undefined && c.tls && c.devicePort !== undefined && NON_TLS_DEVICE_PORTS.includes(c.devicePort),
  );
  const mappingPort = focus.devicePort;
  if (focus.tlsRequired === true && mappingPort !== undefined && NON_TLS_DEVICE_PORTS.includes(mappingPort)) {
    return { port: mappingPort, connected };
  }
  const first = connected[0];
  return first?.devicePort !== undefined ? { port: first.devicePort, connected } : undefined;
}

/** The user's latest attempt was refused, or denied after a refusal of the same address. */
export function userRefused(facts: Facts): boolean {
  const latest = facts.latestUserConnection;
  if (!latest || latest.phase !== 'while-active') return false;
  if (latest.outcome === 'refused') return true;
  if (latest.outcome !== 'denied') return false;
  return facts.focusConnections.some(
    (c) => c.fromUser && c.outcome === 'refused' && c.sourceIp === latest.sourceIp && c.phase === 'while-active',
  );
}

export function userDeniedWhileActive(facts: Facts): boolean {
  const latest = facts.latestUserConnection;
  return latest !== undefined && latest.phase === 'while-active' && latest.outcome === 'denied';
}

function deviceSideTrouble(facts: Facts): { atOnce: ConnectionFacts[]; accessOnly: ConnectionFacts[] } | undefined {
  const latest = facts.latestUserConnection;
  const latestTroubled =
    latest !== undefined &&
    ((latest.outcome === 'connected' && latest.endedAtOnce) || latest.outcome === 'access-only');
  const connectedOnce = facts.focusConnections.some((c) => c.fromUser && c.outcome === 'connected');
  if (!latestTroubled && !(intendedPortDiffers(facts) && connectedOnce)) return undefined;
  return {
    atOnce: userConnections(facts, (c) => c.outcome === 'connected' && c.endedAtOnce),
    accessOnly: userConnections(facts, (c) => c.outcome === 'access-only'),
  };
}

export const RULES: readonly Rule[] = [
  {
    verdict: 'sim-not-found',
    decide: (facts) =>
      facts.simFound
        ? undefined
        : { summary: verdictSummary('sim-not-found'), evidence: [], nextSteps: [step('check-sim-ref')], remedies: [] },
  },
  {
    verdict: 'sim-inactive',
    decide: (facts) =>
      facts.simDataCapable
        ? undefined
        : {
            summary: verdictSummary('sim-inactive', { status: facts.input.sim?.status ?? '' }),
            evidence: [],
            nextSteps: [step('activate-sim', { status: facts.input.sim?.status ?? '' })],
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
      return {
        summary: deleted
          ? msg('diagnosis.verdict.mapping-expired.summary-deleted', { attempts: after.length })
          : verdictSummary('mapping-expired', { attempts: after.length }),
        evidence: [
          ...item(focus.endEvent, why(deleted ? 'deleted' : 'expired')),
          ...after.flatMap((c) => item(c.denied ?? c.refused ?? c.access, why('denied-after-end'))),
        ],
        nextSteps: [step('open-again'), step('default-duration'), step('api-unit-seconds')],
        remedies: [...fixesCarriedOver(facts), { kind: 'reopen' }],
        notes: shortLived(facts) ? [note('short-duration', { seconds: shortLived(facts) ?? 0 })] : [],
      };
    },
  },
  {
    verdict: 'tls-on-non-tls-protocol',
    decide: (facts) => {
      const misuse = tlsMisuse(facts);
      if (!misuse) return undefined;
      return {
        summary: verdictSummary('tls-on-non-tls-protocol', { port: misuse.port }),
        evidence: [
          ...(facts.focus?.tlsRequired === true
            ? item(facts.focus.createdEvent, why('created-with-tls', { port: misuse.port }))
            : []),
          ...misuse.connected.flatMap((c) => item(c.connected, why('connected-with-tls', { port: misuse.port }))),
        ],
        nextSteps: [step('reopen-tls-off', { port: misuse.port }), step('tls-for-plain-http')],
        remedies: [{ kind: 'reopen-with-fix', fix: { tlsRequired: false } }],
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
      if (facts.focusConnections.some((c) => c.fromUser)) return undefined;
      const othersReached = facts.focusConnections.length > 0;
      return {
        summary: verdictSummary('client-network-blocked'),
        evidence: item(focus.createdEvent, why('created-no-access')),
        nextSteps: [step('ask-network-admin'), step('try-other-network'), step('try-now-if-not-yet')],
        remedies: [{ kind: 'draft-ticket' }],
        notes: othersReached ? [note('others-reached-endpoint', { attempts: facts.focusConnections.length })] : [],
      };
    },
  },
  {
    verdict: 'source-ip-refused',
    decide: (facts) => {
      if (!userRefused(facts)) return undefined;
      const refused = userConnections(facts, (c) => c.outcome === 'refused' && c.phase === 'while-active');
      const denied = userConnections(facts, (c) => c.outcome === 'denied' && c.phase === 'while-active');
      const address = mostDeniedUserAddress(facts, 'refused') ?? facts.latestUserConnection?.sourceIp;
      return {
        summary: verdictSummary('source-ip-refused', { count: refused.length }),
        evidence: [
          ...denied.flatMap((c) => item(c.denied, why('denied-before-refused'))),
          ...refused.flatMap((c) => item(c.refused, why('refused'))),
        ],
        nextSteps: [step('stop-retrying'), step('compare-source-address'), step('check-global-range')],
        remedies: [
          ...(address !== undefined ? [{ kind: 'reopen-with-fix', fix: { sourceIp: address } } as const] : []),
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
      const address = mostDeniedUserAddress(facts, 'denied');
      return {
        summary: verdictSummary('source-ip-mismatch', { count: denied.length }),
        evidence: denied.flatMap((c) => item(c.denied, why('denied-outside-range'))),
        nextSteps: [step('compare-source-address'), step('check-global-range'), step('confirm-observed-address')],
        remedies: [
          ...(address !== undefined ? [{ kind: 'reopen-with-fix', fix: { sourceIp: address } } as const] : []),
          { kind: 'reopen' },
        ],
      };
    },
  },
  {
    verdict: 'device-port-closed',
    decide: (facts) => {
      const probe = facts.input.probe;
      if (probe?.kind !== 'failed') return undefined;
      const connected = userConnections(facts, (c) => c.outcome === 'connected' || c.outcome === 'access-only');
      return {
        summary: verdictSummary('device-port-closed', { port: probe.port }),
        evidence: connected.flatMap((c) => [
          ...item(c.connected ?? c.access, why(c.connected ? 'connected-before-probe' : 'access-not-connected')),
          ...item(c.closed, why('closed')),
        ]),
        nextSteps: deviceChecks(probe.port),
        remedies: [{ kind: 'packet-capture' }, { kind: 'probe', port: probe.port }, { kind: 'draft-ticket' }],
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
      const portFix: Remedy[] =
        intendedPortDiffers(facts) && intended !== undefined ? [{ kind: 'reopen-with-fix', fix: { port: intended } }] : [];
      return {
        summary: verdictSummary('device-side-problem', { port }),
        evidence: [
          ...trouble.atOnce.flatMap((c) => [...item(c.connected, why('connected')), ...item(c.closed, why('ended-at-once'))]),
          ...trouble.accessOnly.flatMap((c) => [...item(c.access, why('access-not-connected')), ...item(c.closed, why('closed'))]),
        ],
        nextSteps: [
          ...(portFix.length > 0 && intended !== undefined ? [step('open-with-intended-port', { port: intended })] : []),
          ...deviceChecks(port),
        ],
        remedies: [...portFix, ...probeRemedy(facts), { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
      };
    },
  },
  {
    verdict: 'healthy',
    decide: (facts) => {
      const latest = facts.latestUserConnection;
      if (latest?.outcome !== 'connected') return undefined;
      const sessions = userConnections(facts, (c) => c.outcome === 'connected');
      return {
        summary: verdictSummary('healthy', { count: sessions.length }),
        evidence: sessions.flatMap((c) => [...item(c.connected, why('connected-normal')), ...item(c.closed, why('closed'))]),
        nextSteps: [step('look-at-client'), step('check-device-application'), step('capture-packets')],
        remedies: [...probeRemedy(facts), { kind: 'packet-capture' }, { kind: 'draft-ticket' }],
      };
    },
  },
  {
    verdict: 'insufficient-evidence',
    decide: () => ({
      summary: verdictSummary('insufficient-evidence'),
      evidence: [],
      nextSteps: [step('try-now-while-watching'), step('start-peek')],
      remedies: [{ kind: 'packet-capture' }],
    }),
  },
];

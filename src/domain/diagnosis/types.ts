import type { AuditEvent, PortMapping, ProbeResult, SimSnapshot } from '../soracom';
import type { MessageRef } from '../i18n/message-ref';

/** Stable verdict ids (the README's evidence table). They are an interface: Slack message metadata carries them. */
export const VERDICT_IDS = [
  'sim-not-found',
  'sim-inactive',
  'sim-offline',
  'no-mapping',
  'mapping-expired',
  'tls-on-non-tls-protocol',
  'client-network-blocked',
  'source-ip-mismatch',
  'source-ip-refused',
  'device-side-problem',
  'device-port-closed',
  'healthy',
  'insufficient-evidence',
] as const;
export type VerdictId = (typeof VERDICT_IDS)[number];

/**
 * Contributing causes, listed in the guide's order when several apply:
 * expired mapping, blocked network, TLS on SSH/RDP, wrong device port, device firewall; then the ones the
 * audit-log section adds. The guide's sixth common cause, a non-TCP protocol (ping, UDP), leaves no trace
 * in the audit log — nothing reaches Napter — so it is a next step of `client-network-blocked`, not a cause
 * the evidence can show.
 */
export const CAUSE_IDS = [
  'mapping-expired',
  'client-network-blocked',
  'tls-on-non-tls-protocol',
  'wrong-device-port',
  'device-firewall',
  'source-ip-mismatch',
  'source-ip-refused',
  'device-routing-other-interface',
  'device-application-down',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/**
 * What the device did with the connections, when the evidence says (metadata `device_cause`): it refused
 * them (a reset, or a hang-up before it said anything); it never answered (a firewall that drops, replies
 * that leave by another interface); it accepted them and closed them at once (the application rejects the
 * client or is not behind its port, a TLS mismatch).
 */
export const DEVICE_CAUSES = ['refused', 'no-answer', 'closed-at-once'] as const;
export type DeviceCause = (typeof DEVICE_CAUSES)[number];

/** The fix a button can apply, typed so the Slack layer never guesses. */
export type MappingFix = { readonly tlsRequired: false } | { readonly port: number } | { readonly sourceIp: string };

export type Remedy =
  | { readonly kind: 'reopen' }
  | { readonly kind: 'reopen-with-fix'; readonly fix: MappingFix }
  | { readonly kind: 'probe'; readonly port: number }
  | { readonly kind: 'packet-capture' }
  | { readonly kind: 'draft-ticket' };

/** What the user meant to reach, when the bot knows it (from the command or its ledger). */
export interface DiagnosisIntent {
  readonly devicePort?: number | undefined;
  readonly protocol?: string | undefined;
  /** The source address the user confirmed through the bot, if any. */
  readonly sourceIp?: string | undefined;
  /** When the user acted through the bot (opens, retries): their attempts are near these times. */
  readonly actionTimesMs?: readonly number[] | undefined;
}

export interface DiagnoseInput {
  /** undefined: no SIM matched. */
  readonly sim: SimSnapshot | undefined;
  /** Active and recently expired mappings for the SIM. */
  readonly mappings: readonly PortMapping[];
  /** The window's audit events, in any order (the API returns newest first). */
  readonly events: readonly AuditEvent[];
  readonly probe?: ProbeResult | undefined;
  readonly intent?: DiagnosisIntent | undefined;
  /** Device ports whose protocol the team's configuration or the bot's ledger names (2222 → ssh). */
  readonly protocolsByPort?: Readonly<Record<number, string>> | undefined;
  readonly window: { readonly fromMs: number; readonly toMs: number };
  readonly nowMs: number;
  /** The audit log's retention as far as the bot knows (24 h unless the paid option is on). */
  readonly retentionMs?: number;
  /** Audit log entries SORACOM returned that could not be read (dropped, counted in a note). */
  readonly malformedEventCount?: number | undefined;
}

export interface EvidenceItem {
  readonly event: AuditEvent;
  /** Why this event matters, as a catalog message. */
  readonly why: MessageRef;
}

/** A source address seen in the window, with how often; the user's own are near their actions and repeated. */
export interface ObservedSource {
  readonly ip: string;
  readonly count: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  readonly types: Readonly<Partial<Record<AuditEvent['type'], number>>>;
  /** Whether the address was inside the mapping's `source.ipRanges` at the time. */
  readonly admitted: boolean;
  /** Judged to be the user's own attempts (repeated, near their actions) rather than a scanner. */
  readonly likelyUser: boolean;
}

export interface Diagnosis {
  readonly verdict: VerdictId;
  /** One line for the channel parent. */
  readonly summary: MessageRef;
  /** Contributing causes in the guide's order. */
  readonly causes: readonly CauseId[];
  readonly evidence: readonly EvidenceItem[];
  readonly observedSources: readonly ObservedSource[];
  readonly nextSteps: readonly MessageRef[];
  readonly remedies: readonly Remedy[];
  /** Caveats about the evidence itself (retention shorter than the window, events of older mappings…). */
  readonly notes: readonly MessageRef[];
  /** The mapping the verdict is about, when there is one. */
  readonly mapping: PortMapping | undefined;
  readonly window: { readonly fromMs: number; readonly toMs: number };
  /** The active probe's result as given in the input, so the thread can show it. */
  readonly probe?: ProbeResult | undefined;
  /** For the device-side verdicts, what the device did, when the evidence says. */
  readonly deviceCause?: DeviceCause | undefined;
  /** How many audit events of the SIM the window held (the ticket says "N of M events"). */
  readonly eventCount?: number;
}

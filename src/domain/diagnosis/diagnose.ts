import { msg, type MessageRef } from '../i18n/message-ref';
import { computeFacts, DEFAULT_RETENTION_MS, NON_TCP_PROTOCOLS, type Facts } from './facts';
import {
  intendedPortDiffers,
  RULES,
  tlsMisuse,
  userDeniedWhileActive,
  userRefused,
  type Finding,
} from './rules';
import { CAUSE_IDS, type CauseId, type DiagnoseInput, type Diagnosis, type EvidenceItem, type VerdictId } from './types';

/**
 * Reads the evidence and names the cause, following SORACOM's Napter troubleshooting guide.
 * Pure: time is `input.nowMs`, nothing is fetched; linear in the number of audit events.
 */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const facts = computeFacts(input);
  let verdict: VerdictId = 'insufficient-evidence';
  let finding: Finding | undefined;
  for (const rule of RULES) {
    finding = rule.decide(facts);
    if (finding) {
      verdict = rule.verdict;
      break;
    }
  }
  // The last rule always decides; this only satisfies the type checker.
  if (!finding) throw new Error('diagnosis rules ended without a verdict');

  const deviceVerdict = verdict === 'device-side-problem' || verdict === 'device-port-closed';
  return {
    verdict,
    summary: finding.summary,
    causes: causesFor(facts, verdict),
    evidence: chronological(finding.evidence),
    observedSources: facts.simFound ? facts.observedSources : [],
    nextSteps: [...finding.nextSteps, ...(tcpOnlyMatters(facts) ? [msg('diagnosis.step.tcp-only')] : [])],
    remedies: finding.remedies,
    notes: [...(finding.notes ?? []), ...notesFor(facts, verdict, deviceVerdict)],
    mapping: facts.focus?.mapping,
    window: input.window,
    probe: input.probe,
  };
}

const SIM_VERDICTS: ReadonlySet<VerdictId> = new Set(['sim-not-found', 'sim-inactive', 'sim-offline']);

const tcpOnlyMatters = (facts: Facts): boolean => {
  const protocol = facts.input.intent?.protocol?.toLowerCase();
  return protocol !== undefined && NON_TCP_PROTOCOLS.includes(protocol);
};

function causesFor(facts: Facts, verdict: VerdictId): CauseId[] {
  if (SIM_VERDICTS.has(verdict)) return [];
  const causes = new Set<CauseId>();
  if (verdict === 'mapping-expired') causes.add('mapping-expired');
  if (verdict === 'client-network-blocked') causes.add('client-network-blocked');
  if (tlsMisuse(facts)) causes.add('tls-on-non-tls-protocol');
  if (intendedPortDiffers(facts)) causes.add('wrong-device-port');
  if (tcpOnlyMatters(facts)) causes.add('non-tcp-protocol');
  if (userRefused(facts)) causes.add('source-ip-refused');
  else if (userDeniedWhileActive(facts)) causes.add('source-ip-mismatch');
  if (verdict === 'device-side-problem' || verdict === 'device-port-closed') {
    for (const cause of ['wrong-device-port', 'device-firewall', 'device-routing-other-interface', 'device-application-down'] as const) {
      causes.add(cause);
    }
  }
  return CAUSE_IDS.filter((cause) => causes.has(cause));
}

function notesFor(facts: Facts, verdict: VerdictId, deviceVerdict: boolean): MessageRef[] {
  const input = facts.input;
  if (verdict === 'sim-not-found') return [];
  const notes: MessageRef[] = [];
  const retentionMs = input.retentionMs ?? DEFAULT_RETENTION_MS;
  const hours = Math.round(retentionMs / 3_600_000);
  const windowMs = input.window.toMs - input.window.fromMs;
  const retentionStartMs = input.window.toMs - retentionMs;
  // The log may have dropped what is older than its retention: say so when the window reaches past it and
  // nothing older than the retention came back.
  if (windowMs > retentionMs && (facts.oldestEventAtMs === undefined || facts.oldestEventAtMs >= retentionStartMs)) {
    notes.push(msg('diagnosis.note.retention', { hours }));
  } else if (facts.eventCount === 0) {
    notes.push(msg('diagnosis.note.retention-empty', { hours }));
  }
  if (facts.olderMappingConnectionCount > 0 && facts.focus) {
    notes.push(msg('diagnosis.note.older-mappings', { count: facts.olderMappingConnectionCount }));
  }
  if (facts.scannerSourceCount > 0 && verdict !== 'client-network-blocked') {
    notes.push(msg('diagnosis.note.scanners', { addresses: facts.scannerSourceCount, attempts: facts.scannerAttemptCount }));
  }
  const probe = input.probe;
  if (probe?.kind === 'open') {
    notes.push(msg(deviceVerdict || verdict === 'healthy' ? 'diagnosis.note.probe-open-look-further' : 'diagnosis.note.probe-open', { port: probe.port }));
  } else if (probe?.kind === 'failed' && verdict !== 'device-port-closed') {
    notes.push(msg('diagnosis.note.probe-failed', { port: probe.port }));
  } else if (probe?.kind === 'skipped' && !SIM_VERDICTS.has(verdict)) {
    notes.push(msg(`diagnosis.note.probe-skipped-${probe.reason}`));
  }
  return notes;
}

function chronological(evidence: readonly EvidenceItem[]): EvidenceItem[] {
  const seen = new Set<object>();
  const unique = evidence.filter((entry) => {
    if (seen.has(entry.event)) return false;
    seen.add(entry.event);
    return true;
  });
  return unique.sort((a, b) => a.event.atMs - b.event.atMs);
}

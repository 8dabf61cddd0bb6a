import { msg, type MessageRef } from '../i18n/message-ref';
import { probeFoundTrouble } from '../probe';
import { computeFacts, DEFAULT_RETENTION_MS, type Facts } from './facts';
import { intendedPortDiffers, RULES, tlsMisuse, userDeniedWhileActive, userRefused, type Finding } from './rules';
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

  return {
    verdict,
    summary: finding.summary,
    causes: causesFor(facts, verdict, finding),
    evidence: chronological(finding.evidence),
    observedSources: facts.simFound ? facts.observedSources : [],
    nextSteps: finding.nextSteps,
    remedies: finding.remedies,
    notes: [...(finding.notes ?? []), ...notesFor(facts, verdict)],
    mapping: facts.focus?.mapping,
    window: input.window,
    probe: input.probe,
    deviceCause: finding.deviceCause,
    eventCount: facts.eventCount,
  };
}

const SIM_VERDICTS: ReadonlySet<VerdictId> = new Set(['sim-not-found', 'sim-inactive', 'sim-offline']);
const DEVICE_VERDICTS: ReadonlySet<VerdictId> = new Set(['device-side-problem', 'device-port-closed']);

function causesFor(facts: Facts, verdict: VerdictId, finding: Finding): CauseId[] {
  if (SIM_VERDICTS.has(verdict)) return [];
  const causes = new Set<CauseId>(finding.causes ?? []);
  if (verdict === 'mapping-expired') causes.add('mapping-expired');
  if (verdict === 'client-network-blocked') causes.add('client-network-blocked');
  if (tlsMisuse(facts)) causes.add('tls-on-non-tls-protocol');
  if (intendedPortDiffers(facts)) causes.add('wrong-device-port');
  if (userRefused(facts)) causes.add('source-ip-refused');
  else if (userDeniedWhileActive(facts)) causes.add('source-ip-mismatch');
  return CAUSE_IDS.filter((cause) => causes.has(cause));
}

function notesFor(facts: Facts, verdict: VerdictId): MessageRef[] {
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
  if ((input.malformedEventCount ?? 0) > 0) notes.push(msg('diagnosis.note.malformed-events', { count: input.malformedEventCount ?? 0 }));
  if (facts.olderMappingConnectionCount > 0 && facts.focus) {
    notes.push(msg('diagnosis.note.older-mappings', { count: facts.olderMappingConnectionCount }));
  }
  if (facts.scannerSourceCount > 0 && verdict !== 'client-network-blocked') {
    notes.push(msg('diagnosis.note.scanners', { addresses: facts.scannerSourceCount, attempts: facts.scannerAttemptCount }));
  }
  const probeNote = probeNoteFor(facts, verdict);
  if (probeNote !== undefined) notes.push(probeNote);
  return notes;
}

/** What the probe adds to the verdict: agreement, a contradiction the sessions win, or why it says nothing. */
function probeNoteFor(facts: Facts, verdict: VerdictId): MessageRef | undefined {
  const probe = facts.input.probe;
  if (probe === undefined) return undefined;
  if (probe.kind === 'skipped') return SIM_VERDICTS.has(verdict) ? undefined : msg(`diagnosis.note.probe-skipped-${probe.reason}`);
  const port = probe.port;
  if (probe.kind === 'answered') {
    if (verdict === 'healthy') return msg('diagnosis.note.probe-answered', { port });
    if (DEVICE_VERDICTS.has(verdict)) {
      // The platform gets an answer where the user does not: something tells the two sources apart.
      return msg(verdictHung(facts) ? 'diagnosis.note.probe-answered-not-you' : 'diagnosis.note.probe-answered-look-further', { port });
    }
    return msg('diagnosis.note.probe-answered', { port });
  }
  if (probe.kind === 'no-answer' && !probe.conclusive) return msg('diagnosis.note.probe-inconclusive', { port });
  if (verdict === 'device-port-closed') return undefined;
  if (verdict === 'healthy' && probeFoundTrouble(probe)) return msg('diagnosis.note.probe-contradicts-sessions', { port });
  if (DEVICE_VERDICTS.has(verdict)) return msg('diagnosis.note.probe-confirms', { port });
  return msg('diagnosis.note.probe-failed', { port });
}

/** The user's connections hung until a timeout (the latest one short, not at once). */
function verdictHung(facts: Facts): boolean {
  const latest = facts.latestUserConnection;
  return latest?.outcome === 'connected' && latest.use === 'short';
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

import { verdictTitle as diagnosisVerdictTitle } from '../../domain/diagnosis/labels';
import type { Diagnosis, VerdictId } from '../../domain/diagnosis/types';
import type { Lang, MessageKey } from '../../domain/i18n/message-ref';
import { t } from '../text';
import type { AuditEvent, ProbeResult, SimSnapshot } from '../../domain/soracom';
import type { DiagnosisActivity, DiagnosisSimLabel, LoadedDiagnosis } from '../../use-cases/diagnosis-record';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../ids';
import { encodeActionValue, type DiagnosisRefValue } from '../action-value';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  mention,
  section,
  slackDate,
  truncate,
  type KnownBlock,
  type MessageMetadata,
  type SlackMessage,
  statusText,
} from './common';
import { tChannel } from './diagnosis-format';

/** Everything a diagnosis message shows; the diagnosis flow builds it from the stored diagnosis. */
export interface DiagnosisView {
  readonly diagnosisId: string;
  readonly diagnosis: Diagnosis;
  /** The window's audit events, in any order; the thread shows them newest first. */
  readonly events: readonly AuditEvent[];
  readonly probe?: ProbeResult | undefined;
  readonly sim: DiagnosisSimLabel;
  readonly requestedBy: string;
  /** 1 for the first run, then one more per "Diagnose again". */
  readonly run: number;
  readonly ranBy: string;
  readonly ranAtMs: number;
  readonly activity?: readonly DiagnosisActivity[] | undefined;
  readonly lang: Lang;
}

/** What a stored diagnosis shows, in the requester's language unless another reader is named. */
export function diagnosisView({ stored, record }: LoadedDiagnosis, lang: Lang = stored.lang): DiagnosisView {
  return {
    diagnosisId: stored.id,
    diagnosis: record.diagnosis,
    events: record.events,
    probe: record.probe,
    sim: record.sim,
    requestedBy: stored.requestedBy,
    run: record.run,
    ranBy: record.ranBy,
    ranAtMs: record.ranAtMs,
    activity: record.activity ?? [],
    lang,
  };
}

/** The parent shows this many of the latest actions. */
const PARENT_ACTIVITY_LINES = 3;

/** The metadata every diagnosis message carries, so other tools (and tests) can read the verdict. */
export function diagnosisMetadata(view: Pick<DiagnosisView, 'diagnosisId' | 'diagnosis' | 'sim'>): MessageMetadata {
  return {
    event_type: METADATA_EVENT_TYPES.diagnosis,
    event_payload: {
      verdict: view.diagnosis.verdict,
      sim_id: view.sim.simId ?? '',
      imsi: view.sim.imsi ?? '',
      window_from_ms: view.diagnosis.window.fromMs,
      window_to_ms: view.diagnosis.window.toMs,
      diagnosis_id: view.diagnosisId,
      ...(view.diagnosis.deviceCause === undefined ? {} : { device_cause: view.diagnosis.deviceCause }),
    },
  };
}

/** A glance at the parent tells the kind of problem: where it lies (SIM, mapping, network, device) or that all is well. */
const VERDICT_EMOJI: Readonly<Record<VerdictId, string>> = {
  'sim-not-found': ':grey_question:',
  'sim-inactive': ':no_entry:',
  'sim-offline': ':electric_plug:',
  'no-mapping': ':door:',
  'mapping-expired': ':hourglass:',
  'tls-on-non-tls-protocol': ':lock:',
  'client-network-blocked': ':construction:',
  'source-ip-mismatch': ':no_entry_sign:',
  'source-ip-refused': ':no_entry_sign:',
  'device-side-problem': ':wrench:',
  'device-port-closed': ':wrench:',
  healthy: ':white_check_mark:',
  'insufficient-evidence': ':mag:',
};

/** The verdict's title from the diagnosis catalog, with its emoji. */
export function verdictTitle(lang: Lang, verdict: VerdictId): string {
  return `${VERDICT_EMOJI[verdict]} ${plainVerdictTitle(lang, verdict)}`;
}

/** The title alone, for text read outside Slack's rendering (notifications, the ticket draft). */
export function plainVerdictTitle(lang: Lang, verdict: VerdictId): string {
  return t(lang, diagnosisVerdictTitle(verdict));
}

/** A SIM as the channel sees it, in mrkdwn: its name and IMSI, or whatever identifies it; every part escaped. */
export function simLabelText(sim: DiagnosisSimLabel): string {
  const id = sim.imsi ?? sim.simId;
  if (sim.name !== undefined && sim.name !== '' && id !== undefined) return `*${escapeMrkdwn(sim.name)}* (\`${escapeMrkdwn(id)}\`)`;
  if (id !== undefined) return `\`${escapeMrkdwn(id)}\``;
  return `\`${escapeMrkdwn(truncate(sim.typed, 80))}\``;
}

export function diagnosisRefValue(diagnosisId: string): string {
  const value: DiagnosisRefValue = { v: 1, diagnosisId };
  return encodeActionValue(value);
}

/** Block ids change with every run, as Slack asks of updated messages. */
export function blockId(kind: string, view: Pick<DiagnosisView, 'diagnosisId' | 'run'>, extra?: string | number): string {
  return truncate(`napter_${kind}:${view.diagnosisId}:r${view.run}${extra === undefined ? '' : `:${extra}`}`, 255);
}

export interface ParentOptions {
  /** The result goes to the requester alone (the bot cannot post in the channel). */
  readonly ephemeral?: boolean;
  /** A new run is under way: the parent says so and offers no button until it ends. */
  readonly rerunningBy?: string;
}

/** The channel parent: verdict and one-line summary in the requester's language, updated in place. */
export function buildDiagnosisParent(view: DiagnosisView, options: ParentOptions = {}): SlackMessage {
  const { lang, diagnosis } = view;
  const title = verdictTitle(lang, diagnosis.verdict);
  const summary = tChannel(lang, diagnosis.summary);
  const sim = simLabelText(view.sim);
  // A "re-running" version is a version of its own: Slack wants fresh block ids on every update.
  const verdictBlockId = blockId(options.rerunningBy === undefined ? 'parent_verdict' : 'parent_verdict_rerunning', view);
  const blocks: KnownBlock[] = [
    section(`*${title}*\n${summary}`, verdictBlockId),
    context(
      tChannel(lang, 'thread.parent.context', {
        sim,
        from: slackDate(diagnosis.window.fromMs),
        to: slackDate(diagnosis.window.toMs),
        user: mention(view.requestedBy),
      }),
    ),
  ];
  if (view.run > 1) {
    blocks.push(context(t(lang, 'thread.parent.rerun', { user: mention(view.ranBy), at: slackDate(view.ranAtMs), run: view.run })));
  }
  const activity = (view.activity ?? []).slice(-PARENT_ACTIVITY_LINES);
  if (activity.length > 0) {
    blocks.push(context(...activity.map((entry) => t(lang, `thread.activity.${entry.kind}`, { user: mention(entry.userId), at: slackDate(entry.atMs) }))));
  }
  if (options.rerunningBy !== undefined) {
    blocks.push(context(t(lang, 'thread.progress.started', { sim })));
  } else {
    blocks.push(context(t(lang, options.ephemeral ? 'thread.parent.ephemeralNote' : 'thread.parent.seeThread')));
    blocks.push(
      actions(blockId('parent_actions', view), [
        button({ text: t(lang, 'thread.button.diagnoseAgain'), actionId: ACTION_IDS.diagnoseAgain, value: diagnosisRefValue(view.diagnosisId) }),
      ]),
    );
  }
  const text = tChannel(lang, 'thread.parent.fallback', { sim: plainSim(view.sim), verdict: plainVerdictTitle(lang, diagnosis.verdict), summary });
  return { text: truncate(text, 3000), blocks, metadata: diagnosisMetadata(view) };
}

/** What a progress line says; the stages follow the evidence gathering. */
export type ProgressStage =
  | { readonly kind: 'started' }
  | { readonly kind: 'sim' }
  | { readonly kind: 'mappings' }
  | { readonly kind: 'audit-log' }
  | { readonly kind: 'probe'; readonly port: number }
  | { readonly kind: 'diagnosing' };

const PROGRESS_KEYS: Record<ProgressStage['kind'], MessageKey> = {
  started: 'thread.progress.started',
  sim: 'thread.progress.readingSim',
  mappings: 'thread.progress.readingMappings',
  'audit-log': 'thread.progress.readingAuditLog',
  probe: 'thread.progress.probing',
  diagnosing: 'thread.progress.diagnosing',
};

export function progressText(lang: Lang, simTyped: string, stage: ProgressStage): string {
  const sim = `\`${escapeMrkdwn(simTyped)}\``;
  return t(lang, PROGRESS_KEYS[stage.kind], stage.kind === 'probe' ? { sim, port: stage.port } : { sim });
}

/** An ambiguous name: the candidates, for the requester to pick one by IMSI. */
export function buildCandidatesMessage(lang: Lang, name: string, candidates: readonly SimSnapshot[]): SlackMessage {
  const rows = candidates.slice(0, 20).map((sim) =>
    t(lang, 'thread.candidates.row', {
      name: escapeMrkdwn(sim.name === '' ? '-' : sim.name),
      imsi: escapeMrkdwn(sim.imsi ?? '-'),
      simId: escapeMrkdwn(sim.simId),
      status: statusText(sim.status),
      online: sim.online ? t(lang, 'thread.candidates.online') : '',
    }),
  );
  const title = t(lang, 'thread.candidates.title', { name: escapeMrkdwn(name) });
  const blocks: KnownBlock[] = [section(title), section(rows.join('\n')), context(t(lang, 'thread.candidates.hint'))];
  return { text: title, blocks };
}

/** A name that matched no SIM, to the requester alone: the closest names SORACOM has, if any. */
export function buildNoSuchNameMessage(lang: Lang, name: string, suggestions: readonly string[]): SlackMessage {
  const title = t(lang, 'thread.noSuchName.title', { name: escapeMrkdwn(name) });
  const hint =
    suggestions.length === 0
      ? t(lang, 'thread.noSuchName.none')
      : t(lang, 'thread.noSuchName.didYouMean', { names: suggestions.map((candidate) => `\`${escapeMrkdwn(candidate).replace(/`/g, "'")}\``).join(', ') });
  return { text: `${title} ${hint}`, blocks: [section(`${title}\n${hint}`)] };
}

/** The SIM in the notification text: no formatting, but escaped all the same (Slack reads `<…>` there too). */
function plainSim(sim: DiagnosisSimLabel): string {
  const id = sim.imsi ?? sim.simId ?? sim.typed;
  return escapeMrkdwn(sim.name ? `${sim.name} (${id})` : id);
}

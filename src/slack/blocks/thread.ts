import { remedyLabel } from '../../domain/diagnosis/labels';
import type { ObservedSource, Remedy } from '../../domain/diagnosis/types';
import type { Lang } from '../../domain/i18n/message-ref';
import { t } from '../text';
import type { AuditEvent, PortMapping, ProbeResult } from '../../domain/soracom';
import { ACTION_IDS } from '../ids';
import { encodeActionValue, type FixRefValue } from '../action-value';
import { maskIp } from '../../domain/net/address';
import { probeMethodLabel } from '../../domain/probe';
import { actions, button, context, escapeMrkdwn, mention, section, slackDate, truncate, type KnownBlock, type SlackMessage } from './common';
import { chunkLines, packBlocks, shortConnectionId, tChannel } from './diagnosis-format';
import { blockId, diagnosisMetadata, diagnosisRefValue, simLabelText, verdictTitle, type DiagnosisView } from './diagnosis';

/** The thread shows at most this many audit events (newest first) and says how many it left out. */
export const MAX_EVENT_ROWS = 60;
const MAX_EVIDENCE_ITEMS = 10;
const MAX_SOURCE_ROWS = 10;

/** Events of the mapping's own life: no client connection, so no source address or connection to show. */
const LIFECYCLE_EVENT_TYPES: ReadonlySet<AuditEvent['type']> = new Set(['CREATED', 'DELETED', 'EXPIRED']);

function eventRow(lang: Lang, event: AuditEvent): string {
  const unknown = t(lang, 'thread.events.unknown');
  if (LIFECYCLE_EVENT_TYPES.has(event.type) && event.sourceIp === undefined) {
    return t(lang, 'thread.events.lifecycleRow', { type: event.type, time: slackDate(event.atMs), port: event.destinationPort ?? unknown });
  }
  return t(lang, 'thread.events.row', {
    type: event.type,
    time: slackDate(event.atMs),
    conn: escapeMrkdwn(shortConnectionId(event.connectionId)),
    source: event.sourceIp === undefined ? unknown : maskIp(event.sourceIp),
    port: event.destinationPort ?? unknown,
    tls: t(lang, event.tls ? 'thread.events.tlsOn' : 'thread.events.tlsOff'),
  });
}

export function newestFirst(events: readonly AuditEvent[]): AuditEvent[] {
  return [...events].sort((a, b) => b.atMs - a.atMs);
}

/** The event table as section texts, newest first, capped, each within the section limit. */
export function eventTableSections(lang: Lang, events: readonly AuditEvent[], window: { fromMs: number; toMs: number }): string[] {
  if (events.length === 0) {
    return [t(lang, 'thread.events.none', { from: slackDate(window.fromMs), to: slackDate(window.toMs) })];
  }
  const sorted = newestFirst(events);
  const shown = sorted.slice(0, MAX_EVENT_ROWS);
  const rows = shown.map((event) => eventRow(lang, event));
  if (sorted.length > shown.length) rows.push(t(lang, 'thread.events.omitted', { count: sorted.length - shown.length }));
  return chunkLines(rows, undefined, t(lang, 'thread.events.title', { shown: shown.length, total: sorted.length }), t(lang, 'thread.events.titleContinued'));
}

function sourceRow(lang: Lang, source: ObservedSource): string {
  const types = Object.entries(source.types)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  return t(lang, 'thread.sources.row', {
    ip: maskIp(source.ip),
    count: source.count,
    types,
    first: slackDate(source.firstAtMs),
    last: slackDate(source.lastAtMs),
    admitted: t(lang, source.admitted ? 'thread.sources.admitted' : 'thread.sources.notAdmitted'),
    likelyUser: source.likelyUser ? t(lang, 'thread.sources.likelyUser') : '',
  });
}

function mappingLine(lang: Lang, mapping: PortMapping | undefined, nowMs: number): string {
  if (mapping === undefined) return t(lang, 'thread.mapping.none');
  const expired = mapping.expired || mapping.expiresAtMs <= nowMs;
  return t(lang, 'thread.mapping.line', {
    port: mapping.destination.port,
    tls: t(lang, mapping.tlsRequired ? 'thread.events.tlsOn' : 'thread.events.tlsOff'),
    created: slackDate(mapping.createdAtMs),
    expiry: t(lang, expired ? 'thread.mapping.expired' : 'thread.mapping.expires', { at: slackDate(mapping.expiresAtMs) }),
    ranges: mapping.sourceIpRanges.length === 0 ? '-' : mapping.sourceIpRanges.map((range) => `\`${maskIp(range)}\``).join(', '),
  });
}

function probeLine(lang: Lang, probe: ProbeResult): string {
  if (probe.kind === 'skipped') return t(lang, `thread.probe.skipped.${probe.reason}`);
  const base = { port: probe.port, at: slackDate(probe.atMs), method: probeMethodLabel[probe.method] ?? probe.method };
  if (probe.kind === 'answered') {
    return probe.httpStatus === undefined
      ? t(lang, 'thread.probe.answered', base)
      : t(lang, 'thread.probe.answered-http', { ...base, status: probe.httpStatus });
  }
  // A number, not text: "0.1" would pass for an address and be masked.
  const failure = { ...base, elapsed: Math.round(probe.elapsedMs / 100) / 10, message: `\`${escapeMrkdwn(truncate(probe.message, 200)).replace(/`/g, "'")}\`` };
  // SORACOM's message may name an address (a dial error): the thread is the channel's, so it is masked.
  if (probe.kind === 'refused') return tChannel(lang, 'thread.probe.refused', failure);
  return tChannel(lang, probe.conclusive ? 'thread.probe.no-answer' : 'thread.probe.inconclusive', failure);
}

function fixRefValue(diagnosisId: string, remedyIndex: number): string {
  const value: FixRefValue = { v: 1, diagnosisId, remedyIndex };
  return encodeActionValue(value);
}

function fixButtonLabel(lang: Lang, remedy: Remedy): string | undefined {
  if (remedy.kind !== 'reopen' && remedy.kind !== 'reopen-with-fix') return undefined;
  return t(lang, remedyLabel(remedy));
}

/**
 * The fix buttons, in the diagnosis's order. Each reopen button sits in its own actions block, because
 * Slack wants action ids unique within a block and every one of them is ACTION_IDS.openAgainWithFix.
 */
function fixBlocks(view: DiagnosisView): KnownBlock[] {
  const { lang, diagnosis } = view;
  const blocks: KnownBlock[] = [];
  const simKnown = view.sim.simId !== undefined || view.sim.imsi !== undefined;
  diagnosis.remedies.forEach((remedy, index) => {
    const label = fixButtonLabel(lang, remedy);
    if (label === undefined || diagnosis.mapping === undefined) return;
    blocks.push(
      actions(blockId('fix', view, index), [
        button({
          text: label,
          actionId: ACTION_IDS.openAgainWithFix,
          value: fixRefValue(view.diagnosisId, index),
          ...(remedy.kind === 'reopen-with-fix' ? { style: 'primary' as const } : {}),
        }),
      ]),
    );
  });
  const wantsCapture = diagnosis.remedies.some((remedy) => remedy.kind === 'packet-capture');
  const ref = diagnosisRefValue(view.diagnosisId);
  const elements = [
    button({ text: t(lang, 'thread.button.diagnoseAgain'), actionId: ACTION_IDS.diagnoseAgain, value: ref }),
    ...(view.sim.simId !== undefined
      ? [
          button({
            text: t(lang, 'thread.button.startCapture'),
            actionId: ACTION_IDS.startCapture,
            value: ref,
            ...(wantsCapture ? { style: 'primary' as const } : {}),
          }),
        ]
      : []),
    ...(simKnown ? [button({ text: t(lang, 'thread.button.draftTicket'), actionId: ACTION_IDS.draftTicket, value: ref })] : []),
  ];
  blocks.push(actions(blockId('actions', view), elements));
  return blocks;
}

/**
 * The thread under the parent: the evidence (why each event matters, the mapping, the probe, the
 * addresses seen, the event table), then the next steps and the fix buttons last, where the reader
 * ends up. Addresses are masked: the thread is visible to the whole channel.
 */
export function buildDiagnosisThread(view: DiagnosisView): SlackMessage[] {
  const { evidence, closing } = diagnosisThreadParts(view);
  const metadata = diagnosisMetadata(view);
  const fallback = tChannel(view.lang, 'thread.reply.fallback', { sim: simLabelText(view.sim) });
  return [...packBlocks(evidence), ...packBlocks(closing)].map((blocks) => ({ text: fallback, blocks, metadata }));
}

/** The thread's two halves: the evidence, and the closing part (next steps, notes, fix buttons). */
function diagnosisThreadParts(view: DiagnosisView): { evidence: KnownBlock[]; closing: KnownBlock[] } {
  const { lang, diagnosis } = view;
  const evidenceBlocks: KnownBlock[] = [];
  if (view.run > 1) {
    evidenceBlocks.push(
      section(
        t(lang, 'thread.reply.rerunHeader', {
          run: view.run,
          user: mention(view.ranBy),
          at: slackDate(view.ranAtMs),
          verdict: verdictTitle(lang, diagnosis.verdict),
        }),
        blockId('rerun', view),
      ),
    );
  }

  const evidenceLines = diagnosis.evidence
    .slice(0, MAX_EVIDENCE_ITEMS)
    .map((item) => t(lang, 'thread.evidence.item', { why: tChannel(lang, item.why), event: eventRow(lang, item.event) }));
  const evidenceText = evidenceLines.length === 0 ? t(lang, 'thread.evidence.none') : evidenceLines.join('\n');
  evidenceBlocks.push(
    ...chunkLines([evidenceText], undefined, t(lang, 'thread.evidence.title')).map((text, index) => section(text, blockId('evidence', view, index))),
  );

  const facts = [mappingLine(lang, diagnosis.mapping, diagnosis.window.toMs)];
  if (view.probe !== undefined) facts.push(probeLine(lang, view.probe));
  evidenceBlocks.push(section(facts.join('\n'), blockId('facts', view)));

  if (diagnosis.observedSources.length > 0) {
    const rows = diagnosis.observedSources.slice(0, MAX_SOURCE_ROWS).map((source) => sourceRow(lang, source));
    const more = diagnosis.observedSources.length - MAX_SOURCE_ROWS;
    if (more > 0) rows.push(t(lang, 'thread.sources.omitted', { count: more }));
    evidenceBlocks.push(...chunkLines(rows, undefined, t(lang, 'thread.sources.title')).map((text, index) => section(text, blockId('sources', view, index))));
  }

  evidenceBlocks.push(...eventTableSections(lang, view.events, diagnosis.window).map((text, index) => section(text, blockId('events', view, index))));

  const closingBlocks: KnownBlock[] = [];
  if (diagnosis.nextSteps.length > 0) {
    const steps = diagnosis.nextSteps.map((step, index) => `${index + 1}. ${tChannel(lang, step)}`);
    closingBlocks.push(...chunkLines(steps, undefined, t(lang, 'thread.nextSteps.title')).map((text, index) => section(text, blockId('next', view, index))));
  }
  if (diagnosis.notes.length > 0) {
    const notes = diagnosis.notes.map((note) => `• ${tChannel(lang, note)}`);
    closingBlocks.push(...chunkLines(notes, undefined, t(lang, 'thread.notes.title')).map((text) => context(text)));
  }
  closingBlocks.push(section(t(lang, 'thread.fixes.title'), blockId('fixes_title', view)));
  closingBlocks.push(...fixBlocks(view));
  return { evidence: evidenceBlocks, closing: closingBlocks };
}

/** Only the clicker sees this: the full address from the DENIED events, and a button that opens with it. */
export function buildConfirmObservedIp(
  lang: Lang,
  input: { readonly ip: string; readonly count: number; readonly diagnosisId: string; readonly remedyIndex: number },
): SlackMessage {
  const ip = escapeMrkdwn(input.ip);
  const question = t(lang, 'thread.confirmIp.question', { ip, count: input.count });
  return {
    text: t(lang, 'thread.confirmIp.fallback', { ip }),
    blocks: [
      section(question),
      actions(truncate(`napter_confirm_ip:${input.diagnosisId}:${input.remedyIndex}`, 255), [
        button({
          text: t(lang, 'thread.confirmIp.yes'),
          actionId: ACTION_IDS.confirmObservedIp,
          value: fixRefValue(input.diagnosisId, input.remedyIndex),
          style: 'primary',
        }),
      ]),
    ],
  };
}

/**
 * The ephemeral fallback when the bot cannot post in the conversation: the hint, the verdict, the next
 * steps and buttons first, then the evidence; at most `maxMessages` messages, as a response_url takes
 * only five posts.
 */
export function buildEphemeralResult(view: DiagnosisView, parent: SlackMessage, maxMessages: number): SlackMessage[] {
  const { evidence, closing } = diagnosisThreadParts(view);
  const hint = section(t(view.lang, 'thread.notInChannel'));
  const all: KnownBlock[] = [hint, ...parent.blocks, { type: 'divider' }, ...closing, { type: 'divider' }, ...evidence];
  return packBlocks(all)
    .slice(0, Math.max(1, maxMessages))
    .map((blocks) => ({ text: parent.text, blocks }));
}

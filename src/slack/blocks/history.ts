import { type HistoryRow, historyRowMessages } from '../../domain/history';
import type { Lang, MessageKey } from '../../domain/i18n/message-ref';
import type { CountGap, HistoryOutcome } from '../../use-cases/history';
import { encodeActionValue } from '../action-value';
import { ACTION_IDS } from '../ids';
import { t } from '../text';
import { actions, button, context, escapeMrkdwn, type KnownBlock, notice, SECTION_BUDGET, section, type SlackMessage, slackDate } from './common';

type Listed = Extract<HistoryOutcome, { kind: 'listed' }>;

const GAP_TEXT: Readonly<Record<CountGap, MessageKey>> = {
  'past-retention': 'history.counts.past-retention',
  'rate-limited': 'history.counts.rate-limited',
  unavailable: 'history.counts.unavailable',
  'not-read': 'history.counts.not-read',
};

/**
 * `/napter history`, for the viewer alone: one line per ledger row (newest first) with the Napter connections
 * under each mapping's first row, or why there are none; what was left out; and "Export CSV". SIM names and
 * source ranges come from outside and are escaped here.
 */
export function historyMessage(lang: Lang, outcome: Listed, scope: string | undefined, exportId: string | undefined): SlackMessage {
  const { listing } = outcome;
  const title = t(lang, 'history.title', { since: slackDate(outcome.sinceMs, 'minutes') });
  const heading = scope === undefined ? `*${title}*` : `*${title}* · ${escapeMrkdwn(scope)}`;
  const notes = [
    ...(listing.hidden > 0 ? [t(lang, 'history.hidden', { count: listing.hidden })] : []),
    ...(listing.truncated ? [t(lang, 'history.truncated', { count: listing.rows.length })] : []),
  ];
  if (listing.rows.length === 0) {
    const empty = notice(`${heading}\n${t(lang, 'history.empty')}`);
    return { text: title, blocks: [...empty.blocks, ...notes.map((note) => context(note))] };
  }
  const blocks: KnownBlock[] = [section(heading), ...packLines(historyLines(lang, outcome)).map((text) => section(text))];
  for (const note of notes) blocks.push(context(note));
  if (exportId !== undefined) {
    blocks.push(
      actions('napter_history', [
        button({ text: t(lang, 'history.export'), actionId: ACTION_IDS.exportHistory, value: encodeActionValue({ v: 1, exportId }) }),
      ]),
    );
  }
  return { text: title, blocks };
}

/** One line per row (two with the mapping's connections, or why they are missing), newest first. */
export function historyLines(lang: Lang, outcome: Listed): string[] {
  const firstRowOf = firstRowsOfMappings(outcome.listing.rows);
  const render = {
    time: (ms: number) => slackDate(ms, 'minutes'),
    sim: (row: HistoryRow) => escapeMrkdwn((row.simId === undefined ? undefined : outcome.simLabels.get(row.simId)) ?? row.simId ?? row.imsi ?? '?'),
  };
  return outcome.listing.rows.map((row) => {
    const escaped: HistoryRow = { ...row, sourceCidr: row.sourceCidr === undefined ? undefined : escapeMrkdwn(row.sourceCidr) };
    const texts = historyRowMessages(escaped, render).map((ref) => t(lang, ref));
    const gap = row.mappingId === undefined ? undefined : outcome.gaps.get(row.mappingId);
    if (row.connections === undefined && gap !== undefined && firstRowOf.has(row)) texts.push(t(lang, GAP_TEXT[gap]));
    return texts.map((text, index) => (index === 0 ? `• ${text}` : `    ${text}`)).join('\n');
  });
}

/** Each mapping's earliest row in the listing: where its connections (or their absence) are said, once. */
function firstRowsOfMappings(rows: readonly HistoryRow[]): Set<HistoryRow> {
  const seen = new Set<string>();
  const first = new Set<HistoryRow>();
  for (const row of [...rows].reverse()) {
    if (row.mappingId === undefined || seen.has(row.mappingId)) continue;
    seen.add(row.mappingId);
    first.add(row);
  }
  return first;
}

/** Lines into as few sections as fit Slack's section limit. */
function packLines(lines: readonly string[]): string[] {
  const sections: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > SECTION_BUDGET) {
      sections.push(current);
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') sections.push(current);
  return sections;
}

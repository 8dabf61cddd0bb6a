import { t as catalogText } from '../domain/i18n/catalog';
import type { Lang, MessageKey, MessageRef } from '../domain/i18n/message-ref';

/**
 * The catalog's texts as Slack shows them: the icon a message starts with is Slack's presentation, kept here
 * rather than in the catalog (which the ticket draft, the web page and the local mode read too).
 */
const ICONS: Readonly<Record<string, readonly MessageKey[]>> = {
  ':hourglass_flowing_sand:': [
    'thread.progress.started',
    'thread.progress.readingSim',
    'thread.progress.readingMappings',
    'thread.progress.readingAuditLog',
    'thread.progress.probing',
    'thread.progress.diagnosing',
    'thread.fix.opening',
    'slack.progress.reading-sim',
    'slack.progress.reading-mappings',
    'slack.progress.opening',
    'slack.progress.soracom-waiting',
    'slack.open.in-progress',
    'slack.open.outcome-unknown',
  ],
  ':white_check_mark:': ['thread.progress.posted', 'slack.open.created', 'slack.close.done'],
  ':warning:': [
    'thread.progress.failed',
    'thread.activity.capture-failed',
    'slack.open.not-created',
    'slack.open.unresolved',
    'slack.recovery.open-interrupted',
    'slack.recovery.capture-reopened',
  ],
  ':satellite_antenna:': ['thread.activity.capture-started', 'thread.capture.title'],
  ':package:': ['thread.activity.capture-done', 'thread.capture.link'],
  ':arrows_counterclockwise:': ['thread.activity.reopened'],
  ':memo:': ['thread.activity.ticket-drafted', 'thread.ticket.posted'],
  ':information_source:': ['thread.notInChannel', 'slack.card.not-in-channel', 'slack.card.channel-not-found', 'slack.card.not-posted'],
  ':recycle:': ['slack.open.reused'],
  ':lock:': ['slack.open.private-note', 'slack.card.masked'],
  ':no_entry_sign:': ['slack.card.closed'],
  ':globe_with_meridians:': ['slack.capture.prompt'],
};

const ICON_OF: ReadonlyMap<string, string> = new Map(Object.entries(ICONS).flatMap(([icon, keys]) => keys.map((key) => [key, icon] as const)));

/** A catalog text in `lang`, with its icon when Slack shows one. */
export function t(lang: Lang, ref: MessageRef | MessageKey, params?: MessageRef['params']): string {
  const icon = ICON_OF.get(typeof ref === 'string' ? ref : ref.key);
  const text = catalogText(lang, ref, params);
  return icon === undefined ? text : `${icon} ${text}`;
}

import { t } from '../../domain/i18n/catalog';
import type { Lang } from '../../domain/i18n/message-ref';
import { context, section, type SlackMessage } from './common';

const HELP_SECTIONS = ['open', 'diagnose', 'list', 'close', 'help'] as const;

/** `/napter help`, in the user's language: every subcommand with its form and an example. */
export function helpMessage(lang: Lang): SlackMessage {
  const title = t(lang, 'slack.help.title');
  return {
    text: title,
    blocks: [
      section(`*${title}*`),
      ...HELP_SECTIONS.map((name) => section(t(lang, `slack.help.${name}`))),
      section(t(lang, 'slack.help.open-details')),
      context(t(lang, 'slack.help.footer')),
    ],
  };
}

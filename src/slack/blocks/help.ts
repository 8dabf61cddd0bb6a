import { t } from '../text';
import type { Lang } from '../../domain/i18n/message-ref';
import { helpMessages } from '../../domain/command/help';
import type { HelpCommand } from '../../domain/command/types';
import { context, section, type SlackMessage } from './common';

/** `/napter help [topic]`, in the user's language: the core's help sections, then the privacy footer. */
export function helpMessage(lang: Lang, topic?: HelpCommand['topic']): SlackMessage {
  return {
    text: t(lang, 'slack.help.title'),
    blocks: [...helpMessages(topic).map((ref) => section(t(lang, ref))), context(t(lang, 'slack.help.footer'))],
  };
}

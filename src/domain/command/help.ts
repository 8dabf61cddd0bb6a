import type { MessageRef } from '../i18n/message-ref';
import { msg } from '../i18n/message-ref';
import type { HelpCommand } from './types';

/**
 * The sections of `/napter help`, in reading order, as catalog messages (Slack mrkdwn) for the Slack
 * layer to render in the reader's language: the whole help, or one command's usage with the `<sim>` note.
 */
export function helpMessages(topic?: HelpCommand['topic']): MessageRef[] {
  if (topic === undefined) {
    return (['title', 'open', 'diagnose', 'list', 'close', 'history', 'sim', 'help'] as const).map((section) => msg(`command.help.${section}`));
  }
  return [msg(`command.help.${topic}`), msg('command.help.sim')];
}

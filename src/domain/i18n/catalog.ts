import type { Lang, MessageRef } from './message-ref';
import { commandMessages } from './messages/command';
import { diagnosisMessages } from './messages/diagnosis';
import { ticketMessages } from './messages/ticket';
import { slackMessages } from './messages/slack';
import { threadMessages } from './messages/thread';
import { policyMessages } from './messages/policy';
import { ipPageMessages } from './messages/ip-page';
import { watchMessages } from './messages/watch';
import { historyMessages } from './messages/history';

/**
 * The one catalog of user-facing text. Each area owns a file under `messages/` with `en` and `ja`
 * complete (a test fails when a key is missing in either). Placeholders are `{name}`.
 * The Japanese reads like SORACOM's own documentation (です・ます, SORACOM's product terms), not a word-for-word copy.
 */
export type MessageTable = Readonly<Record<string, string>>;
export interface MessageArea {
  readonly en: MessageTable;
  readonly ja: MessageTable;
}

export const MESSAGE_AREAS: Readonly<Record<string, MessageArea>> = {
  command: commandMessages,
  diagnosis: diagnosisMessages,
  ticket: ticketMessages,
  slack: slackMessages,
  thread: threadMessages,
  policy: policyMessages,
  ipPage: ipPageMessages,
  watch: watchMessages,
  history: historyMessages,
};

const tables: Record<Lang, Record<string, string>> = { en: {}, ja: {} };
for (const area of Object.values(MESSAGE_AREAS)) {
  Object.assign(tables.en, area.en);
  Object.assign(tables.ja, area.ja);
}

export function hasMessage(key: string): boolean {
  return key in tables.en;
}

/** Renders a message in `lang`. An unknown key is a programming error and shows as the key itself. */
export function t(lang: Lang, ref: MessageRef | string, params?: MessageRef['params']): string {
  const key = typeof ref === 'string' ? ref : ref.key;
  const values = typeof ref === 'string' ? params : { ...ref.params, ...params };
  const template = tables[lang][key] ?? tables.en[key] ?? key;
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

export function langFromLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

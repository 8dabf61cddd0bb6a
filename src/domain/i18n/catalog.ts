import type { Lang, MessageKey, MessageRef } from './message-ref';

export type { Lang };
import { commandMessages } from './messages/command';
import { diagnosisMessages } from './messages/diagnosis';
import { historyMessages } from './messages/history';
import { homeMessages } from './messages/home';
import { policyMessages } from './messages/policy';
import { slackMessages } from './messages/slack';
import { threadMessages } from './messages/thread';
import { ticketMessages } from './messages/ticket';
import { watchMessages } from './messages/watch';

/**
 * The one catalog of user-facing text. Each area owns a file under `messages/` with `en` complete and `ja` typed
 * to have exactly its keys; `MessageKey` is derived from them, so a misspelt key does not compile. Placeholders
 * are `{name}`. The Japanese reads like SORACOM's own documentation (です・ます, SORACOM's product terms).
 */
export type MessageTable = Readonly<Record<string, string>>;
export interface MessageArea {
  readonly en: MessageTable;
  readonly ja: MessageTable;
}

export const MESSAGE_AREAS = {
  command: commandMessages,
  diagnosis: diagnosisMessages,
  ticket: ticketMessages,
  slack: slackMessages,
  thread: threadMessages,
  policy: policyMessages,
  watch: watchMessages,
  history: historyMessages,
  home: homeMessages,
} as const satisfies Readonly<Record<string, MessageArea>>;

const tables: Record<Lang, Record<string, string>> = { en: {}, ja: {} };
const catalog = tables as Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>>;
for (const area of Object.values(MESSAGE_AREAS)) {
  Object.assign(tables.en, area.en);
  Object.assign(tables.ja, area.ja);
}

/** Whether a key built at run time (from a status SORACOM sent, say) names a message. */
export function hasMessage(key: string): key is MessageKey {
  return key in tables.en;
}

/** Renders a message in `lang`, its `{name}` placeholders filled in from the parameters. */
export function t(lang: Lang, ref: MessageRef | MessageKey, params?: MessageRef['params']): string {
  const values = typeof ref === 'string' ? params : { ...ref.params, ...params };
  const rendered = values && Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typeof value === 'object' ? t(lang, value) : value]));
  return translate(catalog, lang, typeof ref === 'string' ? ref : ref.key, rendered);
}

/**
 * The engine under `t()`, for a table of texts kept beside an adapter (the web page's): the text in `lang` (English
 * when missing), `{name}` placeholders filled in; an unknown placeholder stays as written.
 */
export function translate<Key extends string>(
  tables: Readonly<Record<Lang, Readonly<Record<Key, string>>>>,
  lang: Lang,
  key: Key,
  params?: Readonly<Record<string, string | number>>,
): string {
  const template = tables[lang][key] ?? tables.en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function langFromLocale(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

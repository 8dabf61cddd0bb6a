import type { MESSAGE_AREAS } from './catalog';

type Areas = typeof MESSAGE_AREAS;

/** Every key of the catalog: a derived type, so a misspelt or missing key is a compile error. */
export type MessageKey = { [Area in keyof Areas]: keyof Areas[Area]['en'] & string }[keyof Areas];

/**
 * A user-facing text as data: a catalog key plus its parameters. The pure core returns these; the adapters render
 * them in the reader's language with `t()` from `src/domain/i18n/catalog.ts`.
 */
export type MessageParams = Readonly<Record<string, MessageParam>>;
/** A value, or another message rendered in the same language (a SIM's status, say). */
export type MessageParam = string | number | MessageRef;

export interface MessageRef {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

export const msg = (key: MessageKey, params?: MessageParams): MessageRef => (params ? { key, params } : { key });

export type Lang = 'en' | 'ja';

/** The ends of the keys under a prefix: `KeysUnder<'diagnosis.why.'>` is every `x` with a `diagnosis.why.x`. */
export type KeysUnder<Prefix extends string, Key extends string = MessageKey> = Key extends `${Prefix}${infer Rest}` ? Rest : never;

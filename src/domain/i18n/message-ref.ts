/**
 * A user-facing text as data: a catalog key plus its parameters. The pure core returns these; the
 * adapters render them in the reader's language with `t()` from `src/domain/i18n/catalog.ts`.
 */
export type MessageParams = Readonly<Record<string, string | number>>;

export interface MessageRef {
  readonly key: string;
  readonly params?: MessageParams;
}

export const msg = (key: string, params?: MessageParams): MessageRef => (params ? { key, params } : { key });

export type Lang = 'en' | 'ja';

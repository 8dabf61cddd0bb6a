/**
 * Folds what Japanese keyboards, IMEs and Slack's editor produce into the plain ASCII forms the
 * parsers expect, so `／ｎａｐｔｅｒ　ｏｐｅｎ　ｇｗー０１　ｆｏｒ　３０分` reads like `/napter open gw-01 for 30分`.
 * Letters keep their case: SIM names are matched by SORACOM, not by us.
 */
export function normaliseUserText(text: string): string {
  return (
    text
      .normalize('NFKC')
      // Zero-width characters (pasted from web pages and chat) would split or glue tokens invisibly.
      .replace(/\p{Cf}/gu, '')
      .replace(/\p{Cc}/gu, ' ')
      // Minus signs and dashes that NFKC keeps.
      .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, '-')
      // The IME's long-vowel mark typed for "-" between ASCII letters or digits (ｇｗー０１ → gw-01).
      .replace(/(?<=[A-Za-z0-9])[ーｰ](?=[A-Za-z0-9])/g, '-')
      // The Japanese comma separates options like a space.
      .replace(/[、,]/g, ' ')
  );
}

/**
 * Undoes Slack's escaping of slash-command text: `&lt;` `&gt;` `&amp;`, and links Slack wrapped as
 * `<http://host:port|host:port>` or `<http://host:port>` when the app asks for escaped text.
 */
export function unwrapSlackMarkup(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<(?:https?:\/\/|mailto:)([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const QUOTE_PAIRS: Readonly<Record<string, string>> = { '"': '"', '\u201C': '\u201D', '\u300C': '\u300D', "'": "'", '\u2018': '\u2019' };

export interface Token {
  readonly text: string;
  /** A quoted token is always a value (a SIM name with spaces), never a keyword. */
  readonly quoted: boolean;
}

/** Splits on white space; a quoted run ("my pi", “my pi”, 「my pi」) is one token. An unclosed quote runs to the end. */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/u.test(char)) {
      index += 1;
      continue;
    }
    const closing = QUOTE_PAIRS[char];
    if (closing !== undefined) {
      const end = text.indexOf(closing, index + 1);
      const stop = end === -1 ? text.length : end;
      const inner = text
        .slice(index + 1, stop)
        .trim()
        .replace(/\s+/gu, ' ');
      if (inner !== '') tokens.push({ text: inner, quoted: true });
      index = stop + 1;
      continue;
    }
    let end = index;
    while (end < text.length && !/\s/u.test(text[end] ?? '')) end += 1;
    tokens.push({ text: text.slice(index, end), quoted: false });
    index = end;
  }
  return tokens;
}

const MAX_ECHO_LENGTH = 40;

/**
 * What of the user's own input a message may quote back: printable, short, and without backticks or
 * `<>&`, which would break Slack's code spans and markup around it.
 */
export function echoToken(text: string): string {
  const clean = text.replace(/[`<>&\p{Cc}\p{Cf}]/gu, '');
  return clean.length > MAX_ECHO_LENGTH ? `${clean.slice(0, MAX_ECHO_LENGTH - 1)}…` : clean;
}

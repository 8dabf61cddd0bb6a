/**
 * What an attacker who can rename a SIM, tag it, or type a command would put in a message, and a check that
 * none of it survived as something Slack acts on: a mention, a special mention, a disguised link, a code span
 * left open, a forged line, an invisible character.
 */
export const HOSTILE_PARTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0EVIL|@oncall>',
  '<@U0EVIL>',
  '<#C0EVIL>',
  '<https://evil.example/login|Open the device>',
  '```',
  '`x`',
  '\n*FAKE* :white_check_mark: Healthy',
  'zero\u200bwidth',
  'bidi\u202eoverride',
  'tab\tcr\rnul\u0000',
  '&lt;!channel&gt;',
  '@channel',
] as const;

/** One hostile string with every part, short enough for a SIM name tag. */
export const HOSTILE = HOSTILE_PARTS.join(' ');

/** Sequences that would ping, link or break out if any survived verbatim. */
const FORBIDDEN_FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0EVIL',
  '<@U0EVIL>',
  '<#C0EVIL>',
  '<https://evil.example',
  '`x`',
  '\n*FAKE*',
  '\u200b',
  '\u202e',
  '\u0000',
  '\r',
  '\t',
];

export interface MessageLike {
  readonly text?: unknown;
  readonly blocks?: unknown;
}

interface MrkdwnText {
  readonly where: string;
  readonly text: string;
  readonly verbatim: boolean;
}

/** Every text Slack reads as mrkdwn in a message: the notification text and each mrkdwn text object. */
export function mrkdwnTexts(message: MessageLike): MrkdwnText[] {
  const found: MrkdwnText[] = [];
  if (typeof message.text === 'string') found.push({ where: 'text', text: message.text, verbatim: true });
  const walk = (value: unknown, where: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${where}[${index}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record['type'] === 'mrkdwn' && typeof record['text'] === 'string') {
      found.push({ where, text: record['text'], verbatim: record['verbatim'] === true });
      return;
    }
    for (const [key, child] of Object.entries(record)) walk(child, `${where}.${key}`);
  };
  walk(message.blocks, 'blocks');
  return found;
}

export interface UnsafeFinding {
  readonly where: string;
  readonly problem: string;
  readonly text: string;
}

/**
 * The control sequences in a message that the bot did not mean: `<…>` sequences other than mentions of
 * `allowedUsers` and `allowedChannels`, date tokens and links to `allowedLinkHosts`; fragments of the hostile string that
 * survived; control or invisible characters; a mrkdwn object that Slack would auto-parse (`@channel`).
 */
export function unsafeSequences(
  message: MessageLike,
  options: UnsafeOptions,
): UnsafeFinding[] {
  const findings: UnsafeFinding[] = [];
  for (const { where, text, verbatim } of mrkdwnTexts(message)) {
    for (const match of text.matchAll(/<([^<>]*)>/g)) {
      const inner = match[1] ?? '';
      if (!isAllowedSequence(inner, options)) findings.push({ where, problem: `control sequence <${inner}>`, text });
    }
    // Inside the bot's own code fences a line break is only a line of the quoted text (a ticket draft).
    const outsideCode = text.replace(/```[\s\S]*?```/g, '```…```');
    for (const fragment of FORBIDDEN_FRAGMENTS) {
      const searched = fragment.startsWith('\n') ? outsideCode : text;
      if (searched.includes(fragment)) findings.push({ where, problem: `hostile fragment ${JSON.stringify(fragment)} survived`, text });
    }
    const stray = /[\p{Cc}\p{Cf}\u2028\u2029]/u.exec(text.replace(/\n/g, ''));
    if (stray !== null) findings.push({ where, problem: `control character U+${stray[0].codePointAt(0)?.toString(16)}`, text });
    if (!verbatim && /@(channel|here|everyone)\b/.test(text)) findings.push({ where, problem: 'auto-parsed @channel in a non-verbatim mrkdwn text', text });
  }
  return findings;
}

/** The bot's own mentions and links; `allowedChannels` are the channels it names itself (`<#C…>`). */
interface UnsafeOptions {
  readonly allowedUsers: readonly string[];
  readonly allowedLinkHosts: readonly string[];
  readonly allowedChannels?: readonly string[];
}

function isAllowedSequence(inner: string, options: UnsafeOptions): boolean {
  if (/^!date\^\d+\^[^|]*\|[^|]*$/.test(inner)) return true;
  const channel = /^#([A-Z0-9]+)$/.exec(inner);
  if (channel !== null) return (options.allowedChannels ?? []).includes(channel[1] ?? '');
  const mention = /^@([A-Z0-9]+)$/.exec(inner);
  if (mention !== null) return options.allowedUsers.includes(mention[1] ?? '');
  const link = /^(https?:\/\/[^|\s]+)(\|[^|]*)?$/.exec(inner);
  if (link !== null) {
    try {
      return options.allowedLinkHosts.includes(new URL(link[1] ?? '').hostname);
    } catch {
      return false;
    }
  }
  // `<sim>`, `<port>` in the bot's own usage lines: no `!`, `@`, `#` or scheme, so Slack acts on nothing.
  return !/^[!@#]/.test(inner) && !/^[a-z][a-z0-9+.-]*:/i.test(inner);
}

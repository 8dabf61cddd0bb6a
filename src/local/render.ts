/**
 * Renders what Slack would show as plain terminal text: mrkdwn tokens resolved (dates to their fallback,
 * mentions to names, links to "text (url)"), sections and context lines, and buttons as `[Label]` with
 * their links. Pure: the REPL and its tests feed it messages from the local Slack stand-in.
 */
export interface RenderableMessage {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

export interface RenderOptions {
  /** Slack user id → display name, for `<@U…>` mentions. */
  readonly userName: (userId: string) => string | undefined;
}

export interface RenderedButton {
  readonly label: string;
  readonly actionId: string;
  readonly url: string | undefined;
}

export function resolveMrkdwn(text: string, options: RenderOptions): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)>/g, (_whole, id: string) => `@${options.userName(id) ?? id}`)
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_whole, id: string, name?: string) => `#${name ?? id}`)
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const textOf = (value: unknown): string | undefined => {
  const object = record(value);
  return typeof object?.['text'] === 'string' ? object['text'] : undefined;
};

/** Every button in the blocks, in order. */
export function buttonsOf(blocks: readonly unknown[]): RenderedButton[] {
  const result: RenderedButton[] = [];
  for (const block of blocks) {
    const object = record(block);
    const elements = [...(Array.isArray(object?.['elements']) ? (object['elements'] as unknown[]) : []), object?.['accessory']];
    for (const element of elements) {
      const button = record(element);
      if (button?.['type'] !== 'button' || typeof button['action_id'] !== 'string') continue;
      result.push({
        label: textOf(button['text']) ?? button['action_id'],
        actionId: button['action_id'],
        url: typeof button['url'] === 'string' ? button['url'] : undefined,
      });
    }
  }
  return result;
}

export function renderMessage(message: RenderableMessage, options: RenderOptions): string {
  if (message.blocks.length === 0) return resolveMrkdwn(message.text, options);
  const lines: string[] = [];
  for (const block of message.blocks) {
    const object = record(block);
    switch (object?.['type']) {
      case 'section':
      case 'header': {
        const text = textOf(object['text']);
        if (text !== undefined) lines.push(resolveMrkdwn(text, options));
        const fields = Array.isArray(object['fields']) ? (object['fields'] as unknown[]) : [];
        for (const field of fields) {
          const fieldText = textOf(field);
          if (fieldText !== undefined) lines.push(`  ${resolveMrkdwn(fieldText, options)}`);
        }
        break;
      }
      case 'context': {
        const elements = Array.isArray(object['elements']) ? (object['elements'] as unknown[]) : [];
        const text = elements.map(textOf).filter((part): part is string => part !== undefined).join(' ');
        if (text !== '') lines.push(`  ${resolveMrkdwn(text, options)}`);
        break;
      }
      case 'divider':
        lines.push('  ────────');
        break;
      case 'actions': {
        const buttons = buttonsOf([object]);
        if (buttons.length > 0) {
          lines.push(`  ${buttons.map((button) => `[${button.label}]${button.url === undefined ? '' : ` → ${button.url}`}`).join('  ')}`);
        }
        break;
      }
      default:
        break;
    }
  }
  return lines.join('\n');
}

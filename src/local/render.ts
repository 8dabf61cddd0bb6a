/**
 * Renders what Slack would show as plain terminal text: mrkdwn tokens resolved (dates to their fallback,
 * mentions to names, links to "text (url)"), sections and context lines, buttons as `[Label]` with
 * their links, and modals with their inputs. Pure: the REPL and its tests feed it what the local Slack
 * stand-in recorded.
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

/** The text of a text object (`{type: 'plain_text', text}`), e.g. a modal's title. */
export const textOf = (value: unknown): string | undefined => {
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

/** One input of a modal, as `:submit` addresses it and Slack reports it in `state.values`. */
export interface ModalInput {
  readonly blockId: string;
  readonly actionId: string;
  /** The element type: `plain_text_input`, `static_select`, … */
  readonly type: string;
  readonly label: string;
  readonly optional: boolean;
  readonly initialValue: string | undefined;
  readonly hint: string | undefined;
}

/** Every input block of a modal, in order. */
export function inputsOf(blocks: readonly unknown[]): ModalInput[] {
  const result: ModalInput[] = [];
  for (const block of blocks) {
    const object = record(block);
    const element = record(object?.['element']);
    if (object?.['type'] !== 'input' || element === undefined) continue;
    const initial = element['initial_value'];
    result.push({
      blockId: typeof object['block_id'] === 'string' ? object['block_id'] : '',
      actionId: typeof element['action_id'] === 'string' ? element['action_id'] : '',
      type: typeof element['type'] === 'string' ? element['type'] : 'unknown',
      label: textOf(object['label']) ?? '',
      optional: object['optional'] === true,
      initialValue: typeof initial === 'string' ? initial : undefined,
      hint: textOf(object['hint']),
    });
  }
  return result;
}

export interface RenderableModal {
  readonly title: unknown;
  readonly submit?: unknown;
  readonly close?: unknown;
  readonly blocks: readonly unknown[];
}

/**
 * A modal's body as text (its title goes in the caller's header): the non-input blocks as a message shows
 * them, then each input with the `block_id/action_id` that `:submit` takes, its label (`*`: required) and
 * its current value, then the submit and close buttons.
 */
export function renderModal(view: RenderableModal, options: RenderOptions): string {
  const lines: string[] = [];
  const others = view.blocks.filter((block) => record(block)?.['type'] !== 'input');
  if (others.length > 0) lines.push(renderMessage({ text: '', blocks: others }, options));
  for (const input of inputsOf(view.blocks)) {
    lines.push(`  ${input.blockId}/${input.actionId}  ${input.label}${input.optional ? '' : ' *'}`);
    if (input.hint !== undefined) lines.push(`      (${input.hint})`);
    const value = input.initialValue ?? '';
    lines.push(value === '' ? '      = (empty)' : value.split('\n').map((line, index) => `      ${index === 0 ? '=' : ' '} ${line}`).join('\n'));
  }
  const buttons = [textOf(view.submit), textOf(view.close)].filter((label): label is string => label !== undefined);
  if (buttons.length > 0) lines.push(`  ${buttons.map((label) => `[${label}]`).join('  ')}`);
  return lines.join('\n');
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
        const [accessory] = buttonsOf([{ accessory: object['accessory'] }]);
        if (accessory !== undefined) lines.push(`  [${accessory.label}]`);
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

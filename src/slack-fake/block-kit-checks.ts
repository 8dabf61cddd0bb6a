/**
 * The Block Kit limits Slack enforces, checked the way Slack reports them: a list of
 * `[ERROR] <what> [json-pointer:/blocks/…]` strings (Slack puts them in `response_metadata.messages`).
 * Not every rule of Slack is here, only the ones a bot realistically breaks: counts, lengths,
 * duplicate ids and missing required fields. Lengths are counted in UTF-16 units (JavaScript's
 * `length`); whether Slack counts code points or bytes for Japanese text is not confirmed, so the
 * bot should keep headroom anyway.
 */

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
const MAX_SECTION_TEXT = 3000;
const MAX_SECTION_FIELDS = 10;
const MAX_FIELD_TEXT = 2000;
const MAX_HEADER_TEXT = 150;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_VALUE = 2000;
const MAX_URL = 3000;
const MAX_ID = 255;
const MAX_ACTIONS_ELEMENTS = 25;
const MAX_CONTEXT_ELEMENTS = 10;
const MAX_MARKDOWN_BLOCK_TEXT = 12000;
const MAX_VIEW_TITLE = 24;
const MAX_PRIVATE_METADATA = 3000;
const MAX_INPUT_LABEL = 2000;

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'actions',
  'context',
  'divider',
  'header',
  'image',
  'input',
  'rich_text',
  'file',
  'video',
  'markdown',
  'context_actions',
  'table',
]);

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly messages: string[] = [];
  add(pointer: string, problem: string): void {
    this.messages.push(`[ERROR] ${problem} [json-pointer:${pointer}]`);
  }
}

function checkTextObject(
  value: unknown,
  pointer: string,
  problems: Problems,
  options: { maxLength: number; plainOnly?: boolean; required?: boolean },
): void {
  if (value === undefined) {
    if (options.required === true) problems.add(pointer, 'missing required field: text');
    return;
  }
  if (!isObject(value)) {
    problems.add(pointer, 'must be a text object');
    return;
  }
  const type = value['type'];
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    problems.add(`${pointer}/type`, 'must be one of plain_text, mrkdwn');
  } else if (options.plainOnly === true && type !== 'plain_text') {
    problems.add(`${pointer}/type`, 'must be plain_text');
  }
  const text = value['text'];
  if (typeof text !== 'string') {
    problems.add(`${pointer}/text`, 'must be a string');
  } else if (text.length === 0) {
    problems.add(`${pointer}/text`, 'must be more than 0 characters');
  } else if (text.length > options.maxLength) {
    problems.add(`${pointer}/text`, `must be less than ${options.maxLength + 1} characters`);
  }
}

function checkId(value: unknown, pointer: string, problems: Problems, required: boolean): void {
  if (value === undefined) {
    if (required) problems.add(pointer, 'missing required field');
    return;
  }
  if (typeof value !== 'string' || value.length === 0) problems.add(pointer, 'must be a non-empty string');
  else if (value.length > MAX_ID) problems.add(pointer, `must be less than ${MAX_ID + 1} characters`);
}

function checkElement(element: unknown, pointer: string, problems: Problems, seenActionIds: Set<string>): void {
  if (!isObject(element)) {
    problems.add(pointer, 'must be an element object');
    return;
  }
  if (typeof element['type'] !== 'string') {
    problems.add(`${pointer}/type`, 'missing required field: type');
    return;
  }
  const actionId = element['action_id'];
  checkId(actionId, `${pointer}/action_id`, problems, false);
  if (typeof actionId === 'string') {
    if (seenActionIds.has(actionId)) problems.add(`${pointer}/action_id`, `duplicate action_id: ${actionId}`);
    seenActionIds.add(actionId);
  }
  if (element['type'] === 'button') {
    checkTextObject(element['text'], `${pointer}/text`, problems, { maxLength: MAX_BUTTON_TEXT, plainOnly: true, required: true });
    const value = element['value'];
    if (value !== undefined && (typeof value !== 'string' || value.length > MAX_BUTTON_VALUE)) {
      problems.add(`${pointer}/value`, `must be a string of at most ${MAX_BUTTON_VALUE} characters`);
    }
    const url = element['url'];
    if (url !== undefined && (typeof url !== 'string' || url.length > MAX_URL)) {
      problems.add(`${pointer}/url`, `must be a string of at most ${MAX_URL} characters`);
    }
    const style = element['style'];
    if (style !== undefined && style !== 'primary' && style !== 'danger') {
      problems.add(`${pointer}/style`, 'must be one of primary, danger');
    }
  }
}

function checkBlock(block: Obj, pointer: string, problems: Problems): void {
  const type = block['type'];
  switch (type) {
    case 'section': {
      const fields = block['fields'];
      if (block['text'] === undefined && fields === undefined) {
        problems.add(pointer, 'must provide either text or fields');
      }
      checkTextObject(block['text'], `${pointer}/text`, problems, { maxLength: MAX_SECTION_TEXT });
      if (fields !== undefined) {
        if (!Array.isArray(fields)) problems.add(`${pointer}/fields`, 'must be an array');
        else {
          if (fields.length > MAX_SECTION_FIELDS) problems.add(`${pointer}/fields`, `must contain at most ${MAX_SECTION_FIELDS} items`);
          for (const [index, field] of fields.entries()) {
            checkTextObject(field, `${pointer}/fields/${index}`, problems, { maxLength: MAX_FIELD_TEXT, required: true });
          }
        }
      }
      if (block['accessory'] !== undefined) checkElement(block['accessory'], `${pointer}/accessory`, problems, new Set());
      return;
    }
    case 'header':
      checkTextObject(block['text'], `${pointer}/text`, problems, { maxLength: MAX_HEADER_TEXT, plainOnly: true, required: true });
      return;
    case 'actions':
    case 'context': {
      const elements = block['elements'];
      const max = type === 'actions' ? MAX_ACTIONS_ELEMENTS : MAX_CONTEXT_ELEMENTS;
      if (!Array.isArray(elements) || elements.length === 0) {
        problems.add(`${pointer}/elements`, 'must be a non-empty array');
        return;
      }
      if (elements.length > max) problems.add(`${pointer}/elements`, `must contain at most ${max} items`);
      const seenActionIds = new Set<string>();
      elements.forEach((element, index) => {
        const elementPointer = `${pointer}/elements/${index}`;
        if (type === 'actions') checkElement(element, elementPointer, problems, seenActionIds);
        else if (isObject(element) && (element['type'] === 'plain_text' || element['type'] === 'mrkdwn')) {
          checkTextObject(element, elementPointer, problems, { maxLength: MAX_SECTION_TEXT });
        }
      });
      return;
    }
    case 'markdown': {
      const text = block['text'];
      if (typeof text !== 'string' || text.length === 0 || text.length > MAX_MARKDOWN_BLOCK_TEXT) {
        problems.add(`${pointer}/text`, `must be a string of 1 to ${MAX_MARKDOWN_BLOCK_TEXT} characters`);
      }
      return;
    }
    case 'image':
      if (typeof block['alt_text'] !== 'string') problems.add(`${pointer}/alt_text`, 'missing required field: alt_text');
      if (typeof block['image_url'] !== 'string' && block['slack_file'] === undefined) {
        problems.add(`${pointer}/image_url`, 'missing required field: image_url');
      }
      return;
    case 'input':
      checkTextObject(block['label'], `${pointer}/label`, problems, { maxLength: MAX_INPUT_LABEL, plainOnly: true, required: true });
      if (block['element'] === undefined) problems.add(`${pointer}/element`, 'missing required field: element');
      else checkElement(block['element'], `${pointer}/element`, problems, new Set());
      return;
    default:
      return;
  }
}

function checkBlockList(blocks: unknown, maxBlocks: number, problems: Problems): void {
  if (!Array.isArray(blocks)) {
    problems.add('/blocks', 'must be an array');
    return;
  }
  if (blocks.length > maxBlocks) problems.add('/blocks', `must contain at most ${maxBlocks} items`);
  const seenBlockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const pointer = `/blocks/${index}`;
    if (!isObject(block)) {
      problems.add(pointer, 'must be a block object');
      return;
    }
    const type = block['type'];
    if (typeof type !== 'string' || !KNOWN_BLOCK_TYPES.has(type)) {
      problems.add(`${pointer}/type`, `unsupported block type: ${String(type)}`);
      return;
    }
    const blockId = block['block_id'];
    checkId(blockId, `${pointer}/block_id`, problems, false);
    if (typeof blockId === 'string') {
      if (seenBlockIds.has(blockId)) problems.add(`${pointer}/block_id`, `duplicate block_id: ${blockId}`);
      seenBlockIds.add(blockId);
    }
    checkBlock(block, pointer, problems);
  });
}

/** Problems in a message's `blocks`; empty when Slack would accept them. */
export function checkMessageBlocks(blocks: unknown): string[] {
  const problems = new Problems();
  checkBlockList(blocks, MAX_MESSAGE_BLOCKS, problems);
  return problems.messages;
}

/** Problems in a `view` for views.open / views.update; empty when Slack would accept it. */
export function checkView(view: unknown): string[] {
  const problems = new Problems();
  if (!isObject(view)) {
    problems.add('/view', 'must be a view object');
    return problems.messages;
  }
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') {
    problems.add('/view/type', 'must be one of modal, home');
  }
  if (type === 'modal') {
    checkTextObject(view['title'], '/view/title', problems, { maxLength: MAX_VIEW_TITLE, plainOnly: true, required: true });
    checkTextObject(view['submit'], '/view/submit', problems, { maxLength: MAX_VIEW_TITLE, plainOnly: true });
    checkTextObject(view['close'], '/view/close', problems, { maxLength: MAX_VIEW_TITLE, plainOnly: true });
    const blocks = view['blocks'];
    const hasInput = Array.isArray(blocks) && blocks.some((block) => isObject(block) && block['type'] === 'input');
    if (hasInput && view['submit'] === undefined) {
      problems.add('/view/submit', 'must provide submit when the view has input blocks');
    }
  }
  const privateMetadata = view['private_metadata'];
  if (privateMetadata !== undefined && (typeof privateMetadata !== 'string' || privateMetadata.length > MAX_PRIVATE_METADATA)) {
    problems.add('/view/private_metadata', `must be a string of at most ${MAX_PRIVATE_METADATA} characters`);
  }
  checkId(view['callback_id'], '/view/callback_id', problems, false);
  const viewProblems = new Problems();
  checkBlockList(view['blocks'], MAX_VIEW_BLOCKS, viewProblems);
  for (const message of viewProblems.messages) problems.messages.push(message.replace('[json-pointer:/blocks', '[json-pointer:/view/blocks'));
  return problems.messages;
}

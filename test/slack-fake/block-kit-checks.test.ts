import { checkMessageBlocks, checkView } from '../../src/slack-fake';

const button = (actionId: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: actionId,
  text: { type: 'plain_text', text: 'Go' },
  ...extra,
});

describe('Block Kit checks', () => {
  it('accepts a realistic diagnosis message', () => {
    expect(
      checkMessageBlocks([
        { type: 'header', text: { type: 'plain_text', text: 'Napter diagnosis' } },
        { type: 'section', block_id: 's1', text: { type: 'mrkdwn', text: 'x'.repeat(3000) }, fields: [{ type: 'mrkdwn', text: 'IMSI' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '<!date^1700000000^{date_short} {time}|2023>' }] },
        { type: 'divider' },
        { type: 'actions', block_id: 'a1', elements: [button('retry', { value: 'x'.repeat(2000), style: 'primary' }), button('ticket')] },
      ]),
    ).toEqual([]);
  });

  it('names each violation with its JSON pointer', () => {
    const problems = checkMessageBlocks([
      { type: 'section', block_id: 'same', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
      { type: 'actions', block_id: 'same', elements: [button('dup'), button('dup'), button('long', { value: 'v'.repeat(2001) })] },
      { type: 'sparkles' },
      { type: 'header', text: { type: 'mrkdwn', text: 'not plain' } },
    ]);
    expect(problems).toEqual([
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
      '[ERROR] duplicate block_id: same [json-pointer:/blocks/1/block_id]',
      '[ERROR] duplicate action_id: dup [json-pointer:/blocks/1/elements/1/action_id]',
      '[ERROR] must be a string of at most 2000 characters [json-pointer:/blocks/1/elements/2/value]',
      '[ERROR] unsupported block type: sparkles [json-pointer:/blocks/2/type]',
      '[ERROR] must be plain_text [json-pointer:/blocks/3/text/type]',
    ]);
  });

  it('allows 50 blocks in a message, not 51', () => {
    const divider = { type: 'divider' };
    expect(checkMessageBlocks(Array.from({ length: 50 }, () => divider))).toEqual([]);
    expect(checkMessageBlocks(Array.from({ length: 51 }, () => divider))).toEqual(['[ERROR] must contain at most 50 items [json-pointer:/blocks]']);
  });

  it('checks modals: title length, submit with inputs, private_metadata size, 100 blocks', () => {
    const title = { type: 'plain_text', text: 'Support ticket' };
    const input = { type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'note' } };
    expect(checkView({ type: 'modal', title, submit: { type: 'plain_text', text: 'Draft' }, blocks: [input] })).toEqual([]);
    expect(checkView({ type: 'modal', title, blocks: [input] })).toEqual([
      '[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]',
    ]);
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] })).toHaveLength(1);
    expect(checkView({ type: 'modal', title, private_metadata: 'm'.repeat(3001), blocks: [] })).toHaveLength(1);
    expect(checkView({ type: 'modal', title, blocks: Array.from({ length: 100 }, () => ({ type: 'divider' })) })).toEqual([]);
    expect(checkView({ type: 'modal', title, blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })).toEqual([
      '[ERROR] must contain at most 100 items [json-pointer:/view/blocks]',
    ]);
  });
});

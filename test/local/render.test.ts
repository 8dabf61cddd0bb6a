import { buttonsOf, inputsOf, renderMessage, renderModal, resolveMrkdwn } from '../../src/local/render';

const options = { userName: (id: string) => ({ U0ALICE: 'alice' })[id] };

describe('the terminal renderer', () => {
  it('resolves dates to their fallback, mentions to names and links to text (url)', () => {
    expect(resolveMrkdwn('<@U0ALICE> until <!date^1748826000^{date_short_pretty} {time}|2025-06-02 01:00 UTC> see <http://x/y|the page> &lt;user&gt;', options)).toBe(
      '@alice until 2025-06-02 01:00 UTC see the page (http://x/y) <user>',
    );
  });

  it('renders sections, context and buttons with their links', () => {
    const text = renderMessage(
      {
        text: 'fallback',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'Hello <@U0ALICE>' } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'small print' }] },
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Close now' } },
              { type: 'button', action_id: 'b', text: { type: 'plain_text', text: 'Open page' }, url: 'http://127.0.0.1/napter/ip/t' },
            ],
          },
        ],
      },
      options,
    );
    expect(text).toBe('Hello @alice\n  small print\n  [Close now]  [Open page] → http://127.0.0.1/napter/ip/t');
  });

  it('lists buttons in order with their action ids', () => {
    expect(buttonsOf([{ type: 'actions', elements: [{ type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'X' } }] }])).toEqual([
      { label: 'X', actionId: 'x', url: undefined },
    ]);
  });
});

describe('a modal in the terminal', () => {
  const view = {
    title: { type: 'plain_text', text: 'Support ticket draft' },
    submit: { type: 'plain_text', text: 'Post the draft' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: 'Pre-filled for <@U0ALICE>' } },
      {
        type: 'input',
        block_id: 'imsi',
        label: { type: 'plain_text', text: 'IMSI of the SIM' },
        element: { type: 'plain_text_input', action_id: 'value', initial_value: '295050910000001' },
      },
      {
        type: 'input',
        block_id: 'tried',
        optional: true,
        label: { type: 'plain_text', text: 'What was tried' },
        hint: { type: 'plain_text', text: 'one line each' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, initial_value: 'rebooted\nswapped the cable' },
      },
      { type: 'input', block_id: 'env', optional: true, label: { type: 'plain_text', text: 'Environment' }, element: { type: 'plain_text_input', action_id: 'text' } },
    ],
  };

  it('lists each input with the block/action ids :submit takes, its label, required mark and value, then the buttons', () => {
    expect(renderModal(view, options)).toBe(
      [
        'Pre-filled for @alice',
        '  imsi/value  IMSI of the SIM *',
        '      = 295050910000001',
        '  tried/value  What was tried',
        '      (one line each)',
        '      = rebooted',
        '        swapped the cable',
        '  env/text  Environment',
        '      = (empty)',
        '  [Post the draft]  [Cancel]',
      ].join('\n'),
    );
  });

  it('reads the inputs as data', () => {
    expect(inputsOf(view.blocks).map((input) => [input.blockId, input.actionId, input.optional, input.initialValue])).toEqual([
      ['imsi', 'value', false, '295050910000001'],
      ['tried', 'value', true, 'rebooted\nswapped the cable'],
      ['env', 'text', true, undefined],
    ]);
  });
});

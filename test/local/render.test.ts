import { buttonsOf, renderMessage, resolveMrkdwn } from '../../src/local/render';

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

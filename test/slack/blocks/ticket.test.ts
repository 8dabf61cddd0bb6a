import {
  buildTicketDraftMessages,
  buildTicketModal,
  decodeTicketMetadata,
  encodeTicketMetadata,
  readTicketForm,
  TICKET_INPUT_ACTION_ID,
  type ViewStateValues,
} from '../../../src/slack/blocks/ticket';
import { TICKET_FIELDS } from '../../../src/domain/ticket-form';
import { CALLBACK_IDS } from '../../../src/slack/ids';
import { checkMessageBlocks, checkView } from '../../../src/slack-fake/block-kit-checks';

const metadata = { diagnosisId: 'diag-0001', channelId: 'C0DIAG', threadTs: '1700000000.000100' };

function state(values: Partial<Record<(typeof TICKET_FIELDS)[number], string>>): ViewStateValues {
  return Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { [TICKET_INPUT_ACTION_ID]: { value } }]));
}

describe('buildTicketModal', () => {
  it('is a valid modal with every field SORACOM support asks for, pre-filled', () => {
    const view = buildTicketModal('en', { imsi: '440101234567890', tried: '- something' }, metadata);
    expect(checkView(view)).toEqual([]);
    expect(view.callback_id).toBe(CALLBACK_IDS.ticketModal);
    const inputs = view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id);
    expect(inputs).toEqual([...TICKET_FIELDS]);
    expect(JSON.stringify(view)).toContain('440101234567890');
    expect(decodeTicketMetadata(view.private_metadata)).toEqual(metadata);
  });

  it('fits a Japanese title in the 24-character limit', () => {
    expect(checkView(buildTicketModal('ja', {}, metadata))).toEqual([]);
  });
});

describe('ticket metadata', () => {
  it.each([undefined, '', 'not json', '{"d":1,"c":"C"}', '{"d":"x"}', JSON.stringify({ d: 'x', c: 'C', t: 5 })])('refuses %p', (raw) => {
    expect(decodeTicketMetadata(raw)).toBeUndefined();
  });

  it('round-trips without a thread', () => {
    expect(decodeTicketMetadata(encodeTicketMetadata({ diagnosisId: 'd', channelId: 'C' }))).toEqual({ diagnosisId: 'd', channelId: 'C' });
  });
});

describe('readTicketForm', () => {
  it('reports every missing required field and a malformed IMSI, by block id', () => {
    const result = readTicketForm('en', state({ imsi: '12345', occurredAt: '  ' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['imsi', 'occurredAt', 'reproduce']);
    expect(result.errors['imsi']).toContain('15 digits');
  });

  it('answers in the submitter language', () => {
    const result = readTicketForm('ja', state({}));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors['reproduce']).toMatch(/[\u3040-\u30ff]/);
  });

  it('accepts a complete form and trims it', () => {
    const result = readTicketForm('en', state({ imsi: ' 440101234567890 ', occurredAt: 'today', reproduce: 'ssh fails' }));
    expect(result).toEqual({
      ok: true,
      form: expect.objectContaining({ imsi: '440101234567890', occurredAt: 'today', reproduce: 'ssh fails', deviceMaker: '' }),
    });
  });
});

describe('buildTicketDraftMessages', () => {
  it('posts the draft as code blocks within Slack limits, all of it, in order', () => {
    const draft = Array.from({ length: 400 }, (_, index) => `line ${index} ${'チケット'.repeat(10)}`).join('\n');
    const messages = buildTicketDraftMessages('ja', { draft, userId: 'U0ME', simText: 'gw-01' });
    expect(messages.length).toBeGreaterThan(1);
    const texts: string[] = [];
    for (const message of messages) {
      expect(checkMessageBlocks(message.blocks)).toEqual([]);
      for (const block of message.blocks) {
        if (block.type === 'section' && block.text?.text.startsWith('```')) texts.push(block.text.text.slice(4, -4));
      }
    }
    expect(texts.join('\n')).toBe(draft);
  });
});

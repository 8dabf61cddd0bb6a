import { chooseButton, parseAssignments, parseClick, parseConnect, submissionValues } from '../../src/local/input';
import type { ModalInput } from '../../src/local/render';

describe(':click', () => {
  // Newest first, as the REPL lists them.
  const buttons = [{ label: 'Diagnose again' }, { label: 'Close now' }, { label: 'Diagnose' }, { label: 'Open again for 198.51.100.x' }, { label: 'Open again' }];

  it('takes a label and an optional index', () => {
    expect(parseClick('Close now')).toEqual({ label: 'Close now', index: 1 });
    expect(parseClick('Open again 2')).toEqual({ label: 'Open again', index: 2 });
    expect(parseClick('2')).toEqual({ label: '2', index: 1 });
  });

  it('matches a label exactly (any case) before a newer button whose label starts with it', () => {
    expect(chooseButton(buttons, 'diagnose')?.label).toBe('Diagnose');
    expect(chooseButton(buttons, 'OPEN AGAIN')?.label).toBe('Open again');
  });

  it('then the start of a label, then any part of it, newest first', () => {
    expect(chooseButton(buttons, 'diag')?.label).toBe('Diagnose again');
    expect(chooseButton(buttons, 'open again for')?.label).toBe('Open again for 198.51.100.x');
    expect(chooseButton(buttons, 'now')?.label).toBe('Close now');
  });

  it('counts the index within the best kind of match', () => {
    expect(chooseButton(buttons, 'diag', 2)?.label).toBe('Diagnose');
    expect(chooseButton(buttons, 'diagnose', 2)).toBeUndefined();
    expect(chooseButton(buttons, 'ticket')).toBeUndefined();
    expect(chooseButton(buttons, '  ')).toBeUndefined();
  });
});

describe(':submit', () => {
  const inputs: ModalInput[] = [
    { blockId: 'imsi', actionId: 'value', type: 'plain_text_input', label: 'IMSI', optional: false, initialValue: '295050910000001', hint: undefined },
    { blockId: 'reproduce', actionId: 'value', type: 'plain_text_input', label: 'How', optional: false, initialValue: undefined, hint: undefined },
    { blockId: 'tried', actionId: 'value', type: 'plain_text_input', label: 'Tried', optional: true, initialValue: 'rebooted', hint: undefined },
    { blockId: 'kind', actionId: 'pick', type: 'static_select', label: 'Kind', optional: true, initialValue: undefined, hint: undefined },
  ];

  it('reads fields, quoted values with their spacing, and escapes', () => {
    const parsed = parseAssignments(`imsi=1 reproduce="ssh  times \\"out\\"" tried='a b' note=line1\\nline2`);
    expect(parsed).toEqual({
      ok: true,
      value: [
        { field: 'imsi', value: '1' },
        { field: 'reproduce', value: 'ssh  times "out"' },
        { field: 'tried', value: 'a b' },
        { field: 'note', value: 'line1\nline2' },
      ],
    });
    expect(parseAssignments('')).toEqual({ ok: true, value: [] });
    expect(parseAssignments('just words').ok).toBe(false);
  });

  it('sends every text input as Slack does: the typed value, else the pre-filled one, else null', () => {
    const values = submissionValues(inputs, [{ field: 'reproduce/value', value: 'ssh times out' }]);
    expect(values).toEqual({
      ok: true,
      value: {
        imsi: { value: { type: 'plain_text_input', value: '295050910000001' } },
        reproduce: { value: { type: 'plain_text_input', value: 'ssh times out' } },
        tried: { value: { type: 'plain_text_input', value: 'rebooted' } },
      },
    });
    const cleared = submissionValues(inputs, [{ field: 'tried', value: '' }]);
    expect(cleared.ok && cleared.value['tried']).toEqual({ value: { type: 'plain_text_input', value: null } });
  });

  it('names the fields the modal has when one is unknown, and refuses to type into a select', () => {
    const unknown = submissionValues(inputs, [{ field: 'imei', value: '1' }]);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.error).toContain('imsi/value, reproduce/value, tried/value, kind/pick');
    const select = submissionValues(inputs, [{ field: 'kind', value: 'x' }]);
    expect(!select.ok && select.error).toContain('static_select');
  });
});

describe(':connect', () => {
  it('takes a SIM, and optionally where from and for how long', () => {
    expect(parseConnect('demo-healthy')).toEqual({ ok: true, value: { simRef: 'demo-healthy', fromIp: undefined, sessionSec: undefined } });
    expect(parseConnect('demo-healthy from 198.51.100.9 for 10m')).toEqual({ ok: true, value: { simRef: 'demo-healthy', fromIp: '198.51.100.9', sessionSec: 600 } });
    expect(parseConnect('').ok).toBe(false);
    expect(parseConnect('demo-healthy from').ok).toBe(false);
    expect(parseConnect('demo-healthy for ages').ok).toBe(false);
    expect(parseConnect('demo-healthy via wifi').ok).toBe(false);
  });
});

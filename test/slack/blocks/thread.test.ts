import { ACTION_VALUE_SCHEMAS, decodeActionValue, MAX_ACTION_VALUE_LENGTH } from '../../../src/slack/action-value';
import { buildDiagnosisParent } from '../../../src/slack/blocks/diagnosis';
import type { KnownBlock } from '../../../src/slack/blocks/common';
import { buildConfirmObservedIp, buildDiagnosisThread, buildEphemeralResult, eventTableSections, MAX_EVENT_ROWS } from '../../../src/slack/blocks/thread';
import { ACTION_IDS } from '../../../src/slack/ids';
import { checkMessageBlocks } from '../../../src/slack-fake/block-kit-checks';
import { allText, diagnosisWith, ENDPOINT_HOST, ENDPOINT_IP, ENDPOINT_PORT, event, NOW_MS, OTHER_IP, USER_IP, viewWith } from './fixtures';

type Button = { action_id: string; value?: string; text: { text: string } };

function buttons(blocks: readonly KnownBlock[]): Button[] {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as Button[]) : []));
}

function sectionTexts(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
}

const manyEvents = Array.from({ length: 500 }, (_, index) => event(index, index % 3 === 0 ? 'DENIED' : 'ACCESS', index % 2 ? USER_IP : OTHER_IP));

describe('the probe line', () => {
  const probeLine = (probe: Parameters<typeof viewWith>[0] extends infer V ? V : never) =>
    sectionTexts(buildDiagnosisThread(viewWith(probe)).flatMap((message) => message.blocks)).find((text) => text.includes('*Probe*')) ?? '';

  it('names how SORACOM spoke to the port and what came back, with SORACOM’s own message, masked and escaped', () => {
    expect(probeLine({ probe: { kind: 'answered', port: 80, method: 'http', atMs: NOW_MS, httpStatus: 401 } })).toContain('answered with HTTP status 401');
    const refused = probeLine({
      probe: { kind: 'refused', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'SEM0100: dial tcp 10.200.1.2:22 <refused>', elapsedMs: 130 },
    });
    expect(refused).toContain('refused the connection or hung up before answering, after 0.1 s');
    expect(refused).toContain('10.200.1.x');
    expect(refused).toContain('&lt;refused&gt;');
    expect(
      probeLine({ probe: { kind: 'no-answer', port: 502, method: 'tcp-wait-first', atMs: NOW_MS, message: 'no data', elapsedMs: 5000, conclusive: false } }),
    ).toContain('this proves nothing');
    expect(
      probeLine({ probe: { kind: 'no-answer', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'no data', elapsedMs: 5000, conclusive: true } }),
    ).toContain('no answer from device port 22 in 5 s');
  });
});

describe('buildDiagnosisThread', () => {
  const messages = buildDiagnosisThread(viewWith({ events: manyEvents }));

  it('keeps every message within Slack limits, with metadata on each', () => {
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const message of messages) {
      expect(checkMessageBlocks(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(sectionTexts(message.blocks).every((text) => text.length <= 3000)).toBe(true);
      expect(message.metadata?.event_payload['diagnosis_id']).toBe('diag-0001');
      expect(message.metadata?.event_payload['verdict']).toBe('source-ip-mismatch');
    }
  });

  it('never shows a full client address or the Napter endpoint', () => {
    const text = allText(messages);
    expect(text).not.toContain(USER_IP);
    expect(text).not.toContain(OTHER_IP);
    expect(text).not.toContain(ENDPOINT_IP);
    expect(text).not.toContain(ENDPOINT_HOST);
    expect(text).not.toContain(String(ENDPOINT_PORT));
    expect(text).toContain('198.51.100.x');
  });

  it('caps the event table, newest first, and says how many were left out', () => {
    const text = allText(messages);
    expect(text).toContain(`${500 - MAX_EVENT_ROWS} older events not shown`);
    const newest = manyEvents[499];
    const oldestShown = manyEvents[500 - MAX_EVENT_ROWS];
    const notShown = manyEvents[500 - MAX_EVENT_ROWS - 1];
    expect(text).toContain(Math.floor((newest?.atMs ?? 0) / 1000).toString());
    expect(text).toContain(Math.floor((oldestShown?.atMs ?? 0) / 1000).toString());
    expect(text.indexOf(`^${Math.floor((newest?.atMs ?? 0) / 1000)}^`)).toBeLessThan(text.lastIndexOf(`^${Math.floor((oldestShown?.atMs ?? 0) / 1000)}^`));
    expect(text).not.toContain(`^${Math.floor((notShown?.atMs ?? 0) / 1000)}^`);
  });

  it('ends with the fix buttons: one open-with-fix per block, each decodable to its remedy', () => {
    const last = messages[messages.length - 1]?.blocks ?? [];
    const all = buttons(last);
    const fixes = all.filter((button) => button.action_id === ACTION_IDS.openAgainWithFix);
    expect(fixes.map((button) => decodeActionValue(ACTION_VALUE_SCHEMAS.fixRef, button.value)?.remedyIndex)).toEqual([0, 1, 2]);
    for (const block of last) {
      if (block.type !== 'actions') continue;
      const ids = (block.elements as Button[]).map((button) => button.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(all.map((button) => button.action_id)).toEqual(expect.arrayContaining([ACTION_IDS.diagnoseAgain, ACTION_IDS.startCapture, ACTION_IDS.draftTicket]));
    expect(all.every((button) => (button.value ?? '').length <= MAX_ACTION_VALUE_LENGTH)).toBe(true);
    expect(allText(fixes)).not.toContain(USER_IP);
  });

  it('offers no capture or fix when the SIM was not found', () => {
    const view = viewWith({
      sim: { typed: 'nope' },
      diagnosis: diagnosisWith({ verdict: 'sim-not-found', remedies: [], mapping: undefined, evidence: [], observedSources: [] }),
      events: [],
    });
    const ids = buildDiagnosisThread(view)
      .flatMap((message) => buttons(message.blocks))
      .map((button) => button.action_id);
    expect(ids).toEqual([ACTION_IDS.diagnoseAgain]);
  });

  it('renders the same structure in Japanese', () => {
    const ja = buildDiagnosisThread(viewWith({ lang: 'ja' }));
    for (const message of ja) expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(allText(ja)).toContain('根拠');
  });
});

describe('eventTableSections', () => {
  it('says there were no events in the window', () => {
    const [only] = eventTableSections('en', [], { fromMs: NOW_MS - 1000, toMs: NOW_MS });
    expect(only).toContain('no events');
  });

  it('shows the mapping’s own events without a source or connection, and client events with the masked source', () => {
    const expired = { ...event(1, 'EXPIRED'), sourceIp: undefined, sourcePort: undefined };
    const denied = event(2, 'DENIED', USER_IP);
    const [table = ''] = eventTableSections('en', [expired, denied], { fromMs: NOW_MS - 86_400_000, toMs: NOW_MS });
    const [deniedRow = '', expiredRow = ''] = table.split('\n').filter((line) => line.startsWith('`'));
    expect(expiredRow).toMatch(/^`EXPIRED` .*the remote access itself · device port 22$/);
    expect(expiredRow).not.toContain('from');
    expect(deniedRow).toMatch(/^`DENIED` .*conn `.*from `\d+\.\d+\.\d+\.x`/);
  });
});

describe('buildConfirmObservedIp', () => {
  it('shows the full address to the clicker, and the button carries only ids', () => {
    const message = buildConfirmObservedIp('en', { ip: USER_IP, count: 7, diagnosisId: 'diag-0001', remedyIndex: 0 });
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(allText(message.blocks[0])).toContain(USER_IP);
    const [confirm] = buttons(message.blocks);
    expect(confirm?.action_id).toBe(ACTION_IDS.confirmObservedIp);
    expect(confirm?.value).not.toContain(USER_IP);
    expect(decodeActionValue(ACTION_VALUE_SCHEMAS.fixRef, confirm?.value)).toEqual({ v: 1, diagnosisId: 'diag-0001', remedyIndex: 0 });
  });
});

describe('buildEphemeralResult', () => {
  it('starts with the invite hint, puts the fixes before the evidence, and respects the message budget', () => {
    const view = viewWith({ events: manyEvents });
    const messages = buildEphemeralResult(view, buildDiagnosisParent(view, { ephemeral: true }), 2);
    expect(messages.length).toBeLessThanOrEqual(2);
    expect(allText(messages[0])).toContain('/invite @napter');
    expect(buttons(messages[0]?.blocks ?? []).some((button) => button.action_id === ACTION_IDS.openAgainWithFix)).toBe(true);
    for (const message of messages) expect(checkMessageBlocks(message.blocks)).toEqual([]);
  });
});

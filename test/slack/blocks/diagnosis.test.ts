import { ACTION_VALUE_SCHEMAS, decodeActionValue, MAX_ACTION_VALUE_LENGTH } from '../../../src/slack/action-value';
import {
  buildCandidatesMessage,
  buildDiagnosisParent,
  buildNoSuchNameMessage,
  diagnosisMetadata,
  progressText,
  verdictTitle,
} from '../../../src/slack/blocks/diagnosis';
import type { KnownBlock } from '../../../src/slack/blocks/common';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../../src/slack/ids';
import { checkMessageBlocks } from '../../../src/slack-fake/block-kit-checks';
import { VERDICT_IDS } from '../../../src/domain/diagnosis/types';
import type { SimSnapshot } from '../../../src/domain/soracom';
import { allText, diagnosisWith, ENDPOINT_HOST, ENDPOINT_IP, USER_IP, viewWith } from './fixtures';

function buttons(blocks: readonly KnownBlock[]): { action_id: string; value?: string }[] {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as { action_id: string; value?: string }[]) : []));
}

describe('diagnosisMetadata', () => {
  it('carries the verdict, the SIM and the window for other tools', () => {
    expect(diagnosisMetadata(viewWith())).toEqual({
      event_type: METADATA_EVENT_TYPES.diagnosis,
      event_payload: {
        verdict: 'source-ip-mismatch',
        sim_id: '8942310022000012345',
        imsi: '440101234567890',
        window_from_ms: diagnosisWith().window.fromMs,
        window_to_ms: diagnosisWith().window.toMs,
        diagnosis_id: 'diag-0001',
      },
    });
  });

  it('carries what the device did for the device-side verdicts, and nothing for the others', () => {
    const deviceSide = diagnosisMetadata(viewWith({ diagnosis: diagnosisWith({ verdict: 'device-side-problem', deviceCause: 'no-answer' }) })).event_payload;
    expect(deviceSide['device_cause']).toBe('no-answer');
    expect(diagnosisMetadata(viewWith()).event_payload).not.toHaveProperty('device_cause');
  });

  it('uses empty strings when no SIM was found (Slack metadata values cannot be null)', () => {
    const payload = diagnosisMetadata(viewWith({ sim: { typed: 'nope' }, diagnosis: diagnosisWith({ verdict: 'sim-not-found' }) })).event_payload;
    expect(payload['sim_id']).toBe('');
    expect(payload['imsi']).toBe('');
  });
});

describe('buildDiagnosisParent', () => {
  it('is a valid message with the verdict, a masked summary and a decodable Diagnose again button', () => {
    const parent = buildDiagnosisParent(viewWith());
    expect(checkMessageBlocks(parent.blocks)).toEqual([]);
    expect(parent.metadata?.event_payload['verdict']).toBe('source-ip-mismatch');
    const text = allText(parent);
    expect(text).toContain(verdictTitle('en', 'source-ip-mismatch').replace(/^:[^:]+: /, ''));
    expect(text).not.toContain(USER_IP);
    expect(text).not.toContain(ENDPOINT_IP);
    expect(text).not.toContain(ENDPOINT_HOST);
    const [again] = buttons(parent.blocks);
    expect(again?.action_id).toBe(ACTION_IDS.diagnoseAgain);
    expect(decodeActionValue(ACTION_VALUE_SCHEMAS.diagnosisRef, again?.value)).toEqual({ v: 1, diagnosisId: 'diag-0001' });
  });

  it('shows the run and who ran it after Diagnose again, with new block ids', () => {
    const first = buildDiagnosisParent(viewWith());
    const second = buildDiagnosisParent(viewWith({ run: 2, ranBy: 'U0OTHER' }));
    expect(allText(second)).toContain('<@U0OTHER>');
    const ids = (blocks: readonly KnownBlock[]) => blocks.map((block) => block.block_id).filter((id) => id !== undefined);
    expect(ids(second.blocks).some((id) => ids(first.blocks).includes(id))).toBe(false);
  });

  it('offers no button while a new run is under way', () => {
    expect(buttons(buildDiagnosisParent(viewWith(), { rerunningBy: 'U0OTHER' }).blocks)).toEqual([]);
  });

  it('is written in the requester language', () => {
    const ja = buildDiagnosisParent(viewWith({ lang: 'ja' }));
    const en = buildDiagnosisParent(viewWith({ lang: 'en' }));
    expect(ja.text).not.toBe(en.text);
    expect(allText(ja.blocks)).toMatch(/[\u3040-\u30ff]/);
  });

  it.each(VERDICT_IDS.map((verdict) => [verdict]))('renders a title for %s in both languages', (verdict) => {
    for (const lang of ['en', 'ja'] as const) {
      const title = verdictTitle(lang, verdict);
      expect(title).not.toContain('diagnosis.verdict');
      const parent = buildDiagnosisParent(viewWith({ lang, diagnosis: diagnosisWith({ verdict }) }));
      expect(checkMessageBlocks(parent.blocks)).toEqual([]);
      expect(parent.metadata?.event_payload['verdict']).toBe(verdict);
    }
  });

  it('keeps every button value within Slack limits', () => {
    const values = buttons(buildDiagnosisParent(viewWith({ diagnosisId: 'd'.repeat(64) })).blocks).map((button) => button.value ?? '');
    expect(values.every((value) => value.length <= MAX_ACTION_VALUE_LENGTH)).toBe(true);
  });
});

describe('progress and candidates', () => {
  it('says which stage is running, with the port for the probe', () => {
    expect(progressText('en', 'gw-01', { kind: 'audit-log' })).toContain('audit log');
    expect(progressText('en', 'gw-01', { kind: 'probe', port: 22 })).toContain('22');
    expect(progressText('ja', 'gw-01', { kind: 'audit-log' })).toContain('監査ログ');
  });

  it('answers a name that matches nothing with the closest names, escaped, or says there are none', () => {
    const suggested = buildNoSuchNameMessage('en', 'gw-<nagoya>', ['gw-nagoya-01', 'gw-&-02']);
    expect(checkMessageBlocks(suggested.blocks)).toEqual([]);
    expect(allText(suggested)).toContain('No SIM is named “gw-&lt;nagoya&gt;”');
    expect(allText(suggested)).toContain('`gw-nagoya-01`, `gw-&amp;-02`');
    expect(allText(buildNoSuchNameMessage('ja', 'x1', []))).toContain('近い名前の SIM も見つかりません');
  });

  it('lists the candidates of an ambiguous name with their IMSIs', () => {
    const sim = (n: number): SimSnapshot => ({
      simId: `89423100220000000${n}`,
      imsi: `44010000000000${n}`,
      imsis: [],
      name: `gw-0${n}`,
      tags: {},
      status: 'active',
      groupId: undefined,
      online: n === 1,
      ueIpAddress: undefined,
      sessionUpdatedAtMs: undefined,
      previousSessionEndedAtMs: undefined,
      lastPortMappingCreatedAtMs: undefined,
    });
    const message = buildCandidatesMessage('en', 'gw', [sim(1), sim(2)]);
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(allText(message)).toContain('440100000000001');
    expect(allText(message)).toContain('440100000000002');
  });
});

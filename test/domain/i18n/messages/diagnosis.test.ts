import { diagnose } from '../../../../src/domain/diagnosis/diagnose';
import { causeMessage, remedyLabel, verdictTitle } from '../../../../src/domain/diagnosis/labels';
import { CAUSE_IDS, VERDICT_IDS, type Diagnosis } from '../../../../src/domain/diagnosis/types';
import { hasMessage, t } from '../../../../src/domain/i18n/catalog';
import type { MessageRef } from '../../../../src/domain/i18n/message-ref';
import { diagnosisMessages } from '../../../../src/domain/i18n/messages/diagnosis';
import {
  attempt,
  attempts,
  created,
  diagnoseInput,
  expired,
  HOUR_MS,
  MINUTE_MS,
  NOW_MS,
  OTHER_USER_IP,
  portMapping,
  scannerHits,
  simSnapshot,
  USER_IP,
} from '../../diagnosis/factories';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('diagnosis messages', () => {
  test('en and ja have the same keys, all in the diagnosis area, none empty', () => {
    expect(Object.keys(diagnosisMessages.ja).sort()).toEqual(Object.keys(diagnosisMessages.en).sort());
    for (const [key, text] of Object.entries({ ...diagnosisMessages.en, ...diagnosisMessages.ja })) {
      expect(key.startsWith('diagnosis.')).toBe(true);
      expect(text.trim()).not.toBe('');
    }
  });

  test('each Japanese text is Japanese and uses the same placeholders as the English one', () => {
    for (const [key, en] of Object.entries(diagnosisMessages.en)) {
      const ja = (diagnosisMessages.ja as Readonly<Record<string, string>>)[key] ?? '';
      expect({ key, japanese: /[\u3040-\u30ff\u4e00-\u9fff]/.test(ja) }).toEqual({ key, japanese: true });
      expect({ key, placeholders: placeholders(ja) }).toEqual({ key, placeholders: placeholders(en) });
    }
  });

  test('every verdict has a title and a summary, every cause a text', () => {
    for (const verdict of VERDICT_IDS) {
      expect(hasMessage(verdictTitle(verdict).key)).toBe(true);
      expect(hasMessage(`diagnosis.verdict.${verdict}.summary`)).toBe(true);
    }
    for (const cause of CAUSE_IDS) expect(hasMessage(causeMessage(cause).key)).toBe(true);
  });

  test('the Japanese follows the guide’s wording', () => {
    expect(t('ja', causeMessage('mapping-expired'))).toBe('SORACOM Napter の有効期限が切れている');
    expect(t('ja', 'diagnosis.step.api-unit-seconds')).toContain('duration パラメーターの単位は秒');
    expect(t('ja', 'diagnosis.verdict.source-ip-mismatch.summary')).toContain('アクセス元 IP アドレス');
  });

  test('every message a diagnosis refers to renders completely in both languages', () => {
    const createdAt = NOW_MS - 20 * MINUTE_MS;
    const mapping = portMapping({ createdAtMs: createdAt });
    const inputs = [
      diagnoseInput({ sim: undefined }),
      diagnoseInput({ sim: simSnapshot({ status: 'inactive' }) }),
      diagnoseInput({ sim: simSnapshot({ online: false }), probe: { kind: 'skipped', reason: 'offline' } }),
      diagnoseInput({ malformedEventCount: 2 }),
      diagnoseInput({ mappings: [mapping], probe: { kind: 'skipped', reason: 'no-port' } }),
      diagnoseInput({ mappings: [mapping], events: [created(createdAt)], probe: { kind: 'skipped', reason: 'disabled-by-policy' } }),
      diagnoseInput({
        mappings: [portMapping({ createdAtMs: createdAt, tlsRequired: true })],
        events: [created(createdAt)],
        probe: { kind: 'skipped', reason: 'error' },
      }),
      diagnoseInput({
        events: [created(NOW_MS - 3 * HOUR_MS), expired(NOW_MS - 150 * MINUTE_MS), ...attempts(2, { atMs: NOW_MS - HOUR_MS, ip: USER_IP, outcome: 'denied' })],
        window: { fromMs: NOW_MS - 48 * HOUR_MS, toMs: NOW_MS },
      }),
      diagnoseInput({ mappings: [mapping], events: [created(createdAt), ...scannerHits(3, createdAt, MINUTE_MS)] }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'no-answer', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'timeout', elapsedMs: 5000, conclusive: true },
        events: [created(createdAt), ...attempts(3, { atMs: createdAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied' })],
      }),
      diagnoseInput({
        mappings: [mapping],
        events: [
          created(createdAt),
          ...attempts(3, { atMs: createdAt, ip: OTHER_USER_IP, outcome: 'denied' }),
          ...attempt({ atMs: createdAt + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'refused' }),
        ],
      }),
      diagnoseInput({
        mappings: [mapping],
        intent: { devicePort: 80 },
        probe: { kind: 'answered', port: 80, method: 'http', atMs: NOW_MS, httpStatus: 200 },
        events: [created(createdAt), ...attempt({ atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 10 })],
      }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'refused', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'refused', elapsedMs: 100 },
        events: [created(createdAt), ...attempt({ atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'access-only' })],
      }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS },
        events: [created(createdAt), ...attempt({ atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })],
      }),
      diagnoseInput({ mappings: [portMapping({ createdAtMs: NOW_MS - 30_000 })], events: [created(NOW_MS - 30_000)] }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'no-answer', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'x', elapsedMs: 5000, conclusive: false },
        events: [created(createdAt)],
      }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS },
        events: [created(createdAt), ...attempts(3, { atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 30_000, everyMs: 40_000 })],
      }),
      diagnoseInput({
        mappings: [mapping],
        probe: { kind: 'refused', port: 22, method: 'tcp-wait-first', atMs: NOW_MS, message: 'refused', elapsedMs: 100 },
        events: [created(createdAt), ...attempt({ atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'connected' })],
      }),
      diagnoseInput({
        mappings: [mapping],
        events: [created(createdAt), ...attempt({ atMs: createdAt + MINUTE_MS, ip: USER_IP, outcome: 'connected', closeAfterMs: 40_000 })],
      }),
      diagnoseInput({ mappings: [portMapping({ createdAtMs: NOW_MS - 45 * MINUTE_MS })], events: [created(NOW_MS - 45 * MINUTE_MS)] }),
    ];
    const refsOf = (diagnosis: Diagnosis): MessageRef[] => [
      diagnosis.summary,
      verdictTitle(diagnosis.verdict),
      ...diagnosis.causes.map(causeMessage),
      ...diagnosis.nextSteps,
      ...diagnosis.notes,
      ...diagnosis.evidence.map((item) => item.why),
      ...diagnosis.remedies.map(remedyLabel),
    ];
    const seenKeys = new Set<string>();
    for (const input of inputs) {
      for (const ref of refsOf(diagnose(input))) {
        seenKeys.add(ref.key);
        expect({ key: ref.key, known: hasMessage(ref.key) }).toEqual({ key: ref.key, known: true });
        for (const lang of ['en', 'ja'] as const) {
          const text = t(lang, ref);
          expect({ key: ref.key, lang, unfilled: /\{\w+\}/.test(text) }).toEqual({ key: ref.key, lang, unfilled: false });
        }
      }
    }
    // The sample reaches most of the catalog, so a typo in a key the engine builds would show here.
    expect(seenKeys.size).toBeGreaterThan(75);
  });
});

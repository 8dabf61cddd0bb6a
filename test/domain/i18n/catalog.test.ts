import { hasMessage, langFromLocale, MESSAGE_AREAS, type MessageArea, t, translate } from '../../../src/domain/i18n/catalog';
import { pageMessages } from '../../../src/web/page-messages';
import { msg } from '../../../src/domain/i18n/message-ref';

/**
 * The whole catalog, every area: English and Japanese complete and in step. An area another helper is
 * still filling may be empty; once it has texts, the same rules hold for it.
 */

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
/** Every area of the core catalog, and the web page's table kept beside the page. */
const areas: [string, MessageArea][] = [...Object.entries(MESSAGE_AREAS), ['ipPage', pageMessages]];

describe('message catalog', () => {
  test('has the areas every part of the bot writes to', () => {
    expect(Object.keys(MESSAGE_AREAS)).toEqual(expect.arrayContaining(['command', 'diagnosis', 'ticket', 'slack', 'thread']));
  });

  describe.each(areas)('area %s', (area, messages) => {
    test('English and Japanese have the same keys', () => {
      expect(Object.keys(messages.ja).sort()).toEqual(Object.keys(messages.en).sort());
    });

    test('every key starts with the area prefix', () => {
      const outside = [...Object.keys(messages.en), ...Object.keys(messages.ja)].filter((key) => !key.startsWith(`${area}.`));
      expect(outside).toEqual([]);
    });

    test('every text is a non-empty string', () => {
      const empty = (['en', 'ja'] as const).flatMap((lang) =>
        Object.entries(messages[lang])
          .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
          .map(([key]) => `${lang}:${key}`),
      );
      expect(empty).toEqual([]);
    });

    test('placeholders match between the languages', () => {
      const mismatched = Object.entries(messages.en)
        .filter(([key, en]) => JSON.stringify(placeholders(en)) !== JSON.stringify(placeholders(messages.ja[key] ?? '')))
        .map(([key]) => key);
      expect(mismatched).toEqual([]);
    });
  });

  test('no key is defined by two areas', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const [area, messages] of areas) {
      for (const key of Object.keys(messages.en)) {
        if (seen.has(key)) duplicates.push(`${key} (${seen.get(key)} and ${area})`);
        seen.set(key, area);
      }
    }
    expect(duplicates).toEqual([]);
  });

  test('the Japanese texts of the command and ticket areas are Japanese', () => {
    for (const area of ['command', 'ticket'] as const) {
      const notJapanese = Object.entries(MESSAGE_AREAS[area]?.ja ?? {})
        .filter(([key]) => !/^(command\.usage\.(help|diagnose|list)|ticket\.(field\.(imsi|sim-id)|column\.tls))$/.test(key))
        .filter(([, text]) => !/[\u3040-\u30ff\u4e00-\u9fff]/.test(text))
        .map(([key]) => key);
      expect(notJapanese).toEqual([]);
    }
  });

  test('t() renders parameters in the reader’s language and falls back to the key', () => {
    const ref = msg('command.open.invalid-port', { input: '70000' });
    expect(t('en', ref)).toContain('70000');
    expect(t('ja', ref)).toContain('70000');
    expect(t('ja', ref)).not.toBe(t('en', ref));
    expect(hasMessage('command.open.invalid-port')).toBe(true);
    expect(hasMessage('command.no-such-key')).toBe(false);
    expect(translate<string>({ en: {}, ja: {} }, 'en', 'command.no-such-key')).toBe('command.no-such-key');
    expect(langFromLocale('ja-JP')).toBe('ja');
    expect(langFromLocale('en-US')).toBe('en');
    expect(langFromLocale(undefined)).toBe('en');
  });
});

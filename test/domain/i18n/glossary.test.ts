import { MESSAGE_AREAS, type MessageArea } from '../../../src/domain/i18n/catalog';
import { pageMessages } from '../../../src/web/page-messages';

/**
 * One term per concept in the Japanese texts, the one SORACOM's own documentation uses (its Napter
 * troubleshooting guide, its User Console): a variant beside it reads as a different thing. A banned variant
 * anywhere in a Japanese text fails here, with the term to use instead.
 */
interface Term {
  readonly concept: string;
  readonly use: string;
  readonly banned: RegExp;
  /** Texts where the word means something else (a device port that is closed, a browser tab). */
  readonly except?: readonly string[];
}

const GLOSSARY: readonly Term[] = [
  {
    concept: 'turning Napter on for a device port',
    use: 'リモートアクセスを有効にする',
    banned: /(Napter|リモートアクセス|マッピング)[^。、]{0,8}開(く|いて|き|け|かれ)|もう一度開く|を開きました/,
  },
  {
    concept: 'ending remote access early',
    use: '削除する',
    banned: /閉じ/,
    except: ['diagnosis.verdict.device-port-closed.title', 'ipPage.back-to-slack'],
  },
  { concept: 'what a verdict rests on', use: '根拠', banned: /証拠/ },
  { concept: 'the bot', use: 'Bot', banned: /ボット/ },
  { concept: 'the person reading (not a customer of someone)', use: 'あなた', banned: /お客様/ },
  { concept: 'a SIM whose status is inactive', use: '休止中', banned: /非アクティブ|無効な SIM/ },
  { concept: 'the buttons that apply a diagnosis’s remedy', use: '対処', banned: /修正(ボタン|を適用)|\*修正\*/ },
];

const areas: [string, MessageArea][] = [...Object.entries(MESSAGE_AREAS), ['ipPage', pageMessages]];
const japanese = areas.flatMap(([, area]) => Object.entries(area.ja));

describe('Japanese glossary', () => {
  test('has texts to check', () => {
    expect(japanese.length).toBeGreaterThan(300);
  });

  test.each(GLOSSARY.map((term) => [term.concept, term] as const))('%s: only one term', (_concept, term) => {
    const offenders = japanese
      .filter(([key, text]) => term.banned.test(text) && !(term.except ?? []).includes(key))
      .map(([key, text]) => `${key}: ${text} (use ${term.use})`);
    expect(offenders).toEqual([]);
  });

  test('the preferred terms are in use', () => {
    const all = japanese.map(([, text]) => text).join('\n');
    for (const term of ['リモートアクセスを', '有効に', '削除', '根拠', 'Bot', '休止中', '対処']) expect(all).toContain(term);
  });
});

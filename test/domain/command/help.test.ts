import { helpMessages } from '../../../src/domain/command/help';
import { hasMessage, t } from '../../../src/domain/i18n/catalog';

describe('helpMessages', () => {
  test('the whole help covers every subcommand, in both languages', () => {
    const refs = helpMessages();
    for (const ref of refs) expect(hasMessage(ref.key)).toBe(true);
    for (const lang of ['en', 'ja'] as const) {
      const text = refs.map((ref) => t(lang, ref)).join('\n');
      for (const subcommand of ['open', 'diagnose', 'list', 'close', 'history', 'help']) expect(text).toContain(`/napter ${subcommand}`);
      for (const example of ['/napter open gw-01', '/napter diagnose gw-01 since 6h', '/napter close 203.0.113.10:40123', '/napter history gw-01 since 30d']) {
        expect(text).toContain(example);
      }
    }
    expect(refs.map((ref) => t('ja', ref)).join('\n')).toContain('オンデマンドリモートアクセス');
  });

  test('one topic gives that subcommand and the note on <sim>', () => {
    expect(helpMessages('diagnose').map((ref) => ref.key)).toEqual(['command.help.diagnose', 'command.help.sim']);
    expect(helpMessages('history').map((ref) => ref.key)).toEqual(['command.help.history', 'command.help.sim']);
    expect(t('en', helpMessages('open')[0] ?? 'command.help.title')).toContain('at most 8 hours');
    expect(t('ja', helpMessages('open')[0] ?? 'command.help.title')).toContain('最大 8 時間');
  });
});

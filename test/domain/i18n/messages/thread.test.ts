import { threadMessages } from '../../../../src/domain/i18n/messages/thread';

describe('thread.* catalog', () => {
  it('has the same keys in English and Japanese, all under thread.', () => {
    expect(Object.keys(threadMessages.ja).sort()).toEqual(Object.keys(threadMessages.en).sort());
    expect(Object.keys(threadMessages.en).every((key) => key.startsWith('thread.'))).toBe(true);
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, en] of Object.entries(threadMessages.en)) {
      expect([key, placeholders((threadMessages.ja as Readonly<Record<string, string>>)[key] ?? '')]).toEqual([key, placeholders(en)]);
    }
  });
});

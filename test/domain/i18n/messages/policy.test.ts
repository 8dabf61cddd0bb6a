import { hasMessage, MESSAGE_AREAS } from '../../../../src/domain/i18n/catalog';
import { ipPageMessages } from '../../../../src/domain/i18n/messages/ip-page';
import { policyMessages } from '../../../../src/domain/i18n/messages/policy';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each([
  ['policy', policyMessages, 'policy.'],
  ['ipPage', ipPageMessages, 'ipPage.'],
])('the %s message area', (area, messages, prefix) => {
  it('is registered in the catalog', () => {
    expect(MESSAGE_AREAS[area]).toBe(messages);
    for (const key of Object.keys(messages.en)) expect(hasMessage(key)).toBe(true);
  });

  it('has the same keys in English and Japanese, all under its prefix', () => {
    expect(Object.keys(messages.ja).sort()).toEqual(Object.keys(messages.en).sort());
    for (const key of Object.keys(messages.en)) expect(key.startsWith(prefix)).toBe(true);
  });

  it.each(Object.keys(messages.en))('%s uses the same placeholders in both languages', (key) => {
    expect(placeholders(messages.ja[key] ?? '')).toEqual(placeholders(messages.en[key] ?? ''));
    expect(messages.ja[key]).not.toBe(messages.en[key]);
  });
});

import { hasMessage, MESSAGE_AREAS, type MessageArea } from '../../../../src/domain/i18n/catalog';
import { policyMessages } from '../../../../src/domain/i18n/messages/policy';
import { pageMessages } from '../../../../src/web/page-messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the policy message area', () => {
  it('is registered in the catalog', () => {
    expect(MESSAGE_AREAS.policy).toBe(policyMessages);
    for (const key of Object.keys(policyMessages.en)) expect(hasMessage(key)).toBe(true);
  });
});

describe.each([
  ['policy', policyMessages as MessageArea, 'policy.'],
  ['ipPage', pageMessages as MessageArea, 'ipPage.'],
])('the %s message area', (_area, messages, prefix) => {
  it('has the same keys in English and Japanese, all under its prefix', () => {
    expect(Object.keys(messages.ja).sort()).toEqual(Object.keys(messages.en).sort());
    for (const key of Object.keys(messages.en)) expect(key.startsWith(prefix)).toBe(true);
  });

  it.each(Object.keys(messages.en))('%s uses the same placeholders in both languages', (key) => {
    expect(placeholders(messages.ja[key] ?? '')).toEqual(placeholders(messages.en[key] ?? ''));
    expect(messages.ja[key]).not.toBe(messages.en[key]);
  });
});

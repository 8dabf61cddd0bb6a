import { msg } from '../../../src/domain/i18n/message-ref';
import { reasonText } from '../../../src/slack/blocks/errors';

/** The policy names users and channels by ID; in Slack they become a mention and a channel link, the rest escaped. */
describe('reasonText', () => {
  test('the channel the policy names is a channel link', () => {
    expect(reasonText('en', msg('policy.denied.channel', { action: 'open', channelId: 'CRANDOM' }))).toContain('<#CRANDOM>');
  });

  test('the opener of a mapping is a mention; quoted input is escaped', () => {
    expect(reasonText('ja', msg('policy.denied.close-not-owner', { openedBy: 'U0HANAKO' }))).toContain('<@U0HANAKO>');
    expect(reasonText('en', msg('policy.denied.source-invalid', { sourceCidr: '<!channel>' }))).not.toContain('<!channel>');
  });
});

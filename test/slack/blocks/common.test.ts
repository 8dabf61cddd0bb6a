import { slackDate } from '../../../src/slack/blocks/common';

describe('slackDate', () => {
  it('renders a date token in seconds with a UTC fallback', () => {
    expect(slackDate(1_700_000_000_999)).toBe('<!date^1700000000^{date_short_pretty} {time_secs}|2023-11-14 22:13:20 UTC>');
  });
});

import { emptyWatchState, summariseWatch, type WatchedMapping } from '../../../src/domain/watch/index';
import { watchNoticeMessage } from '../../../src/slack/present/watch';
import { reminderMessage } from '../../../src/slack/present/reminder';
import { ACTION_IDS } from '../../../src/slack/ids';
import type { WatchView } from '../../../src/use-cases/watch-view';
import { STORED_MAPPING } from './fixtures';

/** The watch's private notice and the reminder: outside strings escaped, times as Slack's date token, the right buttons. */
const HOSTILE = '<!channel> *bold* `tick` <https://evil.example|x>';
const mapping = STORED_MAPPING;
const watched: WatchedMapping = {
  watchId: mapping.id,
  imsis: ['440103100000001'],
  devicePort: 22,
  sourceIpRanges: [mapping.sourceCidr],
  openedAtMs: mapping.createdAtMs,
  expiresAtMs: mapping.expiresAtMs,
  requesterAddresses: [],
};
const view: WatchView = { mapping, simLabel: HOSTILE, summary: summariseWatch(watched, emptyWatchState()) };
const text = (message: { text: string; blocks: unknown[] }) => `${message.text}\n${JSON.stringify(message.blocks)}`;

describe('the watch notice', () => {
  it('escapes SORACOM’s strings, keeps the date token, and offers Open again for an address that may be theirs', () => {
    const message = watchNoticeMessage('en', view, {
      mappingId: mapping.id,
      changes: [{ kind: 'denied', sourceIp: '<!here>', attempts: 2, requester: 'likely', ambiguous: false }],
    });
    const all = text(message);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).toContain('&lt;!here&gt;');
    expect(all).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|/);
    expect(all).toContain(ACTION_IDS.openAgain);
  });

  it('an end in Japanese: no Diagnose, Open again offered, the time as a date token', () => {
    const message = watchNoticeMessage('ja', view, {
      mappingId: mapping.id,
      changes: [{ kind: 'ended', end: { how: 'expired', atMs: mapping.expiresAtMs, evidence: 'clock' } }],
    });
    const all = text(message);
    expect(all).toContain('有効期限が切れました');
    expect(all).toContain(ACTION_IDS.openAgain);
    expect(all).not.toContain(ACTION_IDS.diagnoseMapping);
    expect(all.match(/<!date\^/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('the reminder', () => {
  it('offers Extend and Close now, in the reader’s language, with the end as a date token', () => {
    const en = text(reminderMessage('en', view, mapping.expiresAtMs - 5 * 60_000, 1800));
    expect(en).toContain(ACTION_IDS.extend);
    expect(en).toContain(ACTION_IDS.closeNow);
    expect(en).toContain('in 5m');
    expect(en).not.toContain('<!channel>');
    const ja = text(reminderMessage('ja', view, mapping.expiresAtMs - 5 * 60_000, 1800));
    expect(ja).toContain('延長する');
  });
});

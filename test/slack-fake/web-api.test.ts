import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import type { ManualClock } from '../../src/common/clock';
import type { FakeSlack } from '../../src/slack-fake';
import { quietLogger } from './quiet-logger';
import { platformError, START_MS, useFakeWithBot } from './fake-with-bot';

describe('fake Slack Web API, through the real WebClient', () => {
  let fake: FakeSlack;
  let clock: ManualClock;
  let bot: WebClient;
  useFakeWithBot((started) => ({ fake, clock, bot } = started), { rejectRateLimitedCalls: true });

  it('binds to loopback and exposes the API URL Bolt needs', () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test with the bot identity', async () => {
    const answer = await bot.auth.test();
    expect(answer).toMatchObject({
      ok: true,
      url: 'https://napter-fake.slack.com/',
      team_id: 'T0FAKETEAM',
      user_id: 'U0BOTNAPTER',
      bot_id: 'B0BOTNAPTER',
      user: 'napter',
    });
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('refuses a missing token with not_authed and a wrong one with invalid_auth', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    expect(await platformError(anonymous.auth.test())).toBe('not_authed');
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    expect(await platformError(wrong.auth.test())).toBe('invalid_auth');
    const appLevel = new WebClient('xapp-1-whatever', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    expect(await platformError(appLevel.chat.postMessage({ channel: 'C0OPS', text: 'hi' }))).toBe('not_allowed_token_type');
  });

  it('answers unknown methods with unknown_method', async () => {
    expect(await platformError(bot.apiCall('chat.teleport', { channel: 'C0OPS' }))).toBe('unknown_method');
  });

  it('posts a thread: root, reply (to a reply ts too), broadcast, and records the call', async () => {
    const root = await bot.chat.postMessage({ channel: 'C0OPS', text: 'Diagnosis', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*SIM*' } }] });
    expect(root).toMatchObject({ ok: true, channel: 'C0OPS', message: { text: 'Diagnosis', user: 'U0BOTNAPTER', bot_id: 'B0BOTNAPTER' } });
    const rootTs = root.ts as string;
    expect(rootTs).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await bot.chat.postMessage({ channel: 'C0OPS', text: 'evidence 1', thread_ts: rootTs });
    await bot.chat.postMessage({ channel: 'C0OPS', text: 'evidence 2', thread_ts: reply.ts as string });
    await bot.chat.postMessage({ channel: 'C0OPS', text: 'verdict', thread_ts: rootTs, reply_broadcast: true });

    const messages = fake.channelMessages('C0OPS');
    expect(messages.map((m) => m.text)).toEqual(['Diagnosis', 'verdict']);
    const storedRoot = fake.findMessage('C0OPS', rootTs);
    expect(storedRoot?.replies.map((m) => [m.text, m.threadTs])).toEqual([
      ['evidence 1', rootTs],
      ['evidence 2', rootTs],
      ['verdict', rootTs],
    ]);
    expect(storedRoot?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*SIM*' } }]);
    const call = fake.callsTo('chat.postMessage')[0];
    expect(call?.args['blocks']).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*SIM*' } }]);
    expect(call?.token).toBe(fake.botToken);
    expect(call?.atMs).toBe(START_MS);
  });

  it('refuses a thread_ts that names no message', async () => {
    expect(await platformError(bot.chat.postMessage({ channel: 'C0OPS', text: 'x', thread_ts: '1.000001' }))).toBe('thread_not_found');
  });

  it('round-trips message metadata through form encoding', async () => {
    const metadata = { event_type: 'napter_diagnosis', event_payload: { diagnosisId: 'd-1', imsi: '440101234567890' } };
    const posted = await bot.chat.postMessage({ channel: 'C0OPS', text: 'x', metadata });
    expect(fake.findMessage('C0OPS', posted.ts as string)?.metadata).toEqual(metadata);
    expect(posted.message?.metadata).toEqual(metadata);
    expect(await platformError(bot.apiCall('chat.postMessage', { channel: 'C0OPS', text: 'x', metadata: '{not json' }))).toBe(
      'invalid_metadata_format',
    );
  });

  it('gives not_in_channel in a public channel without the bot, channel_not_found in private ones and unknown ids', async () => {
    expect(await platformError(bot.chat.postMessage({ channel: 'C0RANDOM', text: 'x' }))).toBe('not_in_channel');
    expect(await platformError(bot.chat.postMessage({ channel: 'G0SECRET', text: 'x' }))).toBe('channel_not_found');
    expect(await platformError(bot.chat.postMessage({ channel: 'D0ALICEHANAKO', text: 'x' }))).toBe('channel_not_found');
    expect(await platformError(bot.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(fake.channelMessages('C0RANDOM')).toEqual([]);
  });

  it('lets the bot post after conversations.join, and opens a DM when the channel is a user id', async () => {
    await bot.conversations.join({ channel: 'C0RANDOM' });
    await expect(bot.chat.postMessage({ channel: 'C0RANDOM', text: 'now in' })).resolves.toMatchObject({ ok: true });
    expect(await platformError(bot.conversations.join({ channel: 'G0SECRET' }))).toBe('channel_not_found');
    const dm = await bot.chat.postMessage({ channel: 'U0HANAKO', text: 'endpoint for you' });
    expect(dm.channel).toMatch(/^D/);
    expect(fake.channelMessages(dm.channel as string).map((m) => m.text)).toEqual(['endpoint for you']);
  });

  it('needs text or blocks', async () => {
    expect(await platformError(bot.apiCall('chat.postMessage', { channel: 'C0OPS' }))).toBe('no_text');
  });

  it('updates only the bot’s own messages, keeps history, and knows missing ones', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0OPS', text: 'v1', blocks: [{ type: 'divider' }] });
    const ts = posted.ts as string;
    const updated = await bot.chat.update({ channel: 'C0OPS', ts, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0OPS', ts, text: 'v2' });
    const stored = fake.findMessage('C0OPS', ts);
    expect(stored?.editCount).toBe(1);
    expect(stored?.blocks).toEqual([{ type: 'divider' }]);
    expect(stored?.previousVersions[0]?.text).toBe('v1');
    await bot.chat.update({ channel: 'C0OPS', ts, text: 'v3', blocks: [] });
    expect(fake.findMessage('C0OPS', ts)?.blocks).toEqual([]);
    expect(await platformError(bot.chat.update({ channel: 'C0OPS', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
  });

  it('refuses chat.update and chat.delete on a user’s message, and chat.update on an ephemeral', async () => {
    const human = fake.postUserMessage({ channelId: 'C0OPS', userId: 'U0ALICE', text: 'is the device up?' });
    expect(await platformError(bot.chat.update({ channel: 'C0OPS', ts: human.ts, text: 'x' }))).toBe('cant_update_message');
    expect(await platformError(bot.chat.delete({ channel: 'C0OPS', ts: human.ts }))).toBe('cant_delete_message');
    expect(fake.findMessage('C0OPS', human.ts)?.text).toBe('is the device up?');
    const eph = await bot.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'only you' });
    expect(await platformError(bot.chat.update({ channel: 'C0OPS', ts: eph.message_ts as string, text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('deletes the bot’s own messages, a root with its thread', async () => {
    const root = await bot.chat.postMessage({ channel: 'C0OPS', text: 'root' });
    const reply = await bot.chat.postMessage({ channel: 'C0OPS', text: 'reply', thread_ts: root.ts as string });
    await bot.chat.delete({ channel: 'C0OPS', ts: root.ts as string });
    expect(fake.channelMessages('C0OPS')).toEqual([]);
    expect(fake.findMessage('C0OPS', reply.ts as string)).toBeUndefined();
    expect(await platformError(bot.chat.delete({ channel: 'C0OPS', ts: root.ts as string }))).toBe('message_not_found');
  });

  it('posts ephemerals only to members, where the bot can see the channel', async () => {
    const answer = await bot.chat.postEphemeral({ channel: 'C0OPS', user: 'U0HANAKO', text: '接続先', blocks: [{ type: 'divider' }] });
    expect(answer.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals({ userId: 'U0HANAKO' })).toEqual([
      expect.objectContaining({ channelId: 'C0OPS', text: '接続先', origin: 'chat.postEphemeral', ephemeral: true }),
    ]);
    expect(fake.ephemerals({ userId: 'U0ALICE' })).toEqual([]);
    expect(await platformError(bot.chat.postEphemeral({ channel: 'C0OPS', user: 'U0OUTSIDER', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
    expect(await platformError(bot.chat.postEphemeral({ channel: 'G0SECRET', user: 'U0ALICE', text: 'x' }))).toBe(
      'channel_not_found',
    );
  });

  it('rejects blocks Slack would reject, with messages', async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const tooLongValue = [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' }, value: 'x'.repeat(2001) }] }];
    for (const blocks of [tooMany, tooLongValue]) {
      try {
        await bot.chat.postMessage({ channel: 'C0OPS', text: 'x', blocks });
        throw new Error('expected invalid_blocks');
      } catch (error) {
        const platform = error as WebAPIPlatformError;
        expect(platform.data.error).toBe('invalid_blocks');
        expect(platform.data.response_metadata?.messages?.[0]).toMatch(/^\[ERROR\] /);
      }
    }
    expect(fake.channelMessages('C0OPS')).toEqual([]);
  });

  it('answers users.info with tz always and locale only when asked', async () => {
    const plain = await bot.users.info({ user: 'U0HANAKO' });
    expect(plain.user).toMatchObject({ id: 'U0HANAKO', tz: 'Asia/Tokyo', tz_offset: 9 * 3600 });
    expect(plain.user?.locale).toBeUndefined();
    const withLocale = await bot.users.info({ user: 'U0HANAKO', include_locale: true });
    expect(withLocale.user?.locale).toBe('ja-JP');
    const admin = await bot.users.info({ user: 'U0ADMIN' });
    expect(admin.user).toMatchObject({ is_admin: true, tz: 'Europe/London', tz_offset: 0 });
    expect(await platformError(bot.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('lists user group members and describes conversations the bot can see', async () => {
    await expect(bot.usergroups.users.list({ usergroup: 'S0IOTADMINS' })).resolves.toMatchObject({ users: ['U0ADMIN', 'U0HANAKO'] });
    expect(await platformError(bot.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
    await expect(bot.conversations.info({ channel: 'C0RANDOM' })).resolves.toMatchObject({
      channel: { id: 'C0RANDOM', name: 'random', is_member: false, is_private: false },
    });
    expect(await platformError(bot.conversations.info({ channel: 'G0SECRET' }))).toBe('channel_not_found');
  });

  it('checks trigger_ids: 3 s by the clock, once, and only known ones', async () => {
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Ticket' }, callback_id: 'napter_ticket_modal', blocks: [] };
    const trigger = fake.newTriggerId('U0ALICE');
    clock.advance(3000);
    const opened = await bot.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({ callback_id: 'napter_ticket_modal', type: 'modal' });
    expect(fake.openedViews).toEqual([expect.objectContaining({ userId: 'U0ALICE', status: 'open', callbackId: 'napter_ticket_modal' })]);
    expect(await platformError(bot.views.open({ trigger_id: trigger, view }))).toBe('invalid_trigger_id');

    const late = fake.newTriggerId('U0ALICE');
    clock.advance(3001);
    expect(await platformError(bot.views.open({ trigger_id: late, view }))).toBe('expired_trigger_id');
    expect(await platformError(bot.views.open({ trigger_id: 'made.up.trigger', view }))).toBe('invalid_trigger_id');
  });

  it('refuses an invalid view without using up the trigger, and updates views by id with a hash check', async () => {
    const trigger = fake.newTriggerId('U0ALICE');
    const badTitle = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'x'.repeat(25) }, blocks: [] };
    expect(await platformError(bot.views.open({ trigger_id: trigger, view: badTitle }))).toBe('invalid_arguments');
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Ticket' }, blocks: [] };
    const opened = await bot.views.open({ trigger_id: trigger, view });
    const viewId = opened.view?.id as string;
    const updated = await bot.views.update({ view_id: viewId, hash: opened.view?.hash as string, view: { ...view, blocks: [{ type: 'divider' }] } });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(fake.findView(viewId)).toMatchObject({ blocks: [{ type: 'divider' }], updateCount: 1 });
    expect(await platformError(bot.views.update({ view_id: viewId, hash: opened.view?.hash as string, view }))).toBe('hash_conflict');
    expect(await platformError(bot.views.update({ view_id: 'V0NOPE', view }))).toBe('not_found');
  });

  it('injects errors for the next N calls, then recovers', async () => {
    fake.faults.failNext('chat.postMessage', 'fatal_error', 2);
    expect(await platformError(bot.chat.postMessage({ channel: 'C0OPS', text: 'x' }))).toBe('fatal_error');
    expect(await platformError(bot.chat.postMessage({ channel: 'C0OPS', text: 'x' }))).toBe('fatal_error');
    await expect(bot.chat.postMessage({ channel: 'C0OPS', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('rate limits with 429, Retry-After and ratelimited', async () => {
    fake.faults.rateLimitNext('chat.postMessage', 7);
    try {
      await bot.chat.postMessage({ channel: 'C0OPS', text: 'x' });
      throw new Error('expected a rate limit');
    } catch (error) {
      const limited = error as WebAPIRateLimitedError;
      expect(limited.code).toBe(ErrorCode.RateLimitedError);
      expect(limited.retryAfter).toBe(7);
    }
    const recorded = fake.callsTo('chat.postMessage')[0];
    expect(recorded).toMatchObject({ httpStatus: 429, response: { ok: false, error: 'ratelimited' } });
    await expect(bot.chat.postMessage({ channel: 'C0OPS', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('delays a method by the injected latency', async () => {
    fake.faults.latency('users.info', 150);
    const startedAt = Date.now();
    await bot.users.info({ user: 'U0ALICE' });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(140);
  });

  it('holds a call, unanswered and not applied, until the test lets it go; later calls are not held', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0OPS', text: 'first' });
    const ts = String(posted.ts);
    const hold = fake.faults.holdNext('chat.update');
    const held = bot.chat.update({ channel: 'C0OPS', ts, text: 'held' });
    await hold.reached;
    await bot.chat.update({ channel: 'C0OPS', ts, text: 'overtaking' });
    expect(fake.findMessage('C0OPS', ts)?.text).toBe('overtaking');
    hold.release();
    await expect(held).resolves.toMatchObject({ ok: true });
    expect(fake.findMessage('C0OPS', ts)?.text).toBe('held');
  });

  it('accepts JSON bodies as well as forms', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0OPS', text: 'json', blocks: [{ type: 'divider' }], reply_broadcast: false }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0OPS' });
    expect(fake.channelMessages('C0OPS')[0]?.blocks).toEqual([{ type: 'divider' }]);
  });

  it('hands out Socket Mode URLs only to app-level tokens', async () => {
    const app = new WebClient('xapp-1-A0FAKE-1-secret', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    const opened = await app.apps.connections.open();
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket\/[0-9a-f]+$/);
    expect(await platformError(bot.apps.connections.open())).toBe('not_allowed_token_type');
  });
});

import type { WebClient } from '@slack/web-api';
import type { ManualClock } from '../../src/common/clock';
import { RESPONSE_URL_TTL_MS, type FakeSlack } from '../../src/slack-fake';
import { START_MS, useFakeWithBot } from './fake-with-bot';

describe('fake Slack response_urls', () => {
  let fake: FakeSlack;
  let clock: ManualClock;
  let bot: WebClient;
  useFakeWithBot((started) => ({ fake, clock, bot } = started));

  const respond = async (url: string, body: unknown): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };

  it('serves URLs on the fake, ephemeral to the requester by default', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' });
    expect(url.startsWith(`${fake.baseUrl}/response/`)).toBe(true);
    expect(await respond(url, { text: 'working on it' })).toEqual({ status: 200, body: { ok: true } });
    expect(fake.ephemerals({ userId: 'U0ALICE', channelId: 'C0OPS' })).toEqual([
      expect.objectContaining({ text: 'working on it', origin: 'response_url', responseUrl: url }),
    ]);
    expect(fake.channelMessages('C0OPS')).toEqual([]);
    expect(fake.responseUrlPosts).toEqual([expect.objectContaining({ url, httpStatus: 200, body: { text: 'working on it' }, atMs: START_MS })]);
  });

  it('posts in_channel even where the bot is not a member', async () => {
    const url = fake.newResponseUrl({ channelId: 'G0SECRET', userId: 'U0ALICE' });
    await respond(url, { response_type: 'in_channel', text: 'card' });
    expect(fake.channelMessages('G0SECRET').map((m) => [m.text, m.user, m.origin])).toEqual([['card', 'U0BOTNAPTER', 'response_url']]);
  });

  it('allows 5 posts, then answers 404 used_url; refused posts do not count', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' });
    expect((await respond(url, {})).status).toBe(400);
    for (let use = 1; use <= 5; use += 1) expect((await respond(url, { text: `use ${use}` })).status).toBe(200);
    expect(await respond(url, { text: 'sixth' })).toEqual({ status: 404, body: { ok: false, error: 'used_url' } });
    expect(fake.ephemerals({ userId: 'U0ALICE' })).toHaveLength(5);
  });

  it('expires 30 minutes after issue by the fake clock', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' });
    clock.advance(RESPONSE_URL_TTL_MS);
    expect((await respond(url, { text: 'just in time' })).status).toBe(200);
    clock.advance(1);
    expect(await respond(url, { text: 'late' })).toEqual({ status: 404, body: { ok: false, error: 'expired_url' } });
  });

  it('answers 404 for URLs it never issued', async () => {
    expect((await respond(`${fake.baseUrl}/response/00ff`, { text: 'x' })).status).toBe(404);
  });

  it('refuses invalid blocks with 400 and stores nothing', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const answer = await respond(url, { text: 'x', blocks });
    expect(answer).toMatchObject({ status: 400, body: { ok: false, error: 'invalid_blocks' } });
    expect(fake.ephemerals()).toEqual([]);
  });

  it('replace_original rewrites the channel message that held the button', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0OPS', text: 'with button' });
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE', sourceMessage: { channelId: 'C0OPS', ts: posted.ts as string } });
    await respond(url, { replace_original: true, text: 'done', blocks: [{ type: 'divider' }] });
    const message = fake.findMessage('C0OPS', posted.ts as string);
    expect(message).toMatchObject({ text: 'done', blocks: [{ type: 'divider' }], editCount: 1 });
    expect(fake.ephemerals()).toEqual([]);
  });

  it('replace_original rewrites an ephemeral source, delete_original removes one', async () => {
    const eph = await bot.chat.postEphemeral({ channel: 'C0OPS', user: 'U0ALICE', text: 'endpoint' });
    const source = { channelId: 'C0OPS', ts: eph.message_ts as string, ephemeral: true };
    const first = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE', sourceMessage: source });
    await respond(first, { replace_original: 'true', text: 'closed' });
    expect(fake.ephemerals({ userId: 'U0ALICE' })).toEqual([expect.objectContaining({ ts: source.ts, text: 'closed', editCount: 1 })]);
    const second = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE', sourceMessage: source });
    await respond(second, { delete_original: true });
    expect(fake.ephemerals({ userId: 'U0ALICE' })).toEqual([]);
    expect(fake.ephemerals({ userId: 'U0ALICE', includeDeleted: true })[0]?.deleted).toBe(true);
  });

  it('on a command URL, replace_original rewrites the ack reply without the ack counting as a use', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0HANAKO' });
    fake.recordAckReply(url, 'diagnosing…');
    await respond(url, { replace_original: true, text: 'diagnosis ready' });
    expect(fake.ephemerals({ userId: 'U0HANAKO' }).map((e) => [e.text, e.origin, e.editCount])).toEqual([['diagnosis ready', 'ack', 1]]);
    for (let use = 2; use <= 5; use += 1) expect((await respond(url, { text: `more ${use}` })).status).toBe(200);
  });

  it('can inject a failure on response_url posts', async () => {
    const url = fake.newResponseUrl({ channelId: 'C0OPS', userId: 'U0ALICE' });
    fake.faults.failNext('response_url', 'expired_url');
    expect((await respond(url, { text: 'x' })).status).toBe(404);
    expect((await respond(url, { text: 'x' })).status).toBe(200);
  });
});

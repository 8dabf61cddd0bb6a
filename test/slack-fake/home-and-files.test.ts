import type { WebClient } from '@slack/web-api';
import type { FakeSlack } from '../../src/slack-fake';
import { platformError, useFakeWithBot } from './fake-with-bot';

/** views.publish, conversations.open and the external file upload, through the real WebClient. */
describe('fake Slack: Home tabs, DMs and file uploads', () => {
  let fake: FakeSlack;
  let bot: WebClient;
  useFakeWithBot((started) => ({ fake, bot } = started));

  const homeView = (text: string) => ({ type: 'home' as const, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] });

  it('publishes a Home tab per user, keeps its id across publishes, and checks the hash', async () => {
    const first = await bot.views.publish({ user_id: 'U0ALICE', view: homeView('one') });
    expect(first).toMatchObject({ ok: true, view: { type: 'home', team_id: 'T0FAKETEAM' } });
    const second = await bot.views.publish({ user_id: 'U0ALICE', view: homeView('two'), hash: first.view?.hash as string });
    expect(second.view?.id).toBe(first.view?.id);
    expect(fake.homeView('U0ALICE')).toMatchObject({ updateCount: 1, blocks: homeView('two').blocks });
    expect(await platformError(bot.views.publish({ user_id: 'U0ALICE', view: homeView('three'), hash: first.view?.hash as string }))).toBe('hash_conflict');
    expect(fake.homeView('U0HANAKO')).toBeUndefined();
  });

  it('refuses a Home tab for an unknown user, a modal, and bad blocks', async () => {
    expect(await platformError(bot.views.publish({ user_id: 'U0NOBODY', view: homeView('x') }))).toBe('user_not_found');
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    expect(await platformError(bot.views.publish({ user_id: 'U0ALICE', view: modal }))).toBe('invalid_arguments');
    const bad = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] };
    expect(await platformError(bot.views.publish({ user_id: 'U0ALICE', view: bad as never }))).toBe('invalid_arguments');
    expect(fake.homeView('U0ALICE')).toBeUndefined();
  });

  it('opens the bot’s DM with one user, and refuses unknown users and group DMs', async () => {
    const opened = await bot.conversations.open({ users: 'U0HANAKO' });
    expect(opened.channel?.id).toBe('DU0HANAKO');
    expect(await platformError(bot.conversations.open({ users: 'U0NOBODY' }))).toBe('user_not_found');
    expect(await platformError(bot.conversations.open({ users: 'U0ALICE,U0HANAKO' }))).toBe('method_not_supported_for_channel_type');
    expect(await platformError(bot.conversations.open({} as never))).toBe('users_list_not_supplied');
  });

  it('takes a file in three steps and shares it only where channel_id says', async () => {
    const content = 'a,b\r\n"=1+1",2\r\n';
    // A DM exists once opened.
    expect(await platformError(bot.filesUploadV2({ channel_id: 'DU0ALICE', filename: 'export.csv', content }))).toBe('channel_not_found');
    await bot.conversations.open({ users: 'U0ALICE' });
    const answer = await bot.filesUploadV2({ channel_id: 'DU0ALICE', filename: 'export.csv', title: 'Export', content });
    expect(answer.ok).toBe(true);
    expect(fake.callsTo('files.getUploadURLExternal')[1]?.args).toMatchObject({ filename: 'export.csv', length: String(Buffer.byteLength(content)) });
    const file = fake.files.find((candidate) => candidate.completed);
    expect(file).toMatchObject({ filename: 'export.csv', title: 'Export', content, completed: true, sharedTo: ['DU0ALICE'] });
    const completion = fake.callsTo('files.completeUploadExternal')[1];
    expect(completion?.response).toMatchObject({ ok: true, files: [{ id: file?.id, name: 'export.csv', filetype: 'csv', ims: ['DU0ALICE'], channels: [] }] });
    expect(fake.channelMessages('DU0ALICE').map((message) => message.fileIds)).toEqual([[file?.id]]);
  });

  it('refuses to complete a file never uploaded or completed twice, and to share where the bot cannot post', async () => {
    const url = await bot.files.getUploadURLExternal({ filename: 'x.csv', length: 3 });
    expect(await platformError(bot.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }))).toBe('file_not_found');
    const posted = await fetch(url.upload_url as string, { method: 'POST', body: 'abc' });
    expect(posted.status).toBe(200);
    expect(await platformError(bot.files.completeUploadExternal({ files: [{ id: url.file_id as string }], channel_id: 'C0RANDOM' }))).toBe('not_in_channel');
    expect(await platformError(bot.files.completeUploadExternal({ files: [{ id: url.file_id as string }], channel_id: 'G0SECRET' }))).toBe('channel_not_found');
    // Without a channel the file stays private to the bot.
    await bot.files.completeUploadExternal({ files: [{ id: url.file_id as string }] });
    expect(fake.files[0]).toMatchObject({ completed: true, sharedTo: [], content: 'abc' });
    expect(await platformError(bot.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }))).toBe('file_not_found');
    expect((await fetch(url.upload_url as string, { method: 'POST', body: 'again' })).status).toBe(404);
    expect(await platformError(bot.files.getUploadURLExternal({ filename: 'x.csv', length: 0 }))).toBe('invalid_arguments');
  });
});

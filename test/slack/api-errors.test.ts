import { observeSlackApiErrors } from '../../src/slack/api-errors';

const API = 'https://slack.example/api/';

function observed(answer: () => Promise<Response>) {
  const errors: Array<[string, string]> = [];
  const fetcher = observeSlackApiErrors(
    API,
    (method, code) => errors.push([method, code]),
    () => answer(),
  );
  return { errors, fetcher };
}

describe('observeSlackApiErrors', () => {
  it('tells Slack error codes, HTTP failures and network failures by method, and passes the answer on unread', async () => {
    const refused = observed(async () => Response.json({ ok: false, error: 'channel_not_found' }));
    const answer = await refused.fetcher(`${API}chat.postMessage`, { method: 'POST' });
    expect(await answer.json()).toEqual({ ok: false, error: 'channel_not_found' });
    expect(refused.errors).toEqual([['chat.postMessage', 'channel_not_found']]);

    const limited = observed(async () => new Response('', { status: 429 }));
    await limited.fetcher(`${API}users.info?user=U1`);
    expect(limited.errors).toEqual([['users.info', 'ratelimited']]);

    const broken = observed(async () => new Response('<html>', { status: 502 }));
    await broken.fetcher(new URL(`${API}views.open`));
    expect(broken.errors).toEqual([['views.open', 'http_502']]);

    const down = observed(() => Promise.reject(new TypeError('fetch failed')));
    await expect(down.fetcher(`${API}chat.update`)).rejects.toThrow('fetch failed');
    expect(down.errors).toEqual([['chat.update', 'network']]);
  });

  it('says nothing of a call that worked, nor of what is not a Web API call (a response_url post)', async () => {
    const fine = observed(async () => Response.json({ ok: true }));
    await fine.fetcher(`${API}chat.postMessage`);
    await fine.fetcher('https://hooks.slack.example/actions/T1/1/abc');
    const failedHook = observed(async () => new Response('', { status: 404 }));
    await failedHook.fetcher('https://hooks.slack.example/actions/T1/1/abc');
    expect([...fine.errors, ...failedHook.errors]).toEqual([]);
  });
});

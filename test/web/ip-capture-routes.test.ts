import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { buildReceiverRoutes } from '@slack/bolt';
import { ManualClock } from '../../src/common/clock';
import { openSqliteStore } from '../../src/storage/sqlite';
import { IP_CAPTURE_TTL_MS, type IpCapture, type Store } from '../../src/use-cases/ports/store';
import type { ConfirmedAddress } from '../../src/use-cases/confirm-ip';
import { createIpCaptureRoutes, ipCaptureUrl, type IpCaptureRoutesDeps, type IpConfirmOutcome } from '../../src/web';

const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

interface Harness {
  readonly baseUrl: string;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly confirmed: { capture: IpCapture; ip: string; proof: ConfirmedAddress['proof'] }[];
  setOutcome(outcome: (capture: IpCapture, ip: string) => Promise<IpConfirmOutcome>): void;
}

const servers: Server[] = [];
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  for (const store of stores) await store.close();
});

/** Serves the routes the way Bolt's receivers do: a route table by path and method, `params` set on the request. */
async function startHarness(options: Partial<Pick<IpCaptureRoutesDeps, 'trustedProxies' | 'ipEchoUrl'>> = {}): Promise<Harness> {
  const clock = new ManualClock(T0);
  const store = openSqliteStore({ path: ':memory:', clock });
  stores.push(store);
  const confirmed: { capture: IpCapture; ip: string; proof: ConfirmedAddress['proof'] }[] = [];
  let outcome = async (capture: IpCapture, { ip, proof }: ConfirmedAddress): Promise<IpConfirmOutcome> => {
    confirmed.push({ capture, ip, proof });
    return { ok: true, message: { en: `Opened for ${ip}.`, ja: `${ip} からの接続を許可しました。` } };
  };
  const routes = buildReceiverRoutes(
    createIpCaptureRoutes({
      store,
      clock,
      trustedProxies: options.trustedProxies ?? [],
      ipEchoUrl: options.ipEchoUrl,
      onConfirm: (capture, address) => outcome(capture, address),
    }),
  );
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    for (const [route, methods] of Object.entries(routes)) {
      const pattern = new RegExp(`^${route.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
      const match = pattern.exec(path);
      const handler = methods[req.method ?? 'GET'];
      if (match && handler) {
        const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]));
        handler(Object.assign(req, { params }), res);
        return;
      }
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    store,
    clock,
    confirmed,
    setOutcome: (next) => {
      outcome = async (capture, { ip, proof }) => {
        confirmed.push({ capture, ip, proof });
        return next(capture, ip);
      };
    },
  };
}

interface Reply {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (url: string, form = '', headers: Record<string, string> = {}) => send(url, { method: 'POST', headers: { ...FORM, ...headers }, body: form });

async function newCapture(harness: Harness, lang: 'en' | 'ja' = 'en') {
  const { capture, token } = await harness.store.ipCaptures.create({
    teamId: 'T1',
    userId: 'U1',
    channelId: 'C1',
    lang,
    request: { sim: 'gw-01', devicePort: 22 },
  });
  return { capture, token, url: ipCaptureUrl(harness.baseUrl, token) };
}

describe('ipCaptureUrl', () => {
  it('joins the public URL and the token', () => {
    expect(ipCaptureUrl('https://bot.example.com/', 'abc_-1')).toBe('https://bot.example.com/napter/ip/abc_-1');
    expect(ipCaptureUrl('https://bot.example.com/base', 'x')).toBe('https://bot.example.com/base/napter/ip/x');
  });
});

describe('behind a trusted proxy that reports a global client address', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ trustedProxies: ['127.0.0.1'] });
  });
  const viaProxy = { 'x-forwarded-for': '203.0.113.5' };

  it('GET shows the address the server sees, with a Confirm form, and consumes nothing', async () => {
    const { url, token } = await newCapture(harness);
    const reply = await send(url, { headers: viaProxy });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<p class="ip" id="napter-seen-ip">203.0.113.5</p>');
    expect(reply.body).toMatch(/<form method="post"><button type="submit" id="napter-confirm">Confirm and open<\/button><\/form>/);
    expect(reply.body).not.toContain('<script');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'none'.*connect-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(reply.body).not.toMatch(/(src|href)="https?:/);
    expect('error' in (await harness.store.ipCaptures.peek(token))).toBe(false);
    expect(harness.confirmed).toHaveLength(0);
  });

  it('renders the page in the capture language', async () => {
    const { url } = await newCapture(harness, 'ja');
    const reply = await send(url, { headers: viaProxy });
    expect(reply.body).toContain('<html lang="ja">');
    expect(reply.body).toContain('確認してアクセスを開始');
  });

  it('POST confirms once with the server-seen address; a second POST gets the used page and no second call', async () => {
    const { url, capture } = await newCapture(harness, 'ja');
    const before = harness.confirmed.length;
    const first = await post(url, '', viaProxy);
    expect(first.status).toBe(200);
    expect(first.body).toContain('203.0.113.5 からの接続を許可しました。');
    expect(first.body).toContain('完了しました');
    expect(harness.confirmed.slice(before)).toEqual([{ capture: { ...capture, usedAtMs: T0 }, ip: '203.0.113.5', proof: 'seen' }]);

    const second = await post(url, '', viaProxy);
    expect(second.status).toBe(410);
    expect(second.body).toContain('Link already used');
    expect(second.body).toContain('リンクは使用済みです');
    expect(harness.confirmed).toHaveLength(before + 1);
    expect((await send(url, { headers: viaProxy })).status).toBe(410);
  });

  it('ignores an address posted by the browser when the server sees a global one', async () => {
    const { url } = await newCapture(harness);
    const before = harness.confirmed.length;
    await post(url, 'ip=198.51.100.77', viaProxy);
    expect(harness.confirmed.slice(before).map((c) => [c.ip, c.proof])).toEqual([['203.0.113.5', 'seen']]);
  });

  it('calls onConfirm once when two POSTs race', async () => {
    const { url } = await newCapture(harness);
    const before = harness.confirmed.length;
    const replies = await Promise.all([post(url, '', viaProxy), post(url, '', viaProxy), post(url, '', viaProxy)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect(harness.confirmed).toHaveLength(before + 1);
  });

  it('shows an expired page after 10 minutes and creates nothing', async () => {
    const { url } = await newCapture(harness);
    harness.clock.advance(IP_CAPTURE_TTL_MS);
    const before = harness.confirmed.length;
    const shown = await send(url, { headers: viaProxy });
    const posted = await post(url, '', viaProxy);
    expect([shown.status, posted.status]).toEqual([410, 410]);
    expect(posted.body).toContain('Link expired');
    expect(posted.body).toContain('リンクの有効期限切れ');
    expect(harness.confirmed).toHaveLength(before);
  });

  it('shows a not-found page in both languages for an unknown token', async () => {
    const before = harness.confirmed.length;
    for (const token of ['A'.repeat(43), 'nope', '%3Cscript%3E']) {
      const shown = await send(`${harness.baseUrl}/napter/ip/${token}`);
      const posted = await post(`${harness.baseUrl}/napter/ip/${token}`, '', viaProxy);
      expect([shown.status, posted.status]).toEqual([404, 404]);
      expect(shown.body).toContain('Link not found');
      expect(shown.body).toContain('リンクが見つかりません');
      expect(shown.body).not.toContain('<script>');
      expect(shown.headers['cache-control']).toBe('no-store');
    }
    expect(harness.confirmed).toHaveLength(before);
  });

  it('shows a failed outcome and escapes what onConfirm says', async () => {
    harness.setOutcome(async () => ({ ok: false, message: 'Napter refused: <b>quota</b> & "limits"' }));
    const { url } = await newCapture(harness);
    const reply = await post(url, '', viaProxy);
    expect(reply.status).toBe(422);
    expect(reply.body).toContain('Not opened');
    expect(reply.body).toContain('Napter refused: &#60;b&#62;quota&#60;/b&#62; &#38; &#34;limits&#34;');
  });

  it('shows an error page when onConfirm throws, and the token stays used', async () => {
    harness.setOutcome(async () => {
      throw new Error('SORACOM is down');
    });
    const { url } = await newCapture(harness);
    const reply = await post(url, '', viaProxy);
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('Something went wrong');
    expect(reply.body).not.toContain('SORACOM is down');
    expect((await post(url, '', viaProxy)).status).toBe(410);
  });

  it('refuses a body that is not a form or is too large, without consuming the token', async () => {
    const { url, token } = await newCapture(harness);
    const wrongType = await send(url, { method: 'POST', headers: { ...viaProxy, 'content-type': 'application/json' }, body: '{"ip":"1.1.1.1"}' });
    const tooLarge = await post(url, `ip=${'9'.repeat(10_000)}`, viaProxy);
    expect([wrongType.status, tooLarge.status]).toEqual([415, 413]);
    expect('error' in (await harness.store.ipCaptures.peek(token))).toBe(false);
  });
});

describe('X-Forwarded-For from an untrusted peer', () => {
  it('is ignored: the page uses the socket address (here loopback, so the echo flow)', async () => {
    const harness = await startHarness({ trustedProxies: ['10.0.0.0/8'], ipEchoUrl: 'https://echo.example.net/ip?format=json' });
    const { url } = await newCapture(harness);
    const reply = await send(url, { headers: { 'x-forwarded-for': '203.0.113.5' } });
    expect(reply.status).toBe(200);
    expect(reply.body).not.toContain('203.0.113.5');
    expect(reply.body).toContain('127.0.0.1');

    const posted = await post(url, '', { 'x-forwarded-for': '203.0.113.5' });
    expect(posted.status).toBe(400);
    expect(harness.confirmed).toHaveLength(0);
  });
});

describe('when the server sees a non-global address (the bot runs inside the network)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ ipEchoUrl: 'https://echo.example.net/ip?format=json' });
  });

  it('GET asks the browser to learn its public address from the echo URL', async () => {
    const { url } = await newCapture(harness);
    const reply = await send(url);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('127.0.0.1');
    expect(reply.body).toContain('echo.example.net');
    expect(reply.body).toContain('data-echo-url="https://echo.example.net/ip?format=json"');
    expect(reply.body).toMatch(/<input type="text" name="ip" id="napter-ip"[^>]*required>/);
    expect(reply.body).toContain("input.setAttribute('readonly','')");
    const nonce = /<script nonce="([^"]+)">/.exec(reply.body)?.[1];
    expect(nonce).toBeDefined();
    const csp = reply.headers['content-security-policy'] ?? '';
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain('connect-src https://echo.example.net');
    expect(csp).not.toContain('unsafe-inline');
  });

  /** Runs the page's inline script against a minimal DOM and a fake `fetch`, and returns what it left in the form. */
  async function runEchoScript(body: string, answer: () => Promise<{ ok: boolean; status: number; text: () => Promise<string> }>) {
    const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(body)?.[1] ?? '';
    const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(body)?.[1]?.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
    const element = (attributes: Record<string, string | undefined>) => {
      const attrs = new Map(Object.entries(attributes).filter((e): e is [string, string] => e[1] !== undefined));
      return {
        value: '',
        textContent: '',
        getAttribute: (name: string) => attrs.get(name) ?? null,
        setAttribute: (name: string, value: string) => attrs.set(name, value),
        removeAttribute: (name: string) => attrs.delete(name),
        hasAttribute: (name: string) => attrs.has(name),
      };
    };
    const elements = {
      'napter-echo': element({ 'data-echo-url': attribute('data-echo-url'), 'data-failed': attribute('data-failed') }),
      'napter-ip': element({}),
      'napter-confirm': element({}),
      'napter-status': element({}),
    };
    const fetched: string[] = [];
    runInNewContext(script, {
      document: { getElementById: (id: keyof typeof elements) => elements[id] },
      fetch: (url: string) => {
        fetched.push(url);
        return answer();
      },
    });
    expect(elements['napter-confirm'].hasAttribute('disabled')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { fetched, ip: elements['napter-ip'], button: elements['napter-confirm'], status: elements['napter-status'] };
  }

  it('the inline script fills in the echoed address and enables Confirm', async () => {
    const { url } = await newCapture(harness);
    const page = await send(url);
    const json = await runEchoScript(page.body, async () => ({ ok: true, status: 200, text: async () => '{"ip":"198.51.100.7"}' }));
    expect(json.fetched).toEqual(['https://echo.example.net/ip?format=json']);
    expect(json.ip.value).toBe('198.51.100.7');
    expect(json.ip.hasAttribute('readonly')).toBe(false);
    expect(json.button.hasAttribute('disabled')).toBe(false);
    const text = await runEchoScript(page.body, async () => ({ ok: true, status: 200, text: async () => '2001:db8::10\n' }));
    expect(text.ip.value).toBe('2001:db8::10');
  });

  it('the inline script lets the user type the address when the echo fails', async () => {
    const { url } = await newCapture(harness);
    const page = await send(url);
    const failed = await runEchoScript(page.body, async () => ({ ok: false, status: 503, text: async () => '' }));
    expect(failed.ip.value).toBe('');
    expect(failed.button.hasAttribute('disabled')).toBe(false);
    expect(failed.status.textContent).toContain('could not reach echo.example.net');
    const garbage = await runEchoScript(page.body, async () => ({ ok: true, status: 200, text: async () => '<html>hello</html>' }));
    expect(garbage.ip.value).toBe('');
  });

  it('POST uses the echoed address after validating it, as a claim of the browser rather than a proof', async () => {
    const { url } = await newCapture(harness);
    const reply = await post(url, 'ip=%20198.51.100.7%20');
    expect(reply.status).toBe(200);
    expect(harness.confirmed.map((c) => [c.ip, c.proof])).toEqual([['198.51.100.7', 'claimed']]);
  });

  it('normalises an echoed IPv6 address', async () => {
    const { url } = await newCapture(harness);
    const before = harness.confirmed.length;
    await post(url, `ip=${encodeURIComponent('2001:DB8:0:0::10')}`);
    expect(harness.confirmed.slice(before).map((c) => c.ip)).toEqual(['2001:db8::10']);
  });

  it.each(['10.0.0.5', '127.0.0.1', '100.64.1.1', '::ffff:192.168.1.1', '0.0.0.0', '203.0.113.0/24', '<script>alert(1)</script>', ''])(
    'refuses a forged or unusable address %p without consuming the token or calling onConfirm',
    async (forged) => {
      const { url, token } = await newCapture(harness);
      const before = harness.confirmed.length;
      const reply = await post(url, `ip=${encodeURIComponent(forged)}`);
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('Address refused');
      expect(reply.body).not.toContain('<script>alert');
      expect(harness.confirmed).toHaveLength(before);
      expect('error' in (await harness.store.ipCaptures.peek(token))).toBe(false);
    },
  );

  it('without an echo URL, asks the user to type the address', async () => {
    const noEcho = await startHarness();
    const { url } = await newCapture(noEcho, 'ja');
    const reply = await send(url);
    expect(reply.body).toContain('グローバル IP アドレスを入力してください');
    expect(reply.body).not.toContain('<script');
    expect(reply.body).toMatch(/<input type="text" name="ip" id="napter-ip"[^>]*required>/);
  });
});

describe('createIpCaptureRoutes', () => {
  it('refuses a bad trusted proxy entry at start', () => {
    const store = openSqliteStore({ path: ':memory:', clock: new ManualClock(T0) });
    stores.push(store);
    expect(() =>
      createIpCaptureRoutes({ store, clock: new ManualClock(T0), trustedProxies: ['lb.internal'], onConfirm: async () => ({ ok: true, message: '' }) }),
    ).toThrow(/TRUSTED_PROXIES entry "lb.internal"/);
  });

  it('gives Bolt one path: GET shows, POST confirms, every other method is refused by the page itself', () => {
    const store = openSqliteStore({ path: ':memory:', clock: new ManualClock(T0) });
    stores.push(store);
    const routes = createIpCaptureRoutes({ store, clock: new ManualClock(T0), trustedProxies: [], onConfirm: async () => ({ ok: true, message: '' }) });
    expect(Object.keys(buildReceiverRoutes(routes))).toEqual(['/napter/ip/:token']);
    expect(Object.keys(buildReceiverRoutes(routes)['/napter/ip/:token'] ?? {}).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });
});

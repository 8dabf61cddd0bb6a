import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSoracomClient, type SoracomClient } from '../../src/soracom/client';
import {
  MappingDurationError,
  SoracomAuthError,
  SoracomError,
  SoracomHttpError,
  SoracomRateLimitedError,
  SoracomResponseShapeError,
  SoracomTimeoutError,
  SoracomValidationError,
} from '../../src/soracom/errors';

/**
 * Wire behaviours the simulator may never produce (link-only paging, plain-text errors, a body that
 * trickles forever, secrets echoed back), against a bare HTTP server on loopback.
 */
const AUTH_KEY = 'secret-AUTHKEY-do-not-leak';
const API_KEY = 'api-APIKEY-do-not-leak';
const TOKEN = 'TOKEN-do-not-leak';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

let handler: Handler;
let issuedTokens = 0;
let validToken = '';
const seen: Array<{ method: string; url: string }> = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    if (req.url === '/v1/auth') {
      issuedTokens += 1;
      validToken = `${TOKEN}-${issuedTokens}`;
      // Slow enough that concurrent callers overlap with it.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiKey: API_KEY, token: validToken, operatorId: 'OP0000000001' }));
      }, 20);
      return;
    }
    if (req.headers['x-soracom-token'] !== validToken || req.headers['x-soracom-api-key'] !== API_KEY) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'AUM0001', message: 'Token is required' }));
      return;
    }
    handler(req, body, res);
  });
});
let baseUrl = '';
const logLines: string[] = [];
let client: SoracomClient;

function json(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

const record = (level: string) => (message: string, details?: Record<string, unknown>) => {
  logLines.push(`${level} ${message} ${JSON.stringify(details ?? {})}`);
};

function newClient(overrides: Partial<Parameters<typeof createSoracomClient>[0]> = {}): SoracomClient {
  return createSoracomClient({
    endpoint: baseUrl,
    authKeyId: 'keyId-test',
    authKey: AUTH_KEY,
    timeoutMs: 500,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, maxRateLimitWaitMs: 50 },
    sleep: async () => {},
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    ...overrides,
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  logLines.length = 0;
  client = newClient();
});

afterEach(() => client.close());

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(AUTH_KEY);
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(TOKEN);
}

describe('SORACOM client on the wire', () => {
  it('pages through a link header alone', async () => {
    handler = (req, _body, res) => {
      const key = new URL(req.url ?? '', 'http://x').searchParams.get('last_evaluated_key');
      const page = key === null ? 0 : Number(key);
      const headers: Record<string, string> = page < 2 ? { link: `</v1/port_mappings?last_evaluated_key=${page + 1}>; rel=next` } : {};
      json(res, 200, [{ ipAddress: '192.0.2.10', port: 10_000 + page, destination: { port: 22 }, createdTime: 1_767_225_600_000, duration: 60 }], headers);
    };
    const mappings = await client.listPortMappings();
    expect(mappings.map((m) => m.port)).toEqual([10_000, 10_001, 10_002]);
  });

  it('stops a pager whose next key repeats', async () => {
    handler = (_req, _body, res) => json(res, 200, [], { 'x-soracom-next-key': 'same' });
    await expect(client.listPortMappings()).rejects.toBeInstanceOf(SoracomResponseShapeError);
  });

  it('retries a 5xx GET, then reports the plain-text error with code UNK0001', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad Gateway');
    };
    const error = await client.getSim('8942310000000000001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomHttpError);
    expect(error).toMatchObject({ status: 502, soracomCode: 'UNK0001', soracomMessage: 'Bad Gateway', method: 'GET' });
    expect(seen.filter((r) => r.url.startsWith('/v1/sims/')).length).toBe(3);
  });

  it('reads an APICallError body on a 400', async () => {
    handler = (_req, _body, res) => json(res, 400, { httpStatus: 400, errorMessage: { code: 'SEM0001', message: 'bad port' } });
    await expect(client.deletePortMapping('192.0.2.10', 1)).rejects.toMatchObject({ status: 400, soracomCode: 'SEM0001', soracomMessage: 'bad port' });
  });

  it('times out a body that trickles forever, and retries the GET before giving up', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    };
    const started = Date.now();
    const error = await client.listPortMappingsForSim('sim-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomTimeoutError);
    expect((error as SoracomTimeoutError).timeoutMs).toBe(500);
    expect(seen.filter((r) => r.url.startsWith('/v1/port_mappings/')).length).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails at once with the wait when the rate limit asks for longer than allowed', async () => {
    handler = (_req, _body, res) => json(res, 429, { code: 'API0429', message: 'slow down' }, { 'x-soracom-ratelimit-seconds-before-refresh': '42' });
    const error = await client.getSubscriber('295050000000001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomRateLimitedError);
    expect((error as SoracomRateLimitedError).waitMs).toBe(42_000);
    expect(seen.filter((r) => r.url.startsWith('/v1/subscribers/')).length).toBe(1);
  });

  it('waits what the rate-limit header says, then succeeds', async () => {
    const waits: number[] = [];
    client.close();
    client = newClient({
      sleep: async (ms) => void waits.push(ms),
      retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, maxRateLimitWaitMs: 60_000 },
    });
    let calls = 0;
    handler = (_req, _body, res) => {
      calls += 1;
      if (calls === 1) json(res, 429, { code: 'API0429', message: 'slow down' }, { 'x-soracom-ratelimit-seconds-before-refresh': '7' });
      else json(res, 404, { code: 'SEM0005', message: 'not found' });
    };
    await expect(client.getSim('x')).resolves.toBeUndefined();
    expect(waits).toEqual([7_000]);
  });

  it('gives up with SoracomAuthError when a fresh token is refused too, and never leaks a secret', async () => {
    handler = (_req, _body, res) => json(res, 401, { code: 'AUM0002', message: `bad token ${validToken} for ${API_KEY}` });
    const error = await client.getSim('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomAuthError);
    expectNoSecrets((error as Error).message);
    expectNoSecrets(JSON.stringify(error));
    expect(seen.filter((r) => r.url === '/v1/auth').length).toBe(2);
    expectNoSecrets(logLines.join('\n'));
    expect(logLines.some((line) => line.includes('/sims/x') && line.includes('"status":401'))).toBe(true);
  });

  it('turns a malformed 2xx body into a response-shape error without echoing the body', async () => {
    handler = (_req, _body, res) => json(res, 200, { simId: 42, secretThing: validToken });
    const error = await client.getSim('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomResponseShapeError);
    expect((error as Error).message).toContain('simId');
    expectNoSecrets((error as Error).message);
  });

  it('refuses a mapping longer than 8 hours, in seconds, before sending anything', async () => {
    handler = () => {
      throw new Error('must not be called');
    };
    const request = {
      target: { kind: 'imsi' as const, imsi: '295050000000001' },
      devicePort: 22,
      durationSec: 28_801,
      tlsRequired: false,
      sourceIpRanges: ['198.51.100.7/32'],
    };
    await expect(client.createPortMapping(request)).rejects.toBeInstanceOf(MappingDurationError);
    await expect(client.createPortMapping({ ...request, durationSec: 1800 * 1000 })).rejects.toBeInstanceOf(MappingDurationError);
    await expect(client.createPortMapping({ ...request, durationSec: 1800, sourceIpRanges: [] })).rejects.toBeInstanceOf(SoracomValidationError);
    expect(seen).toEqual([]);
  });

  it('refuses an audit-log window in seconds (the classic unit bug)', async () => {
    await expect(client.getNapterAuditLogs({ imsi: '295050000000001', fromMs: 1_767_225_600, toMs: 1_767_312_000 })).rejects.toBeInstanceOf(
      SoracomValidationError,
    );
    expect(seen).toEqual([]);
  });

  it('sends X-Soracom-Lang when asked', async () => {
    client.close();
    client = newClient({ lang: 'ja' });
    let lang: string | undefined;
    handler = (req, _body, res) => {
      lang = req.headers['x-soracom-lang'] as string | undefined;
      json(res, 404, { code: 'SEM0005', message: '見つかりません' });
    };
    await client.getSubscriber('1');
    expect(lang).toBe('ja');
  });

  it('a fast 422 from the probe is a refusal, with SORACOM’s own message as evidence; a 422 after the wait is a silence', async () => {
    let sent: unknown;
    handler = (_req, body, res) => {
      sent = JSON.parse(body);
      json(res, 422, { code: 'SEM0099', message: 'connection refused' });
    };
    const result = await client.probeDevice('sim-1', { port: 22, protocol: 'ssh', timeoutSec: 3 });
    expect(result).toMatchObject({ kind: 'refused', port: 22, method: 'tcp-wait-first', message: 'SEM0099: connection refused' });
    expect(sent).toEqual({ port: 22, payload: '', payloadEncoding: 'string', timeout: 3, connectionOptions: { type: 'wait_first' } });

    // The wording is SORACOM's and undocumented: when the clock cannot tell, a message that says "timeout" can.
    handler = (_req, _body, res) => json(res, 422, { code: 'SEM0099', message: 'Timed out waiting for data from the device' });
    await expect(client.probeDevice('sim-1', { port: 22, protocol: 'ssh', timeoutSec: 3 })).resolves.toMatchObject({ kind: 'no-answer', conclusive: true });
  });

  it('a probe SORACOM does not answer in time is "no answer", not an error; for an unknown service it is inconclusive', async () => {
    handler = () => undefined; // never answers
    const quick = newClient({ timeoutMs: 100 });
    const ssh = await quick.probeDevice('sim-1', { port: 22, protocol: 'ssh', timeoutSec: 1 });
    expect(ssh).toMatchObject({ kind: 'no-answer', port: 22, conclusive: true, message: expect.stringContaining('did not answer within 1100 ms') });
    const unknown = await quick.probeDevice('sim-1', { port: 502, protocol: undefined, timeoutSec: 1 });
    expect(unknown).toMatchObject({ kind: 'no-answer', conclusive: false });
    quick.close();
  });

  it('one audit entry SORACOM wrote oddly is dropped and counted; the rest of the page is read', async () => {
    handler = (_req, _body, res) =>
      json(res, 200, [
        { connectionId: 'c1', createdAt: 1_767_225_600_000, type: 'ACCESS', imsi: '295050000000001', direction: { sourceIPAddress: '203.0.113.5' } },
        { connectionId: 'c2', createdAt: 'yesterday', type: 'CONNECTED' },
        { connectionId: 'c3', createdAt: 1_767_225_600_100, type: 'CONNECTED', imsi: '295050000000001' },
      ]);
    const read = await client.getNapterAuditLogs({ imsi: '295050000000001', fromMs: 1_767_225_000_000, toMs: 1_767_226_000_000 });
    expect(read.events.map((event) => event.connectionId)).toEqual(['c1', 'c3']);
    expect(read.malformed).toBe(1);
    expect(logLines.some((line) => line.includes('dropped unreadable Napter audit log entries'))).toBe(true);
  });

  it('a SIM name search refuses what SORACOM cannot search: under 2 characters, or a comma', async () => {
    await expect(client.searchSimsByName('g')).rejects.toBeInstanceOf(SoracomValidationError);
    await expect(client.searchSimsByName('gw,01')).rejects.toBeInstanceOf(SoracomValidationError);
  });

  it('every failure is a SoracomError with method and path', async () => {
    handler = (_req, _body, res) => json(res, 418, { code: 'X', message: 'teapot' });
    const error = await client.listPortMappingsForSubscriber('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SoracomError);
    expect(error).toMatchObject({ method: 'GET', path: '/port_mappings/subscribers/1' });
  });
});

describe('authentication', () => {
  it('20 concurrent calls cause exactly one /auth', async () => {
    handler = (_req, _body, res) => json(res, 404, { code: 'SEM0005', message: 'not found' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.getSim(`sim-${i}`)));
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(seen.filter((r) => r.url === '/v1/auth').length).toBe(1);
    expect(client.stats().authentications).toBe(1);
  });

  it('signing in at start means the first call makes no /auth of its own', async () => {
    handler = (_req, _body, res) => json(res, 404, { code: 'SEM0005', message: 'not found' });
    await client.signIn();
    const authsAtStart = seen.filter((r) => r.url === '/v1/auth').length;
    await client.getSim('first');
    expect(authsAtStart).toBe(1);
    expect(seen.filter((r) => r.url === '/v1/auth').length).toBe(1);
    expect(seen.at(-1)?.url).not.toBe('/v1/auth');
  });

  it('a revoked token is replaced once and the call succeeds', async () => {
    handler = (_req, _body, res) => json(res, 404, { code: 'SEM0005', message: 'not found' });
    await client.getSim('a');
    validToken = 'revoked';
    await Promise.all([client.getSim('b'), client.getSim('c'), client.getSim('d')]);
    expect(seen.filter((r) => r.url === '/v1/auth').length).toBe(2);
    expect(client.stats().reauthentications).toBeGreaterThanOrEqual(1);
  });
});

describe('a create whose answer is lost', () => {
  const IMSI = '295050000000001';
  const request = {
    target: { kind: 'imsi' as const, imsi: IMSI },
    devicePort: 22,
    durationSec: 1800,
    tlsRequired: false,
    sourceIpRanges: ['198.51.100.7/32'],
  };

  function mappingStore(nowMs: () => number) {
    const mappings: unknown[] = [];
    return {
      mappings,
      commit(body: string): unknown {
        const sent = JSON.parse(body) as {
          destination: { imsi: string; port: number };
          duration: number;
          tlsRequired: boolean;
          source: { ipRanges: string[] };
        };
        const mapping = {
          ipAddress: '192.0.2.10',
          port: 10_000 + mappings.length,
          destination: { imsi: sent.destination.imsi, port: sent.destination.port, destinationChoosingStrategy: 'IMSI_PRIORITIZED' },
          imsi: sent.destination.imsi,
          duration: sent.duration,
          tlsRequired: sent.tlsRequired,
          source: { ipRanges: sent.source.ipRanges.map((r) => (r.includes('/') ? r : `${r}/32`)) },
          createdTime: nowMs(),
          expiredTime: nowMs() + sent.duration * 1000,
          expired: false,
        };
        mappings.push(mapping);
        return mapping;
      },
      list(res: http.ServerResponse): void {
        if (mappings.length === 0) json(res, 404, { code: 'SEM0005', message: 'none' });
        else json(res, 200, mappings);
      },
    };
  }

  const posts = () => seen.filter((r) => r.method === 'POST' && r.url === '/v1/port_mappings').length;

  it('committed, then the connection dropped: the listing finds it, one POST', async () => {
    const store = mappingStore(() => Date.now());
    handler = (req, body, res) => {
      if (req.method === 'POST') {
        store.commit(body);
        res.socket?.destroy();
      } else store.list(res);
    };
    const mapping = await client.createPortMapping(request);
    expect(mapping).toMatchObject({ port: 10_000, destination: { port: 22, imsi: IMSI }, sourceIpRanges: ['198.51.100.7/32'] });
    expect(posts()).toBe(1);
    expect(store.mappings).toHaveLength(1);
  });

  it('committed, then the answer hung past the timeout: found, one POST', async () => {
    const store = mappingStore(() => Date.now());
    handler = (req, body, res) => {
      if (req.method === 'POST') store.commit(body);
      else store.list(res);
    };
    await expect(client.createPortMapping(request)).resolves.toMatchObject({ port: 10_000 });
    expect(posts()).toBe(1);
  });

  it('a 503 that made nothing: one POST, an unknown outcome (an empty listing proves nothing)', async () => {
    const store = mappingStore(() => Date.now());
    handler = (req, _body, res) => {
      if (req.method === 'POST') json(res, 503, { code: 'UNK0001', message: 'busy' });
      else store.list(res);
    };
    await expect(client.createPortMapping(request)).rejects.toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(posts()).toBe(1);
    expect(store.mappings).toHaveLength(0);
  });

  it('an older, otherwise identical mapping is not taken for the lost one', async () => {
    const store = mappingStore(() => Date.now() - 10 * 60_000);
    store.commit(JSON.stringify({ destination: { imsi: IMSI, port: 22 }, duration: 1800, tlsRequired: false, source: { ipRanges: ['198.51.100.7/32'] } }));
    handler = (req, _body, res) => {
      if (req.method === 'POST') res.socket?.destroy();
      else store.list(res);
    };
    await expect(client.createPortMapping(request)).rejects.toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(posts()).toBe(1);
  });

  it('a refused connection (nothing sent) is tried once more, then reported as a network error', async () => {
    const authOnly = http.createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        req.url === '/v1/auth'
          ? json(res, 200, { apiKey: API_KEY, token: 'TOKEN-refused', operatorId: 'OP0000000001' })
          : json(res, 404, { code: 'SEM0005', message: 'no such SIM' }),
      );
    });
    await new Promise<void>((resolve) => authOnly.listen(0, '127.0.0.1', resolve));
    const port = (authOnly.address() as AddressInfo).port;
    const warnings: string[] = [];
    const refused = createSoracomClient({
      endpoint: `http://127.0.0.1:${port}`,
      authKeyId: 'keyId-test',
      authKey: AUTH_KEY,
      timeoutMs: 500,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 2, maxRateLimitWaitMs: 50 },
      sleep: async () => {},
      logger: { debug: () => {}, info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    });
    await expect(refused.getSim('authenticate-first')).resolves.toBeUndefined();
    refused.close();
    authOnly.closeAllConnections();
    await new Promise<void>((resolve) => authOnly.close(() => resolve()));
    const error = await refused.createPortMapping(request).catch((e: unknown) => e);
    refused.close();
    expect(error).toMatchObject({ code: 'SORACOM_NETWORK_ERROR', networkCode: 'ECONNREFUSED' });
    expect(warnings.filter((w) => w.includes('sending it once more'))).toHaveLength(1);
  });

  it('when the listing fails too, it reports an unknown outcome and does not create again', async () => {
    handler = (req, _body, res) => {
      if (req.method === 'POST') res.socket?.destroy();
      else json(res, 500, { code: 'UNK0001', message: 'down' });
    };
    const error = await client.createPortMapping(request).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SORACOM_OUTCOME_UNKNOWN' });
    expect(posts()).toBe(1);
  });

  it('a 4xx answer is final: no listing, no retry', async () => {
    handler = (_req, _body, res) => json(res, 400, { code: 'SEM0001', message: 'invalid range' });
    await expect(client.createPortMapping(request)).rejects.toMatchObject({ status: 400, soracomMessage: 'invalid range' });
    expect(posts()).toBe(1);
    expect(seen.filter((r) => r.method === 'GET').length).toBe(0);
  });

  it('a lost Peek create is found in the session list', async () => {
    const sessions: unknown[] = [];
    handler = (req, body, res) => {
      if (req.method === 'POST') {
        const sent = JSON.parse(body) as { duration: number; prefix?: string };
        sessions.push({ sessionId: 's-1', status: 'REQUESTED', duration: sent.duration, prefix: sent.prefix, createdTime: Date.now() });
        res.socket?.destroy();
      } else json(res, 200, sessions);
    };
    const session = await client.createPeekSession('sim-1', 30, 'napter');
    expect(session).toMatchObject({ sessionId: 's-1', durationSec: 60, prefix: 'napter' });
    expect(seen.filter((r) => r.method === 'POST' && r.url.endsWith('/packet_capture_sessions')).length).toBe(1);
  });
});

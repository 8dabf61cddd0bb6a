import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock, systemClock, type Clock } from '../common/clock';
import { API_ROUTES, errorReply, type ApiRoute } from './api-routes';
import { ASSUMPTIONS, ERROR_CODES, LOAD_BALANCER_BODIES } from './assumptions';
import { AuthStore, DEFAULT_CREDENTIALS, type Credentials } from './auth-store';
import { handleControl } from './control-routes';
import { FaultController, type FaultSpec } from './faults';
import { BodyTooLargeError, json, matchRoute, parseJsonBody, readBody, writeReply, type Reply } from './http-kit';
import { buildPcap } from './pcap';
import { RateLimiter, type RateLimitState } from './rate-limit';
import { DEMO_SCENARIO_ID, loadDemoWorld, loadScenario } from './scenarios';
import { World } from './world';
import type { WorldSpec } from './world-spec';

export interface SimulatorOptions {
  /** 0 (default): an ephemeral port. */
  readonly port?: number;
  readonly host?: string;
  readonly clock?: Clock;
  /** A scenario id to load at start (see SCENARIOS), or `demo`. */
  readonly scenario?: string;
  readonly world?: WorldSpec;
  readonly rateLimitPerMinute?: number;
  readonly rateLimitWindowMs?: number;
  /** Token lifetime when POST /auth sends none (SORACOM: 86400). */
  readonly tokenTimeoutSec?: number;
  readonly faults?: FaultSpec;
  readonly credentials?: Credentials;
  /**
   * How the simulator lets the time pass that a device kept SORACOM waiting (a silent port makes
   * `sendDownlinkTcp` wait out its `timeout`). Default: a ManualClock is moved on by that much (the test
   * drives time, nothing sleeps); any other clock waits for real.
   */
  readonly deviceWait?: (ms: number) => Promise<void>;
}

export interface RecordedRequest {
  readonly method: string;
  /** Without the query, e.g. `/v1/auth`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** 0 when no answer was sent (hung or dropped). */
  status: number;
  readonly atMs: number;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:PORT, without /v1: the API lives under /v1. */
  readonly baseUrl: string;
  readonly authKeyId: string;
  readonly authKey: string;
  readonly operatorId: string;
  readonly world: World;
  readonly clock: Clock;
  readonly faults: FaultController;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, x-soracom-api-key, x-soracom-token, x-soracom-lang',
  'access-control-expose-headers':
    'x-soracom-next-key, x-soracom-ratelimit-limit, x-soracom-ratelimit-remaining, x-soracom-ratelimit-seconds-before-refresh',
};

function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  const headers: Record<string, string> = {
    'x-soracom-ratelimit-limit': String(state.limit),
    'x-soracom-ratelimit-remaining': String(state.remaining),
    'x-soracom-ratelimit-seconds-before-refresh': String(state.secondsBeforeRefresh),
  };
  if (state.exceeded && ASSUMPTIONS.sendRetryAfterHeader) headers['retry-after'] = String(state.secondsBeforeRefresh);
  return headers;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function spoil(reply: Reply, how: 'malformed-json' | 'wrong-shape'): Reply {
  if (how === 'malformed-json') return { status: reply.status, text: '{"operatorId":"OP00', contentType: 'application/json;charset=UTF-8', headers: reply.headers ?? {} };
  const shape = Array.isArray(reply.json) ? { items: reply.json } : [reply.json ?? null];
  return { status: reply.status === 204 ? 200 : reply.status, json: shape, headers: reply.headers ?? {} };
}

/** Starts the simulator on loopback. See SimulatorOptions; the returned handle closes it. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = options.clock ?? systemClock;
  const world = new World(clock, options.world);
  const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  const auth = new AuthStore(clock, credentials, options.tokenTimeoutSec ?? ASSUMPTIONS.tokenTimeoutDefaultSec);
  const limiter = new RateLimiter(clock, options.rateLimitPerMinute ?? ASSUMPTIONS.rateLimitPerWindow, options.rateLimitWindowMs ?? ASSUMPTIONS.rateLimitWindowMs);
  const faults = new FaultController(options.faults);
  const requests: RecordedRequest[] = [];
  const deviceWait =
    options.deviceWait ??
    ((ms: number): Promise<void> => {
      if (clock instanceof ManualClock) {
        clock.advance(ms);
        return Promise.resolve();
      }
      return sleep(ms);
    });
  // Before listening, so an unknown scenario fails without leaving a server behind.
  if (options.scenario === DEMO_SCENARIO_ID) loadDemoWorld(world, clock);
  else if (options.scenario !== undefined) loadScenario(world, options.scenario);
  const signingKey = randomBytes(32);
  let baseUrl = '';

  const sign = (sessionId: string, expiresMs: number): string =>
    createHmac('sha256', signingKey).update(`${sessionId}:${expiresMs}`).digest('base64url');
  const peekUrl = (sessionId: string): string => {
    const expires = clock.nowMs() + ASSUMPTIONS.peekUrlValidMs;
    return `${baseUrl}/_sim/peek/${encodeURIComponent(sessionId)}.pcap?expires=${expires}&signature=${sign(sessionId, expires)}`;
  };

  const downloadPcap = (sessionId: string, query: URLSearchParams): Reply => {
    const expires = Number(query.get('expires'));
    const given = Buffer.from(query.get('signature') ?? '');
    const expected = Buffer.from(sign(sessionId, expires));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, text: 'AccessDenied: signature does not match' };
    if (!Number.isFinite(expires) || clock.nowMs() > expires) return { status: 403, text: 'AccessDenied: Request has expired' };
    const records = world.capturedTraffic(sessionId);
    if (records === undefined) return { status: 404, text: 'NoSuchKey' };
    return { status: 200, bytes: buildPcap(records), contentType: 'application/vnd.tcpdump.pcap' };
  };

  const handleApi = async (request: IncomingMessage, response: ServerResponse, url: URL, body: unknown, record: RecordedRequest): Promise<void> => {
    const method = request.method ?? 'GET';
    const plan = faults.plan(method, url.pathname);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);

    let matched: { route: ApiRoute; params: Record<string, string> } | undefined;
    for (const route of API_ROUTES) {
      const params = matchRoute(route.pattern, method, url.pathname);
      if (params !== undefined) {
        matched = { route, params };
        break;
      }
    }
    const limitKey =
      matched?.route.operationId === 'auth'
        ? `ip:${request.socket.remoteAddress ?? ''}`
        : `operator:${world.operatorId}:${matched?.route.operationId ?? url.pathname}`;

    const send = (reply: Reply, limit: RateLimitState): void => {
      record.status = reply.status;
      writeReply(response, reply, { ...CORS_HEADERS, ...rateLimitHeaders(limit) });
    };
    const loadBalancerError = (status: number): Reply => ({ status, text: LOAD_BALANCER_BODIES[status] ?? `${status} Error` });

    switch (plan.action) {
      case 'hang':
        return;
      case 'drop':
        request.socket.destroy();
        return;
      case 'error-5xx':
        send(loadBalancerError(plan.status), limiter.take(limitKey));
        return;
      case 'rate-limit':
        send(errorReply(429, 'rateLimited'), limiter.exhausted(limitKey));
        return;
      case 'token-expired':
        send(json(401, ERROR_CODES.tokenExpired), limiter.take(limitKey));
        return;
      default:
        break;
    }
    if (plan.action === 'device-silent' && /\/downlink\/(tcp|http)$/.test(url.pathname)) {
      // sendDownlinkTcp waits its `timeout` (spec default 30 s); sendDownlinkHttp its 10 s.
      const timeoutSec = (body as { timeout?: unknown } | undefined)?.timeout;
      const waitMs = url.pathname.endsWith('/http')
        ? ASSUMPTIONS.httpDownlinkResponseTimeoutMs
        : (typeof timeoutSec === 'number' ? timeoutSec : 30) * 1000;
      await deviceWait(waitMs);
      send(errorReply(422, 'downlinkFailed', ASSUMPTIONS.downlinkMessages.noData), limiter.take(limitKey));
      return;
    }

    const limit = limiter.take(limitKey);
    if (limit.exceeded) return send(errorReply(429, 'rateLimited'), limit);
    if (matched === undefined) return send(errorReply(404, 'notFound', `${method} ${url.pathname}`), limit);
    let apiKey: string | undefined;
    if (!matched.route.public) {
      const check = auth.check(header(request, 'x-soracom-api-key'), header(request, 'x-soracom-token'));
      if (!check.ok) return send(json(401, { code: check.code, message: check.message }), limit);
      apiKey = check.apiKey;
    }
    if (body instanceof InvalidJson) return send(errorReply(400, 'badRequest', 'the body is not valid JSON'), limit);

    const reply = matched.route.handle({ params: matched.params, query: url.searchParams, body, world, clock, auth, apiKey, peekUrl });
    if (reply.delayMs !== undefined && reply.delayMs > 0) await deviceWait(reply.delayMs);
    switch (plan.action) {
      case 'commit-then-drop':
        request.socket.destroy();
        return;
      case 'commit-then-5xx':
        return send(loadBalancerError(plan.status), limit);
      case 'malformed-json':
      case 'wrong-shape':
        return send(spoil(reply, plan.action), limit);
      default:
        return send(reply, limit);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://simulator.invalid');
    const method = request.method ?? 'GET';
    if (method === 'OPTIONS') {
      writeReply(response, { status: 204 }, CORS_HEADERS);
      return;
    }
    const raw = await readBody(request);
    const parsed = parseJsonBody(raw);
    const body: unknown = parsed === undefined ? undefined : 'invalid' in parsed ? new InvalidJson() : parsed.value;

    const peekDownload = /^\/_sim\/peek\/([^/]+)\.pcap$/.exec(url.pathname);
    const isControl = url.pathname.startsWith('/_sim/') && peekDownload === null;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      atMs: clock.nowMs(),
      body: body instanceof InvalidJson ? undefined : body,
    };
    if (!isControl) requests.push(record);

    if (peekDownload !== null) {
      const reply = downloadPcap(decodeURIComponent(peekDownload[1] ?? ''), url.searchParams);
      record.status = reply.status;
      writeReply(response, reply, CORS_HEADERS);
      return;
    }
    if (isControl) {
      const reply =
        body instanceof InvalidJson
          ? json(400, { error: 'the body is not valid JSON' })
          : await handleControl({ method, path: url.pathname, query: url.searchParams, body, world, clock, faults, requests, info: () => info() });
      writeReply(response, reply, CORS_HEADERS);
      return;
    }
    if (!url.pathname.startsWith('/v1/')) {
      record.status = 404;
      writeReply(response, errorReply(404, 'notFound', url.pathname), CORS_HEADERS);
      return;
    }
    await handleApi(request, response, url, body, record);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof BodyTooLargeError ? 413 : 500;
      writeReply(response, json(status, { code: 'SIM0500', message: error instanceof Error ? error.message : String(error) }), CORS_HEADERS);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  const info = () => ({
    baseUrl,
    authKeyId: credentials.authKeyId,
    authKey: credentials.authKey,
    operatorId: world.operatorId,
  });

  return {
    baseUrl,
    authKeyId: credentials.authKeyId,
    authKey: credentials.authKey,
    operatorId: world.operatorId,
    world,
    clock,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hung responses and keep-alive sockets would otherwise hold close() open forever.
        server.closeAllConnections();
      }),
  };
}

/** Marks a body that was sent but is not JSON, so /v1 can answer 400 after auth and rate limiting. */
class InvalidJson {}

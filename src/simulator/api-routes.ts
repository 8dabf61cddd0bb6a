import { z } from 'zod';
import type { Clock } from '../common/clock';
import type { WireApiCallError, WireAuthResponse, WireDownlinkPingResponse, WireSimDownlinkTcpResponse } from '../soracom/wire';
import { ASSUMPTIONS, ERROR_CODES, type ErrorCodeName } from './assumptions';
import type { AuthStore } from './auth-store';
import { empty, json, routePattern, type Reply, type RoutePattern } from './http-kit';
import type { World, WorldError } from './world';
import { auditEntryJson, peekJson, portMappingJson, simJson, subscriberJson } from './wire-format';
import type { AuditEventState, SimState } from './world-spec';

/** The SORACOM API operations the bot uses, served under /v1 with SORACOM's status codes and shapes. */

export interface ApiContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
  readonly world: World;
  readonly clock: Clock;
  readonly auth: AuthStore;
  /** The API key of the caller (authenticated routes only). */
  readonly apiKey: string | undefined;
  /** A fresh signed download link for a finished capture. */
  peekUrl(sessionId: string): string;
}

export interface ApiRoute {
  readonly operationId: string;
  readonly pattern: RoutePattern;
  /** No API key / token needed. */
  readonly public: boolean;
  handle(context: ApiContext): Reply;
}

export const NEXT_KEY_HEADER = 'x-soracom-next-key';

export function errorReply(status: number, name: ErrorCodeName, detail?: string): Reply {
  const base = ERROR_CODES[name];
  return json(status, { code: base.code, message: detail === undefined ? base.message : `${base.message}: ${detail}` });
}

const fromWorldError = (error: WorldError): Reply => json(error.status, { code: error.code, message: error.message });

const badRequest = (detail: string): Reply => errorReply(400, 'badRequest', detail);

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** An integer query parameter; undefined when absent, an error reply when malformed or out of range. */
function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined | Reply {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) return badRequest(`${name} must be an integer in ${min}..${max}, got "${raw}"`);
  return value;
}

const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && 'status' in value;

/** One page of `items` after `lastKey`, with the next-key header when more remain. */
function page<T>(items: readonly T[], keyOf: (item: T) => string, lastKey: string | null, limit: number, body: (page: T[]) => unknown): Reply {
  let start = 0;
  if (lastKey !== null && lastKey !== '') {
    const index = items.findIndex((item) => keyOf(item) === lastKey);
    start = index < 0 ? items.length : index + 1;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  const last = slice[slice.length - 1];
  return json(200, body(slice), more && last !== undefined ? { [NEXT_KEY_HEADER]: keyOf(last) } : undefined);
}

const AuthBody = z.looseObject({
  authKeyId: z.string().optional(),
  authKey: z.string().optional(),
  tokenTimeoutSeconds: z.number().optional(),
});

const SourceBody = z.looseObject({ ipRanges: z.array(z.string()).optional() }).optional();

const CreateMappingBody = z.looseObject({
  destination: z.looseObject({
    imsi: z.string().optional(),
    simId: z.string().optional(),
    service: z.enum(['air', 'arc']).optional(),
    port: z.number(),
  }),
  duration: z.number().optional(),
  tlsRequired: z.boolean().optional(),
  source: SourceBody,
});

const CreateMappingForSimBody = z.looseObject({
  destination: z.looseObject({ service: z.enum(['air', 'arc']).optional(), port: z.number() }),
  duration: z.number().optional(),
  tlsRequired: z.boolean().optional(),
  source: SourceBody,
});

/** spec SimDownlinkBinaryEncoding: "Case insensitive for hex." */
const BinaryEncoding = z.enum(['string', 'base64', 'hex']);

/** spec SimDownlinkTcpRequest: `port` and `payload` required; `timeout` "default value is `30` and the maximum value is `300`". */
const DownlinkTcpBody = z.looseObject({
  port: z.number().int().min(1).max(65_535),
  payload: z.string(),
  payloadEncoding: BinaryEncoding.optional(),
  timeout: z.number().int().min(1).max(300).optional(),
  // spec: `connectionOptions` "default: type: wait_all", one of the five option objects.
  connectionOptions: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('fire_and_forget') }),
      z.looseObject({ type: z.literal('wait_first') }),
      z.looseObject({ type: z.literal('wait_all') }),
      z.looseObject({ type: z.literal('wait_for_pattern'), terminationPattern: z.string(), terminationPatternEncoding: BinaryEncoding.optional() }),
      z.looseObject({ type: z.literal('idle_timeout'), idleTimeout: z.number().int().min(0) }),
    ])
    .optional(),
});

/** spec SimDownlinkHttpRequest: `port` default 80, `ssl` and `skipVerify` default false. */
const DownlinkHttpBody = z.looseObject({
  port: z.number().int().min(1).max(65_535).optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']).optional(),
  path: z.string().optional(),
  ssl: z.boolean().optional(),
  skipVerify: z.boolean().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  host: z.string().optional(),
});

const SPEC_TCP_DEFAULT_TIMEOUT_SEC = 30;

function decodeBinary(text: string, encoding: z.infer<typeof BinaryEncoding> | undefined): Buffer | undefined {
  switch (encoding ?? 'string') {
    case 'string':
      return Buffer.from(text, 'utf8');
    case 'base64':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
    case 'hex':
      return /^([0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  }
}

function encodeBinary(bytes: Buffer, encoding: z.infer<typeof BinaryEncoding>): string {
  return encoding === 'string' ? bytes.toString('utf8') : bytes.toString(encoding);
}

const DownlinkPingBody = z
  .looseObject({
    numberOfPingRequests: z.number().int().min(1).max(5).optional(),
    timeoutSeconds: z.number().int().min(1).max(3).optional(),
  })
  .optional();

const PeekBody = z.looseObject({ duration: z.number(), prefix: z.string().optional() });

function auth(context: ApiContext): Reply {
  const parsed = AuthBody.safeParse(context.body ?? {});
  if (!parsed.success) return badRequest(describeIssues(parsed.error));
  const body = parsed.data;
  if (!context.auth.matches(body.authKeyId, body.authKey)) return errorReply(401, 'authFailed');
  const timeout = body.tokenTimeoutSeconds ?? context.auth.defaultTokenTimeoutSec;
  if (
    body.tokenTimeoutSeconds !== undefined &&
    (!Number.isInteger(timeout) || timeout < ASSUMPTIONS.tokenTimeoutMinSec || timeout > ASSUMPTIONS.tokenTimeoutMaxSec)
  ) {
    return badRequest(`tokenTimeoutSeconds must be ${ASSUMPTIONS.tokenTimeoutMinSec}..${ASSUMPTIONS.tokenTimeoutMaxSec}`);
  }
  const issued = context.auth.issue(timeout);
  return json(200, { apiKey: issued.apiKey, token: issued.token, operatorId: context.world.operatorId } satisfies WireAuthResponse);
}

function generateToken(context: ApiContext): Reply {
  const body = z.looseObject({ tokenTimeoutSeconds: z.number().optional() }).safeParse(context.body ?? {});
  const timeout = body.success ? (body.data.tokenTimeoutSeconds ?? ASSUMPTIONS.tokenTimeoutDefaultSec) : Number.NaN;
  if (context.params['operator_id'] !== context.world.operatorId || !Number.isInteger(timeout) || timeout > ASSUMPTIONS.tokenTimeoutMaxSec) {
    const error = { httpStatus: 400, errorMessage: { ...ERROR_CODES.badRequest } } satisfies WireApiCallError;
    return json(400, error);
  }
  const token = context.apiKey === undefined ? undefined : context.auth.reissue(context.apiKey, timeout);
  if (token === undefined) return errorReply(401, 'tokenInvalid');
  return json(200, { token });
}

function createMapping(context: ApiContext, simIdFromPath: string | undefined): Reply {
  if (simIdFromPath === undefined) {
    const parsed = CreateMappingBody.safeParse(context.body);
    if (!parsed.success) return errorReply(400, 'portMappingInvalid', describeIssues(parsed.error));
    const { destination } = parsed.data;
    if (destination.simId === undefined && destination.imsi === undefined) {
      return errorReply(400, 'portMappingInvalid', 'destination needs imsi or simId');
    }
    // The spec: with simId, imsi is ignored.
    const target = destination.simId !== undefined ? { simId: destination.simId, service: destination.service } : { imsi: destination.imsi ?? '' };
    const created = context.world.createMapping({
      target,
      devicePort: destination.port,
      durationSec: parsed.data.duration,
      tlsRequired: parsed.data.tlsRequired,
      sourceIpRanges: parsed.data.source?.ipRanges,
    });
    return created.ok ? json(201, portMappingJson(created.value, context.world)) : fromWorldError(created.error);
  }
  const parsed = CreateMappingForSimBody.safeParse(context.body);
  if (!parsed.success) return errorReply(400, 'portMappingInvalid', describeIssues(parsed.error));
  const created = context.world.createMapping({
    target: { simId: simIdFromPath, service: parsed.data.destination.service },
    devicePort: parsed.data.destination.port,
    durationSec: parsed.data.duration,
    tlsRequired: parsed.data.tlsRequired,
    sourceIpRanges: parsed.data.source?.ipRanges,
  });
  return created.ok ? json(201, portMappingJson(created.value, context.world)) : fromWorldError(created.error);
}

function listPortMappings(context: ApiContext): Reply {
  const limit = intParam(context.query, 'limit', 1, 1_000_000);
  if (isReply(limit)) return limit;
  return page(
    context.world.listMappings(),
    (mapping) => `${mapping.ipAddress}:${mapping.port}`,
    context.query.get('last_evaluated_key'),
    limit ?? ASSUMPTIONS.portMappingDefaultPageSize,
    (items) => items.map((mapping) => portMappingJson(mapping, context.world)),
  );
}

function listMappingsFiltered(context: ApiContext, filter: { simId?: string; imsiPrioritizedFor?: string }): Reply {
  const mappings = context.world.listMappings(filter);
  if (mappings.length === 0) return errorReply(404, 'portMappingNotFound');
  return json(
    200,
    mappings.map((mapping) => portMappingJson(mapping, context.world)),
  );
}

function deletePortMapping(context: ApiContext): Reply {
  const port = Number(context.params['port']);
  const deleted = Number.isInteger(port) && context.world.deleteMapping(context.params['ip_address'] ?? '', port);
  return deleted ? empty(204) : errorReply(404, 'portMappingNotFound');
}

const auditKey = (event: AuditEventState): string => `${event.createdAt}-${event.seq}`;

function getNapterAuditLogs(context: ApiContext): Reply {
  const { query, world } = context;
  const resourceType = query.get('resource_type');
  if (resourceType !== null && resourceType !== 'Subscriber') return badRequest('resource_type must be Subscriber');
  const from = intParam(query, 'from', 0, Number.MAX_SAFE_INTEGER);
  if (isReply(from)) return from;
  const to = intParam(query, 'to', 0, Number.MAX_SAFE_INTEGER);
  if (isReply(to)) return to;
  const limit = intParam(query, 'limit', 1, 1000);
  if (isReply(limit)) return limit;
  // No resource_id: the whole operator's log (ASSUMPTIONS.auditLogWithoutResourceIdIsOperatorWide).
  const imsi = query.get('resource_id') ?? undefined;
  const events = world.auditEvents({ imsi: imsi === '' ? undefined : imsi, fromMs: from, toMs: to });
  const lastKey = query.get('last_evaluated_key');
  let start = 0;
  if (lastKey !== null && lastKey !== '') {
    const [timePart, seqPart] = lastKey.split('-');
    const lastTime = Number(timePart);
    const lastSeq = seqPart === undefined ? Number.NEGATIVE_INFINITY : Number(seqPart);
    if (!Number.isFinite(lastTime)) return badRequest('last_evaluated_key is not a key this API returned');
    // Newest first: continue with the first entry strictly older than the key.
    start = events.findIndex((event) => event.createdAt < lastTime || (event.createdAt === lastTime && event.seq < lastSeq));
    if (start < 0) start = events.length;
  }
  const size = Math.min(limit ?? ASSUMPTIONS.auditLogDefaultPageSize, ASSUMPTIONS.auditLogMaxPageSize);
  const slice = events.slice(start, start + size);
  const last = slice[slice.length - 1];
  const more = start + size < events.length;
  return json(
    200,
    slice.map((event) => auditEntryJson(event, world.operatorId)),
    more && last !== undefined ? { [NEXT_KEY_HEADER]: auditKey(last) } : undefined,
  );
}

function simById(context: ApiContext): SimState | undefined {
  const simId = context.params['sim_id'] ?? '';
  return context.world.state.sims.find((sim) => sim.simId === simId);
}

function getSim(context: ApiContext): Reply {
  const sim = simById(context);
  return sim === undefined ? errorReply(404, 'simNotFound') : json(200, simJson(sim, context.world));
}

function getSubscriber(context: ApiContext): Reply {
  const imsi = context.params['imsi'] ?? '';
  const sim = context.world.state.sims.find((candidate) => context.world.imsisOf(candidate).includes(imsi));
  return sim === undefined ? errorReply(404, 'subscriberNotFound') : json(200, subscriberJson(sim, imsi, context.world));
}

const SEARCH_FIELDS: Readonly<Record<string, (sim: SimState, world: World) => string[]>> = {
  name: (sim) => [sim.tags['name'] ?? ''],
  sim_id: (sim) => [sim.simId],
  imsi: (sim, world) => world.imsisOf(sim),
  msisdn: (sim) => [sim.msisdn],
  iccid: (sim) => [sim.iccid],
  group_id: (sim) => [sim.groupId ?? ''],
  tag: (sim) => Object.values(sim.tags),
  status: (sim) => [sim.status],
  subscription: (sim) => [sim.subscription],
};

function searchSims(context: ApiContext): Reply {
  const { query, world } = context;
  const limit = intParam(query, 'limit', 1, ASSUMPTIONS.searchSimsMaxLimit);
  if (isReply(limit)) return limit;
  const searchType = (query.get('search_type') ?? 'and').toLowerCase();
  if (searchType !== 'and' && searchType !== 'or') return badRequest('search_type must be and or or');
  // spec searchSims: "Each search value must be at least 2 characters long", and values split at commas
  // are "treated as multiple search values, each of which will be evaluated based on the specified AND or OR condition".
  const conditions: ((sim: SimState) => boolean)[] = [];
  for (const [name, fieldsOf] of Object.entries(SEARCH_FIELDS)) {
    const values = query
      .getAll(name)
      .flatMap((raw) => raw.split(','))
      .map((value) => value.trim().toLowerCase());
    if (values.length === 0 || (values.length === 1 && values[0] === '')) continue;
    if (values.some((value) => value.length < 2)) return badRequest(`each ${name} value must be at least 2 characters`);
    // "Supports partial matching. Case-insensitive."
    for (const value of values) conditions.push((sim) => fieldsOf(sim, world).some((field) => field.toLowerCase().includes(value)));
  }
  const sessionStatus = (query.get('session_status') ?? 'NA').toUpperCase();
  if (sessionStatus === 'ONLINE') conditions.push((sim) => sim.online);
  else if (sessionStatus === 'OFFLINE') conditions.push((sim) => !sim.online);
  else if (sessionStatus !== 'NA') return badRequest('session_status must be NA, ONLINE or OFFLINE');
  const matches = world.state.sims
    .filter((sim) => conditions.length === 0 || (searchType === 'and' ? conditions.every((c) => c(sim)) : conditions.some((c) => c(sim))))
    .sort((a, b) => a.simId.localeCompare(b.simId));
  return page(matches, (sim) => sim.simId, query.get('last_evaluated_key'), limit ?? ASSUMPTIONS.searchSimsDefaultLimit, (items) =>
    items.map((sim) => simJson(sim, world)),
  );
}

function downlinkTcp(context: ApiContext): Reply {
  const sim = simById(context);
  if (sim === undefined) return errorReply(404, 'simNotFound');
  const parsed = DownlinkTcpBody.safeParse(context.body);
  if (!parsed.success) return badRequest(describeIssues(parsed.error));
  const body = parsed.data;
  const payload = decodeBinary(body.payload, body.payloadEncoding);
  if (payload === undefined) return badRequest(`payload is not valid ${body.payloadEncoding ?? 'string'}`);
  const options = body.connectionOptions ?? { type: 'wait_all' as const };
  let terminationPattern: Buffer | undefined;
  if (options.type === 'wait_for_pattern') {
    // spec: terminationPatternEncoding "The default is `base64`."
    terminationPattern = decodeBinary(options.terminationPattern, options.terminationPatternEncoding ?? 'base64');
    if (terminationPattern === undefined) return badRequest('terminationPattern does not match its encoding');
  }
  const outcome = context.world.downlinkTcp(sim.simId, {
    port: body.port,
    payload,
    mode: options.type,
    timeoutMs: (body.timeout ?? SPEC_TCP_DEFAULT_TIMEOUT_SEC) * 1000,
    terminationPattern,
    idleTimeoutMs: options.type === 'idle_timeout' ? options.idleTimeout * 1000 : undefined,
  });
  const reply = outcome.ok
    ? json(200, { data: encodeBinary(outcome.value, body.payloadEncoding ?? 'string'), dataEncoding: body.payloadEncoding ?? 'string' } satisfies WireSimDownlinkTcpResponse)
    : json(422, { code: ERROR_CODES.downlinkFailed.code, message: outcome.message });
  return { ...reply, delayMs: outcome.elapsedMs };
}

function downlinkHttp(context: ApiContext): Reply {
  const sim = simById(context);
  if (sim === undefined) return errorReply(404, 'simNotFound');
  const parsed = DownlinkHttpBody.safeParse(context.body);
  if (!parsed.success) return badRequest(describeIssues(parsed.error));
  const body = parsed.data;
  const outcome = context.world.downlinkHttp(sim.simId, {
    port: body.port ?? 80,
    method: body.method ?? 'GET',
    path: body.path ?? '/',
    ssl: body.ssl ?? false,
    skipVerify: body.skipVerify ?? false,
  });
  const reply = outcome.ok
    ? json(200, { statusCode: outcome.value.statusCode, headers: {}, body: outcome.value.body, isBase64Encoded: false })
    : json(422, { code: ERROR_CODES.downlinkFailed.code, message: outcome.message });
  return { ...reply, delayMs: outcome.elapsedMs };
}

function downlinkPing(context: ApiContext): Reply {
  const sim = simById(context);
  if (sim === undefined) return errorReply(404, 'simNotFound');
  const parsed = DownlinkPingBody.safeParse(context.body);
  if (!parsed.success) return badRequest(describeIssues(parsed.error));
  const count = parsed.data?.numberOfPingRequests ?? 1;
  const outcome = context.world.ping(sim.simId, count);
  const loss = Math.round(((outcome.transmitted - outcome.received) / outcome.transmitted) * 100);
  const rtt = outcome.rttMs === undefined ? '' : `rtt min/avg/max/mdev = ${[outcome.rttMs, outcome.rttMs, outcome.rttMs].map((v) => v.toFixed(3)).join('/')}/0.000 ms`;
  return json(200, {
    success: outcome.success,
    rtt,
    stat: `${outcome.transmitted} packets transmitted, ${outcome.received} received, ${loss}% packet loss`,
  } satisfies WireDownlinkPingResponse);
}

function peekReply(context: ApiContext, view: Parameters<typeof peekJson>[0]): unknown {
  return peekJson(view, context.world.state.options.peekTimeFormat, view.status === 'DONE' ? context.peekUrl(view.session.sessionId) : undefined);
}

function createPeek(context: ApiContext): Reply {
  const parsed = PeekBody.safeParse(context.body);
  if (simById(context) === undefined) return errorReply(404, 'simNotFound');
  if (!parsed.success) return errorReply(400, 'peekInvalid', describeIssues(parsed.error));
  const created = context.world.createPeek(context.params['sim_id'] ?? '', parsed.data.duration, parsed.data.prefix);
  return created.ok ? json(200, peekReply(context, created.value)) : fromWorldError(created.error);
}

function listPeeks(context: ApiContext): Reply {
  const sim = simById(context);
  if (sim === undefined) return errorReply(404, 'simNotFound');
  const limit = intParam(context.query, 'limit', 1, 1000);
  if (isReply(limit)) return limit;
  return page(
    context.world.listPeeks(sim.simId),
    (view) => view.session.sessionId,
    context.query.get('last_evaluated_key'),
    limit ?? ASSUMPTIONS.peekListDefaultLimit,
    (items) => items.map((view) => peekReply(context, view)),
  );
}

function getPeek(context: ApiContext): Reply {
  const view = context.world.getPeek(context.params['sim_id'] ?? '', context.params['session_id'] ?? '');
  return view === undefined ? errorReply(404, 'peekNotFound') : json(200, peekReply(context, view));
}

function stopPeek(context: ApiContext): Reply {
  const stopped = context.world.stopPeek(context.params['sim_id'] ?? '', context.params['session_id'] ?? '');
  return stopped.ok ? json(200, peekReply(context, stopped.value)) : fromWorldError(stopped.error);
}

function deletePeek(context: ApiContext): Reply {
  const deleted = context.world.deletePeek(context.params['sim_id'] ?? '', context.params['session_id'] ?? '');
  return deleted.ok ? json(200, peekReply(context, deleted.value)) : fromWorldError(deleted.error);
}

const route = (method: string, template: string, operationId: string, handle: (context: ApiContext) => Reply, isPublic = false): ApiRoute => ({
  operationId,
  pattern: routePattern(method, `/v1${template}`),
  public: isPublic,
  handle,
});

export const API_ROUTES: readonly ApiRoute[] = [
  route('POST', '/auth', 'auth', auth, true),
  route(
    'POST',
    '/auth/logout',
    'logout',
    (context) => {
      if (context.apiKey !== undefined) context.auth.revoke(context.apiKey);
      return empty(204);
    },
  ),
  route('POST', '/operators/{operator_id}/token', 'generateAuthToken', generateToken),
  route('GET', '/port_mappings', 'listPortMappings', listPortMappings),
  route('POST', '/port_mappings', 'createPortMapping', (context) => createMapping(context, undefined)),
  route('GET', '/port_mappings/sims/{sim_id}', 'listPortMappingsForSim', (context) =>
    listMappingsFiltered(context, { simId: context.params['sim_id'] ?? '' }),
  ),
  route('POST', '/port_mappings/sims/{sim_id}', 'createPortMappingForSim', (context) => createMapping(context, context.params['sim_id'] ?? '')),
  route('GET', '/port_mappings/subscribers/{imsi}', 'listPortMappingsForSubscriber', (context) =>
    listMappingsFiltered(context, { imsiPrioritizedFor: context.params['imsi'] ?? '' }),
  ),
  route('DELETE', '/port_mappings/{ip_address}/{port}', 'deletePortMapping', deletePortMapping),
  route('GET', '/audit_logs/napter', 'getNapterAuditLogs', getNapterAuditLogs),
  route('GET', '/sims/{sim_id}', 'getSim', getSim),
  route('GET', '/subscribers/{imsi}', 'getSubscriber', getSubscriber),
  route('GET', '/query/sims', 'searchSims', searchSims),
  route('POST', '/sims/{sim_id}/downlink/tcp', 'sendDownlinkTcp', downlinkTcp),
  route('POST', '/sims/{sim_id}/downlink/http', 'sendDownlinkHttp', downlinkHttp),
  route('POST', '/sims/{sim_id}/downlink/ping', 'sendDownlinkPing', downlinkPing),
  route('POST', '/sims/{sim_id}/packet_capture_sessions', 'createSimPacketCaptureSession', createPeek),
  route('GET', '/sims/{sim_id}/packet_capture_sessions', 'listSimPacketCaptureSessions', listPeeks),
  route('GET', '/sims/{sim_id}/packet_capture_sessions/{session_id}', 'getSimPacketCaptureSession', getPeek),
  route('DELETE', '/sims/{sim_id}/packet_capture_sessions/{session_id}', 'deleteSimPacketCaptureSession', deletePeek),
  route('POST', '/sims/{sim_id}/packet_capture_sessions/{session_id}/stop', 'stopSimPacketCaptureSession', stopPeek),
];

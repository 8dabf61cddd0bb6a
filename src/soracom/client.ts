import { z } from 'zod';
import type {
  AuditLogQuery,
  AuditLogRead,
  CreatePortMappingRequest,
  MappingTarget,
  NapterApi,
  OperatorAuditLogQuery,
  OperatorAuditLogRead,
  OperatorAuditLogReader,
  ProbeRequest,
  RateLimitState,
  SimSearchOptions,
} from '../domain/napter-api';
import { classifyDownlinkFailure, HTTP_DOWNLINK_RESPONSE_TIMEOUT_MS, probePlanFor } from '../domain/probe';
import { hostCidr } from '../domain/net/index';
import {
  MAX_MAPPING_DURATION_SEC,
  MIN_PEEK_DURATION_SEC,
  type AuditEvent,
  type PeekSession,
  type PortMapping,
  type ProbeResult,
  type SimSnapshot,
} from '../domain/soracom';
import { systemClock, type Clock } from '../common/clock';
import { TokenKeeper } from './auth';
import {
  MappingDurationError,
  type SoracomError,
  SoracomNetworkError,
  SoracomOutcomeUnknownError,
  SoracomRateLimitedError,
  SoracomResponseShapeError,
  SoracomTimeoutError,
  SoracomValidationError,
  parseErrorBody,
  redactSecrets,
} from './errors';
import { SoracomHttp, rateLimitStateOf, silentLogger, type HttpStats, type RawResponse, type RequestSpec, type SoracomCall, type SoracomLogger } from './http';
import { LAST_EVALUATED_KEY_PARAM, nextPageKey } from './paginate';
import { parseRttMs, toAuditEvent, toPeekSession, toPortMapping, toSimSnapshotFromSim, toSimSnapshotFromSubscriber } from './to-domain';
import {
  WireAuthResponse,
  WireDownlinkPingResponse,
  WirePacketCaptureSession,
  WirePacketCaptureSessionList,
  WirePortMapping,
  WirePortMappingList,
  WireSim,
  WireNapterAuditLogEntry,
  WireSimDownlinkHttpResponse,
  WireSimDownlinkTcpResponse,
  WireSimList,
  WireSubscriber,
  type WireAuthRequest,
  type WireCreatePortMappingForSimRequest,
  type WireCreatePortMappingRequest,
  type WireDownlinkPingRequest,
  type WirePacketCaptureSessionRequest,
  type WireSimDownlinkHttpRequest,
  type WireSimDownlinkTcpRequest,
} from './wire';

export { endpointForCoverage } from './endpoint';
export type { SoracomLogger } from './http';

export interface SoracomClientOptions {
  /** Base URL without `/v1`, e.g. https://api.soracom.io or http://127.0.0.1:PORT. */
  readonly endpoint: string;
  readonly authKeyId: string;
  readonly authKey: string;
  /** Per HTTP attempt. Default 10 000. */
  readonly timeoutMs?: number;
  readonly retry?: {
    readonly maxRetries?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly maxRateLimitWaitMs?: number;
  };
  /** Token lifetime asked of `/auth` (180…172800). Default 86 400. */
  readonly tokenTimeoutSec?: number;
  /**
   * How far SORACOM's clock may be behind ours when a lost create is looked for in the listing: a
   * mapping created up to this long before the request started still counts as ours. Default 30 000.
   */
  readonly serverClockToleranceMs?: number;
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: SoracomLogger;
  /** Language of SORACOM's error messages (`X-Soracom-Lang`). */
  readonly lang?: 'en' | 'ja';
  /** Told of every HTTP attempt (operation, status, duration): where metrics hook in. */
  readonly onCall?: (call: SoracomCall) => void;
}

export interface SoracomClientStats extends HttpStats {
  /** `/auth` calls started (concurrent callers share one). */
  readonly authentications: number;
}

export interface SoracomClient extends NapterApi, OperatorAuditLogReader {
  stats(): SoracomClientStats;
  /** Authenticates now, at start, so that the first request does not pay for `/auth`; callers share it. */
  signIn(): Promise<void>;
  /** Forgets the cached token (the next call authenticates again). */
  forgetToken(): void;
  /**
   * Whether SORACOM is usable, from what the client already knows: a token in hand, or the last sign-in worked.
   * It never calls SORACOM itself, except that after a failed sign-in it starts another at most every
   * `retryAfterMs` (default 30 s) in the background, so that readiness comes back without waiting for a command.
   */
  tokenReadiness(retryAfterMs?: number): { readonly ready: boolean; readonly lastSignIn: 'none' | 'ok' | 'failed' };
  /** Closes kept-alive connections. */
  close(): void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 5_000, maxRateLimitWaitMs: 30_000 };
const DEFAULT_TOKEN_TIMEOUT_SEC = 86_400;
const DEFAULT_SERVER_CLOCK_TOLERANCE_MS = 30_000;
const AUDIT_LOG_PAGE_LIMIT = 1000;
const SIM_SEARCH_PAGE_LIMIT = 100;
/** A runaway pager (a server repeating its next key) stops here instead of looping forever. */
const MAX_PAGES = 1000;
const MAX_PEEK_DURATION_SEC = 86_400;
const PEEK_PREFIX_PATTERN = /^[0-9A-Za-z_-]{0,100}$/;
const PROBE_TIMEOUT_RANGE_SEC = { min: 1, max: 300 } as const;
/** Extra time over the device-facing timeout for SORACOM itself to answer. */
const DEVICE_CALL_MARGIN_MS = 5_000;
const PING_REQUEST: WireDownlinkPingRequest = { numberOfPingRequests: 3, timeoutSeconds: 1 };
/** An audit log page as a list of entries, each read on its own. */
const AUDIT_LOG_PAGE = z.array(z.unknown());
const PEEK_ACTIVE_STATUSES: readonly string[] = ['REQUESTED', 'ACCEPTED', 'CAPTURING'];
/** Unix ms before this are almost surely seconds by mistake (it is 1973-03-03). */
const EARLIEST_PLAUSIBLE_MS = 1e11;

export function createSoracomClient(options: SoracomClientOptions): SoracomClient {
  return new SoracomApiClient(options);
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const segment = (value: string): string => encodeURIComponent(value);

class SoracomApiClient implements SoracomClient {
  private readonly http: SoracomHttp;
  private readonly tokens: TokenKeeper;
  private readonly clock: Clock;
  private readonly logger: SoracomLogger;
  private readonly timeoutMs: number;
  private readonly serverClockToleranceMs: number;

  constructor(private readonly options: SoracomClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.serverClockToleranceMs = options.serverClockToleranceMs ?? DEFAULT_SERVER_CLOCK_TOLERANCE_MS;
    const tokenTimeoutSec = options.tokenTimeoutSec ?? DEFAULT_TOKEN_TIMEOUT_SEC;
    this.http = new SoracomHttp(
      options.endpoint,
      this.timeoutMs,
      { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}) },
      options.sleep ?? sleepFor,
      this.logger,
      options.lang,
      [options.authKey],
      options.onCall,
    );
    this.tokens = new TokenKeeper(() => this.authenticate(tokenTimeoutSec), this.clock, tokenTimeoutSec);
    this.http.attachTokenKeeper(this.tokens);
  }

  stats(): SoracomClientStats {
    return { ...this.http.stats(), authentications: this.tokens.authentications };
  }

  async signIn(): Promise<void> {
    await this.tokens.credentials();
  }

  forgetToken(): void {
    this.tokens.forget();
  }

  tokenReadiness(retryAfterMs = 30_000): { readonly ready: boolean; readonly lastSignIn: 'none' | 'ok' | 'failed' } {
    const { outcome, atMs } = this.tokens.lastAuthentication;
    const held = this.tokens.peek();
    if (outcome === 'failed' && this.clock.nowMs() - atMs >= retryAfterMs) this.signIn().catch(() => undefined);
    return { ready: (held !== undefined && this.clock.nowMs() < held.refreshAtMs) || outcome === 'ok', lastSignIn: outcome };
  }

  close(): void {
    this.http.close();
  }

  // ── Port mappings ────────────────────────────────────────────────────────────────────────────────

  async createPortMapping(request: CreatePortMappingRequest): Promise<PortMapping> {
    const spec = this.createMappingSpec(request);
    const requestStartedAtMs = this.clock.nowMs();
    const outcome = await this.sendCreate(spec);
    let lost: SoracomError;
    if (outcome.kind === 'answered') {
      if (outcome.response.status !== 201 && outcome.response.status !== 200) throw this.http.httpError(spec, outcome.response);
      try {
        return toPortMapping(this.http.parse(spec, outcome.response, WirePortMapping), this.clock.nowMs());
      } catch (error) {
        // A 2xx says SORACOM made it, but not which one: as good as a lost answer, so the listing decides.
        if (!(error instanceof SoracomResponseShapeError)) throw error;
        this.logger.warn('SORACOM mapping create answered with an unreadable body; looking for the mapping it made', { path: spec.path });
        lost = error;
      }
    } else {
      lost = outcome.error;
    }
    let existing: PortMapping[];
    try {
      existing = await this.listForTarget(request.target);
    } catch (listingError) {
      this.logger.error('SORACOM mapping create lost its answer and the listing failed', {
        path: spec.path,
        listingError: listingError instanceof Error ? listingError.message : String(listingError),
      });
      throw new SoracomOutcomeUnknownError(spec.method, spec.path, lost);
    }
    const made = findCreatedMapping(existing, request, requestStartedAtMs - this.serverClockToleranceMs);
    if (made !== undefined) {
      this.logger.info('SORACOM mapping create lost its answer; found the mapping it made', { path: spec.path });
      return made;
    }
    // An empty listing does not prove the create failed: SORACOM may still be working on it and commit it a
    // moment later, so a second create could make a second mapping. The caller lists again before retrying.
    this.logger.warn('SORACOM mapping create lost its answer and the listing does not show it (yet)', { path: spec.path });
    throw new SoracomOutcomeUnknownError(spec.method, spec.path, lost);
  }

  async listPortMappingsForSim(simId: string): Promise<PortMapping[]> {
    return this.listMappingsOrNone(`/port_mappings/sims/${segment(simId)}`);
  }

  async listPortMappingsForSubscriber(imsi: string): Promise<PortMapping[]> {
    return this.listMappingsOrNone(`/port_mappings/subscribers/${segment(imsi)}`);
  }

  async listPortMappings(): Promise<PortMapping[]> {
    const wire = await this.getAllPages({ path: '/port_mappings' }, WirePortMappingList);
    const nowMs = this.clock.nowMs();
    return wire.map((mapping) => toPortMapping(mapping, nowMs));
  }

  async deletePortMapping(ipAddress: string, port: number): Promise<boolean> {
    const spec: RequestSpec = {
      method: 'DELETE',
      path: `/port_mappings/${segment(ipAddress)}/${segment(String(port))}`,
      authenticated: true,
      retry: 'idempotent',
    };
    const response = await this.http.send(spec);
    if (response.status === 204 || response.status === 200) return true;
    if (response.status === 404) return false;
    throw this.http.httpError(spec, response);
  }

  // ── Audit log ───────────────────────────────────────────────────────────────────────────────────

  async getNapterAuditLogs(query: AuditLogQuery): Promise<AuditLogRead> {
    const path = '/audit_logs/napter';
    assertAuditWindow(path, query);
    const wire = await this.getAllPages(
      {
        path,
        query: { resource_type: 'Subscriber', resource_id: query.imsi, from: query.fromMs, to: query.toMs, limit: AUDIT_LOG_PAGE_LIMIT },
      },
      AUDIT_LOG_PAGE,
    );
    const read = readAuditEntries(wire, query.imsi);
    if (read.malformed > 0) this.logger.warn('dropped unreadable Napter audit log entries', { path, imsi: query.imsi, malformed: read.malformed });
    return read;
  }

  /**
   * One read of the whole operator's log serves every watch: the spec makes `resource_type`/`resource_id`
   * optional (getNapterAuditLogs), and `resource_id` takes a single IMSI, so reading per IMSI would cost one
   * call (or more) per watched SIM per interval and grow with the watches. Read whole, the calls per interval
   * are the pages of the window (1000 entries each), which grow with the operator's Napter traffic only;
   * routing by IMSI is then the pure core's job. The cost: entries of SIMs nobody watches are read too.
   */
  async readOperatorAuditLog(query: OperatorAuditLogQuery): Promise<OperatorAuditLogRead> {
    const path = '/audit_logs/napter';
    assertAuditWindow(path, query);
    let pages = 0;
    let rateLimit: RateLimitState = NO_RATE_LIMIT_HEADERS;
    let wire: unknown[];
    try {
      wire = await this.getAllPages(
        {
          path,
          query: { from: query.fromMs, to: query.toMs, limit: AUDIT_LOG_PAGE_LIMIT },
          onRateLimit: 'fail',
          onResponse: (response) => {
            pages += 1;
            rateLimit = rateLimitStateOf(response.headers);
          },
        },
        AUDIT_LOG_PAGE,
      );
    } catch (error) {
      if (!(error instanceof SoracomRateLimitedError)) throw error;
      const refusal = error.rateLimit ?? NO_RATE_LIMIT_HEADERS;
      this.logger.warn('SORACOM rate limit reached on the operator audit log read', { path, pages, waitMs: error.waitMs });
      return {
        kind: 'rate-limited',
        pages: pages + 1,
        rateLimit: { ...refusal, secondsBeforeRefresh: refusal.secondsBeforeRefresh ?? Math.ceil(error.waitMs / 1000) },
      };
    }
    const read = readAuditEntries(wire, undefined);
    if (read.malformed > 0) this.logger.warn('dropped unreadable Napter audit log entries', { path, malformed: read.malformed });
    return { kind: 'read', events: read.events, malformed: read.malformed, pages, rateLimit };
  }

  // ── SIMs ────────────────────────────────────────────────────────────────────────────────────────

  async getSim(simId: string): Promise<SimSnapshot | undefined> {
    const wire = await this.getOrUndefined(`/sims/${segment(simId)}`, WireSim);
    return wire === undefined ? undefined : toSimSnapshotFromSim(wire);
  }

  async getSubscriber(imsi: string): Promise<SimSnapshot | undefined> {
    const wire = await this.getOrUndefined(`/subscribers/${segment(imsi)}`, WireSubscriber);
    return wire === undefined ? undefined : toSimSnapshotFromSubscriber(wire);
  }

  async searchSimsByName(name: string | readonly string[], options: SimSearchOptions = {}): Promise<SimSnapshot[]> {
    const path = '/query/sims';
    const values = typeof name === 'string' ? [name] : [...name];
    // spec searchSims: "Each search value must be at least 2 characters long" and "the literal character `,`
    // itself cannot be used as part of a search value".
    for (const value of values) {
      if (value.length < 2 || value.includes(',')) {
        throw new SoracomValidationError('GET', path, 'name', `each name must have at least 2 characters and no comma (got "${value}")`);
      }
    }
    const query = { name: values.join(','), limit: SIM_SEARCH_PAGE_LIMIT, ...(values.length > 1 ? { search_type: 'or' } : {}) };
    const found: SimSnapshot[] = [];
    await this.getAllPages(
      { path, query },
      WireSimList,
      (page) => {
        found.push(...page.map(toSimSnapshotFromSim));
        return options.stopWhen?.(found) === true;
      },
      options.maxPages,
    );
    return found;
  }

  // ── Device-facing checks ─────────────────────────────────────────────────────────────────────────

  /**
   * SORACOM speaks to the device port the way its service expects (see `probePlanFor`), and the answer is
   * read in one place (`classifyDownlinkFailure`): a 200 is an answer; a 422 is a refusal or a silence,
   * told apart by how long SORACOM took; SORACOM's own message goes into the result as evidence. A request
   * that SORACOM does not answer within the device wait plus a margin is a silence too.
   */
  async probeDevice(simId: string, request: ProbeRequest): Promise<ProbeResult> {
    const plan = probePlanFor(request.protocol);
    const port = request.port;
    const path = `/sims/${segment(simId)}/downlink/${plan.api}`;
    assertPort('POST', path, 'port', port);
    const timeout = Math.min(PROBE_TIMEOUT_RANGE_SEC.max, Math.max(PROBE_TIMEOUT_RANGE_SEC.min, Math.ceil(request.timeoutSec)));
    const waitMs = plan.api === 'tcp' ? timeout * 1000 : HTTP_DOWNLINK_RESPONSE_TIMEOUT_MS;
    const body: WireSimDownlinkTcpRequest | WireSimDownlinkHttpRequest =
      plan.api === 'tcp'
        ? { port, payload: plan.payload, payloadEncoding: plan.payloadEncoding, timeout, connectionOptions: { type: 'wait_first' } }
        : { port, method: plan.httpMethod, path: plan.path, ssl: plan.ssl, skipVerify: true };
    const spec: RequestSpec = {
      method: 'POST',
      path,
      body,
      authenticated: true,
      retry: 'no-timeout',
      // SORACOM holds the answer for as long as the device keeps it waiting; the usual allowance comes on top.
      timeoutMs: waitMs + this.timeoutMs,
    };
    const expectsAnswer = plan.api === 'http' || plan.expectsAnswer;
    const startedAtMs = this.clock.nowMs();
    let response: RawResponse;
    try {
      response = await this.http.send(spec);
    } catch (error) {
      if (!(error instanceof SoracomTimeoutError)) throw error;
      const atMs = this.clock.nowMs();
      this.logger.warn('device probe: SORACOM did not answer in time', { path, port });
      return { kind: 'no-answer', port, method: plan.method, atMs, message: error.message, elapsedMs: atMs - startedAtMs, conclusive: expectsAnswer };
    }
    const atMs = this.clock.nowMs();
    const elapsedMs = atMs - startedAtMs;
    if (response.status === 200) {
      if (plan.api === 'http') {
        const answer = this.http.parse(spec, response, WireSimDownlinkHttpResponse);
        return { kind: 'answered', port, method: plan.method, atMs, httpStatus: answer.statusCode };
      }
      this.http.parse(spec, response, WireSimDownlinkTcpResponse);
      return { kind: 'answered', port, method: plan.method, atMs };
    }
    if (response.status === 422) {
      const parsed = parseErrorBody(response.body, response.contentType);
      const message = redactSecrets(
        [parsed.code, parsed.message].filter((part) => part !== undefined && part !== '').join(': '),
        this.http.secrets(this.tokens.peek()),
      );
      const shown = message === '' ? 'HTTP 422' : message;
      const reading = classifyDownlinkFailure({ elapsedMs, waitMs, message: shown });
      this.logger.info('device probe failed', { path, port, reading, elapsedMs, message: shown });
      return reading === 'refused'
        ? { kind: 'refused', port, method: plan.method, atMs, message: shown, elapsedMs }
        : { kind: 'no-answer', port, method: plan.method, atMs, message: shown, elapsedMs, conclusive: expectsAnswer };
    }
    throw this.http.httpError(spec, response);
  }

  async pingDevice(simId: string): Promise<{ readonly success: boolean; readonly rttMs: number | undefined }> {
    const spec: RequestSpec = {
      method: 'POST',
      path: `/sims/${segment(simId)}/downlink/ping`,
      body: PING_REQUEST,
      authenticated: true,
      retry: 'no-timeout',
      timeoutMs: (PING_REQUEST.numberOfPingRequests ?? 1) * (PING_REQUEST.timeoutSeconds ?? 1) * 1000 + Math.max(DEVICE_CALL_MARGIN_MS, this.timeoutMs),
    };
    const response = await this.http.send(spec);
    if (response.status !== 200) throw this.http.httpError(spec, response);
    const wire = this.http.parse(spec, response, WireDownlinkPingResponse);
    return { success: wire.success, rttMs: wire.success ? parseRttMs(wire.rtt) : undefined };
  }

  // ── Peek ────────────────────────────────────────────────────────────────────────────────────────

  async createPeekSession(simId: string, durationSec: number, prefix?: string): Promise<PeekSession> {
    const path = `/sims/${segment(simId)}/packet_capture_sessions`;
    if (!Number.isFinite(durationSec) || durationSec > MAX_PEEK_DURATION_SEC) {
      throw new SoracomValidationError('POST', path, 'durationSec', `must be at most ${MAX_PEEK_DURATION_SEC} s (got ${durationSec})`);
    }
    if (prefix !== undefined && !PEEK_PREFIX_PATTERN.test(prefix)) {
      throw new SoracomValidationError('POST', path, 'prefix', 'may hold only letters, digits, "-" and "_" (at most 100)');
    }
    // The spec allows 30 s, SORACOM's documentation says 60: asking for less would be refused somewhere.
    const duration = Math.max(MIN_PEEK_DURATION_SEC, Math.ceil(durationSec));
    const body: WirePacketCaptureSessionRequest = prefix === undefined ? { duration } : { duration, prefix };
    const spec: RequestSpec = { method: 'POST', path, body, authenticated: true, retry: 'rate-limit-only' };
    const requestStartedAtMs = this.clock.nowMs();
    const outcome = await this.sendCreate(spec);
    if (outcome.kind === 'answered') {
      if (outcome.response.status === 200 || outcome.response.status === 201) {
        return toPeekSession(this.http.parse(spec, outcome.response, WirePacketCaptureSession), simId);
      }
      throw this.http.httpError(spec, outcome.response);
    }
    let existing: PeekSession[];
    try {
      existing = await this.listPeekSessions(simId);
    } catch {
      throw new SoracomOutcomeUnknownError(spec.method, spec.path, outcome.error);
    }
    const made = findCreatedPeekSession(existing, duration, prefix, requestStartedAtMs - this.serverClockToleranceMs);
    if (made !== undefined) return made;
    // As for mappings: not listed yet is not proof that it will not be.
    throw new SoracomOutcomeUnknownError(spec.method, spec.path, outcome.error);
  }

  async getPeekSession(simId: string, sessionId: string): Promise<PeekSession | undefined> {
    const wire = await this.getOrUndefined(`/sims/${segment(simId)}/packet_capture_sessions/${segment(sessionId)}`, WirePacketCaptureSession);
    return wire === undefined ? undefined : toPeekSession(wire, simId);
  }

  async listPeekSessions(simId: string): Promise<PeekSession[]> {
    const path = `/sims/${segment(simId)}/packet_capture_sessions`;
    const wire = await this.getAllPages({ path, notFoundIsEmpty: true }, WirePacketCaptureSessionList);
    return wire.map((session) => toPeekSession(session, simId));
  }

  /** Stop answers 400 unless the session is capturing; after a lost answer the session's state decides. */
  async stopPeekSession(simId: string, sessionId: string): Promise<PeekSession> {
    const spec: RequestSpec = {
      method: 'POST',
      path: `/sims/${segment(simId)}/packet_capture_sessions/${segment(sessionId)}/stop`,
      authenticated: true,
      retry: 'rate-limit-only',
    };
    const outcome = await this.sendOnce(spec);
    if (outcome.kind === 'answered') {
      if (outcome.response.status === 200) return toPeekSession(this.http.parse(spec, outcome.response, WirePacketCaptureSession), simId);
      throw this.http.httpError(spec, outcome.response);
    }
    const session = await this.getPeekSession(simId, sessionId).catch(() => undefined);
    if (session !== undefined && !PEEK_ACTIVE_STATUSES.includes(session.status)) return session;
    throw outcome.error;
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────

  private async authenticate(tokenTimeoutSec: number): Promise<{ apiKey: string; token: string }> {
    const body: WireAuthRequest = {
      authKeyId: this.options.authKeyId,
      authKey: this.options.authKey,
      tokenTimeoutSeconds: tokenTimeoutSec,
    };
    const spec: RequestSpec = { method: 'POST', path: '/auth', body, authenticated: false, retry: 'idempotent' };
    const response = await this.http.send(spec);
    if (response.status === 401 || response.status === 403 || response.status === 400) throw this.http.authError(spec, response);
    if (response.status !== 200 && response.status !== 201) throw this.http.httpError(spec, response);
    const wire = this.http.parse(spec, response, WireAuthResponse);
    this.logger.debug('SORACOM authenticated', { operatorId: wire.operatorId ?? undefined });
    return { apiKey: wire.apiKey, token: wire.token };
  }

  /**
   * A create: an answer, or the reason it was lost. It is sent a second time only when the first attempt
   * provably never reached SORACOM (the connection was never made); any other loss may still commit.
   */
  private async sendCreate(spec: RequestSpec): Promise<{ kind: 'answered'; response: RawResponse } | { kind: 'lost'; error: SoracomError }> {
    const first = await this.sendOnce(spec);
    if (first.kind === 'answered' || !neverReachedServer(first.error)) return first;
    this.logger.warn('SORACOM create could not connect; sending it once more', { path: spec.path });
    const second = await this.sendOnce(spec);
    if (second.kind === 'lost' && neverReachedServer(second.error)) throw second.error;
    return second;
  }

  /** One POST that must not be repeated blindly: an answer, or the reason the answer was lost. */
  private async sendOnce(spec: RequestSpec): Promise<{ kind: 'answered'; response: RawResponse } | { kind: 'lost'; error: SoracomError }> {
    try {
      const response = await this.http.send(spec);
      if (response.status >= 500) return { kind: 'lost', error: this.http.httpError(spec, response) };
      return { kind: 'answered', response };
    } catch (error) {
      if (error instanceof SoracomTimeoutError || error instanceof SoracomNetworkError) return { kind: 'lost', error };
      throw error;
    }
  }

  private createMappingSpec(request: CreatePortMappingRequest): RequestSpec {
    const path = request.target.kind === 'imsi' ? '/port_mappings' : `/port_mappings/sims/${segment(request.target.simId)}`;
    const { durationSec } = request;
    if (!Number.isInteger(durationSec) || durationSec < 1 || durationSec > MAX_MAPPING_DURATION_SEC) {
      throw new MappingDurationError('POST', path, durationSec, MAX_MAPPING_DURATION_SEC);
    }
    assertPort('POST', path, 'devicePort', request.devicePort);
    if (request.sourceIpRanges.length === 0) {
      // What SORACOM does without ranges is undocumented; the bot never opens a device to everyone.
      throw new SoracomValidationError('POST', path, 'sourceIpRanges', 'must name at least one range');
    }
    const common = {
      duration: durationSec,
      tlsRequired: request.tlsRequired,
      source: { ipRanges: [...request.sourceIpRanges] },
    };
    const body: WireCreatePortMappingRequest | WireCreatePortMappingForSimRequest =
      request.target.kind === 'imsi'
        ? { destination: { imsi: request.target.imsi, port: request.devicePort }, ...common }
        : { destination: { port: request.devicePort, service: request.target.service }, ...common };
    return { method: 'POST', path, body, authenticated: true, retry: 'rate-limit-only' };
  }

  private listForTarget(target: MappingTarget): Promise<PortMapping[]> {
    return target.kind === 'imsi' ? this.listPortMappingsForSubscriber(target.imsi) : this.listPortMappingsForSim(target.simId);
  }

  private async listMappingsOrNone(path: string): Promise<PortMapping[]> {
    const wire = await this.getAllPages({ path, notFoundIsEmpty: true }, WirePortMappingList);
    const nowMs = this.clock.nowMs();
    return wire.map((mapping) => toPortMapping(mapping, nowMs));
  }

  private async getOrUndefined<Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.infer<Schema> | undefined> {
    const spec: RequestSpec = { method: 'GET', path, authenticated: true, retry: 'idempotent' };
    const response = await this.http.send(spec);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw this.http.httpError(spec, response);
    return this.http.parse(spec, response, schema);
  }

  /** Follows `x-soracom-next-key` / `link: rel=next` until a page comes without one. */
  private async getAllPages<Item>(
    request: {
      path: string;
      query?: RequestSpec['query'];
      notFoundIsEmpty?: boolean;
      onRateLimit?: RequestSpec['onRateLimit'];
      /** Sees every page's answer (headers included) before it is parsed. */
      onResponse?: (response: RawResponse) => void;
    },
    schema: z.ZodType<Item[]>,
    onPage?: (page: Item[]) => boolean,
    maxPages: number = MAX_PAGES,
  ): Promise<Item[]> {
    const items: Item[] = [];
    const seenKeys = new Set<string>();
    let nextKey: string | undefined;
    const pageLimit = Math.min(maxPages, MAX_PAGES);
    for (let page = 0; page < pageLimit; page += 1) {
      const spec: RequestSpec = {
        method: 'GET',
        path: request.path,
        query: { ...request.query, ...(nextKey === undefined ? {} : { [LAST_EVALUATED_KEY_PARAM]: nextKey }) },
        authenticated: true,
        retry: 'idempotent',
        onRateLimit: request.onRateLimit,
      };
      const response = await this.http.send(spec);
      request.onResponse?.(response);
      if (response.status === 404 && request.notFoundIsEmpty === true && page === 0) return [];
      if (response.status !== 200) throw this.http.httpError(spec, response);
      const pageItems = this.http.parse(spec, response, schema);
      items.push(...pageItems);
      // The caller already has its answer: the remaining pages cannot change it.
      if (onPage?.(pageItems) === true) return items;
      nextKey = nextPageKey(response.headers);
      if (nextKey === undefined) return items;
      if (seenKeys.has(nextKey)) {
        throw new SoracomResponseShapeError('GET', request.path, response.status, `the next-page key repeated after ${page + 1} pages`);
      }
      seenKeys.add(nextKey);
    }
    // A caller that asked for a few pages (suggestions) takes what they held.
    if (pageLimit < MAX_PAGES) return items;
    throw new SoracomResponseShapeError('GET', request.path, 200, `more than ${MAX_PAGES} pages`);
  }
}

const NO_RATE_LIMIT_HEADERS: RateLimitState = { limit: undefined, remaining: undefined, secondsBeforeRefresh: undefined };

function assertAuditWindow(path: string, query: { readonly fromMs: number; readonly toMs: number }): void {
  for (const [name, value] of [
    ['fromMs', query.fromMs],
    ['toMs', query.toMs],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < EARLIEST_PLAUSIBLE_MS) {
      throw new SoracomValidationError('GET', path, name, `must be Unix milliseconds (got ${value}; seconds by mistake?)`);
    }
  }
  if (query.fromMs > query.toMs) throw new SoracomValidationError('GET', path, 'fromMs', 'must not be after toMs');
}

/**
 * Each entry is read on its own: one entry SORACOM wrote oddly must not hide the rest of the day. An entry
 * with no IMSI takes the queried one; read operator-wide (no IMSI asked) it cannot be routed, so it is
 * counted as malformed. Event types the bot does not know are dropped without counting.
 */
function readAuditEntries(wire: readonly unknown[], queriedImsi: string | undefined): AuditLogRead {
  const events: AuditEvent[] = [];
  let malformed = 0;
  for (const raw of wire) {
    const entry = WireNapterAuditLogEntry.safeParse(raw);
    // `||`: an empty IMSI names no IMSI either.
    const imsi = entry.success ? entry.data.imsi || queriedImsi : undefined;
    if (!entry.success || imsi === undefined) {
      malformed += 1;
      continue;
    }
    const event = toAuditEvent(entry.data, imsi);
    if (event !== undefined) events.push(event);
  }
  return { events, malformed };
}

/** Errors raised before a connection existed, so no byte of the request can have reached SORACOM. */
const CONNECT_PHASE_CODES: readonly string[] = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'];

function neverReachedServer(error: SoracomError): boolean {
  return error instanceof SoracomNetworkError && error.networkCode !== undefined && CONNECT_PHASE_CODES.includes(error.networkCode);
}

function assertPort(method: string, path: string, field: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SoracomValidationError(method, path, field, `must be a TCP port from 1 to 65535 (got ${port})`);
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Napter may write a bare address as `/32`; compare ranges in one form. */
function normaliseRange(range: string): string {
  return hostCidr(range.trim().toLowerCase());
}

function sameRanges(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a.map(normaliseRange))].sort();
  const right = [...new Set(b.map(normaliseRange))].sort();
  return left.length === right.length && left.every((range, index) => range === right[index]);
}

/**
 * The mapping a lost create made, if the listing shows one: same target, device port, source ranges and
 * TLS, not expired, created at/after the request started (less the server clock tolerance). The newest wins.
 */
export function findCreatedMapping(mappings: readonly PortMapping[], request: CreatePortMappingRequest, notCreatedBeforeMs: number): PortMapping | undefined {
  const target = request.target;
  const candidates = mappings.filter(
    (mapping) =>
      !mapping.expired &&
      mapping.destination.port === request.devicePort &&
      mapping.tlsRequired === request.tlsRequired &&
      sameRanges(mapping.sourceIpRanges, request.sourceIpRanges) &&
      mapping.createdAtMs >= notCreatedBeforeMs &&
      (target.kind === 'imsi'
        ? mapping.destination.imsi === undefined || mapping.destination.imsi === target.imsi
        : mapping.destination.simId === undefined || mapping.destination.simId === target.simId),
  );
  return candidates.sort((a, b) => b.createdAtMs - a.createdAtMs)[0];
}

/** Same idea for Peek: same duration and prefix; with no creation time only a still-active session counts. */
export function findCreatedPeekSession(
  sessions: readonly PeekSession[],
  durationSec: number,
  prefix: string | undefined,
  notCreatedBeforeMs: number,
): PeekSession | undefined {
  const candidates = sessions.filter(
    (session) =>
      session.durationSec === durationSec &&
      (session.prefix ?? '') === (prefix ?? '') &&
      (session.createdAtMs === undefined ? PEEK_ACTIVE_STATUSES.includes(session.status) : session.createdAtMs >= notCreatedBeforeMs),
  );
  return candidates.sort((a, b) => (b.createdAtMs ?? 0) - (a.createdAtMs ?? 0))[0];
}

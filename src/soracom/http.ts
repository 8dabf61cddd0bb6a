import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type { z } from 'zod';
import {
  SoracomAuthError,
  type SoracomError,
  SoracomHttpError,
  SoracomNetworkError,
  SoracomRateLimitedError,
  SoracomResponseShapeError,
  SoracomTimeoutError,
  parseErrorBody,
  redactSecrets,
} from './errors';
import type { RateLimitState } from '../domain/napter-api';
import type { SoracomCredentials, TokenKeeper } from './auth';
import type { SoracomCallMetric } from '../common/metrics';
import { apiBaseUrl } from './endpoint';
import { operationOf } from './operations';

export interface SoracomLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export const silentLogger: SoracomLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface RetryOptions {
  /** Retries after the first attempt (a 401 → re-auth → retry does not count). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A 429 asking for a longer wait than this fails at once with SoracomRateLimitedError. */
  readonly maxRateLimitWaitMs: number;
}

/**
 * Which failures a call may be repeated after:
 * - `idempotent`: 429, 5xx, network errors and timeouts (GET, DELETE, /auth);
 * - `no-timeout`: like `idempotent` but not after a timeout, for device-facing calls (TCP probe, ping) whose
 *   timeout already means "the device took too long" and a retry would only double the wait;
 * - `rate-limit-only`: only 429, which SORACOM answers before doing anything (creates, Peek stop).
 */
export type RetryPolicy = 'idempotent' | 'no-timeout' | 'rate-limit-only';

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Below `/v1`, starting with `/`, path segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly authenticated: boolean;
  readonly retry: RetryPolicy;
  readonly timeoutMs?: number;
  /**
   * What a 429 does: `wait` (the default) sleeps what SORACOM asks, within `maxRateLimitWaitMs`, and tries
   * again; `fail` throws SoracomRateLimitedError at once, for a caller that schedules its own next try.
   */
  readonly onRateLimit?: 'wait' | 'fail' | undefined;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: string;
  readonly contentType: string | undefined;
}

/** One HTTP attempt, told to whoever counts them (metrics): a retry is a call of its own. */
export type SoracomCall = SoracomCallMetric;

export interface HttpStats {
  readonly requests: number;
  readonly retries: number;
  readonly reauthentications: number;
}

const RATE_LIMIT_HEADERS = {
  limit: 'x-soracom-ratelimit-limit',
  remaining: 'x-soracom-ratelimit-remaining',
  secondsBeforeRefresh: 'x-soracom-ratelimit-seconds-before-refresh',
} as const;

/** The `X-Soracom-Ratelimit-*` headers of an answer (lower-cased names); one that is absent or not a count is undefined. */
export function rateLimitStateOf(headers: Readonly<Record<string, unknown>>): RateLimitState {
  const count = (name: string): number | undefined => {
    const value = Number(headerText(headers[name]));
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    limit: count(RATE_LIMIT_HEADERS.limit),
    remaining: count(RATE_LIMIT_HEADERS.remaining),
    secondsBeforeRefresh: count(RATE_LIMIT_HEADERS.secondsBeforeRefresh),
  };
}

/** SORACOM asked the client to wait before trying again. */
export interface SoracomWait {
  readonly waitMs: number;
  readonly method: string;
  readonly path: string;
}

type WaitObserver = (wait: SoracomWait) => Promise<void> | void;
const waitObservers = new AsyncLocalStorage<WaitObserver>();

/**
 * Runs `work` so that every rate-limit wait of a SORACOM call made on its behalf (however deep) is reported to
 * `observer` as the client starts to wait: the person who asked hears that SORACOM is making the bot wait instead
 * of seeing nothing for half a minute. The call goes on once both the wait and the report are over, so that a
 * later message cannot be overtaken by the report. The client is shared; the report goes to whoever's work the
 * call is part of.
 */
export function observeSoracomWaits<T>(observer: WaitObserver, work: () => Promise<T>): Promise<T> {
  return waitObservers.run(observer, work);
}

/**
 * One SORACOM HTTP exchange with authentication, timeouts and retries. It returns any status it does not
 * retry; the operation decides what a 404 or a 5xx means for it.
 */
export class SoracomHttp {
  private readonly axios: AxiosInstance;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private requestCount = 0;
  private retryCount = 0;
  private reauthCount = 0;
  private tokenKeeper: TokenKeeper | undefined;

  constructor(
    endpoint: string,
    private readonly defaultTimeoutMs: number,
    private readonly retryOptions: RetryOptions,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly logger: SoracomLogger,
    private readonly lang: 'en' | 'ja' | undefined,
    private readonly fixedSecrets: readonly string[],
    private readonly onCall: (call: SoracomCall) => void = () => undefined,
  ) {
    const baseURL = apiBaseUrl(endpoint);
    this.axios = axios.create({
      baseURL,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      // HTTPS_PROXY / NO_PROXY apply to SORACOM itself (corporate networks), never to a simulator on loopback.
      ...(isLoopback(baseURL) ? { proxy: false as const } : {}),
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
    });
  }

  attachTokenKeeper(keeper: TokenKeeper): void {
    this.tokenKeeper = keeper;
  }

  stats(): HttpStats {
    return { requests: this.requestCount, retries: this.retryCount, reauthentications: this.reauthCount };
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Every secret the client knows now, for redaction. */
  secrets(credentials?: SoracomCredentials): string[] {
    return [...this.fixedSecrets, ...(credentials === undefined ? [] : [credentials.apiKey, credentials.token])];
  }

  async send(spec: RequestSpec): Promise<RawResponse> {
    const keeper = this.tokenKeeper;
    let credentials = spec.authenticated && keeper !== undefined ? await keeper.credentials() : undefined;
    let reauthenticated = false;
    let retriesLeft = this.retryOptions.maxRetries;
    for (let attempt = 0; ; attempt += 1) {
      let response: RawResponse;
      try {
        response = await this.attempt(spec, credentials, attempt);
      } catch (error) {
        const retryable =
          (error instanceof SoracomNetworkError && spec.retry !== 'rate-limit-only') || (error instanceof SoracomTimeoutError && spec.retry === 'idempotent');
        if (!retryable || retriesLeft <= 0) throw error;
        retriesLeft -= 1;
        await this.backoff(spec, attempt, (error as SoracomError).code);
        continue;
      }

      if (response.status === 401 && spec.authenticated && keeper !== undefined && credentials !== undefined) {
        if (reauthenticated) throw this.authError(spec, response, credentials);
        reauthenticated = true;
        this.reauthCount += 1;
        this.logger.info('SORACOM token refused; authenticating again', { method: spec.method, path: spec.path });
        credentials = await keeper.replace(credentials);
        continue;
      }

      if (response.status === 429) {
        const waitMs = this.rateLimitWaitMs(response, attempt);
        if (spec.onRateLimit === 'fail' || waitMs > this.retryOptions.maxRateLimitWaitMs || retriesLeft <= 0) {
          throw new SoracomRateLimitedError(spec.method, spec.path, waitMs, rateLimitStateOf(response.headers));
        }
        retriesLeft -= 1;
        this.retryCount += 1;
        this.logger.warn('SORACOM rate limit reached; waiting', { method: spec.method, path: spec.path, waitMs });
        const observer = waitObservers.getStore();
        // An observer's trouble is not the call's.
        const reported = Promise.resolve()
          .then(() => observer?.({ waitMs, method: spec.method, path: spec.path }))
          .catch(() => undefined);
        await Promise.all([this.sleep(waitMs), reported]);
        continue;
      }

      if (response.status >= 500 && spec.retry !== 'rate-limit-only' && retriesLeft > 0) {
        retriesLeft -= 1;
        await this.backoff(spec, attempt, `HTTP ${response.status}`);
        continue;
      }
      return response;
    }
  }

  /** The error for a status the operation did not expect. */
  httpError(spec: Pick<RequestSpec, 'method' | 'path'>, response: RawResponse): SoracomHttpError {
    const parsed = parseErrorBody(response.body, response.contentType);
    const secrets = this.secrets(this.tokenKeeper?.peek());
    return new SoracomHttpError(spec.method, spec.path, response.status, parsed.code, redactSecrets(parsed.message, secrets));
  }

  authError(spec: Pick<RequestSpec, 'method' | 'path'>, response: RawResponse, credentials?: SoracomCredentials): SoracomAuthError {
    const parsed = parseErrorBody(response.body, response.contentType);
    return new SoracomAuthError(
      spec.method,
      spec.path,
      response.status,
      parsed.code,
      redactSecrets(parsed.message, this.secrets(credentials ?? this.tokenKeeper?.peek())),
    );
  }

  /** Parses a 2xx JSON body with a wire schema; a body that does not fit is a SoracomResponseShapeError. */
  parse<Schema extends z.ZodType>(spec: Pick<RequestSpec, 'method' | 'path'>, response: RawResponse, schema: Schema): z.infer<Schema> {
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      throw new SoracomResponseShapeError(spec.method, spec.path, response.status, 'the body is not JSON');
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      throw new SoracomResponseShapeError(spec.method, spec.path, response.status, summariseIssues(result.error.issues));
    }
    return result.data;
  }

  private async attempt(spec: RequestSpec, credentials: SoracomCredentials | undefined, attempt: number): Promise<RawResponse> {
    const timeoutMs = spec.timeoutMs ?? this.defaultTimeoutMs;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'napter-bot' };
    if (credentials !== undefined) {
      headers['X-Soracom-API-Key'] = credentials.apiKey;
      headers['X-Soracom-Token'] = credentials.token;
    }
    if (this.lang !== undefined) headers['X-Soracom-Lang'] = this.lang;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = spec.path + queryString(spec.query);
    // axios's own timeout only watches an idle socket; the abort also ends a body that trickles forever.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const startedAt = performance.now();
    this.requestCount += 1;
    try {
      const response = await this.axios.request<string>({
        method: spec.method,
        url,
        headers,
        data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        timeout: timeoutMs,
        signal: controller.signal,
      });
      const durationMs = Math.round(performance.now() - startedAt);
      this.report(spec, response.status, startedAt);
      this.logger.debug('SORACOM call', { method: spec.method, path: url, status: response.status, durationMs, attempt });
      const contentType = response.headers['content-type'];
      return {
        status: response.status,
        headers: { ...response.headers },
        body: typeof response.data === 'string' ? response.data : String(response.data ?? ''),
        contentType: typeof contentType === 'string' ? contentType : undefined,
      };
    } catch (error) {
      const durationMs = Math.round(performance.now() - startedAt);
      this.report(spec, 'network', startedAt);
      const code = axios.isAxiosError(error) ? error.code : undefined;
      const timedOut = controller.signal.aborted || code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      this.logger.debug('SORACOM call failed', { method: spec.method, path: url, error: timedOut ? 'timeout' : code, durationMs, attempt });
      // The axios error is not kept as `cause`: its config holds the token headers.
      if (timedOut) throw new SoracomTimeoutError(spec.method, spec.path, timeoutMs);
      const detail = error instanceof Error ? error.message : String(error);
      throw new SoracomNetworkError(spec.method, spec.path, code, redactSecrets(detail, this.secrets(credentials)));
    } finally {
      clearTimeout(timer);
    }
  }

  private report(spec: RequestSpec, status: SoracomCall['status'], startedAt: number): void {
    try {
      this.onCall({ operation: operationOf(spec.method, spec.path), status, durationSeconds: (performance.now() - startedAt) / 1000 });
    } catch {
      // Counting is never the call's problem.
    }
  }

  private async backoff(spec: RequestSpec, attempt: number, reason: string): Promise<void> {
    const delayMs = this.backoffDelayMs(attempt);
    this.retryCount += 1;
    this.logger.debug('SORACOM call retried', { method: spec.method, path: spec.path, reason, delayMs });
    await this.sleep(delayMs);
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so parallel callers spread out. */
  private backoffDelayMs(attempt: number): number {
    const ceiling = Math.min(this.retryOptions.maxDelayMs, this.retryOptions.baseDelayMs * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  private rateLimitWaitMs(response: RawResponse, attempt: number): number {
    const seconds = Number(headerText(response.headers[RATE_LIMIT_HEADERS.secondsBeforeRefresh]) ?? headerText(response.headers['retry-after']));
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    return this.backoffDelayMs(attempt);
  }
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function queryString(query: RequestSpec['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

const MAX_ISSUES_SHOWN = 5;

/** Paths and messages of the zod issues, never the offending values. */
export function summariseIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const where = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  const more = issues.length > MAX_ISSUES_SHOWN ? `; and ${issues.length - MAX_ISSUES_SHOWN} more` : '';
  return shown.join('; ') + more;
}

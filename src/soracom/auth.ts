import type { Clock } from '../common/clock';

export interface SoracomCredentials {
  readonly apiKey: string;
  readonly token: string;
  /** Our clock's time after which the pair is no longer used (a margin before SORACOM's expiry). */
  readonly refreshAtMs: number;
  /** Increases with every `/auth`, so a 401 on an older pair does not throw away a newer one. */
  readonly generation: number;
}

export interface IssuedToken {
  readonly apiKey: string;
  readonly token: string;
}

/** Never less than a minute, never more than five, and at most a tenth of the lifetime. */
export function refreshMarginMs(tokenTimeoutSec: number): number {
  return Math.min(5 * 60_000, Math.max(60_000, tokenTimeoutSec * 100), tokenTimeoutSec * 1000 * 0.5);
}

/**
 * Keeps one API key + token pair for its lifetime. `/auth` is rate-limited per caller IP, so every
 * concurrent caller shares the one in-flight authentication instead of starting its own.
 */
export class TokenKeeper {
  private current: SoracomCredentials | undefined;
  private inFlight: Promise<SoracomCredentials> | undefined;
  private generation = 0;
  private authCount = 0;
  private last: { outcome: 'none' | 'ok' | 'failed'; atMs: number } = { outcome: 'none', atMs: 0 };

  constructor(
    private readonly authenticate: () => Promise<IssuedToken>,
    private readonly clock: Clock,
    private readonly tokenTimeoutSec: number,
  ) {}

  /** Valid credentials, authenticating first when there are none or they are about to expire. */
  async credentials(): Promise<SoracomCredentials> {
    const current = this.current;
    if (current !== undefined && this.clock.nowMs() < current.refreshAtMs) return current;
    return this.refresh();
  }

  /** After a 401 with `rejected`: drop them unless a newer pair already replaced them, and get fresh ones. */
  async replace(rejected: SoracomCredentials): Promise<SoracomCredentials> {
    if (this.current !== undefined && this.current.generation !== rejected.generation) return this.current;
    this.current = undefined;
    return this.refresh();
  }

  /** How many `/auth` calls were started; tests and stats read it. */
  get authentications(): number {
    return this.authCount;
  }

  /** How the last `/auth` that finished ended, and when it started (readiness reads it; no call is made). */
  get lastAuthentication(): { readonly outcome: 'none' | 'ok' | 'failed'; readonly atMs: number } {
    return this.last;
  }

  /** The pair in use, without authenticating (for redaction). */
  peek(): SoracomCredentials | undefined {
    return this.current;
  }

  forget(): void {
    this.current = undefined;
  }

  private refresh(): Promise<SoracomCredentials> {
    if (this.inFlight !== undefined) return this.inFlight;
    this.authCount += 1;
    const startedAtMs = this.clock.nowMs();
    const pending = this.authenticate().then((issued) => {
      this.generation += 1;
      const credentials: SoracomCredentials = {
        apiKey: issued.apiKey,
        token: issued.token,
        refreshAtMs: startedAtMs + this.tokenTimeoutSec * 1000 - refreshMarginMs(this.tokenTimeoutSec),
        generation: this.generation,
      };
      this.current = credentials;
      this.last = { outcome: 'ok', atMs: startedAtMs };
      return credentials;
    });
    pending.catch(() => {
      this.last = { outcome: 'failed', atMs: startedAtMs };
    });
    this.inFlight = pending;
    const clear = (): void => {
      if (this.inFlight === pending) this.inFlight = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }
}

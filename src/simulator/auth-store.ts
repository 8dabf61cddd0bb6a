import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock';
import { ERROR_CODES } from './assumptions';

export interface Credentials {
  readonly authKeyId: string;
  readonly authKey: string;
}

/** The AuthKey the simulator accepts unless told otherwise; printed by the CLI. */
export const DEFAULT_CREDENTIALS: Credentials = {
  authKeyId: 'keyId-napterbotsimulator0000000000000000',
  authKey: 'secret-napter-bot-simulator-not-a-real-key-0000000000000000000000000000',
};

interface Session {
  readonly apiKey: string;
  token: string;
  expiresAtMs: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly apiKey: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** API keys and tokens issued by POST /auth, expiring on the simulator's clock. */
export class AuthStore {
  private sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    readonly credentials: Credentials,
    /** Used when POST /auth sends no `tokenTimeoutSeconds`; tests set it short. */
    readonly defaultTokenTimeoutSec: number,
  ) {}

  matches(authKeyId: unknown, authKey: unknown): boolean {
    return authKeyId === this.credentials.authKeyId && authKey === this.credentials.authKey;
  }

  issue(timeoutSec: number): { apiKey: string; token: string; expiresAtMs: number } {
    const apiKey = `api-${randomUUID()}`;
    const session: Session = { apiKey, token: newToken(), expiresAtMs: this.clock.nowMs() + timeoutSec * 1000 };
    this.sessions.set(apiKey, session);
    return { apiKey, token: session.token, expiresAtMs: session.expiresAtMs };
  }

  /** `generateAuthToken`: a new token for the same API key. */
  reissue(apiKey: string, timeoutSec: number): string | undefined {
    const session = this.sessions.get(apiKey);
    if (session === undefined) return undefined;
    session.token = newToken();
    session.expiresAtMs = this.clock.nowMs() + timeoutSec * 1000;
    return session.token;
  }

  revoke(apiKey: string): void {
    this.sessions.delete(apiKey);
  }

  check(apiKey: string | undefined, token: string | undefined): TokenCheck {
    if (token === undefined || token === '') return { ok: false, ...ERROR_CODES.tokenMissing };
    if (apiKey === undefined || apiKey === '') return { ok: false, ...ERROR_CODES.apiKeyMissing };
    const session = this.sessions.get(apiKey);
    if (session === undefined || session.token !== token) return { ok: false, ...ERROR_CODES.tokenInvalid };
    if (this.clock.nowMs() >= session.expiresAtMs) return { ok: false, ...ERROR_CODES.tokenExpired };
    return { ok: true, apiKey };
  }
}

/** JWT-looking (three base64url parts) because real tokens are JWTs; nothing may rely on its content. */
function newToken(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64url');
  return `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${part(96)}.${part(64)}`;
}

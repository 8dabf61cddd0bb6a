import type { Lang } from '../domain/i18n/message-ref';

/**
 * What the bot must remember across restarts, and what SORACOM alone cannot tell: which Slack user opened
 * which mapping, and the one-time IP capture links. Every time is Unix milliseconds from the store's clock.
 */

export const LEDGER_KINDS = ['open', 'reuse', 'close', 'retry', 'ticket-draft', 'peek', 'diagnose', 'ip-confirmed', 'denied'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface LedgerInput {
  readonly kind: LedgerKind;
  readonly teamId: string;
  readonly userId: string;
  readonly channelId?: string | undefined;
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly mappingId?: string | undefined;
  readonly devicePort?: number | undefined;
  readonly sourceCidr?: string | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

export interface LedgerEntry extends LedgerInput {
  readonly id: string;
  readonly atMs: number;
}

export interface LedgerFilter {
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly userId?: string | undefined;
  readonly mappingId?: string | undefined;
  /** Entries at or after this time. */
  readonly sinceMs?: number | undefined;
  /** Default 100. */
  readonly limit?: number | undefined;
}

export interface SlackUserRef {
  readonly teamId: string;
  readonly userId: string;
}

export interface SlackMessageRef {
  readonly channelId: string;
  readonly ts: string;
}

export interface MappingInput {
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  /** The public Napter entry point: never post it to a channel. */
  readonly ipAddress: string;
  readonly port: number;
  readonly hostname?: string | undefined;
  readonly devicePort: number;
  readonly tlsRequired: boolean;
  readonly sourceCidr: string;
  readonly durationSec: number;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly openedBy: SlackUserRef;
  readonly channelId: string;
  /** The idempotency key of the request that created it, so a retried request finds it. */
  readonly requestKey?: string | undefined;
}

export interface StoredMapping extends MappingInput {
  readonly id: string;
  /** The channel card that shows the (masked) mapping, updated in place when it closes. */
  readonly card?: SlackMessageRef;
  readonly closed?: { readonly byUserId: string; readonly atMs: number };
}

export interface MappingFilter {
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  /** Only mappings not closed and with `createdAtMs <= t < expiresAtMs`. */
  readonly activeAtMs?: number | undefined;
}

export interface IpCaptureInput {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly lang: Lang;
  /** The pending open request, as JSON; the Slack layer owns its shape. */
  readonly request: unknown;
  readonly responseUrl?: string | undefined;
}

export interface IpCapture extends IpCaptureInput {
  readonly id: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly usedAtMs?: number;
  /** The work its Confirm started ended (whatever the outcome); used but unfinished means the process died. */
  readonly finishedAtMs?: number;
  /** The ephemeral/DM message that carries the link, updated in place after Confirm. */
  readonly message?: SlackMessageRef;
}

export type IpCaptureError = { readonly error: 'unknown' | 'expired' | 'used' };
export type IpCaptureLookup = IpCapture | IpCaptureError;

export const IP_CAPTURE_TTL_MS = 10 * 60 * 1000;

export type IdempotencyClaim = { readonly claimed: true } | { readonly claimed: false; readonly result: unknown | undefined };

export interface LastConfirmedIp {
  readonly ip: string;
  readonly atMs: number;
}

export interface DiagnosisInput {
  readonly teamId: string;
  readonly channelId: string;
  readonly requestedBy: string;
  /** What the user typed for the SIM, kept for "Diagnose again" when the SIM was not found. */
  readonly simRefText: string;
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly windowFromMs: number;
  readonly windowToMs: number;
  readonly verdict: string;
  /** The Diagnosis as JSON (remedies included), so buttons carry only the id. */
  readonly diagnosis: unknown;
  readonly intent?: unknown | undefined;
  readonly lang: Lang;
}

export interface StoredDiagnosis extends DiagnosisInput {
  readonly id: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** The parent message in the channel, updated in place. */
  readonly parentTs?: string;
}

export interface DiagnosisPatch {
  readonly parentTs?: string | undefined;
  readonly verdict?: string | undefined;
  readonly diagnosis?: unknown | undefined;
  readonly windowFromMs?: number | undefined;
  readonly windowToMs?: number | undefined;
}

export interface PeekInput {
  readonly simId: string;
  readonly sessionId: string;
  readonly diagnosisId?: string | undefined;
  readonly channelId: string;
  readonly threadTs?: string | undefined;
  readonly requestedBy: string;
  readonly teamId: string;
}

export interface StoredPeek extends PeekInput {
  readonly id: string;
  /** The SORACOM Peek status as last seen ('REQUESTED' until polled). */
  readonly status: string;
  /** The thread message that shows progress, updated in place. */
  readonly progressTs?: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface PeekPatch {
  readonly status?: string | undefined;
  readonly progressTs?: string | undefined;
}

export const IN_FLIGHT_KINDS = ['open', 'close'] as const;
export type InFlightKind = (typeof IN_FLIGHT_KINDS)[number];

/**
 * Where a change to SORACOM stands. Open: `started` (nothing sent yet) → `creating` (the create may be on its
 * way) → `created` / `reused` (a mapping row exists), `unknown` (the answer was lost and the listing did not
 * show it yet) or `failed`. Close: `deleting` → `closed`.
 */
export const IN_FLIGHT_STATES = ['started', 'creating', 'unknown', 'created', 'reused', 'failed', 'deleting', 'closed'] as const;
export type InFlightState = (typeof IN_FLIGHT_STATES)[number];

export interface InFlightInput {
  readonly kind: InFlightKind;
  /** The user action it serves (a command's or click's trigger, an IP capture). */
  readonly requestKey: string;
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly simId?: string | undefined;
  /** What is being done, as JSON; the use case owns its shape. */
  readonly params: unknown;
  /** How to reach the person waiting, as JSON; the Slack layer owns its shape. */
  readonly reply?: unknown | undefined;
}

export interface InFlight extends InFlightInput {
  readonly id: string;
  readonly state: InFlightState;
  readonly mappingId?: string;
  readonly errorCode?: string;
  /** When the work began, or (from `creating` on) when the create was sent. */
  readonly startedAtMs: number;
  readonly updatedAtMs: number;
  /** When the person waiting was told how it ended; unset while someone may still be waiting. */
  readonly settledAtMs?: number;
}

export interface InFlightPatch {
  readonly state?: InFlightState | undefined;
  readonly mappingId?: string | undefined;
  readonly errorCode?: string | undefined;
  readonly startedAtMs?: number | undefined;
}

export interface InFlightFilter {
  readonly kind?: InFlightKind | undefined;
  readonly simId?: string | undefined;
  readonly requestKey?: string | undefined;
  readonly unsettled?: boolean | undefined;
}

/**
 * Synchronous (better-sqlite3). Updates of a row by id (`setMappingCard`, `markMappingClosed`,
 * `attachIpCaptureMessage`) throw a StoreError with code STORE_NOT_FOUND when the id is unknown;
 * `update…` of diagnoses and peeks return undefined instead.
 */
export interface NapterStore {
  recordLedger(entry: LedgerInput): LedgerEntry;
  /** Newest first. */
  listLedger(filter?: LedgerFilter): LedgerEntry[];

  saveMapping(mapping: MappingInput): StoredMapping;
  getMapping(id: string): StoredMapping | undefined;
  /** The newest mapping the bot stored for this public endpoint (SORACOM reuses endpoints over time). */
  findMappingByEndpoint(ipAddress: string, port: number): StoredMapping | undefined;
  /** Newest first. */
  listMappings(filter?: MappingFilter): StoredMapping[];
  setMappingCard(id: string, card: SlackMessageRef): void;
  markMappingClosed(id: string, closed: { byUserId: string; atMs: number }): void;

  /** The token is returned once and never stored: only its SHA-256 is. */
  createIpCapture(capture: IpCaptureInput): { capture: IpCapture; token: string };
  /** For GET: does not consume. */
  peekIpCapture(token: string): IpCaptureLookup;
  /** Atomic: of two concurrent consumes exactly one gets the capture, the other `{ error: 'used' }`. */
  consumeIpCapture(token: string): IpCaptureLookup;
  attachIpCaptureMessage(captureId: string, message: SlackMessageRef): void;
  /**
   * Replaces the capture's response_url while the capture is still open (unused, unexpired) and belongs to
   * `owner`; false otherwise. For a response_url that addresses the link message itself (the link button's click).
   */
  attachIpCaptureResponseUrl(captureId: string, owner: SlackUserRef, responseUrl: string): boolean;
  getIpCapture(id: string): IpCapture | undefined;
  /** The Confirm's work ended (a mapping, a refusal or an error the user was shown). */
  finishIpCapture(id: string): void;
  /** Used, unexpired and never finished: their Confirm was cut off. */
  listUnfinishedIpCaptures(): IpCapture[];
  /** Makes a used but unfinished, unexpired capture usable again; false when it is not one. */
  reopenIpCapture(id: string): boolean;

  /**
   * The key is remembered for `ttlMs` from the claim: until then a second claim gets `claimed: false` with the
   * completed result (or undefined while the first is still running); after it, the key can be claimed again.
   */
  claimIdempotencyKey(key: string, ttlMs: number): IdempotencyClaim;
  completeIdempotencyKey(key: string, result: unknown): void;
  /** After a failure, so that a genuine retry can run. */
  releaseIdempotencyKey(key: string): void;
  /**
   * At start: forgets claims that were never completed. They belong to work of a process that is gone (one
   * bot process per database), and would otherwise block a retry until they expire. Returns how many.
   */
  releaseUnfinishedClaims(): number;
  /**
   * Remembers `value` under `key` for `ttlMs` from now, replacing any earlier value: what the bot handed to one
   * person (a modal, a question) so it can check later that a reply is to something it really gave them.
   */
  rememberValue(key: string, ttlMs: number, value: unknown): void;
  /** The unexpired value remembered under `key`, else undefined. Reads only. */
  recallValue(key: string): unknown | undefined;

  setLastConfirmedIp(teamId: string, userId: string, ip: string): void;
  getLastConfirmedIp(teamId: string, userId: string): LastConfirmedIp | undefined;

  saveDiagnosis(diagnosis: DiagnosisInput): StoredDiagnosis;
  getDiagnosis(id: string): StoredDiagnosis | undefined;
  updateDiagnosis(id: string, patch: DiagnosisPatch): StoredDiagnosis | undefined;
  /**
   * Read-modify-write of one diagnosis as a single IMMEDIATE transaction: `change` sees the row as stored now,
   * and no other write (from another request in this process, or from another process) can come between that
   * read and the write of its patch, so concurrent changes to one record all survive. `change` must be synchronous (a promise is refused) and quick; undefined writes nothing.
   * Returns the row after the change, or undefined when there is no such diagnosis.
   */
  modifyDiagnosis(id: string, change: (current: StoredDiagnosis) => DiagnosisPatch | undefined): StoredDiagnosis | undefined;

  /** Written before the change to SORACOM, in state `started` (open) or `deleting` (close). */
  beginInFlight(input: InFlightInput & { readonly state: InFlightState }): InFlight;
  getInFlight(id: string): InFlight | undefined;
  updateInFlight(id: string, patch: InFlightPatch): InFlight | undefined;
  /** The person waiting was told how it ended. */
  settleInFlight(id: string): void;
  /** Oldest first. */
  listInFlight(filter?: InFlightFilter): InFlight[];

  savePeek(peek: PeekInput): StoredPeek;
  getPeek(id: string): StoredPeek | undefined;
  /** Peeks whose last seen status is none of `finalStatuses`, oldest first: captures still being followed. */
  listPeeksNotIn(finalStatuses: readonly string[]): StoredPeek[];
  updatePeek(id: string, patch: PeekPatch): StoredPeek | undefined;

  close(): void;
}

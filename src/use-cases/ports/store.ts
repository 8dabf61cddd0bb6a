import { BotError } from '../../common/errors';
import type { Lang } from '../../domain/i18n/message-ref';

/**
 * What the bot must remember across restarts, and what SORACOM alone cannot tell: which Slack user opened which
 * mapping, work in flight, one-time IP links, diagnoses and their packet captures, and the ledger of who did what.
 *
 * A port of the use-cases: asynchronous, so that an adapter over a network database (several replicas) drops in
 * without touching a caller. One repository per table over one database; `test/storage/contract/` pins what every
 * adapter must do. Every time is Unix milliseconds from the store's clock. Optional fields are absent when unknown.
 */
export interface Store {
  readonly ledger: LedgerRepository;
  readonly mappings: MappingRepository;
  readonly inflight: InFlightRepository;
  readonly ipCaptures: IpCaptureRepository;
  /** Idempotency keys: claimed by one request, completed with its result or released for a retry. */
  readonly claims: ClaimRepository;
  /** One-off permissions handed to one person (a modal, a question only they were shown). */
  readonly remembered: RememberedValues;
  readonly lastIps: LastIpRepository;
  readonly diagnoses: DiagnosisRepository;
  /** SORACOM Peek packet captures started from a diagnosis. */
  readonly captures: CaptureRepository;
  close(): Promise<void>;
}

/** What an adapter throws for an update of a row that does not exist (where the method says so). */
export class StoreError extends BotError {}

// ── ledger ──────────────────────────────────────────────────────────────────────────────────────────────────────

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

export interface LedgerRepository {
  record(entry: LedgerInput): Promise<LedgerEntry>;
  /** Newest first; entries of the same millisecond, the later write first. */
  list(filter?: LedgerFilter): Promise<LedgerEntry[]>;
}

// ── mappings ────────────────────────────────────────────────────────────────────────────────────────────────────

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
  /** How the bot chose its source range when the bot made it; unknown for one it found made elsewhere. */
  readonly sourceKind?: MappingSourceKind | undefined;
}

/**
 * `me`: an address the IP page saw itself; `last`: such an address, remembered; `claimed`: the address a browser
 * reported (the page saw only a private peer); `cidr`: typed, or picked from the audit log.
 */
export type MappingSourceKind = 'me' | 'last' | 'claimed' | 'cidr';

export interface StoredMapping extends MappingInput {
  readonly id: string;
  /** The channel card that shows the (masked) mapping, updated in place when it closes. */
  readonly card?: SlackMessageRef | undefined;
  readonly closed?: { readonly byUserId: string; readonly atMs: number } | undefined;
}

export interface MappingFilter {
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  /** Only mappings not closed and with `createdAtMs <= t < expiresAtMs`. */
  readonly activeAtMs?: number | undefined;
}

export interface MappingRepository {
  save(mapping: MappingInput): Promise<StoredMapping>;
  get(id: string): Promise<StoredMapping | undefined>;
  /** The newest mapping the bot stored for this public endpoint (SORACOM hands endpoints out again over time). */
  findByEndpoint(ipAddress: string, port: number): Promise<StoredMapping | undefined>;
  /** Newest first. */
  list(filter?: MappingFilter): Promise<StoredMapping[]>;
  /** Throws a StoreError STORE_NOT_FOUND for an unknown id. */
  setCard(id: string, card: SlackMessageRef): Promise<void>;
  /** The first close wins: a second one changes nothing. Throws a StoreError STORE_NOT_FOUND for an unknown id. */
  markClosed(id: string, closed: { readonly byUserId: string; readonly atMs: number }): Promise<void>;
}

// ── work in flight ──────────────────────────────────────────────────────────────────────────────────────────────

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
  /** What is being done, as JSON; the use-case owns its shape. */
  readonly params: unknown;
  /** How to reach the person waiting, as JSON; the use-case owns its shape. */
  readonly reply?: unknown;
}

export interface InFlight extends InFlightInput {
  readonly id: string;
  readonly state: InFlightState;
  readonly mappingId?: string | undefined;
  readonly errorCode?: string | undefined;
  /** When the work began, or (from `creating` on) when the create was sent. */
  readonly startedAtMs: number;
  readonly updatedAtMs: number;
  /** When the person waiting was told how it ended; unset while someone may still be waiting. */
  readonly settledAtMs?: number | undefined;
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

export interface InFlightRepository {
  /** Written before the change to SORACOM, in state `started` (open) or `deleting` (close). */
  begin(input: InFlightInput & { readonly state: InFlightState }): Promise<InFlight>;
  get(id: string): Promise<InFlight | undefined>;
  /** Fields left out keep their value; undefined for an unknown id. */
  update(id: string, patch: InFlightPatch): Promise<InFlight | undefined>;
  /** The person waiting was told how it ended. */
  settle(id: string): Promise<void>;
  /** Oldest first. */
  list(filter?: InFlightFilter): Promise<InFlight[]>;
}

// ── IP capture links ────────────────────────────────────────────────────────────────────────────────────────────

export interface IpCaptureInput {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly lang: Lang;
  /** The pending open request, as JSON; the use-case owns its shape. */
  readonly request: unknown;
  readonly responseUrl?: string | undefined;
}

export interface IpCapture extends IpCaptureInput {
  readonly id: string;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly usedAtMs?: number | undefined;
  /** The work its Confirm started ended (whatever the outcome); used but unfinished means the process died. */
  readonly finishedAtMs?: number | undefined;
}

export type IpCaptureError = { readonly error: 'unknown' | 'expired' | 'used' };
export type IpCaptureLookup = IpCapture | IpCaptureError;

/** How long a link works. */
export const IP_CAPTURE_TTL_MS = 10 * 60 * 1000;

export interface IpCaptureRepository {
  /** The token is returned once and never stored (only a hash of it is): it alone opens the page. */
  create(capture: IpCaptureInput): Promise<{ readonly capture: IpCapture; readonly token: string }>;
  /** For a GET: does not consume. */
  peek(token: string): Promise<IpCaptureLookup>;
  /** Atomic: of two concurrent consumes (from any connection) exactly one gets the capture, the other `used`. */
  consume(token: string): Promise<IpCaptureLookup>;
  /**
   * Replaces the capture's response_url while the capture is still open (unused, unexpired) and belongs to
   * `owner`; false otherwise. For a response_url that addresses the link message itself (the link button's click).
   */
  attachResponseUrl(captureId: string, owner: SlackUserRef, responseUrl: string): Promise<boolean>;
  get(id: string): Promise<IpCapture | undefined>;
  /** The Confirm's work ended (a mapping, a refusal or an error the user was shown). */
  finish(id: string): Promise<void>;
  /** Used, unexpired and never finished: their Confirm was cut off. Oldest use first. */
  listUnfinished(): Promise<IpCapture[]>;
  /** Makes a used but unfinished, unexpired capture usable again; false when it is not one. */
  reopen(id: string): Promise<boolean>;
}

// ── idempotency and remembered values ───────────────────────────────────────────────────────────────────────────

export type IdempotencyClaim = { readonly claimed: true } | { readonly claimed: false; readonly result: unknown | undefined };

export interface ClaimRepository {
  /**
   * Atomic across connections. The key is remembered for `ttlMs` from the claim: until then a second claim gets
   * `claimed: false` with the completed result (undefined while the first is still running); after it, the key
   * can be claimed again.
   */
  claim(key: string, ttlMs: number): Promise<IdempotencyClaim>;
  complete(key: string, result: unknown): Promise<void>;
  /** After a failure, so that a genuine retry can run. */
  release(key: string): Promise<void>;
  /**
   * At start: forgets claims that were never completed. They belong to work of a process that is gone (one
   * bot process per database), and would otherwise block a retry until they expire. Returns how many.
   */
  releaseUnfinished(): Promise<number>;
}

export interface RememberedValues {
  /** Remembers `value` under `key` for `ttlMs` from now, replacing any earlier value. */
  remember(key: string, ttlMs: number, value: unknown): Promise<void>;
  /** The unexpired value remembered under `key`, else undefined. Reads only. */
  recall(key: string): Promise<unknown | undefined>;
}

// ── last confirmed addresses ────────────────────────────────────────────────────────────────────────────────────

export interface LastConfirmedIp {
  readonly ip: string;
  readonly atMs: number;
}

export interface LastIpRepository {
  set(teamId: string, userId: string, ip: string): Promise<void>;
  get(teamId: string, userId: string): Promise<LastConfirmedIp | undefined>;
}

// ── diagnoses ───────────────────────────────────────────────────────────────────────────────────────────────────

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
  /** The diagnosis record as JSON (remedies included), so buttons carry only the id; the use-case owns its shape. */
  readonly diagnosis: unknown;
  readonly intent?: unknown;
  readonly lang: Lang;
}

export interface StoredDiagnosis extends DiagnosisInput {
  readonly id: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** The parent message in the channel, updated in place. */
  readonly parentTs?: string | undefined;
}

export interface DiagnosisPatch {
  readonly parentTs?: string | undefined;
  readonly verdict?: string | undefined;
  readonly diagnosis?: unknown;
  readonly windowFromMs?: number | undefined;
  readonly windowToMs?: number | undefined;
}

export interface DiagnosisRepository {
  save(diagnosis: DiagnosisInput): Promise<StoredDiagnosis>;
  get(id: string): Promise<StoredDiagnosis | undefined>;
  /** Fields left out keep their value. The row after the patch; undefined for an unknown id. */
  update(id: string, patch: DiagnosisPatch): Promise<StoredDiagnosis | undefined>;
  /**
   * Read-modify-write of one diagnosis as a single transaction: `change` sees the row as stored now, and no other
   * write (from this process or another connection) comes between that read and the write of its patch, so
   * concurrent changes to one record all survive. `change` must be synchronous (a promise is refused) and quick;
   * undefined writes nothing. The row after the change; undefined for an unknown id.
   */
  modify(id: string, change: (current: StoredDiagnosis) => DiagnosisPatch | undefined): Promise<StoredDiagnosis | undefined>;
}

// ── packet captures ─────────────────────────────────────────────────────────────────────────────────────────────

export interface CaptureInput {
  readonly simId: string;
  readonly sessionId: string;
  readonly diagnosisId?: string | undefined;
  readonly channelId: string;
  readonly threadTs?: string | undefined;
  readonly requestedBy: string;
  readonly teamId: string;
}

export interface StoredCapture extends CaptureInput {
  readonly id: string;
  /** The SORACOM Peek status as last seen ('REQUESTED' until polled). */
  readonly status: string;
  /** The thread message that shows progress, updated in place. */
  readonly progressTs?: string | undefined;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export interface CapturePatch {
  readonly status?: string | undefined;
  readonly progressTs?: string | undefined;
}

export interface CaptureRepository {
  /** Throws when `diagnosisId` names no stored diagnosis. */
  save(capture: CaptureInput): Promise<StoredCapture>;
  get(id: string): Promise<StoredCapture | undefined>;
  /** Fields left out keep their value; undefined for an unknown id. */
  update(id: string, patch: CapturePatch): Promise<StoredCapture | undefined>;
  /** The captures started from a diagnosis, newest first. */
  listByDiagnosis(diagnosisId: string): Promise<StoredCapture[]>;
  /** Captures whose last seen status is none of `finalStatuses`, oldest first: the ones still being followed. */
  listNotIn(finalStatuses: readonly string[]): Promise<StoredCapture[]>;
}

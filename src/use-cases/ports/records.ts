import type { Lang } from '../../domain/i18n/message-ref';

/** The rows the store keeps, as the use-cases read and write them (see `store.ts`). */

// ── ledger ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** `extend`: a new mapping replacing one (details: `replaces`, `chainStartedAtMs`); `ended`: a watched mapping expired or was deleted outside. */
export const LEDGER_KINDS = ['open', 'reuse', 'close', 'retry', 'ticket-draft', 'peek', 'diagnose', 'ip-confirmed', 'denied', 'extend', 'ended'] as const;
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
  readonly teamId?: string | undefined;
  /** Only entries of these kinds (the list is open: kinds a newer version writes may be named); empty matches none. */
  readonly kinds?: readonly string[] | undefined;
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly userId?: string | undefined;
  readonly mappingId?: string | undefined;
  /** Entries at or after this time. */
  readonly sinceMs?: number | undefined;
  /** Default 100. */
  readonly limit?: number | undefined;
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

// ── idempotency and remembered values ───────────────────────────────────────────────────────────────────────────

export type IdempotencyClaim = { readonly claimed: true } | { readonly claimed: false; readonly result: unknown | undefined };

// ── last confirmed addresses ────────────────────────────────────────────────────────────────────────────────────

export interface LastConfirmedIp {
  readonly ip: string;
  readonly atMs: number;
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

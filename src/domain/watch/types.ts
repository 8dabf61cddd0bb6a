import type { AuditEvent } from '../soracom';
import type { MappingEnd } from '../mapping-end';

/**
 * Watching a mapping the bot opened: the operator-wide audit log, read once per interval, is routed to the
 * watched mappings and turned into at most one update per mapping per read. Everything here is JSON-able
 * data that a store keeps between reads (one cursor row for the operator, one state per watch).
 */

/** What routing needs to know of a watched mapping. Times are SORACOM's (`PortMapping.createdAtMs` / `expiresAtMs`). */
export interface WatchedMapping {
  /** The store's id of the watch (e.g. of the mapping row): updates name it. */
  readonly watchId: string;
  /**
   * The IMSIs whose audit entries can be this mapping's: the target IMSI of a mapping by IMSI, or every IMSI of
   * the SIM for a mapping by SIM ID (the log knows only IMSIs, and Napter picks the SIM's online session).
   */
  readonly imsis: readonly string[];
  /** The device port (`destination.port`), which the log shows as `destinationPort`. */
  readonly devicePort: number;
  readonly sourceIpRanges: readonly string[];
  readonly openedAtMs: number;
  readonly expiresAtMs: number;
  /** Addresses known to be the requester's (their last confirmed IP): a denial from one of them is surely theirs. */
  readonly requesterAddresses: readonly string[];
}

/** Connections per stage: every connection counts once per stage it reached. */
export interface WatchCounts {
  /** Connections that reached Napter (ACCESS, or any later event of a connection). */
  readonly access: number;
  readonly connected: number;
  readonly denied: number;
  readonly refused: number;
  /** Connections that were forwarded (or never got a verdict) and then closed. */
  readonly closed: number;
}

/** How far a connection got: it only moves forward, and each step is counted and told once. */
export type ConnectionStage = 'access' | 'connected' | 'denied' | 'refused' | 'closed';

/**
 * A connection of this watch. An open one tells where its CLOSED, in a later read, belongs; a closed one is
 * kept for a while so that reading its events again (a lost cursor) changes nothing.
 */
export interface TrackedConnection {
  readonly id: string;
  readonly startedAtMs: number;
  readonly sourceIp?: string | undefined;
  readonly stage: ConnectionStage;
  /** The verdict the connection got, once it closed (`stage` is then `closed`). */
  readonly verdict?: 'connected' | 'denied' | 'refused' | undefined;
  readonly connectedAtMs?: number | undefined;
}

/** An address Napter denied or refused on this mapping, and what the requester was told about it. */
export interface SourceRecord {
  readonly ip: string;
  readonly denied: number;
  readonly refused: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  readonly reportedDenied: boolean;
  readonly reportedRefused: boolean;
}

/** Everything a watch remembers between reads. `WATCH_STATE_VERSION` changes when the shape does. */
export interface WatchState {
  readonly version: typeof WATCH_STATE_VERSION;
  readonly counts: WatchCounts;
  readonly connections: readonly TrackedConnection[];
  readonly sources: readonly SourceRecord[];
  readonly ended?: MappingEnd | undefined;
  readonly lastEventAtMs?: number | undefined;
}

export const WATCH_STATE_VERSION = 1;

/**
 * Whether a denied (or refused) address could be the requester's, read as the diagnosis reads the
 * evidence (README, "How napter-bot reads the evidence"): one of their known addresses; else an address that tried soon after the open, or more than
 * once (scanners try once each, at any time); else probably someone else.
 */
export type RequesterLikelihood = 'known' | 'likely' | 'unlikely';

/** One thing that happened to a mapping since the last update, described once. */
export type WatchChange =
  /** Connections that reached Napter and have no verdict yet. */
  | { readonly kind: 'reached'; readonly connections: number; readonly ambiguous: boolean }
  | { readonly kind: 'connected'; readonly connections: number; readonly sourceIps: readonly string[]; readonly ambiguous: boolean }
  /** An address outside the mapping's range, told once (when it first could be the requester's). */
  | {
      readonly kind: 'denied';
      readonly sourceIp: string;
      /** Attempts from it so far. */
      readonly attempts: number;
      readonly requester: RequesterLikelihood;
      readonly ambiguous: boolean;
    }
  /** Napter blocked an address after repeated attempts (REFUSED), told once per address. */
  | { readonly kind: 'refused'; readonly sourceIp: string; readonly attempts: number; readonly requester: RequesterLikelihood; readonly ambiguous: boolean }
  | {
      readonly kind: 'closed';
      readonly connections: number;
      /** Of those, forwarded connections that ended within ENDED_AT_ONCE_MS: the device (or what listens there) hung up. */
      readonly endedAtOnce: number;
      /** Of those, connections that closed without being forwarded (no CONNECTED; an offline device, say). */
      readonly withoutConnect: number;
    }
  | { readonly kind: 'ended'; readonly end: MappingEnd };

/** The cumulative picture for the channel card, which is rewritten in place. Addresses are for masking by the caller. */
export interface WatchSummary {
  readonly counts: WatchCounts;
  /** Most attempts first, at most MAX_SUMMARY_SOURCES. */
  readonly deniedSources: readonly { readonly ip: string; readonly attempts: number; readonly requester: RequesterLikelihood }[];
  readonly refusedSources: readonly { readonly ip: string; readonly attempts: number; readonly requester: RequesterLikelihood }[];
  /** Sources beyond the ones listed. */
  readonly otherSources: number;
  readonly lastEventAtMs?: number | undefined;
  readonly ended?: MappingEnd | undefined;
}

/** At most one per watch per read: what changed (for the requester), the new picture (for the card), and the evidence. */
export interface WatchUpdate {
  readonly watchId: string;
  readonly changes: readonly WatchChange[];
  readonly summary: WatchSummary;
  /** The audit events routed to this watch by this read, oldest first (for a diagnosis of the mapping). */
  readonly events: readonly AuditEvent[];
}

/**
 * The operator-wide read position. The next read starts `lookbackMs` before `readToMs`, because the log shows
 * an event only some time after it happened, under its own time; `seen` holds the keys of the events of that
 * overlap that were handled already, so nothing is handled twice.
 */
export interface AuditCursor {
  readonly version: typeof AUDIT_CURSOR_VERSION;
  readonly readToMs?: number;
  readonly seen: readonly string[];
}

export const AUDIT_CURSOR_VERSION = 1;

export interface AuditWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

export interface WatchOptions {
  /**
   * How far each read reaches back into the previous one. Must exceed the audit log's ingest delay (not
   * published): an event that shows up later than this under its own time is missed, never repeated.
   */
  readonly lookbackMs: number;
  /** Difference allowed between a mapping's `createdTime` and the first events that can be its own. */
  readonly clockToleranceMs: number;
  /** How long an ended watch keeps collecting late events of its connections (CLOSED) before it is finished. */
  readonly trailingMs: number;
  /** Bounds on what a watch remembers. */
  readonly maxTrackedConnections: number;
  readonly maxSources: number;
  /** The audit log's retention: a read never asks for more than this far back. */
  readonly retentionMs: number;
}

import type { DeviceProtocol } from './probe';
import type { AuditEvent, PeekSession, PortMapping, ProbeResult, SimSnapshot } from './soracom';

/** Who a new mapping targets: by IMSI (`/port_mappings`) or by SIM ID (`/port_mappings/sims/{sim_id}`). */
export type MappingTarget =
  | { readonly kind: 'imsi'; readonly imsi: string }
  | { readonly kind: 'sim'; readonly simId: string; readonly service: 'air' | 'arc' };

export interface CreatePortMappingRequest {
  readonly target: MappingTarget;
  readonly devicePort: number;
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  readonly sourceIpRanges: readonly string[];
}

/** A probe of a device port, in the protocol the port speaks when the bot knows it. */
export interface ProbeRequest {
  readonly port: number;
  readonly protocol: DeviceProtocol | undefined;
  /** How long SORACOM waits for the device (sendDownlinkTcp `timeout`; sendDownlinkHttp waits 10 s by itself). */
  readonly timeoutSec: number;
}

/** The audit log of a window, and how many of its entries could not be read (dropped, not fatal). */
export interface AuditLogRead {
  readonly events: AuditEvent[];
  readonly malformed: number;
}

export interface SimSearchOptions {
  /** Stop reading further pages once what was found so far settles the question. */
  readonly stopWhen?: (found: readonly SimSnapshot[]) => boolean;
  /** Read at most this many pages. */
  readonly maxPages?: number;
}

export interface AuditLogQuery {
  readonly imsi: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * SORACOM's rate-limit budget as its last answer stated it (`X-Soracom-Ratelimit-Limit`, `-Remaining`,
 * `-Seconds-Before-Refresh`: per operator, per API, per minute). A header SORACOM did not send is undefined.
 */
export interface RateLimitState {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  readonly secondsBeforeRefresh: number | undefined;
}

/** One window of the whole operator's Napter audit log (every IMSI). */
export interface OperatorAuditLogQuery {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The operator-wide audit log of a window, or SORACOM's 429 as a value: a poller backs off on either
 * (`rateLimit`) instead of waiting inside the call. `pages` is the number of SORACOM calls the read made.
 */
export type OperatorAuditLogRead =
  | {
      readonly kind: 'read';
      /** Newest first, as the API returns them; every event carries its IMSI. */
      readonly events: AuditEvent[];
      /** Entries dropped because they could not be read, or named no IMSI to route them by. */
      readonly malformed: number;
      readonly pages: number;
      /** From the last page's answer. */
      readonly rateLimit: RateLimitState;
    }
  | {
      readonly kind: 'rate-limited';
      /** Pages read (and discarded) before the 429; the window is to be read again whole. */
      readonly pages: number;
      readonly rateLimit: RateLimitState;
    };

/**
 * Everything the bot asks of SORACOM. The one implementation is `src/soracom/client.ts`; every SORACOM
 * call in the bot goes through it (tests point it at the simulator, never at a stub of this interface).
 * "Not found" is a value (`undefined` / empty list); other failures throw `SoracomError`s.
 */
export interface NapterApi {
  /** Never retried blindly: after a lost response the client lists mappings and returns the one it made, if any. */
  createPortMapping(request: CreatePortMappingRequest): Promise<PortMapping>;
  /** 404 from SORACOM means "none": returns []. */
  listPortMappingsForSim(simId: string): Promise<PortMapping[]>;
  /** Only mappings created by IMSI. 404 means none: returns []. */
  listPortMappingsForSubscriber(imsi: string): Promise<PortMapping[]>;
  /** Every page. */
  listPortMappings(): Promise<PortMapping[]>;
  /** `ipAddress`/`port` are the public endpoint. Returns false when it did not exist (404). */
  deletePortMapping(ipAddress: string, port: number): Promise<boolean>;
  /** Every page, newest first as the API returns them; an unreadable entry is dropped and counted. */
  getNapterAuditLogs(query: AuditLogQuery): Promise<AuditLogRead>;
  getSim(simId: string): Promise<SimSnapshot | undefined>;
  getSubscriber(imsi: string): Promise<SimSnapshot | undefined>;
  /**
   * Search by the `name` tag. SORACOM matches partially and case-insensitively, needs every value to have
   * at least 2 characters, and splits values at commas; callers decide what an exact match is. Several
   * names are searched as alternatives (`search_type=or`).
   */
  searchSimsByName(name: string | readonly string[], options?: SimSearchOptions): Promise<SimSnapshot[]>;
  /**
   * SORACOM itself speaks to the device port (`sendDownlinkTcp` / `sendDownlinkHttp`): answered, refused or
   * no answer. A request SORACOM does not answer in time is "no answer" too; other failures throw.
   */
  probeDevice(simId: string, request: ProbeRequest): Promise<ProbeResult>;
  pingDevice(simId: string): Promise<{ readonly success: boolean; readonly rttMs: number | undefined }>;
  createPeekSession(simId: string, durationSec: number, prefix?: string): Promise<PeekSession>;
  getPeekSession(simId: string, sessionId: string): Promise<PeekSession | undefined>;
  listPeekSessions(simId: string): Promise<PeekSession[]>;
  stopPeekSession(simId: string, sessionId: string): Promise<PeekSession>;
}

/**
 * The port of the shared watch poll, apart from NapterApi so that a caller (and a fake) needing one does
 * not need the other. `src/soracom/client.ts` implements both.
 */
export interface OperatorAuditLogReader {
  /**
   * The whole operator's audit log for one window, every page (`GET /audit_logs/napter` without
   * `resource_type`/`resource_id`, which the spec makes optional): what one shared watch poll reads and
   * routes by IMSI, so SORACOM calls per interval do not grow with the number of watched mappings. A 429
   * comes back as `rate-limited` at once (no waiting inside); other failures throw `SoracomError`s.
   */
  readOperatorAuditLog(query: OperatorAuditLogQuery): Promise<OperatorAuditLogRead>;
}

/**
 * SORACOM concepts as the rest of the bot sees them: normalised, never wire-shaped.
 * Every time is Unix milliseconds (`…Ms`), every duration says its unit (`…Sec`), because the
 * SORACOM API mixes seconds and milliseconds and the troubleshooting guide names that as a classic bug.
 */

/** SIM `status` values; `ready` and `active` can carry data. Unknown values from the API are kept as they are. */
export type SimStatus = 'ready' | 'active' | 'inactive' | 'standby' | 'suspended' | 'terminated' | (string & {});

export const DATA_CAPABLE_SIM_STATUSES: readonly string[] = ['active', 'ready'];

export interface SimSnapshot {
  readonly simId: string;
  /** The IMSI the SIM uses now (`sessionStatus.imsi`), else its primary IMSI. Audit logs know only IMSIs. */
  readonly imsi: string | undefined;
  /** Every IMSI (subscription) the SIM holds. */
  readonly imsis: readonly string[];
  /** `tags.name`, "" when unnamed. */
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly status: SimStatus;
  readonly groupId: string | undefined;
  readonly online: boolean;
  /** The device's private address on the cellular side; the audit log shows it as the destination. */
  readonly ueIpAddress: string | undefined;
  readonly sessionUpdatedAtMs: number | undefined;
  /** When the previous session ended (`previousSession.deletedTime`). */
  readonly previousSessionEndedAtMs: number | undefined;
  readonly lastPortMappingCreatedAtMs: number | undefined;
}

/** How a mapping picks its target (`destination.destinationChoosingStrategy`). */
export type DestinationStrategy = 'IMSI_PRIORITIZED' | 'AIR_PRIORITIZED' | 'ARC_PRIORITIZED' | 'DYNAMIC' | (string & {});

export interface PortMapping {
  /** Public Napter entry point: what the user connects to and what DELETE takes. Never post it to a channel. */
  readonly ipAddress: string;
  readonly port: number;
  readonly endpoint: string;
  readonly hostname: string | undefined;
  readonly destination: {
    readonly imsi: string | undefined;
    readonly simId: string | undefined;
    /** The device port (22, 80, 3389…), not the public one. */
    readonly port: number;
    readonly strategy: DestinationStrategy | undefined;
  };
  readonly sourceIpRanges: readonly string[];
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly expired: boolean;
  readonly placement: string | undefined;
}

export const AUDIT_EVENT_TYPES = ['CREATED', 'DELETED', 'EXPIRED', 'ACCESS', 'CONNECTED', 'DENIED', 'REFUSED', 'CLOSED'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** One Napter audit log entry. `source*` is the client as Napter saw it; `destination*` is the device (private IP, device port). */
export interface AuditEvent {
  readonly connectionId: string;
  readonly atMs: number;
  readonly type: AuditEventType;
  readonly imsi: string;
  readonly tls: boolean;
  readonly sourceIp: string | undefined;
  readonly sourcePort: number | undefined;
  readonly destinationIp: string | undefined;
  readonly destinationPort: number | undefined;
}

/**
 * How the probe spoke to the device port: `sendDownlinkTcp` in `wait_first` mode with an empty payload
 * (services that speak first, and unknown ones), with an RDP X.224 Connection Request as the payload, or
 * `sendDownlinkHttp` over plain HTTP or HTTPS.
 */
export type ProbeMethod = 'tcp-wait-first' | 'tcp-rdp-x224' | 'http' | 'https';

/**
 * What SORACOM's own connection to the device port (`sendDownlinkTcp` / `sendDownlinkHttp`) found, three
 * outcomes kept apart: the service answered; the device refused or hung up before answering (a 422 that came
 * back fast); nothing answered (a 422 after the timeout, or no answer from SORACOM at all). A silence is
 * `conclusive` only for a service that must answer (one that speaks first, or one the probe spoke its
 * protocol to); from an unknown service that waits for its client it proves nothing.
 */
export type ProbeResult =
  | {
      readonly kind: 'answered';
      readonly port: number;
      readonly method: ProbeMethod;
      readonly atMs: number;
      /** The device's HTTP status, for the HTTP methods. */
      readonly httpStatus?: number;
    }
  | {
      readonly kind: 'refused';
      readonly port: number;
      readonly method: ProbeMethod;
      readonly atMs: number;
      /** SORACOM's own error (code and message), shown as evidence. */
      readonly message: string;
      readonly elapsedMs: number;
    }
  | {
      readonly kind: 'no-answer';
      readonly port: number;
      readonly method: ProbeMethod;
      readonly atMs: number;
      readonly message: string;
      readonly elapsedMs: number;
      readonly conclusive: boolean;
    }
  | { readonly kind: 'skipped'; readonly reason: 'offline' | 'no-port' | 'disabled-by-policy' | 'error' };

export const PEEK_STATUSES = ['REQUESTED', 'ACCEPTED', 'CAPTURING', 'POST_PROCESSING', 'DONE', 'FAILED', 'STOPPED'] as const;
export type PeekStatus = (typeof PEEK_STATUSES)[number] | (string & {});
/** Peek statuses after which nothing changes any more. */
export const FINAL_PEEK_STATUSES: readonly string[] = ['DONE', 'FAILED', 'STOPPED'];

export interface PeekSession {
  readonly sessionId: string;
  readonly simId: string;
  readonly status: PeekStatus;
  readonly durationSec: number;
  readonly prefix: string | undefined;
  readonly createdAtMs: number | undefined;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
  readonly failedReason: string | undefined;
  /** Download link, valid about 5 minutes once filled: fetch the session again right before use, never store it. */
  readonly url: string | undefined;
}

/** Napter's hard cap on a mapping's life. */
export const MAX_MAPPING_DURATION_SEC = 8 * 60 * 60;
/** The console's (and the guide's) default. */
export const DEFAULT_MAPPING_DURATION_SEC = 30 * 60;
/** Peek's documented minimum (the spec says 30, the docs 60: send at least 60). */
export const MIN_PEEK_DURATION_SEC = 60;

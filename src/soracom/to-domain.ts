import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType, type PeekSession, type PortMapping, type SimSnapshot } from '../domain/soracom';
import type {
  WireNapterAuditLogEntry,
  WirePacketCaptureSession,
  WirePeekTime,
  WirePortMapping,
  WireSim,
  WireSimProfile,
  WireSubscriber,
  WireTags,
} from './wire';

/**
 * Wire shapes → domain types. Units are fixed here once: mapping `duration` and Peek `duration` are
 * seconds, every SORACOM `…Time`/`createdAt` is Unix milliseconds, Peek times may also be ISO strings.
 */

const MS_PER_SEC = 1000;

/** `nowMs` decides `expired` only when SORACOM leaves the flag out. */
export function toPortMapping(wire: WirePortMapping, nowMs: number): PortMapping {
  const durationFromWire = finite(wire.duration);
  const expiredTimeFromWire = finite(wire.expiredTime);
  const createdAtMs =
    finite(wire.createdTime) ?? (expiredTimeFromWire !== undefined && durationFromWire !== undefined ? expiredTimeFromWire - durationFromWire * MS_PER_SEC : 0);
  const expiresAtMs = expiredTimeFromWire ?? createdAtMs + (durationFromWire ?? 0) * MS_PER_SEC;
  const durationSec = durationFromWire ?? Math.max(0, Math.round((expiresAtMs - createdAtMs) / MS_PER_SEC));
  return {
    ipAddress: wire.ipAddress,
    port: wire.port,
    endpoint: nonEmpty(wire.endpoint) ?? `${wire.ipAddress}:${wire.port}`,
    hostname: nonEmpty(wire.hostname),
    destination: {
      imsi: nonEmpty(wire.destination.imsi) ?? nonEmpty(wire.imsi),
      simId: nonEmpty(wire.destination.simId) ?? nonEmpty(wire.simId),
      port: wire.destination.port,
      strategy: nonEmpty(wire.destination.destinationChoosingStrategy),
    },
    sourceIpRanges: wire.source?.ipRanges ?? [],
    durationSec,
    tlsRequired: wire.tlsRequired === true,
    createdAtMs,
    expiresAtMs,
    expired: wire.expired ?? nowMs >= expiresAtMs,
    placement: nonEmpty(wire.placement),
  };
}

const KNOWN_AUDIT_TYPES: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);

function isAuditEventType(type: string): type is AuditEventType {
  return KNOWN_AUDIT_TYPES.has(type);
}

/** `undefined` for an event type this bot does not know (SORACOM may add some); callers drop those. */
export function toAuditEvent(wire: WireNapterAuditLogEntry, queriedImsi: string): AuditEvent | undefined {
  const type = wire.type.toUpperCase();
  if (!isAuditEventType(type)) return undefined;
  return {
    connectionId: wire.connectionId ?? '',
    atMs: wire.createdAt,
    type,
    imsi: nonEmpty(wire.imsi) ?? queriedImsi,
    tls: wire.tls === true,
    sourceIp: nonEmpty(wire.direction?.sourceIPAddress),
    sourcePort: finite(wire.direction?.sourcePort),
    destinationIp: nonEmpty(wire.direction?.destinationIPAddress),
    destinationPort: finite(wire.direction?.destinationPort),
  };
}

export function toSimSnapshotFromSim(wire: WireSim): SimSnapshot {
  const imsis = imsisOfProfiles(wire.profiles ?? {}, wire.activeProfileId ?? undefined);
  return {
    simId: wire.simId,
    imsi: nonEmpty(wire.sessionStatus?.imsi) ?? imsis[0],
    imsis,
    ...snapshotState(wire),
  };
}

/** A subscriber without a `simId` (very old accounts) gets "" as its SIM ID. */
export function toSimSnapshotFromSubscriber(wire: WireSubscriber): SimSnapshot {
  const sessionImsi = nonEmpty(wire.sessionStatus?.imsi);
  return {
    simId: nonEmpty(wire.simId) ?? '',
    imsi: sessionImsi ?? wire.imsi,
    imsis: unique([wire.imsi, ...(sessionImsi === undefined ? [] : [sessionImsi])]),
    ...snapshotState(wire),
  };
}

/** What a SIM and a subscriber say alike: tags, status, group and session; only how they name IMSIs differs. */
function snapshotState(wire: WireSim | WireSubscriber): Omit<SimSnapshot, 'simId' | 'imsi' | 'imsis'> {
  return {
    name: tagName(wire.tags),
    tags: stringTags(wire.tags),
    status: nonEmpty(wire.status) ?? 'unknown',
    groupId: nonEmpty(wire.groupId),
    online: wire.sessionStatus?.online === true,
    ueIpAddress: nonEmpty(wire.sessionStatus?.ueIpAddress),
    sessionUpdatedAtMs: finite(wire.sessionStatus?.lastUpdatedAt),
    previousSessionEndedAtMs: finite(wire.previousSession?.deletedTime),
    lastPortMappingCreatedAtMs: finite(wire.lastPortMappingCreatedTime),
  };
}

export function toPeekSession(wire: WirePacketCaptureSession, simId: string): PeekSession {
  return {
    sessionId: wire.sessionId,
    simId,
    status: wire.status,
    durationSec: finite(wire.duration) ?? 0,
    prefix: nonEmpty(wire.prefix),
    createdAtMs: peekTimeToMs(wire.createdTime),
    startedAtMs: peekTimeToMs(wire.startedTime),
    endedAtMs: peekTimeToMs(wire.endedTime),
    failedReason: nonEmpty(wire.failedReason),
    url: nonEmpty(wire.url),
  };
}

/** Values below this are taken as seconds: 1e11 ms is 1973, 1e11 s is far in the future. */
const SECONDS_EPOCH_LIMIT = 1e11;

/** Peek times per spec are ISO 8601 strings; the real API may send epoch numbers (ms, or seconds). */
export function peekTimeToMs(value: WirePeekTime): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return epochNumberToMs(value);
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return epochNumberToMs(Number(text));
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function epochNumberToMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return value < SECONDS_EPOCH_LIMIT ? Math.round(value * MS_PER_SEC) : Math.round(value);
}

/**
 * Round-trip time from `DownlinkPingResponse.rtt`, free text such as
 * "rtt min/avg/max/mdev = 50.1/52.3/55.0/2.0 ms" (the average is taken) or "52.3 ms".
 */
export function parseRttMs(rtt: string | null | undefined): number | undefined {
  if (rtt === null || rtt === undefined) return undefined;
  const summary = /=\s*([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(rtt);
  const text = summary?.[2] ?? /([\d.]+)/.exec(rtt)?.[1];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  return /\bs\b|sec/i.test(rtt) && !/ms/i.test(rtt) ? value * MS_PER_SEC : value;
}

/** Primary IMSIs first (the active profile's leading), then every other subscription. */
function imsisOfProfiles(profiles: Readonly<Record<string, WireSimProfile>>, activeProfileId: string | undefined): string[] {
  const entries = Object.entries(profiles);
  entries.sort(([a], [b]) => (a === activeProfileId ? -1 : b === activeProfileId ? 1 : 0));
  const primaries: string[] = [];
  const others: string[] = [];
  for (const [, profile] of entries) {
    const primary = nonEmpty(profile.primaryImsi);
    if (primary !== undefined) primaries.push(primary);
    for (const [key, subscriber] of Object.entries(profile.subscribers ?? {})) {
      const imsi = nonEmpty(subscriber.imsi) ?? key;
      if (imsi !== '') others.push(imsi);
    }
  }
  return unique([...primaries, ...others]);
}

function stringTags(tags: WireTags | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (typeof value === 'string') result[key] = value;
  }
  return result;
}

function tagName(tags: WireTags | null | undefined): string {
  const name = tags?.['name'];
  return typeof name === 'string' ? name : '';
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

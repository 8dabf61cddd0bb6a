import type { AuditEvent, PortMapping } from '../soracom';
import { DATA_CAPABLE_SIM_STATUSES } from '../soracom';
import { parseAddress, parseAddressRange, rangeContains, type AddressRange } from './address-range';
import type { IpAddress } from '../net/address';
import { protocolForPort, type DeviceProtocol } from '../probe';
import type { DiagnoseInput, ObservedSource } from './types';

/**
 * Pure reductions of the raw evidence into facts the rules read. One pass over the events (grouped by
 * connection id once); mappings are few, so matching connections to them by binary search keeps the
 * whole thing linear in the number of events.
 */

/**
 * A connection whose CLOSED follows its CONNECTED this fast "ended at once": the device (or what listens
 * there) reset it or hung up. A reset comes back within a round trip or two even on LTE-M (about a second);
 * nobody logs in over SSH, starts an RDP session or loads a page in that time.
 */
export const ENDED_AT_ONCE_MS = 3_000;
/**
 * A connection counts as used only when it lasted longer than this. Napter logs CONNECTED before the device
 * has answered (the guide lists a device firewall and routing by Wi-Fi among the causes *with* CONNECTED), so
 * a device that never answers shows CONNECTED, then CLOSED when the connect attempt times out: tens of
 * seconds on usual proxies, about 127 s at most with Linux's default SYN retries. Past 150 s no connect
 * timeout explains the length; below it, a length alone cannot tell use from a timeout.
 */
export const NORMAL_USE_MIN_MS = 150_000;
/** Connections that each hang until the same timeout end after about the same time: within 20 % (or 3 s) of each other. */
export const HANG_LENGTH_SPREAD = 0.2;
export const HANG_LENGTH_SPREAD_MIN_MS = 3_000;
/** A mapping younger than this that nobody has tried yet is just opened, not blocked. */
export const JUST_OPENED_MS = 5 * 60_000;
/** Scanner noise: at least this many distinct addresses, each with a single attempt and nothing else tying it to the user. */
export const SCANNER_CROWD_MIN = 3;
/** The audit log's free retention. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** CREATED / EXPIRED events and a listed mapping's own times may differ by this much and still be one mapping. */
export const LIFECYCLE_MATCH_TOLERANCE_MS = 60_000;
/** A user's attempts follow their action through the bot (or the mapping's creation); allow for clock skew before it. */
export const USER_ACTION_LEAD_MS = 60_000;
export const USER_ACTION_FOLLOW_MS = 15 * 60_000;

export type LifetimeEnd = 'active' | 'expired' | 'deleted';

/** One mapping's life as far as the listing and the log tell it. The log has no mapping id. */
export interface MappingLifetime {
  readonly mapping: PortMapping | undefined;
  readonly devicePort: number | undefined;
  /** undefined: created before the window and not listed. */
  readonly startAtMs: number | undefined;
  /** undefined: no end known (still open as far as the evidence goes). */
  readonly endAtMs: number | undefined;
  readonly end: LifetimeEnd;
  readonly createdEvent: AuditEvent | undefined;
  readonly endEvent: AuditEvent | undefined;
  readonly tlsRequired: boolean | undefined;
  readonly sourceRanges: readonly AddressRange[] | undefined;
}

export type ConnectionOutcome = 'connected' | 'refused' | 'denied' | 'access-only';
/**
 * How long a CONNECTED connection lasted: ended at once, short (as long as a connect timeout could be),
 * used (longer than any connect timeout), or still open and not yet long enough to tell.
 */
export type ConnectionUse = 'at-once' | 'short' | 'used' | 'open';
/** Where a connection falls in its mapping's life. */
export type ConnectionPhase = 'while-active' | 'after-end' | 'unmatched';

export interface ConnectionFacts {
  readonly connectionId: string;
  readonly startedAtMs: number;
  readonly sourceIp: string | undefined;
  readonly devicePort: number | undefined;
  readonly tls: boolean;
  readonly outcome: ConnectionOutcome;
  readonly access: AuditEvent | undefined;
  readonly connected: AuditEvent | undefined;
  readonly denied: AuditEvent | undefined;
  readonly refused: AuditEvent | undefined;
  readonly closed: AuditEvent | undefined;
  /** CONNECTED to CLOSED (to now while open); undefined without CONNECTED. */
  readonly connectedMs: number | undefined;
  /** undefined without CONNECTED. */
  readonly use: ConnectionUse | undefined;
  readonly lifetime: MappingLifetime | undefined;
  readonly phase: ConnectionPhase;
  /** undefined when the mapping's ranges are unknown or the address does not parse. */
  readonly admitted: boolean | undefined;
  /** Could be the user's: not scanner noise (README, "How napter-bot reads the evidence"). */
  readonly fromUser: boolean;
}

export interface Facts {
  readonly input: DiagnoseInput;
  readonly simFound: boolean;
  readonly simDataCapable: boolean;
  readonly simOnline: boolean;
  /** Events of the SIM's IMSIs in the window. */
  readonly eventCount: number;
  readonly oldestEventAtMs: number | undefined;
  readonly lifetimes: readonly MappingLifetime[];
  /** The mapping the diagnosis is about: the latest one (to the intended port when known). */
  readonly focus: MappingLifetime | undefined;
  readonly focusActiveNow: boolean;
  /** How long ago the focus mapping was created, when known. */
  readonly focusAgeMs: number | undefined;
  readonly connections: readonly ConnectionFacts[];
  readonly focusConnections: readonly ConnectionFacts[];
  /** The user's latest connection to the focus mapping (by start time). */
  readonly latestUserConnection: ConnectionFacts | undefined;
  readonly observedSources: readonly ObservedSource[];
  /** Connections set aside because they belong to an earlier mapping. */
  readonly olderMappingConnectionCount: number;
  /** Addresses judged to be scanners (not the user), and their attempts. */
  readonly scannerSourceCount: number;
  readonly scannerAttemptCount: number;
  /** The device port the user means: the intent's, else the focus mapping's. */
  readonly devicePort: number | undefined;
  /** What the focus mapping's device port speaks, when known (the user's word, the configuration, the default ports). */
  readonly protocol: DeviceProtocol | undefined;
  /** Resolves any port's protocol from the same sources. */
  readonly protocolOf: (port: number | undefined) => DeviceProtocol | undefined;
}

interface MutableLifetime {
  mapping: PortMapping | undefined;
  devicePort: number | undefined;
  startAtMs: number | undefined;
  endAtMs: number | undefined;
  end: LifetimeEnd;
  createdEvent: AuditEvent | undefined;
  endEvent: AuditEvent | undefined;
  tlsRequired: boolean | undefined;
  sourceRanges: readonly AddressRange[] | undefined;
}

/** Filled in place and handed out as the ConnectionFacts itself: one object per connection, every field set at creation. */
interface ConnectionAccumulator {
  connectionId: string;
  startedAtMs: number;
  sourceIp: string | undefined;
  devicePort: number | undefined;
  tls: boolean;
  outcome: ConnectionOutcome;
  access: AuditEvent | undefined;
  connected: AuditEvent | undefined;
  denied: AuditEvent | undefined;
  refused: AuditEvent | undefined;
  closed: AuditEvent | undefined;
  connectedMs: number | undefined;
  use: ConnectionUse | undefined;
  lifetime: MappingLifetime | undefined;
  phase: ConnectionPhase;
  admitted: boolean | undefined;
  fromUser: boolean;
  source: SourceAccumulator | undefined;
}

interface SourceAccumulator {
  ip: string;
  count: number;
  firstAtMs: number;
  lastAtMs: number;
  types: Partial<Record<AuditEvent['type'], number>>;
  latestAttemptAtMs: number;
  latestAdmitted: boolean | undefined;
  /** Parsed once per address, not once per connection. */
  address: IpAddress | undefined;
  userJudged: boolean;
  connected: boolean;
  /** Some attempt came from inside the mapping's allowed ranges: scanners do not. */
  admittedOnce: boolean;
  /** Some attempt came soon after the user's own action through the bot (an open, a retry). */
  nearAction: boolean;
}

const LIFECYCLE_TYPES: ReadonlySet<AuditEvent['type']> = new Set(['CREATED', 'DELETED', 'EXPIRED']);

const portsCompatible = (a: number | undefined, b: number | undefined): boolean => a === undefined || b === undefined || a === b;

/** Earlier-or-equal event wins, so a duplicated entry cannot move a connection's story forward. */
const earlier = (current: AuditEvent | undefined, candidate: AuditEvent): AuditEvent =>
  current === undefined || candidate.atMs < current.atMs ? candidate : current;

function lifetimeFromMapping(mapping: PortMapping, nowMs: number): MutableLifetime {
  const ranges = mapping.sourceIpRanges.map(parseAddressRange).filter((range): range is AddressRange => range !== undefined);
  const ended = mapping.expired || mapping.expiresAtMs <= nowMs;
  return {
    mapping,
    devicePort: mapping.destination.port,
    startAtMs: mapping.createdAtMs,
    endAtMs: mapping.expiresAtMs,
    end: ended ? 'expired' : 'active',
    createdEvent: undefined,
    endEvent: undefined,
    tlsRequired: mapping.tlsRequired,
    // An empty or unparseable list tells nothing about who was admitted.
    sourceRanges: ranges.length > 0 ? ranges : undefined,
  };
}

function mappingBelongsToSim(mapping: PortMapping, simId: string | undefined, imsis: ReadonlySet<string>): boolean {
  if (simId === undefined && imsis.size === 0) return true;
  if (mapping.destination.simId !== undefined && mapping.destination.simId === simId) return true;
  if (mapping.destination.imsi !== undefined && imsis.has(mapping.destination.imsi)) return true;
  return mapping.destination.simId === undefined && mapping.destination.imsi === undefined;
}

/** Listed mappings first, then the log's CREATED / EXPIRED / DELETED attached to them or added as lifetimes of their own. */
function buildLifetimes(input: DiagnoseInput, imsis: ReadonlySet<string>, lifecycle: AuditEvent[]): MutableLifetime[] {
  const seenEndpoints = new Set<string>();
  const lifetimes: MutableLifetime[] = [];
  for (const mapping of input.mappings) {
    if (!mappingBelongsToSim(mapping, input.sim?.simId, imsis)) continue;
    const key = `${mapping.endpoint}@${mapping.createdAtMs}`;
    if (seenEndpoints.has(key)) continue;
    seenEndpoints.add(key);
    lifetimes.push(lifetimeFromMapping(mapping, input.nowMs));
  }
  lifecycle.sort((a, b) => a.atMs - b.atMs);
  for (const event of lifecycle) {
    if (event.type === 'CREATED') {
      let best: MutableLifetime | undefined;
      for (const lifetime of lifetimes) {
        if (lifetime.createdEvent || lifetime.startAtMs === undefined || !lifetime.mapping) continue;
        if (!portsCompatible(lifetime.devicePort, event.destinationPort)) continue;
        const distance = Math.abs(lifetime.startAtMs - event.atMs);
        if (distance > LIFECYCLE_MATCH_TOLERANCE_MS) continue;
        if (!best || distance < Math.abs((best.startAtMs ?? 0) - event.atMs)) best = lifetime;
      }
      if (best) {
        best.createdEvent = event;
      } else {
        lifetimes.push({
          mapping: undefined,
          devicePort: event.destinationPort,
          startAtMs: event.atMs,
          endAtMs: undefined,
          end: 'active',
          createdEvent: event,
          endEvent: undefined,
          tlsRequired: undefined,
          sourceRanges: undefined,
        });
      }
      continue;
    }
    const endKind: LifetimeEnd = event.type === 'EXPIRED' ? 'expired' : 'deleted';
    let best: MutableLifetime | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const lifetime of lifetimes) {
      if (lifetime.endEvent) continue;
      if (!portsCompatible(lifetime.devicePort, event.destinationPort)) continue;
      if (lifetime.startAtMs !== undefined && lifetime.startAtMs > event.atMs + LIFECYCLE_MATCH_TOLERANCE_MS) continue;
      // EXPIRED lands on the mapping whose expiry time it matches; DELETED on the latest one created before it.
      const score =
        endKind === 'expired' && lifetime.endAtMs !== undefined
          ? Math.abs(lifetime.endAtMs - event.atMs)
          : event.atMs - (lifetime.startAtMs ?? Number.NEGATIVE_INFINITY);
      if (endKind === 'expired' && lifetime.endAtMs !== undefined && score > LIFECYCLE_MATCH_TOLERANCE_MS) continue;
      if (score < bestScore) {
        best = lifetime;
        bestScore = score;
      }
    }
    if (best) {
      best.endEvent = event;
      best.end = endKind;
      best.endAtMs = best.endAtMs === undefined || endKind === 'deleted' ? event.atMs : Math.min(best.endAtMs, event.atMs);
    } else {
      lifetimes.push({
        mapping: undefined,
        devicePort: event.destinationPort,
        startAtMs: undefined,
        endAtMs: event.atMs,
        end: endKind,
        createdEvent: undefined,
        endEvent: event,
        tlsRequired: undefined,
        sourceRanges: undefined,
      });
    }
  }
  lifetimes.sort((a, b) => (a.startAtMs ?? Number.NEGATIVE_INFINITY) - (b.startAtMs ?? Number.NEGATIVE_INFINITY));
  return lifetimes;
}

/** Lifetimes sorted by start, indexed by device port, for "latest mapping started at or before t" in O(log L). */
class LifetimeIndex {
  private readonly byPort = new Map<number, MutableLifetime[]>();
  private readonly unknownPort: MutableLifetime[] = [];

  constructor(private readonly all: readonly MutableLifetime[]) {
    for (const lifetime of all) {
      if (lifetime.devicePort === undefined) {
        this.unknownPort.push(lifetime);
      } else {
        const list = this.byPort.get(lifetime.devicePort) ?? [];
        list.push(lifetime);
        this.byPort.set(lifetime.devicePort, list);
      }
    }
  }

  find(atMs: number, devicePort: number | undefined): MutableLifetime | undefined {
    if (devicePort === undefined) return latestStartedBy(this.all, atMs);
    const exact = latestStartedBy(this.byPort.get(devicePort) ?? [], atMs);
    const loose = latestStartedBy(this.unknownPort, atMs);
    if (!exact) return loose;
    if (!loose) return exact;
    return (loose.startAtMs ?? Number.NEGATIVE_INFINITY) > (exact.startAtMs ?? Number.NEGATIVE_INFINITY) ? loose : exact;
  }
}

function latestStartedBy(sorted: readonly MutableLifetime[], atMs: number): MutableLifetime | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = sorted[middle]?.startAtMs ?? Number.NEGATIVE_INFINITY;
    if (start <= atMs) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? sorted[low - 1] : undefined;
}

function chooseFocus(lifetimes: readonly MutableLifetime[], intendedPort: number | undefined): MutableLifetime | undefined {
  const latestOf = (candidates: readonly MutableLifetime[]) => candidates[candidates.length - 1];
  if (intendedPort !== undefined) {
    const toPort = lifetimes.filter((lifetime) => lifetime.devicePort === intendedPort);
    if (toPort.length > 0) return latestOf(toPort);
  }
  return latestOf(lifetimes);
}

function sortedNumbers(values: readonly number[] | undefined): number[] {
  return values ? [...values].sort((a, b) => a - b) : [];
}

function isNearAction(sortedActions: readonly number[], atMs: number): boolean {
  if (sortedActions.length === 0) return false;
  // Latest action at or before atMs + lead; the attempt must follow it within the follow window.
  let low = 0;
  let high = sortedActions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedActions[middle] ?? 0) <= atMs + USER_ACTION_LEAD_MS) low = middle + 1;
    else high = middle;
  }
  const action = sortedActions[low - 1];
  return action !== undefined && atMs - action <= USER_ACTION_FOLLOW_MS;
}

function outcomeOf(connection: ConnectionAccumulator): ConnectionOutcome {
  if (connection.refused) return 'refused';
  if (connection.denied) return 'denied';
  if (connection.connected) return 'connected';
  return 'access-only';
}

function countType(source: SourceAccumulator, event: AuditEvent | undefined): void {
  if (event) source.types[event.type] = (source.types[event.type] ?? 0) + 1;
}

export function computeFacts(input: DiagnoseInput): Facts {
  const sim = input.sim;
  const imsis = new Set<string>(sim ? [...sim.imsis, ...(sim.imsi ? [sim.imsi] : [])] : []);
  const intent = input.intent;

  // Pass 1 over the events: lifecycle events aside, connection events grouped by connection id.
  const lifecycle: AuditEvent[] = [];
  const connectionsById = new Map<string, ConnectionAccumulator>();
  let eventCount = 0;
  let oldestEventAtMs: number | undefined;
  for (const event of input.events) {
    if (imsis.size > 0 && !imsis.has(event.imsi)) continue;
    eventCount += 1;
    if (oldestEventAtMs === undefined || event.atMs < oldestEventAtMs) oldestEventAtMs = event.atMs;
    if (LIFECYCLE_TYPES.has(event.type)) {
      lifecycle.push(event);
      continue;
    }
    let connection = connectionsById.get(event.connectionId);
    if (!connection) {
      connection = {
        connectionId: event.connectionId,
        startedAtMs: event.atMs,
        sourceIp: event.sourceIp,
        devicePort: event.destinationPort,
        tls: event.tls,
        outcome: 'access-only',
        access: undefined,
        connected: undefined,
        denied: undefined,
        refused: undefined,
        closed: undefined,
        connectedMs: undefined,
        use: undefined,
        lifetime: undefined,
        phase: 'unmatched',
        admitted: undefined,
        fromUser: false,
        source: undefined,
      };
      connectionsById.set(event.connectionId, connection);
    } else {
      if (event.atMs < connection.startedAtMs) connection.startedAtMs = event.atMs;
      connection.sourceIp ??= event.sourceIp;
      connection.devicePort ??= event.destinationPort;
      connection.tls ||= event.tls;
    }
    switch (event.type) {
      case 'ACCESS':
        connection.access = earlier(connection.access, event);
        break;
      case 'CONNECTED':
        connection.connected = earlier(connection.connected, event);
        break;
      case 'DENIED':
        connection.denied = earlier(connection.denied, event);
        break;
      case 'REFUSED':
        connection.refused = earlier(connection.refused, event);
        break;
      case 'CLOSED':
        connection.closed = earlier(connection.closed, event);
        break;
    }
  }

  const lifetimes = buildLifetimes(input, imsis, lifecycle);
  const index = new LifetimeIndex(lifetimes);
  const focus = chooseFocus(lifetimes, intent?.devicePort);
  const actionTimes = sortedNumbers(intent?.actionTimesMs);
  const intentRange = intent?.sourceIp !== undefined ? parseAddressRange(intent.sourceIp) : undefined;

  // Pass 2 over the connections: their mapping, phase, admission, and their source's tally.
  const sources = new Map<string, SourceAccumulator>();
  for (const connection of connectionsById.values()) {
    const lifetime = index.find(connection.startedAtMs, connection.devicePort);
    connection.lifetime = lifetime;
    connection.phase =
      lifetime === undefined ? 'unmatched' : lifetime.endAtMs !== undefined && connection.startedAtMs >= lifetime.endAtMs ? 'after-end' : 'while-active';
    const outcome = outcomeOf(connection);
    connection.outcome = outcome;
    if (connection.connected !== undefined) {
      const open = connection.closed === undefined;
      const lengthMs = (open ? input.nowMs : (connection.closed?.atMs ?? input.nowMs)) - connection.connected.atMs;
      connection.connectedMs = lengthMs;
      connection.use = useOf(lengthMs, open);
    }

    const ip = connection.sourceIp;
    let source: SourceAccumulator | undefined;
    if (ip !== undefined) {
      source = sources.get(ip);
      if (!source) {
        source = {
          ip,
          count: 0,
          firstAtMs: connection.startedAtMs,
          lastAtMs: connection.startedAtMs,
          types: {},
          latestAttemptAtMs: Number.NEGATIVE_INFINITY,
          latestAdmitted: undefined,
          address: parseAddress(ip),
          userJudged: false,
          connected: false,
          admittedOnce: false,
          nearAction: false,
        };
        sources.set(ip, source);
      }
      connection.source = source;
    }

    let admitted: boolean | undefined;
    const address = source?.address;
    if (address !== undefined && lifetime?.sourceRanges) {
      admitted = lifetime.sourceRanges.some((range) => rangeContains(range, address));
    }
    if (admitted === undefined && connection.phase === 'while-active') {
      if (outcome === 'connected') admitted = true;
      else if (outcome === 'denied' || outcome === 'refused') admitted = false;
    }
    connection.admitted = admitted;

    if (!source) continue;
    source.count += 1;
    if (connection.startedAtMs < source.firstAtMs) source.firstAtMs = connection.startedAtMs;
    if (connection.startedAtMs > source.lastAtMs) source.lastAtMs = connection.startedAtMs;
    countType(source, connection.access);
    countType(source, connection.connected);
    countType(source, connection.denied);
    countType(source, connection.refused);
    countType(source, connection.closed);
    if (connection.startedAtMs >= source.latestAttemptAtMs) {
      source.latestAttemptAtMs = connection.startedAtMs;
      source.latestAdmitted = admitted;
    }
    if (outcome === 'connected') source.connected = true;
    if (admitted === true) source.admittedOnce = true;
    if (!source.nearAction && isNearAction(actionTimes, connection.startedAtMs)) source.nearAction = true;
  }

  // Reading the evidence as the guide does: a DENIED proves the caller's network reaches Napter, so an
  // address is the user's unless it is clearly scanner noise — many distinct addresses, one attempt each,
  // none soon after the user's open through the bot, none admitted or connected. One or two lone addresses
  // have no other explanation than the user (on another network than they think): they stay candidates.
  const tied = (source: SourceAccumulator): boolean => {
    const inIntentRange = intentRange !== undefined && source.address !== undefined && rangeContains(intentRange, source.address);
    return inIntentRange || source.connected || source.admittedOnce || source.count >= 2 || source.nearAction;
  };
  const loners = [...sources.values()].filter((source) => !tied(source));
  const lonersAreNoise = loners.length >= SCANNER_CROWD_MIN;
  let scannerSourceCount = 0;
  let scannerAttemptCount = 0;
  const observedSources: ObservedSource[] = [];
  for (const source of sources.values()) {
    source.userJudged = tied(source) || !lonersAreNoise;
    if (!source.userJudged) {
      scannerSourceCount += 1;
      scannerAttemptCount += source.count;
    }
    observedSources.push({
      ip: source.ip,
      count: source.count,
      firstAtMs: source.firstAtMs,
      lastAtMs: source.lastAtMs,
      types: { ...source.types },
      admitted: source.latestAdmitted === true,
      likelyUser: source.userJudged,
    });
  }
  observedSources.sort((a, b) => Number(b.likelyUser) - Number(a.likelyUser) || b.count - a.count || b.lastAtMs - a.lastAtMs);

  // Pass 3: who made each connection, and which belong to the mapping in question.
  const connections: ConnectionFacts[] = [];
  const focusConnections: ConnectionFacts[] = [];
  let latestUserConnection: ConnectionFacts | undefined;
  let olderMappingConnectionCount = 0;
  for (const connection of connectionsById.values()) {
    connection.fromUser = connection.source === undefined ? true : connection.source.userJudged;
    connections.push(connection);
    if (connection.lifetime !== undefined && connection.lifetime === focus) {
      focusConnections.push(connection);
      if (connection.fromUser && (!latestUserConnection || connection.startedAtMs > latestUserConnection.startedAtMs)) {
        latestUserConnection = connection;
      }
    } else {
      olderMappingConnectionCount += 1;
    }
  }

  const focusActiveNow = focus !== undefined && focus.end === 'active' && (focus.endAtMs === undefined || focus.endAtMs > input.nowMs);
  const protocolSources = { intent, protocolsByPort: input.protocolsByPort };
  const protocolOf = (port: number | undefined): DeviceProtocol | undefined => protocolForPort(port, protocolSources);

  return {
    input,
    simFound: sim !== undefined,
    simDataCapable: sim !== undefined && DATA_CAPABLE_SIM_STATUSES.includes(sim.status),
    simOnline: sim?.online === true,
    eventCount,
    oldestEventAtMs,
    lifetimes,
    focus,
    focusActiveNow,
    focusAgeMs: focus?.startAtMs === undefined ? undefined : input.nowMs - focus.startAtMs,
    connections,
    focusConnections,
    latestUserConnection,
    observedSources,
    olderMappingConnectionCount,
    scannerSourceCount,
    scannerAttemptCount,
    devicePort: intent?.devicePort ?? focus?.devicePort,
    protocol: protocolOf(focus?.devicePort ?? intent?.devicePort),
    protocolOf,
  };
}

function useOf(lengthMs: number, open: boolean): ConnectionUse {
  if (lengthMs >= NORMAL_USE_MIN_MS) return 'used';
  if (open) return 'open';
  return lengthMs < ENDED_AT_ONCE_MS ? 'at-once' : 'short';
}

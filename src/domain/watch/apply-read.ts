import { parseAddress, parseAddressRange, rangeContains, type AddressRange } from '../diagnosis/address-range';
import { ENDED_AT_ONCE_MS, LIFECYCLE_MATCH_TOLERANCE_MS } from '../diagnosis/facts';
import type { MappingEnd } from '../mapping-end';
import type { AuditEvent } from '../soracom';
import { advanceCursor, auditEventKey, DEFAULT_WATCH_OPTIONS } from './cursor';
import { requesterLikelihood, summariseWatch } from './state';
import {
  WATCH_STATE_VERSION,
  type AuditCursor,
  type AuditWindow,
  type ConnectionStage,
  type SourceRecord,
  type TrackedConnection,
  type WatchChange,
  type WatchCounts,
  type WatchedMapping,
  type WatchOptions,
  type WatchState,
  type WatchUpdate,
} from './types';

/**
 * One shared read of the operator's audit log, applied to every watch at once: new events only (the
 * cursor's seen keys), routed to the mapping they can belong to, and coalesced into one update per mapping.
 *
 * Routing. The log has no mapping id: an entry names the IMSI, the device port and the client. A client
 * connection (ACCESS, then CONNECTED / DENIED / REFUSED, then CLOSED, sharing a connectionId) belongs to a
 * watched mapping with that IMSI and device port that could take connections when it started (from its
 * creation until it ended). When two watched mappings qualify, the source range decides: Napter forwards
 * (CONNECTED) only what a range admits and denies (DENIED) only what it does not, so a live mapping that
 * admits an address cannot have denied it. When that still leaves several, each gets the connection with
 * `ambiguous` set: saying "one of your mappings to this port" beats a confident wrong guess. A connection
 * seen before keeps the watches it was routed to, so its CLOSED in a later read lands there.
 * EXPIRED lands on the mapping whose expiry time it matches; DELETED on the one mapping alive then (one the bot
 * closed counts up to its close: the DELETED is its own), and when several are, on none: those still alive are
 * named in `checkListing` for the caller to ask SORACOM.
 *
 * Nothing is told twice: an event is handled once (seen keys), a connection moves forward through its
 * stages and each step is counted and told once, an address is told once as denied and once as refused,
 * an end once.
 */

export interface WatchInput {
  readonly mapping: WatchedMapping;
  readonly state: WatchState;
}

export interface AuditReadInput {
  readonly cursor: AuditCursor;
  /** The window that was read. */
  readonly window: AuditWindow;
  /** What the read returned, in any order. */
  readonly events: readonly AuditEvent[];
  /** Every unfinished watch. */
  readonly watches: readonly WatchInput[];
  readonly nowMs: number;
  readonly options?: WatchOptions;
}

export interface AuditReadResult {
  readonly cursor: AuditCursor;
  /** The new state of every watch that changed; the others keep theirs. */
  readonly states: readonly { readonly watchId: string; readonly state: WatchState }[];
  /** At most one per watch. */
  readonly updates: readonly WatchUpdate[];
  /** Watches a DELETED may have ended, which the log alone cannot tell apart: list their SIM's mappings (`endFromListing`). */
  readonly checkListing: readonly string[];
  /** Watches that ended more than `trailingMs` ago: nothing more can arrive for them; stop watching. */
  readonly finished: readonly string[];
}

const LIFECYCLE_TYPES: ReadonlySet<string> = new Set(['CREATED', 'DELETED', 'EXPIRED']);
const STAGE_RANK: Readonly<Record<ConnectionStage | 'none', number>> = { none: 0, access: 1, connected: 2, denied: 2, refused: 2, closed: 3 };
/** A watch being worked on during one read. */
class Working {
  counts: { -readonly [K in keyof WatchCounts]: number };
  connections: Map<string, TrackedConnection>;
  sources: Map<string, SourceRecord>;
  ended: MappingEnd | undefined;
  lastEventAtMs: number | undefined;
  readonly events: AuditEvent[] = [];
  reached = { connections: 0, ambiguous: false };
  connected = { connections: 0, sourceIps: new Set<string>(), ambiguous: false };
  closed = { connections: 0, endedAtOnce: 0, withoutConnect: 0 };
  readonly touchedSources = new Set<string>();
  readonly ambiguousSources = new Set<string>();
  endChange: MappingEnd | undefined;
  changed = false;

  constructor(
    readonly mapping: WatchedMapping,
    readonly original: WatchState,
  ) {
    this.counts = { ...original.counts };
    this.connections = new Map(original.connections.map((connection) => [connection.id, connection]));
    this.sources = new Map(original.sources.map((source) => [source.ip, source]));
    this.ended = original.ended;
    this.lastEventAtMs = original.lastEventAtMs;
  }

  /** When the mapping stopped taking connections, as far as this watch knows. */
  get endAtMs(): number {
    return this.ended?.atMs ?? this.mapping.expiresAtMs;
  }

  record(event: AuditEvent): void {
    this.events.push(event);
    this.lastEventAtMs = Math.max(this.lastEventAtMs ?? Number.NEGATIVE_INFINITY, event.atMs);
    this.changed = true;
  }

  end(end: MappingEnd): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    this.endChange = end;
    this.changed = true;
  }
}

/** Whether the mapping's ranges admit the address; undefined when the address or every range is unreadable. */
function admits(ranges: readonly string[], ip: string | undefined): boolean | undefined {
  const address = ip === undefined ? undefined : parseAddress(ip);
  const parsed = ranges.map(parseAddressRange).filter((range): range is AddressRange => range !== undefined);
  if (address === undefined || parsed.length === 0) return undefined;
  return parsed.some((range) => rangeContains(range, address));
}

const matchesDevice = (mapping: WatchedMapping, event: AuditEvent): boolean =>
  mapping.imsis.includes(event.imsi) && (event.destinationPort === undefined || event.destinationPort === mapping.devicePort);

/**
 * Ends a watch outside a read: the bot closed the mapping, the clock or SORACOM's listing says it ended.
 * Undefined when the watch had already ended, so an end is told once whoever notices it first.
 */
export function endWatch(mapping: WatchedMapping, state: WatchState, end: MappingEnd): { state: WatchState; update: WatchUpdate } | undefined {
  if (state.ended !== undefined) return undefined;
  const next: WatchState = { ...state, ended: end };
  return { state: next, update: { watchId: mapping.watchId, changes: [{ kind: 'ended', end }], summary: summariseWatch(mapping, next), events: [] } };
}

/** Whether a watch can stop: it ended, and late events of its connections have had `trailingMs` to arrive. */
export function isWatchFinished(state: WatchState, nowMs: number, options: WatchOptions = DEFAULT_WATCH_OPTIONS): boolean {
  return state.ended !== undefined && nowMs >= state.ended.atMs + options.trailingMs;
}

export function applyAuditRead(input: AuditReadInput): AuditReadResult {
  const options = input.options ?? DEFAULT_WATCH_OPTIONS;
  const seen = new Set(input.cursor.seen);
  const fresh: AuditEvent[] = [];
  const newKeys: string[] = [];
  for (const event of input.events) {
    const key = auditEventKey(event);
    if (seen.has(key)) continue;
    seen.add(key);
    newKeys.push(key);
    fresh.push(event);
  }
  fresh.sort((a, b) => a.atMs - b.atMs);

  const working = input.watches.map((watch) => new Working(watch.mapping, watch.state));
  const index = new WatchIndex(working);
  const checkListing = new Set<string>();

  for (const event of fresh) {
    if (LIFECYCLE_TYPES.has(event.type)) routeLifecycle(event, index.byImsi(event.imsi), checkListing, options);
  }
  for (const group of connectionGroups(fresh)) routeConnection(group, index, options);

  for (const watch of working) {
    if (watch.ended === undefined && input.nowMs >= watch.mapping.expiresAtMs) {
      watch.end({ how: 'expired', atMs: watch.mapping.expiresAtMs, evidence: 'clock' });
    }
  }

  const states: { watchId: string; state: WatchState }[] = [];
  const updates: WatchUpdate[] = [];
  const finished: string[] = [];
  for (const watch of working) {
    let state = watch.original;
    if (watch.changed) {
      // Telling an address marks it told, so the changes come before the state is frozen.
      const changes = changesOf(watch, reportSources(watch));
      state = frozenState(watch, options);
      states.push({ watchId: watch.mapping.watchId, state });
      updates.push({ watchId: watch.mapping.watchId, changes, summary: summariseWatch(watch.mapping, state), events: watch.events });
    }
    if (isWatchFinished(state, input.nowMs, options)) finished.push(watch.mapping.watchId);
  }
  return {
    cursor: advanceCursor(input.cursor, input.window, newKeys, options),
    states,
    updates,
    checkListing: [...checkListing].filter((watchId) => !finished.includes(watchId)),
    finished,
  };
}

function routeLifecycle(event: AuditEvent, working: readonly Working[], checkListing: Set<string>, options: WatchOptions): void {
  if (event.type === 'EXPIRED') {
    let best: Working[] = [];
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const watch of working) {
      if (watch.ended !== undefined || !matchesDevice(watch.mapping, event)) continue;
      const distance = Math.abs(watch.mapping.expiresAtMs - event.atMs);
      if (distance > LIFECYCLE_MATCH_TOLERANCE_MS || distance > bestDistance) continue;
      best = distance < bestDistance ? [watch] : [...best, watch];
      bestDistance = distance;
    }
    for (const watch of best) {
      watch.record(event);
      watch.end({ how: 'expired', atMs: event.atMs, evidence: 'audit-log' });
    }
    return;
  }
  if (event.type === 'DELETED') {
    // A watch that ended already (the bot closed its mapping) stays a candidate up to its end: the DELETED of that
    // close is its own, never the end of another mapping alive then (an Extend's new one, made just before it).
    const alive = working.filter(
      (watch) =>
        matchesDevice(watch.mapping, event) &&
        event.atMs >= watch.mapping.openedAtMs - options.clockToleranceMs &&
        event.atMs < watch.endAtMs + options.clockToleranceMs,
    );
    const only = alive.length === 1 ? alive[0] : undefined;
    if (only !== undefined) {
      if (only.ended !== undefined) return;
      only.record(event);
      only.end({ how: 'deleted', atMs: event.atMs, evidence: 'audit-log' });
      return;
    }
    for (const watch of alive) if (watch.ended === undefined) checkListing.add(watch.mapping.watchId);
  }
}

interface ConnectionGroup {
  readonly id: string;
  readonly events: AuditEvent[];
}

/** Client connections by connectionId, in the order they started. */
function connectionGroups(events: readonly AuditEvent[]): ConnectionGroup[] {
  const groups = new Map<string, ConnectionGroup>();
  for (const event of events) {
    if (LIFECYCLE_TYPES.has(event.type)) continue;
    // An entry without a connection id is a connection of its own.
    const id = event.connectionId === '' ? `~${auditEventKey(event)}` : event.connectionId;
    const group = groups.get(id) ?? { id, events: [] };
    group.events.push(event);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** The watches by IMSI and by the connections they remember, so a read costs in proportion to its events. */
class WatchIndex {
  private readonly imsis = new Map<string, Working[]>();
  private readonly connectionIds = new Map<string, Working[]>();

  constructor(working: readonly Working[]) {
    const add = (map: Map<string, Working[]>, key: string, watch: Working) => map.set(key, [...(map.get(key) ?? []), watch]);
    for (const watch of working) {
      for (const imsi of new Set(watch.mapping.imsis)) add(this.imsis, imsi, watch);
      for (const id of watch.connections.keys()) add(this.connectionIds, id, watch);
    }
  }

  byImsi(imsi: string): readonly Working[] {
    return this.imsis.get(imsi) ?? [];
  }

  /** As the read began: each connection id is looked up once per read (its events form one group). */
  byConnection(id: string): readonly Working[] {
    return this.connectionIds.get(id) ?? [];
  }
}

function routeConnection(group: ConnectionGroup, index: WatchIndex, options: WatchOptions): void {
  const first = group.events[0];
  if (first === undefined) return;
  const sourceIp = group.events.find((event) => event.sourceIp !== undefined)?.sourceIp;
  const has = (type: AuditEvent['type']) => group.events.some((event) => event.type === type);
  const remembered = index.byConnection(group.id);
  let candidates: readonly Working[];
  if (remembered.length > 0) {
    candidates = remembered;
  } else {
    // A lone CLOSED of a connection no watch knows tells nothing about what it was.
    if (group.events.every((event) => event.type === 'CLOSED')) return;
    candidates = index
      .byImsi(first.imsi)
      .filter(
        (watch) => matchesDevice(watch.mapping, first) && first.atMs >= watch.mapping.openedAtMs - options.clockToleranceMs && first.atMs < watch.endAtMs,
      );
  }
  const consistent = candidates.filter((watch) => {
    const admitted = admits(watch.mapping.sourceIpRanges, sourceIp);
    if (has('CONNECTED')) return admitted !== false;
    if (has('DENIED')) return admitted !== true;
    return true;
  });
  // A REFUSED address is usually one that was denied, but Napter does not say so: prefer what fits, keep all otherwise.
  const chosen = has('REFUSED') && !has('DENIED') ? preferNotAdmitting(consistent, sourceIp) : consistent;
  for (const watch of remembered) {
    if (chosen.includes(watch)) continue;
    watch.connections.delete(group.id);
    watch.changed = true;
  }
  const ambiguous = chosen.length > 1;
  for (const watch of chosen) applyConnection(watch, group, sourceIp, ambiguous);
}

function preferNotAdmitting(candidates: readonly Working[], sourceIp: string | undefined): readonly Working[] {
  const outside = candidates.filter((watch) => admits(watch.mapping.sourceIpRanges, sourceIp) === false);
  return outside.length > 0 ? outside : candidates;
}

function applyConnection(watch: Working, group: ConnectionGroup, sourceIp: string | undefined, ambiguous: boolean): void {
  const existing = watch.connections.get(group.id);
  let stage: ConnectionStage | 'none' = existing?.stage ?? 'none';
  let verdict = existing?.verdict;
  let connectedAtMs = existing?.connectedAtMs;
  const startedAtMs = Math.min(existing?.startedAtMs ?? Number.POSITIVE_INFINITY, ...group.events.map((event) => event.atMs));
  const advance = (to: ConnectionStage): boolean => {
    if (STAGE_RANK[to] <= STAGE_RANK[stage]) return false;
    stage = to;
    return true;
  };

  let moved = false;
  if (existing === undefined) {
    advance('access');
    watch.counts.access += 1;
    moved = true;
  }
  for (const event of group.events) {
    switch (event.type) {
      case 'CONNECTED':
        if (!advance('connected')) break;
        moved = true;
        verdict = 'connected';
        connectedAtMs = event.atMs;
        watch.counts.connected += 1;
        watch.connected.connections += 1;
        watch.connected.ambiguous ||= ambiguous;
        if (sourceIp !== undefined) watch.connected.sourceIps.add(sourceIp);
        break;
      case 'DENIED':
      case 'REFUSED': {
        const to = event.type === 'DENIED' ? 'denied' : 'refused';
        if (!advance(to)) break;
        moved = true;
        verdict = to;
        watch.counts[to] += 1;
        if (sourceIp !== undefined) noteSource(watch, sourceIp, to, event.atMs, ambiguous);
        break;
      }
      case 'CLOSED':
        if (!advance('closed')) break;
        moved = true;
        if (verdict === 'denied' || verdict === 'refused') break;
        watch.counts.closed += 1;
        watch.closed.connections += 1;
        if (verdict === undefined) watch.closed.withoutConnect += 1;
        else if (connectedAtMs !== undefined && event.atMs - connectedAtMs < ENDED_AT_ONCE_MS) watch.closed.endedAtOnce += 1;
        break;
      default:
        break;
    }
  }
  if (!moved) return;
  if (stage === 'access' && existing === undefined) {
    watch.reached.connections += 1;
    watch.reached.ambiguous ||= ambiguous;
  }
  for (const event of group.events) watch.record(event);
  watch.connections.set(group.id, {
    id: group.id,
    startedAtMs,
    sourceIp,
    stage: stage === 'none' ? 'access' : stage,
    verdict,
    connectedAtMs,
  });
}

function noteSource(watch: Working, ip: string, outcome: 'denied' | 'refused', atMs: number, ambiguous: boolean): void {
  const current = watch.sources.get(ip) ?? { ip, denied: 0, refused: 0, firstAtMs: atMs, lastAtMs: atMs, reportedDenied: false, reportedRefused: false };
  watch.sources.set(ip, {
    ...current,
    denied: current.denied + (outcome === 'denied' ? 1 : 0),
    refused: current.refused + (outcome === 'refused' ? 1 : 0),
    firstAtMs: Math.min(current.firstAtMs, atMs),
    lastAtMs: Math.max(current.lastAtMs, atMs),
  });
  watch.touchedSources.add(ip);
  if (ambiguous) watch.ambiguousSources.add(ip);
}

/** Decides which touched addresses are told now, and marks them told. */
function reportSources(watch: Working): WatchChange[] {
  const changes: WatchChange[] = [];
  for (const ip of watch.touchedSources) {
    const source = watch.sources.get(ip);
    if (source === undefined) continue;
    const requester = requesterLikelihood(watch.mapping, source);
    if (requester === 'unlikely') continue;
    const ambiguous = watch.ambiguousSources.has(ip);
    const attempts = source.denied + source.refused;
    let next = source;
    if (source.denied > 0 && !source.reportedDenied) {
      changes.push({ kind: 'denied', sourceIp: ip, attempts, requester, ambiguous });
      next = { ...next, reportedDenied: true };
    }
    if (source.refused > 0 && !source.reportedRefused) {
      changes.push({ kind: 'refused', sourceIp: ip, attempts, requester, ambiguous });
      next = { ...next, reportedRefused: true };
    }
    watch.sources.set(ip, next);
  }
  return changes;
}

/** The watch's state after the read, its memory kept within bounds (closed connections and old addresses go first). */
function frozenState(watch: Working, options: WatchOptions): WatchState {
  const connections = [...watch.connections.values()]
    .sort((a, b) => Number(a.stage !== 'closed') - Number(b.stage !== 'closed') || a.startedAtMs - b.startedAtMs)
    .slice(-options.maxTrackedConnections)
    .sort((a, b) => a.startedAtMs - b.startedAtMs);
  const sources = [...watch.sources.values()].sort((a, b) => b.lastAtMs - a.lastAtMs).slice(0, options.maxSources);
  return {
    version: WATCH_STATE_VERSION,
    counts: { ...watch.counts },
    connections,
    sources,
    ended: watch.ended,
    lastEventAtMs: watch.lastEventAtMs,
  };
}

function changesOf(watch: Working, sourceChanges: readonly WatchChange[]): WatchChange[] {
  const changes: WatchChange[] = [];
  if (watch.reached.connections > 0) changes.push({ kind: 'reached', ...watch.reached });
  if (watch.connected.connections > 0) {
    changes.push({
      kind: 'connected',
      connections: watch.connected.connections,
      sourceIps: [...watch.connected.sourceIps],
      ambiguous: watch.connected.ambiguous,
    });
  }
  changes.push(...sourceChanges);
  if (watch.closed.connections > 0) changes.push({ kind: 'closed', ...watch.closed });
  if (watch.endChange !== undefined) changes.push({ kind: 'ended', end: watch.endChange });
  return changes;
}

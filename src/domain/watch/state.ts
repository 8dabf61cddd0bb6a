import { USER_ACTION_FOLLOW_MS } from '../diagnosis/facts';
import type { MappingEnd } from '../mapping-end';
import { normaliseIp } from '../net/index';
import {
  WATCH_STATE_VERSION,
  type ConnectionStage,
  type RequesterLikelihood,
  type SourceRecord,
  type TrackedConnection,
  type WatchCounts,
  type WatchedMapping,
  type WatchState,
  type WatchSummary,
} from './types';

/** A watch's state, its summary for the card, and reading it back from a store. */

export const MAX_SUMMARY_SOURCES = 5;

const ZERO_COUNTS: WatchCounts = { access: 0, connected: 0, denied: 0, refused: 0, closed: 0 };

export function emptyWatchState(): WatchState {
  return { version: WATCH_STATE_VERSION, counts: ZERO_COUNTS, connections: [], sources: [] };
}

/** Whether a denied or refused address could be the requester's: see RequesterLikelihood. */
export function requesterLikelihood(mapping: WatchedMapping, source: Pick<SourceRecord, 'ip' | 'denied' | 'refused' | 'firstAtMs'>): RequesterLikelihood {
  const ip = normaliseIp(source.ip) ?? source.ip;
  if (mapping.requesterAddresses.some((address) => (normaliseIp(address) ?? address) === ip)) return 'known';
  if (source.denied + source.refused >= 2) return 'likely';
  return source.firstAtMs - mapping.openedAtMs <= USER_ACTION_FOLLOW_MS ? 'likely' : 'unlikely';
}

export function summariseWatch(mapping: WatchedMapping, state: Pick<WatchState, 'counts' | 'sources' | 'ended' | 'lastEventAtMs'>): WatchSummary {
  const listed = (pick: (source: SourceRecord) => number) =>
    state.sources
      .filter((source) => pick(source) > 0)
      .sort((a, b) => pick(b) - pick(a) || b.lastAtMs - a.lastAtMs)
      .map((source) => ({ ip: source.ip, attempts: pick(source), requester: requesterLikelihood(mapping, source) }));
  const denied = listed((source) => source.denied);
  const refused = listed((source) => source.refused);
  const shown = new Set([...denied.slice(0, MAX_SUMMARY_SOURCES), ...refused.slice(0, MAX_SUMMARY_SOURCES)].map((source) => source.ip));
  return {
    counts: state.counts,
    deniedSources: denied.slice(0, MAX_SUMMARY_SOURCES),
    refusedSources: refused.slice(0, MAX_SUMMARY_SOURCES),
    otherSources: state.sources.filter((source) => !shown.has(source.ip)).length,
    lastEventAtMs: state.lastEventAtMs,
    ended: state.ended,
  };
}

const STAGES: readonly ConnectionStage[] = ['access', 'connected', 'denied', 'refused', 'closed'];
const VERDICTS: readonly string[] = ['connected', 'denied', 'refused'];
const END_HOWS: readonly string[] = ['expired', 'deleted', 'closed'];
const END_EVIDENCE: readonly string[] = ['audit-log', 'clock', 'listing', 'bot'];

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const isText = (value: unknown): value is string => typeof value === 'string';

function isMappingEnd(value: unknown): value is MappingEnd {
  return isObject(value) && END_HOWS.includes(String(value['how'])) && END_EVIDENCE.includes(String(value['evidence'])) && isTime(value['atMs']);
}

function isConnection(value: unknown): value is TrackedConnection {
  return (
    isObject(value) &&
    isText(value['id']) &&
    isTime(value['startedAtMs']) &&
    STAGES.includes(value['stage'] as ConnectionStage) &&
    optional(value['sourceIp'], isText) &&
    optional(value['verdict'], (verdict) => VERDICTS.includes(String(verdict))) &&
    optional(value['connectedAtMs'], isTime)
  );
}

function isSource(value: unknown): value is SourceRecord {
  return (
    isObject(value) &&
    isText(value['ip']) &&
    isCount(value['denied']) &&
    isCount(value['refused']) &&
    isTime(value['firstAtMs']) &&
    isTime(value['lastAtMs']) &&
    typeof value['reportedDenied'] === 'boolean' &&
    typeof value['reportedRefused'] === 'boolean'
  );
}

/**
 * A watch state as a store gave it back (parsed JSON), or undefined when it is not one this version wrote.
 * The caller decides what an unreadable state means (the safe reading: start the watch again from empty,
 * which may tell again what it had told).
 */
export function parseWatchState(value: unknown): WatchState | undefined {
  if (!isObject(value) || value['version'] !== WATCH_STATE_VERSION) return undefined;
  const counts = value['counts'];
  const connections = value['connections'];
  const sources = value['sources'];
  if (!isObject(counts) || !Object.keys(ZERO_COUNTS).every((key) => isCount(counts[key]))) return undefined;
  if (!Array.isArray(connections) || !connections.every(isConnection)) return undefined;
  if (!Array.isArray(sources) || !sources.every(isSource)) return undefined;
  if (!optional(value['ended'], isMappingEnd) || !optional(value['lastEventAtMs'], isTime)) return undefined;
  return value as unknown as WatchState;
}

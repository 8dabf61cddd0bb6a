import { DEFAULT_RETENTION_MS } from '../diagnosis/facts';
import type { AuditEvent } from '../soracom';
import { AUDIT_CURSOR_VERSION, type AuditCursor, type AuditWindow, type WatchedMapping, type WatchOptions } from './types';

export const DEFAULT_WATCH_OPTIONS: WatchOptions = {
  lookbackMs: 2 * 60_000,
  clockToleranceMs: 5_000,
  trailingMs: 2 * 60_000,
  maxTrackedConnections: 200,
  maxSources: 50,
  retentionMs: DEFAULT_RETENTION_MS,
};

export const EMPTY_AUDIT_CURSOR: AuditCursor = { version: AUDIT_CURSOR_VERSION, seen: [] };

/**
 * An audit entry has no id of its own: its time, type, IMSI, connection and both ends tell it apart. Two
 * entries alike in all of these are one event written twice. The time leads, so pruning can read it back.
 */
export function auditEventKey(event: AuditEvent): string {
  return [event.atMs, event.type, event.imsi, event.connectionId, event.sourceIp ?? '', event.sourcePort ?? '', event.destinationPort ?? ''].join('|');
}

const keyTimeMs = (key: string): number => Number(key.slice(0, key.indexOf('|')));

/**
 * The window the next shared read asks for, or undefined when nothing is watched (then nothing is read).
 * It starts `lookbackMs` before the end of the last read (the overlap the seen keys cover), never before
 * the earliest watched mapping was opened (nothing older can be anyone's), nor beyond the log's retention.
 * The first read, or one after a long pause, therefore covers everything the watches missed.
 */
export function nextAuditWindow(
  cursor: AuditCursor,
  watches: readonly Pick<WatchedMapping, 'openedAtMs'>[],
  nowMs: number,
  options: WatchOptions = DEFAULT_WATCH_OPTIONS,
): AuditWindow | undefined {
  if (watches.length === 0) return undefined;
  const earliestOpenMs = Math.min(...watches.map((watch) => watch.openedAtMs)) - options.clockToleranceMs;
  const resumeMs = cursor.readToMs === undefined ? Number.NEGATIVE_INFINITY : cursor.readToMs - options.lookbackMs;
  const fromMs = Math.min(nowMs, Math.max(earliestOpenMs, resumeMs, nowMs - options.retentionMs));
  return { fromMs, toMs: nowMs };
}

/**
 * The cursor after a read of `window` whose new events had `newKeys`: keys older than the next read's start
 * are dropped, since that read cannot return their events again.
 */
export function advanceCursor(
  cursor: AuditCursor,
  window: AuditWindow,
  newKeys: readonly string[],
  options: WatchOptions = DEFAULT_WATCH_OPTIONS,
): AuditCursor {
  const readToMs = Math.max(cursor.readToMs ?? Number.NEGATIVE_INFINITY, window.toMs);
  const keepFromMs = readToMs - options.lookbackMs;
  const seen = [...new Set([...cursor.seen, ...newKeys])].filter((key) => keyTimeMs(key) >= keepFromMs);
  return { version: AUDIT_CURSOR_VERSION, readToMs, seen };
}

/**
 * A cursor as a store gave it back (parsed JSON). Anything unreadable gives undefined: the caller then starts
 * from EMPTY_AUDIT_CURSOR, and the first read covers every watch from its open again. The watches' own
 * states still keep each connection and address from being told twice; only counts could grow twice.
 */
export function parseAuditCursor(value: unknown): AuditCursor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (record['version'] !== AUDIT_CURSOR_VERSION) return undefined;
  const readToMs = record['readToMs'];
  const seen = record['seen'];
  if (readToMs !== undefined && (typeof readToMs !== 'number' || !Number.isFinite(readToMs))) return undefined;
  if (!Array.isArray(seen) || !seen.every((key): key is string => typeof key === 'string' && Number.isFinite(keyTimeMs(key)))) return undefined;
  return readToMs === undefined ? { version: AUDIT_CURSOR_VERSION, seen } : { version: AUDIT_CURSOR_VERSION, readToMs, seen };
}

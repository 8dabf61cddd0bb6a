import { z } from 'zod';
import { DEFAULT_REMINDER_LEAD_SEC, reminderDueAtMs } from '../domain/expiry';
import type { UseCaseDeps, WatchSettings } from './deps';
import type { AuditEvent } from '../domain/soracom';
import { emptyWatchState, parseWatchState, type WatchedMapping, type WatchState } from '../domain/watch/index';
import type { JobInput, Store, StoredMapping } from './ports/store';

/**
 * What the store keeps of a watch besides the core's state: the IMSIs its audit entries can carry (known at the
 * open, so a poll asks SORACOM nothing per watch). Versioned, so that a newer process reads an older row.
 */
const SEEN_EVENT = z.object({
  connectionId: z.string(),
  atMs: z.number(),
  type: z.string(),
  imsi: z.string(),
  tls: z.boolean(),
  sourceIp: z.string().optional(),
  sourcePort: z.number().optional(),
  destinationIp: z.string().optional(),
  destinationPort: z.number().optional(),
});
const WATCH_RECORD = z.object({
  v: z.literal(1),
  imsis: z.array(z.string()),
  simLabel: z.string().optional(),
  watch: z.unknown(),
  seen: z.array(SEEN_EVENT).optional(),
});

/** The audit events a watch keeps for a diagnosis of its mapping (the newest). */
export const MAX_SEEN_EVENTS = 200;

export interface WatchRecord {
  readonly imsis: readonly string[];
  /** How the SIM was named at the open: the card and the notices name it without asking SORACOM each time. */
  readonly simLabel?: string | undefined;
  readonly watch: WatchState;
  /** The audit events routed to this watch, newest last: a diagnosis of the mapping starts from them. */
  readonly seen?: readonly AuditEvent[] | undefined;
}

export function watchRecordOf(value: unknown): WatchRecord | undefined {
  const parsed = WATCH_RECORD.safeParse(value);
  if (!parsed.success) return undefined;
  const watch = parseWatchState(parsed.data.watch);
  if (watch === undefined) return undefined;
  const seen = (parsed.data.seen ?? []).map((event) => ({
    ...event,
    type: event.type as AuditEvent['type'],
    sourceIp: event.sourceIp,
    sourcePort: event.sourcePort,
    destinationIp: event.destinationIp,
    destinationPort: event.destinationPort,
  }));
  return { imsis: parsed.data.imsis, simLabel: parsed.data.simLabel, watch, seen };
}

export const storedWatchRecord = (record: WatchRecord): unknown => ({
  v: 1,
  imsis: record.imsis,
  simLabel: record.simLabel,
  watch: record.watch,
  seen: record.seen?.slice(-MAX_SEEN_EVENTS),
});

/** The one shared read of the operator's audit log: its job's key, and its cursor's id. */
export const WATCH_POLL_KEY = 'watch-poll';
export const WATCH_CURSOR_ID = 'operator';

export const watchCardKey = (mappingId: string) => `watch-card:${mappingId}`;
export const reminderKey = (mappingId: string) => `reminder:${mappingId}`;

/** The mapping as the watch core routes to it. */
export function watchedMapping(mapping: StoredMapping, record: WatchRecord, requesterAddresses: readonly string[]): WatchedMapping {
  return {
    watchId: mapping.id,
    imsis: record.imsis,
    devicePort: mapping.devicePort,
    sourceIpRanges: [mapping.sourceCidr],
    openedAtMs: mapping.createdAtMs,
    expiresAtMs: mapping.expiresAtMs,
    requesterAddresses,
  };
}

/** How long before the end the requester is reminded: the configured lead, or 5 minutes. */
export const reminderLeadOf = (deps: Pick<UseCaseDeps, 'watch'>): number => deps.watch?.reminderLeadSec ?? DEFAULT_REMINDER_LEAD_SEC;

/**
 * Starts watching a mapping the bot opened, with its jobs, in one transaction: the shared poll (armed again if it
 * had stopped; a running one is left at its interval) and the reminder before the end. Idempotent: a mapping
 * watched already keeps its watch and its jobs. A crash between the mapping's row and this is repaired at start.
 */
export async function startWatching(
  store: Store,
  mapping: StoredMapping,
  sim: { readonly imsis?: readonly string[] | undefined; readonly label?: string | undefined },
  settings: Pick<WatchSettings, 'reminderLeadSec'>,
): Promise<void> {
  const imsis = sim.imsis ?? [];
  const jobs: { job: JobInput; rearm?: boolean }[] = [{ job: { key: WATCH_POLL_KEY, kind: 'watch-poll', dueAtMs: mapping.createdAtMs }, rearm: true }];
  const dueAtMs = reminderDueAtMs(mapping, settings.reminderLeadSec);
  if (dueAtMs !== undefined) jobs.push({ job: { key: reminderKey(mapping.id), kind: 'reminder', dueAtMs, payload: { mappingId: mapping.id } } });
  const record: WatchRecord = {
    imsis: imsis.length > 0 ? imsis : mapping.imsi === undefined ? [] : [mapping.imsi],
    simLabel: sim.label,
    watch: emptyWatchState(),
  };
  await store.watches.start(mapping.id, storedWatchRecord(record), jobs);
}

import { errorCodeOf } from '../common/errors';
import { DEFAULT_RETENTION_MS } from '../domain/diagnosis/facts';
import {
  buildHistory,
  type ConnectionCounts,
  countConnections,
  HISTORY_ACTIONS,
  type HistoryLedgerEntry,
  type HistoryListing,
  type MappingLifetime,
} from '../domain/history';
import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorize, isAdmin, policySim } from '../policy/index';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import type { LedgerEntry, StoredMapping } from './ports/store';
import { simLabel } from './resolve-sim';

/** Why a mapping of the listing has no connection counts. */
export type CountGap =
  /** It began before the audit log's 24 hours: what the log still holds would undercount it. */
  | 'past-retention'
  /** SORACOM answered 429. */
  | 'rate-limited'
  /** The read failed otherwise. */
  | 'unavailable'
  /** More SIMs than one listing reads the log of. */
  | 'not-read';

export interface HistoryQuery {
  /** A SIM the person named; absent for every SIM they may see. */
  readonly sim?: SimSnapshot | undefined;
  readonly sinceMs: number;
  /** How many rows at most (the listing shows few, the CSV many). */
  readonly limit: number;
}

export type HistoryOutcome =
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | {
      readonly kind: 'listed';
      readonly listing: HistoryListing;
      readonly sinceMs: number;
      /** Per mapping of the listing whose counts are missing, why. */
      readonly gaps: ReadonlyMap<string, CountGap>;
      /** SIM ID → how the SIM is named, for the SIMs SORACOM told about. */
      readonly simLabels: ReadonlyMap<string, string>;
    };

/** The ledger rows one history reads at most; a wider window is cut at its newest rows. */
const LEDGER_READ_LIMIT = 5_000;
/** SIMs looked up for the policy and for their names, per history. */
const MAX_SIM_LOOKUPS = 20;
/** Audit-log reads per history: one per SIM (IMSI), the SIMs of the newest rows first. */
const MAX_AUDIT_READS = 10;

/**
 * `/napter history`: the ledger's opens, reuses, extends, closes, ends and denials of the window, for the person
 * asking. Reading history is listing: the policy's `list` decides, once for the request; over every SIM a row
 * shows when it is the person's own, they are an admin, or the policy lets them list that row's SIM. Each mapping
 * gets its ACCESS/CONNECTED counts from Napter's audit log, one read per SIM and only within the log's 24 hours.
 */
export async function historyFor(deps: UseCaseDeps, actor: Actor, channelId: string, query: HistoryQuery): Promise<HistoryOutcome> {
  const access = await authorizeOrDeny(deps, actor, { action: 'list', channelId, sim: query.sim });
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  const nowMs = deps.clock.nowMs();
  const entries = await deps.store.ledger.list({ teamId: actor.teamId, kinds: HISTORY_ACTIONS, sinceMs: query.sinceMs, limit: LEDGER_READ_LIMIT });
  const sims = await lookUpSims(deps, entries, query.sim);
  const admin = isAdmin(deps.policy, actor.userId, actor.userGroupIds);
  const mayList = (sim: SimSnapshot): boolean =>
    authorize(deps.policy, { action: 'list', userId: actor.userId, userGroupIds: actor.userGroupIds, channelId, sim: policySim(sim) }).allowed;
  const visible = (entry: HistoryLedgerEntry): boolean => {
    if (admin || query.sim !== undefined || entry.userId === actor.userId) return true;
    const sim = entry.simId === undefined ? undefined : sims.get(entry.simId);
    return sim !== undefined && mayList(sim);
  };
  const simFilter = query.sim === undefined ? undefined : { simId: query.sim.simId, imsis: query.sim.imsis };
  const uncounted = buildHistory(entries, new Map(), { sinceMs: query.sinceMs, visible, limit: query.limit, ...(simFilter ? { sim: simFilter } : {}) });
  const { counts, gaps } = await connectionCounts(deps, uncounted.rows, sims, nowMs);
  const built = buildHistory(entries, counts, { sinceMs: query.sinceMs, visible, limit: query.limit, ...(simFilter ? { sim: simFilter } : {}) });
  // The window held more rows than one history reads: the oldest were not read, so say the listing is cut.
  const listing = entries.length >= LEDGER_READ_LIMIT ? { ...built, truncated: true } : built;
  const simLabels = new Map([...sims].map(([simId, sim]) => [simId, simLabel(sim)]));
  return { kind: 'listed', listing, sinceMs: query.sinceMs, gaps, simLabels };
}

/** The SIMs of the window's rows, newest first, at most MAX_SIM_LOOKUPS of them; one SORACOM cannot read is left out. */
async function lookUpSims(deps: Pick<UseCaseDeps, 'api'>, entries: readonly LedgerEntry[], named: SimSnapshot | undefined): Promise<Map<string, SimSnapshot>> {
  const sims = new Map<string, SimSnapshot>();
  if (named !== undefined) sims.set(named.simId, named);
  const wanted = [...new Set(entries.map((entry) => entry.simId).filter((id): id is string => id !== undefined && !sims.has(id)))].slice(0, MAX_SIM_LOOKUPS);
  const found = await Promise.all(wanted.map((simId) => deps.api.getSim(simId).catch(() => undefined)));
  for (const sim of found) if (sim !== undefined) sims.set(sim.simId, sim);
  return sims;
}

interface CountsRead {
  readonly counts: Map<string, ConnectionCounts>;
  readonly gaps: Map<string, CountGap>;
}

/**
 * ACCESS/CONNECTED per mapping of the rows: the mappings are grouped by IMSI and each IMSI's log is read once,
 * from the earliest of its mappings to now (never beyond the log's 24 hours), newest SIMs first.
 */
async function connectionCounts(
  deps: Pick<UseCaseDeps, 'api' | 'store'>,
  rows: HistoryListing['rows'],
  sims: ReadonlyMap<string, SimSnapshot>,
  nowMs: number,
): Promise<CountsRead> {
  const counts = new Map<string, ConnectionCounts>();
  const gaps = new Map<string, CountGap>();
  const mappingIds = [...new Set(rows.map((row) => row.mappingId).filter((id): id is string => id !== undefined))];
  const mappings = (await Promise.all(mappingIds.map((id) => deps.store.mappings.get(id)))).filter((found): found is StoredMapping => found !== undefined);
  const oldestReadable = nowMs - DEFAULT_RETENTION_MS;
  const byImsi = new Map<string, MappingLifetime[]>();
  for (const mapping of mappings) {
    const imsi = mapping.imsi ?? (mapping.simId === undefined ? undefined : sims.get(mapping.simId)?.imsis[0]);
    if (imsi === undefined) {
      gaps.set(mapping.id, 'unavailable');
      continue;
    }
    if (mapping.createdAtMs < oldestReadable) {
      gaps.set(mapping.id, 'past-retention');
      continue;
    }
    const sim = mapping.simId === undefined ? undefined : sims.get(mapping.simId);
    const lifetime: MappingLifetime = {
      mappingId: mapping.id,
      imsis: sim?.imsis.includes(imsi) === true ? sim.imsis : [imsi],
      devicePort: mapping.devicePort,
      fromMs: mapping.createdAtMs,
      toMs: Math.min(nowMs, mapping.closed?.atMs ?? mapping.expiresAtMs),
    };
    byImsi.set(imsi, [...(byImsi.get(imsi) ?? []), lifetime]);
  }
  // Rows come newest first, so the IMSIs do too: the reads left out are of the oldest SIMs.
  const groups = [...byImsi];
  for (const [index, [imsi, lifetimes]] of groups.entries()) {
    if (index >= MAX_AUDIT_READS) {
      for (const lifetime of lifetimes) gaps.set(lifetime.mappingId, 'not-read');
      continue;
    }
    const fromMs = Math.max(oldestReadable, Math.min(...lifetimes.map((lifetime) => lifetime.fromMs)));
    try {
      const read = await deps.api.getNapterAuditLogs({ imsi, fromMs, toMs: nowMs });
      for (const [mappingId, count] of countConnections(read.events, lifetimes)) counts.set(mappingId, count);
    } catch (error) {
      const gap: CountGap = errorCodeOf(error) === 'SORACOM_RATE_LIMITED' ? 'rate-limited' : 'unavailable';
      for (const lifetime of lifetimes) gaps.set(lifetime.mappingId, gap);
    }
  }
  return { counts, gaps };
}

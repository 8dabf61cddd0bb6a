import type { NapterApi } from '../domain/napter-api';
import type { PortMapping, SimSnapshot } from '../domain/soracom';
import type { Store, StoredMapping } from './ports/store';
import { isActive } from '../domain/port-mapping';
import { activeMappingsForSim } from './active-mappings';

export interface ListedMapping {
  readonly mapping: PortMapping;
  /** The bot's row, when the bot opened (or reused) it: who opened it, the channel card. */
  readonly stored: StoredMapping | undefined;
  /** The SIM's name tag when known, for display. */
  readonly simName: string | undefined;
  /** The SIM itself when it was looked up (or given): what the policy needs to decide who may see the row. */
  readonly sim: SimSnapshot | undefined;
  readonly simId: string | undefined;
  readonly imsi: string | undefined;
}

/**
 * Active mappings, all of them (opened through the bot or not) or one SIM's, newest expiry last, each
 * with what the bot's ledger knows about it. SIM names are looked up only for SIMs the store does not
 * already name, at most `maxSimLookups` of them, so a long list costs few calls.
 */
export async function listMappings(
  deps: { readonly api: NapterApi; readonly store: Store; readonly nowMs: number; readonly maxSimLookups?: number },
  sim: SimSnapshot | undefined,
): Promise<ListedMapping[]> {
  const mappings =
    sim === undefined
      ? (await deps.api.listPortMappings()).filter((mapping) => isActive(mapping, deps.nowMs))
      : await activeMappingsForSim(deps.api, sim, deps.nowMs);

  const sims = new Map<string, SimSnapshot>();
  const imsiSims = new Map<string, SimSnapshot>();
  const remember = (found: SimSnapshot): void => {
    sims.set(found.simId, found);
    for (const imsi of found.imsis) imsiSims.set(imsi, found);
  };
  if (sim !== undefined) remember(sim);
  const budget = deps.maxSimLookups ?? 20;
  const unknownSimIds = [
    ...new Set(mappings.map((mapping) => mapping.destination.simId).filter((id): id is string => id !== undefined && !sims.has(id))),
  ].slice(0, budget);
  // Mappings made by IMSI name no SIM ID: their SIM is found by the IMSI instead.
  const unknownImsis = [
    ...new Set(
      mappings
        .filter((mapping) => mapping.destination.simId === undefined)
        .map((mapping) => mapping.destination.imsi)
        .filter((imsi): imsi is string => imsi !== undefined && !imsiSims.has(imsi)),
    ),
  ].slice(0, Math.max(0, budget - unknownSimIds.length));
  const [bySimId, byImsi] = await Promise.all([
    Promise.all(unknownSimIds.map((id) => deps.api.getSim(id).catch(() => undefined))),
    Promise.all(unknownImsis.map((imsi) => deps.api.getSubscriber(imsi).catch(() => undefined))),
  ]);
  for (const found of [...bySimId, ...byImsi]) if (found !== undefined) remember(found);

  const listed = await Promise.all(
    mappings.map(async (mapping) => {
      const stored = await deps.store.mappings.findByEndpoint(mapping.ipAddress, mapping.port);
      const simId = mapping.destination.simId ?? stored?.simId ?? sim?.simId;
      const imsi = mapping.destination.imsi ?? stored?.imsi;
      const known = (simId === undefined ? undefined : sims.get(simId)) ?? (imsi === undefined ? undefined : imsiSims.get(imsi));
      const name = known?.name;
      return {
        mapping,
        // SORACOM hands endpoints out again: an old, closed or expired row is about an earlier mapping.
        stored: stored !== undefined && stored.closed === undefined && stored.expiresAtMs > deps.nowMs ? stored : undefined,
        simName: name === '' ? undefined : name,
        sim: known,
        simId,
        imsi,
      };
    }),
  );
  return listed.sort((a, b) => a.mapping.expiresAtMs - b.mapping.expiresAtMs);
}

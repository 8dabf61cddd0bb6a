import { isAdmin } from '../policy/index';
import type { UseCaseDeps } from './deps';
import { type LoadedDiagnosis, loadDiagnosis } from './diagnosis-record';
import type { StoredDiagnosis, StoredMapping } from './ports/store';
import { simLabel } from './resolve-sim';

/** An active mapping on the Home tab, with how its SIM is named. */
export interface HomeMapping {
  readonly mapping: StoredMapping;
  readonly simLabel: string;
}

export interface HomeDiagnosis {
  readonly diagnosis: StoredDiagnosis;
  /** The SIM's name when the diagnosis resolved one, else what was typed. */
  readonly simLabel: string;
  /** When the viewer asked for it (its ledger row). */
  readonly atMs: number;
}

/** What the viewer's Home tab shows. Only the viewer's own mappings may show their endpoints. */
export interface HomeContent {
  /** The viewer's active mappings, soonest end first. */
  readonly own: readonly HomeMapping[];
  readonly diagnoses: readonly HomeDiagnosis[];
  /** Admins only: every other active mapping the bot opened in the workspace, soonest end first. */
  readonly others: readonly HomeMapping[] | undefined;
  /** How many rows were left out of each list. */
  readonly more: { readonly own: number; readonly others: number };
}

export const HOME_LIMITS = { own: 10, others: 20, diagnoses: 5 } as const;
/** SIM names looked up per Home: a tab opened often must cost SORACOM little. */
const MAX_SIM_LOOKUPS = 10;

/**
 * The Home tab's content for one viewer, from the store (the bot's own mappings and diagnoses) plus at most a
 * few SIM look-ups for names. Who is an admin is the policy's word; a mapping is "active" while the store has
 * it neither closed nor expired.
 */
export async function homeFor(
  deps: Pick<UseCaseDeps, 'api' | 'store' | 'policy' | 'clock'>,
  viewer: { readonly teamId: string; readonly userId: string; readonly userGroupIds: readonly string[] },
): Promise<HomeContent> {
  const nowMs = deps.clock.nowMs();
  const active = (await deps.store.mappings.list({ activeAtMs: nowMs }))
    .filter((mapping) => mapping.openedBy.teamId === viewer.teamId)
    .sort((a, b) => a.expiresAtMs - b.expiresAtMs);
  const own = active.filter((mapping) => mapping.openedBy.userId === viewer.userId);
  const admin = isAdmin(deps.policy, viewer.userId, viewer.userGroupIds);
  const others = admin ? active.filter((mapping) => mapping.openedBy.userId !== viewer.userId) : [];
  const shownOwn = own.slice(0, HOME_LIMITS.own);
  const shownOthers = others.slice(0, HOME_LIMITS.others);
  const labels = await simLabels(deps, [...shownOwn, ...shownOthers]);
  const label = (mapping: StoredMapping): HomeMapping => ({
    mapping,
    simLabel: (mapping.simId === undefined ? undefined : labels.get(mapping.simId)) ?? mapping.simId ?? mapping.imsi ?? '?',
  });
  return {
    own: shownOwn.map(label),
    diagnoses: await recentDiagnoses(deps, viewer),
    others: admin ? shownOthers.map(label) : undefined,
    more: { own: own.length - shownOwn.length, others: others.length - shownOthers.length },
  };
}

async function simLabels(deps: Pick<UseCaseDeps, 'api'>, mappings: readonly StoredMapping[]): Promise<Map<string, string>> {
  const simIds = [...new Set(mappings.map((mapping) => mapping.simId).filter((id): id is string => id !== undefined))].slice(0, MAX_SIM_LOOKUPS);
  const sims = await Promise.all(simIds.map((simId) => deps.api.getSim(simId).catch(() => undefined)));
  return new Map(sims.filter((sim) => sim !== undefined).map((sim) => [sim.simId, simLabel(sim)]));
}

/** The viewer's latest diagnoses, from the ledger's `diagnose` rows (newest first, each diagnosis once). */
async function recentDiagnoses(deps: Pick<UseCaseDeps, 'store'>, viewer: { readonly teamId: string; readonly userId: string }): Promise<HomeDiagnosis[]> {
  const entries = await deps.store.ledger.list({ userId: viewer.userId, limit: 100 });
  const seen = new Set<string>();
  const wanted: { id: string; atMs: number }[] = [];
  for (const entry of entries) {
    const id = entry.details?.['diagnosisId'];
    if (entry.kind !== 'diagnose' || entry.teamId !== viewer.teamId || typeof id !== 'string' || seen.has(id)) continue;
    seen.add(id);
    wanted.push({ id, atMs: entry.atMs });
    if (wanted.length === HOME_LIMITS.diagnoses) break;
  }
  const found = await Promise.all(wanted.map(({ id }) => loadDiagnosis(deps, id)));
  return found.flatMap((loaded, index) =>
    loaded === undefined ? [] : [{ diagnosis: loaded.stored, simLabel: diagnosisSimLabel(loaded), atMs: wanted[index]?.atMs ?? loaded.stored.createdAtMs }],
  );
}

/** How a diagnosis names its SIM: the name SORACOM resolved, else what was typed. */
export function diagnosisSimLabel(loaded: LoadedDiagnosis): string {
  const name = loaded.record.sim.name;
  return name === undefined || name === '' ? loaded.stored.simRefText : name;
}

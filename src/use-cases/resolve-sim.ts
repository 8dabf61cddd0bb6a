import { closestNames, nameSearchTerms } from '../domain/closest-names';
import type { SimRef } from '../domain/command/types';
import type { NapterApi } from '../domain/napter-api';
import type { SimSnapshot } from '../domain/soracom';

export type SimResolution =
  | { readonly kind: 'found'; readonly sim: SimSnapshot }
  | { readonly kind: 'not-found'; readonly ref: SimRef }
  /** Several SIMs fit the name: the caller lists them instead of guessing. */
  | { readonly kind: 'ambiguous'; readonly ref: SimRef; readonly candidates: readonly SimSnapshot[] };

/** How many candidates an ambiguous name lists at most. */
const MAX_SIM_CANDIDATES = 10;
/** "Did you mean …": how many names, and how many search pages they may cost. */
const MAX_SUGGESTIONS = 3;
const SUGGESTION_PAGES = 3;

/**
 * Finds the SIM a user named. SORACOM's name search matches partially, so only an exact (case-sensitive,
 * then case-insensitive) `name` tag counts as the SIM; partial matches are offered as candidates.
 */
export async function resolveSim(api: NapterApi, ref: SimRef): Promise<SimResolution> {
  if (ref.kind === 'imsi') {
    const sim = await api.getSubscriber(ref.imsi);
    return sim === undefined ? { kind: 'not-found', ref } : { kind: 'found', sim };
  }
  if (ref.kind === 'simId') {
    const sim = await api.getSim(ref.simId);
    return sim === undefined ? { kind: 'not-found', ref } : { kind: 'found', sim };
  }
  // Pages come in SIM ID order, so a unique name is certain only at the last page; two SIMs carrying
  // exactly the name settle it earlier (the answer is "which one?"), and the search stops there.
  const matches = await api.searchSimsByName(ref.name, {
    stopWhen: (found) => found.filter((sim) => sim.name === ref.name).length >= 2,
  });
  const exact = matches.filter((sim) => sim.name === ref.name);
  const exactIgnoringCase = exact.length > 0 ? exact : matches.filter((sim) => sim.name.toLowerCase() === ref.name.toLowerCase());
  const [only] = exactIgnoringCase;
  if (exactIgnoringCase.length === 1 && only !== undefined) return { kind: 'found', sim: only };
  const candidates = (exactIgnoringCase.length > 1 ? exactIgnoringCase : matches).slice(0, MAX_SIM_CANDIDATES);
  return candidates.length === 0 ? { kind: 'not-found', ref } : { kind: 'ambiguous', ref, candidates };
}

/**
 * Names close to one that matched nothing, for "did you mean …": SORACOM's partial search for the typed
 * name's parts, ranked by edit distance. A few pages at most: a suggestion is worth a little, not a fleet scan.
 */
export async function suggestSimNames(api: NapterApi, typed: string): Promise<string[]> {
  const terms = nameSearchTerms(typed);
  if (terms.length === 0) return [];
  const near = await api.searchSimsByName(terms, { maxPages: SUGGESTION_PAGES });
  return closestNames(
    typed,
    near.map((sim) => sim.name),
    MAX_SUGGESTIONS,
  );
}

/** What the user typed for the SIM, for messages. */
export function simRefText(ref: SimRef): string {
  switch (ref.kind) {
    case 'imsi':
      return ref.imsi;
    case 'simId':
      return ref.simId;
    case 'name':
      return ref.name;
  }
}

/** How a SIM is named in messages: its name tag, else its SIM ID. */
export function simLabel(sim: Pick<SimSnapshot, 'name' | 'simId'>): string {
  return sim.name === '' ? sim.simId : sim.name;
}

/** A SIM by its ID for a message that names it; undefined when SORACOM does not know it or cannot be asked now. */
export async function simForMessage(api: NapterApi, simId: string | undefined): Promise<SimSnapshot | undefined> {
  return simId === undefined ? undefined : api.getSim(simId).catch(() => undefined);
}

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_unused, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

/**
 * The names closest to what was typed, for "did you mean …": at most `count`, nearest first (ties by
 * name), none further than half the typed length away (beyond that it is another name, not a typo).
 */
export function closestNames(typed: string, names: readonly string[], count: number): string[] {
  const wanted = typed.toLowerCase();
  const limit = Math.max(2, Math.ceil(wanted.length / 2));
  return [...new Set(names.filter((name) => name !== ''))]
    .map((name) => ({ name, distance: editDistance(wanted, name.toLowerCase()) }))
    .filter((candidate) => candidate.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((candidate) => candidate.name);
}

/**
 * Search terms that find names close to `typed` with SORACOM's partial, case-insensitive name search:
 * its parts between separators and its first half, each at least 2 characters (SORACOM's minimum) and
 * without commas (its value separator).
 */
export function nameSearchTerms(typed: string): string[] {
  const parts = typed.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 2);
  const half = typed.slice(0, Math.ceil(typed.length / 2));
  return [...new Set([...parts, ...(half.length >= 2 ? [half] : [])])].filter((term) => !term.includes(',')).slice(0, 5);
}

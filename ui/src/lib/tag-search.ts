//! Which existing tags the "+ tag" input offers for what has been typed.

import type { IdName } from './bindings.gen';

function tagName(t: IdName): string {
  return t.name ?? t.id;
}

/**
 * Tags matching `query` that the ticket doesn't have yet: names starting with it first, then
 * names containing it, each alphabetical; at most `max`. An empty query offers the first ones.
 */
export function tagSuggestions(all: readonly IdName[], present: readonly IdName[], query: string, max = 8): IdName[] {
  const have = new Set(present.map((t) => t.id));
  const q = query.trim().toLowerCase();
  const free = all.filter((t) => !have.has(t.id));
  const byName = (a: IdName, b: IdName) => tagName(a).localeCompare(tagName(b));
  if (!q) return [...free].sort(byName).slice(0, max);
  const starts: IdName[] = [];
  const contains: IdName[] = [];
  for (const t of free) {
    const n = tagName(t).toLowerCase();
    if (n.startsWith(q)) starts.push(t);
    else if (n.includes(q)) contains.push(t);
  }
  return [...starts.sort(byName), ...contains.sort(byName)].slice(0, max);
}

/** Moves the highlighted suggestion by `delta`, wrapping around; `-1` means none highlighted. */
export function moveHighlight(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (current + delta + count) % count;
}

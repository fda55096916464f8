import { SYNONYMS } from './command-catalogue.js';

/**
 * The known words closest to what was typed: a synonym, else every candidate within a small edit
 * distance (one edit for short words, two otherwise) or that starts with it. Empty when nothing is close.
 */
export function suggest(typed: string, candidates: readonly string[]): string[] {
  const word = typed.toLowerCase();
  const synonym = SYNONYMS[word];
  if (synonym !== undefined && candidates.includes(synonym)) return [synonym];
  const limit = word.length <= 3 ? 1 : 2;
  const scored = candidates
    .map((candidate) => ({ candidate, distance: candidate.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, candidate) }))
    .filter((s) => s.distance <= limit);
  const best = Math.min(...scored.map((s) => s.distance));
  return scored.filter((s) => s.distance === best).map((s) => s.candidate);
}

/** " Did you mean 'status'?" or '' — ready to splice into a sentence. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const found = suggest(typed, candidates);
  if (found.length === 0) return '';
  const quoted = found.map((f) => `'${f}'`);
  const last = quoted.pop();
  return ` Did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}

/** Levenshtein distance with adjacent transpositions ('stauts' is one edit from 'status'). */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(a.length, b.length);
}

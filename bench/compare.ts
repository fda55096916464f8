// `node --import tsx bench/compare.ts A.json B.json`: two runs of `npm run bench` side by side,
// each figure's ratio B/A, and the figures that moved by more than 20 % (or changed their verdict).
// This is how a run is checked against the one before it on the same machine.
import { readFileSync } from 'node:fs';

interface Run {
  readonly at: string;
  readonly results: readonly { readonly name: string; readonly section: string; readonly value: number | null; readonly unit: string; readonly met: string }[];
}

const [a, b] = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, 'utf8')) as Run);
if (!a || !b) {
  console.error('usage: node --import tsx bench/compare.ts <first results.json> <second results.json>');
  process.exit(2);
}
// Some names carry their raw figures (the codec's "186.4 µs → 22.7 µs"): matched without them.
const key = (r: Run['results'][number]): string => `${r.section}: ${r.name.replace(/\d+(?:\.\d+)? µs/g, '… µs')}`;
const first = new Map(a.results.map((r) => [key(r), r]));
let moved = 0;
const rows = b.results.map((r) => {
  const before = first.get(key(r));
  const ratio = before?.value && r.value !== null ? r.value / before.value : Number.NaN;
  // Small counts (calls, messages, crashes: 0, 1, 2 …) move by whole units: those are not flagged below 5.
  const count = !['ms', 's', 'MB', 'RTT', 'x', '× faster'].includes(r.unit);
  const sizeable = !count || Math.max(Math.abs(r.value ?? 0), Math.abs(before?.value ?? 0)) >= 5;
  const off = Number.isFinite(ratio) && Math.abs(ratio - 1) > 0.2 && sizeable;
  const verdict = before !== undefined && before.met !== r.met;
  if (off || verdict) moved += 1;
  return {
    benchmark: r.name.slice(0, 70),
    first: before?.value?.toFixed(2) ?? '-',
    second: r.value?.toFixed(2) ?? '-',
    unit: r.unit,
    ratio: Number.isFinite(ratio) ? ratio.toFixed(2) : '-',
    verdicts: before ? `${before.met} → ${r.met}` : `- → ${r.met}`,
    flag: off ? '> 20 %' : verdict ? 'verdict' : '',
  };
});
console.log(`first: ${a.at}, second: ${b.at}`);
console.table(rows);
console.log(`${moved} figure(s) moved by more than 20 % or changed their verdict`);

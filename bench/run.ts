// `npm run bench`: every benchmark in one run, printed as a table and written as JSON
// (bench/results.json) so runs can be compared. Targets are checked and marked, never assumed.
import { writeFileSync } from 'node:fs';
import { benchLifecycleOverhead } from './lifecycle-overhead.js';
import { benchSlack } from './slack-metrics.js';
import { benchStatusLatency } from './status-latency.js';
import type { BenchResult } from './stats.js';

const quick = process.argv.includes('--quick');
const sections: [string, () => Promise<BenchResult[]>][] = [
  ['status latency', () => benchStatusLatency({ nodes: 64, databases: 8, latencyMs: 20, runs: quick ? 3 : 9 })],
  ['lifecycle overhead', () => benchLifecycleOverhead({ nodes: 32, databases: 4, timeScale: quick ? 0.05 : 0.1, botPollSeconds: 5, scriptPollSeconds: 5 })],
  ['slack', () => benchSlack({ commands: 100, notifications: 1000 })],
];

const results: (BenchResult & { section: string })[] = [];
for (const [section, run] of sections) {
  process.stderr.write(`running ${section} …\n`);
  for (const result of await run()) results.push({ section, ...result });
}

const rows = results.map((r) => ({
  benchmark: r.name,
  value: Number.isInteger(r.value) ? r.value : Number(r.value.toFixed(2)),
  unit: r.unit,
  target: r.target ?? '',
  met: r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
}));
console.table(rows);
const file = new URL('./results.json', import.meta.url);
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), node: process.version, quick, results }, null, 2)}\n`);
console.log(`written to bench/results.json; ${results.filter((r) => r.pass === false).length} target(s) missed`);

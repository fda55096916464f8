// `npm run bench`: every benchmark in one run, printed as a table and written as JSON
// (bench/results.json) so runs can be compared. Each target is checked and marked met or MISSED;
// the command exits with status 1 when any is missed (or could not be measured).
// --quick: fewer repetitions and a faster time scale, for a smoke test; not for the figures.
import { writeFileSync } from 'node:fs';
import { benchHostileLoad } from './hostile-load.js';
import { benchLifecycleOverhead } from './lifecycle-overhead.js';
import { benchSlack } from './slack-metrics.js';
import { benchStatusEndToEnd, benchStatusLatency } from './status-latency.js';
import { benchTakeover } from './takeover.js';
import type { BenchResult } from './stats.js';
import { benchXmlCodec } from './xml-codec.js';

const quick = process.argv.includes('--quick');
const sections: [string, () => Promise<BenchResult[]>][] = [
  ['xml codec', () => benchXmlCodec({ runs: quick ? 3 : 7, calls: quick ? 500 : 3000 })],
  ['status latency', () => benchStatusLatency({ nodes: 64, databases: 8, latencyMs: 20, runs: quick ? 3 : 15 })],
  ['status end to end', () => benchStatusEndToEnd({ nodes: 64, databases: 8, latencyMs: 20, runs: quick ? 3 : 15, warmup: quick ? 2 : 9 })],
  ['lifecycle overhead', () => benchLifecycleOverhead({ nodes: 32, databases: 4, timeScale: quick ? 0.05 : 0.2, scriptPollSeconds: 5 })],
  ['slack', () => benchSlack({ commands: 100, notifications: 1000 })],
  ['hostile load', () => benchHostileLoad({ floodBodies: 150, fuzzBodies: quick ? 500 : 3000 })],
  ['takeover', () => benchTakeover({ kills: quick ? 3 : 20, bursts: 3, requests: quick ? 3 : 10 })],
];
// `npm run bench -- --only <section>` runs one section (e.g. --only hostile).
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined) sections.splice(0, sections.length, ...sections.filter(([name]) => name.includes(only)));

const started = performance.now();
const results: (BenchResult & { section: string })[] = [];
for (const [section, run] of sections) {
  process.stderr.write(`running ${section} …\n`);
  for (const result of await run()) results.push({ section, ...result });
}

const format = (r: BenchResult): string => r.display ?? (Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2));
const verdict = (r: BenchResult): string => (r.target === undefined ? '-' : r.pass === true ? 'met' : r.pass === false ? 'MISSED' : 'n/a');
console.table(results.map((r) => ({ benchmark: r.name, value: format(r), unit: r.unit, target: r.target ?? '-', met: verdict(r) })));

const missed = results.filter((r) => r.target !== undefined && r.pass === false);
const file = new URL('./results.json', import.meta.url);
const json = {
  at: new Date().toISOString(),
  node: process.version,
  quick,
  seconds: Math.round((performance.now() - started) / 1000),
  missed: missed.map((r) => r.name),
  results: results.map((r) => ({ ...r, value: Number.isFinite(r.value) ? r.value : null, met: verdict(r) })),
};
writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
console.log(`written to bench/results.json in ${json.seconds} s; ${missed.length} target(s) missed${missed.length ? `:\n- ${missed.map((r) => r.name).join('\n- ')}` : ''}`);
if (missed.length > 0) process.exitCode = 1;

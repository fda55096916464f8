#!/usr/bin/env node
// Runs every test file under test/ (or those whose path contains one of the arguments), two at a
// time, each in its own `node --test` process under a time limit: a file that hangs is killed and
// fails the run with its name, instead of blocking CI until its own deadline. Node 20's
// `node --test` does not discover .ts files, so we list them ourselves; otherwise the runner
// would report zero tests and CI would count nothing.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { clearTimeout, setTimeout } from 'node:timers';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv.slice(2);
/** Per file. The slowest file takes about a minute on 2 cores; a hang is anything far beyond. */
const FILE_LIMIT_MS = Number(process.env.TEST_FILE_TIMEOUT_S ?? 240) * 1000;
/** Per test, so a single hanging test is named by the runner itself. */
const TEST_LIMIT_MS = 180_000;
const PARALLEL = 2;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files found under test/${filter.length ? ` matching ${filter.join(', ')}` : ''}`);
  process.exit(1);
}

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-timeout=${TEST_LIMIT_MS}`, file],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: a test's own children (a bot, a simulator) go too.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, FILE_LIMIT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const count = (label) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
      resolve({ file, code, signal, timedOut, output, ms: Date.now() - started, pass: count('pass'), fail: count('fail') });
    });
  });
}

const results = [];
const queue = [...files];
const began = Date.now();
await Promise.all(
  Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const result = await runFile(file);
      results.push(result);
      const ok = result.code === 0 && !result.timedOut;
      process.stdout.write(`\n=== ${file} (${(result.ms / 1000).toFixed(1)} s): ${ok ? 'ok' : 'FAILED'}\n`);
      process.stdout.write(result.output.replace(/^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) .*\n/gm, ''));
      if (result.timedOut) process.stdout.write(`✖ ${file} was killed after its time limit of ${FILE_LIMIT_MS / 1000} s (a hang?)\n`);
    }
  }),
);

const failed = results.filter((r) => r.code !== 0 || r.timedOut);
const pass = results.reduce((n, r) => n + r.pass, 0);
const fail = results.reduce((n, r) => n + r.fail, 0);
console.log(`\n${results.length} test files, ${pass} tests passed, ${fail} failed, in ${((Date.now() - began) / 1000).toFixed(0)} s`);
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3);
console.log(`slowest: ${slowest.map((r) => `${r.file} ${(r.ms / 1000).toFixed(0)} s`).join(', ')}`);
if (failed.length > 0) {
  console.log(`FAILED files:\n${failed.map((r) => `  ${r.file}${r.timedOut ? ' (time limit)' : ''}`).join('\n')}`);
  process.exit(1);
}

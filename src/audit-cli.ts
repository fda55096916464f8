// Entry point of `npm run audit -- [--since X] [--until X] [--cluster NAME] [--format jsonl|csv]
// [--data-dir DIR] [--output FILE]` (issue 17, item 5): the audit log as JSON lines or CSV, from
// the store the bot uses (PostgreSQL when DATABASE_URL or DATABASE_URL_FILE is set, else the
// files in the data directory). The database URL may hold a password: it is never printed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import pg from 'pg';
import { toCsv, toJsonl } from './audit/audit-format.js';
import { SINCE_FORMS, filterAudit, parseSince, readFileAudit, type AuditQuery } from './audit/audit-query.js';
import { readSecret } from './config/secret-source.js';
import { AppError, isAppError } from './errors/app-error.js';
import { parseAuditEntry, type AuditEntry } from './operations/audit-log.js';
import { describeDatabase } from './store/pg/pg-store.js';

const USAGE = `Usage: npm run audit -- [--since TIME] [--until TIME] [--cluster NAME] [--format jsonl|csv] [--data-dir DIR] [--output FILE]

Exports the audit log: who asked for what, who approved it, how it ended.
  --since TIME     only entries at or after TIME (default: from the beginning)
  --until TIME     only entries before TIME (default: up to now)
  --cluster NAME   only the entries of cluster NAME
  --format FORMAT  jsonl (default): one JSON object per line, as stored; or csv, for spreadsheets
  --data-dir DIR   read the files in DIR (default: DATA_DIR, else ./data), even when DATABASE_URL is set
  --output FILE    write to FILE (created mode 600) instead of standard output
TIME is ${SINCE_FORMS}.
Reads PostgreSQL when DATABASE_URL or DATABASE_URL_FILE is set (as the bot does), else the files of the data directory.`;

const FLAGS = ['since', 'until', 'cluster', 'format', 'data-dir', 'output'] as const;
type Flag = (typeof FLAGS)[number];
type Format = 'jsonl' | 'csv';

interface Options {
  readonly query: AuditQuery;
  readonly format: Format;
  readonly dataDir: string | undefined;
  readonly output: string | undefined;
}

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The flags, or everything wrong with them at once. */
function parseArgs(argv: readonly string[], now: Date): { options: Options } | { problems: string[] } {
  const values = new Map<Flag, string>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const name = match?.[1];
    if (!match || name === undefined || !(FLAGS as readonly string[]).includes(name)) {
      problems.push(arg.startsWith('-') ? `unknown flag ${arg}` : `unexpected argument '${arg}' (every value follows its flag, e.g. --cluster ${arg})`);
      continue;
    }
    const flag = name as Flag;
    let value = match[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${flag} needs a value`);
        continue;
      }
      value = next;
      i += 1;
    }
    if (values.has(flag)) problems.push(`--${flag} is given more than once`);
    else if (value.trim() === '') problems.push(`--${flag} needs a value`);
    else values.set(flag, value);
  }

  const time = (flag: 'since' | 'until'): Date | undefined => {
    const value = values.get(flag);
    if (value === undefined) return undefined;
    try {
      return parseSince(value, now);
    } catch (error) {
      problems.push(`--${flag}: ${isAppError(error) ? error.message : String(error)}`);
      return undefined;
    }
  };
  const since = time('since');
  const until = time('until');
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    problems.push(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  }
  const format = values.get('format') ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') problems.push(`--format must be jsonl or csv, got '${format}'`);
  if (problems.length > 0) return { problems };

  const cluster = values.get('cluster');
  return {
    options: {
      query: { ...(cluster === undefined ? {} : { cluster }), ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) },
      format: format as Format,
      dataDir: values.get('data-dir'),
      output: values.get('output'),
    },
  };
}

interface Source {
  readonly entries: AuditEntry[];
  readonly skipped: number;
  /** Where they came from, for the note on stderr: never the URL itself. */
  readonly from: string;
  readonly empty?: string;
}

function readFiles(dataDir: string): Source {
  const read = readFileAudit(dataDir);
  const from = `${read.files.length} file${read.files.length === 1 ? '' : 's'} in ${dataDir}`;
  if (read.files.length > 0) return { entries: read.entries, skipped: read.skipped, from };
  return { entries: [], skipped: 0, from, empty: `there is no audit log in ${dataDir} (no ${join(dataDir, 'audit.jsonl')} and no archive), so the export is empty` };
}

async function readPostgres(url: string, secrets: readonly string[]): Promise<Source> {
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000, query_timeout: 120_000 });
  // An idle connection that fails later must not crash the process with the error's stack.
  pool.on('error', () => undefined);
  try {
    const rows = await pool.query<{ entry: unknown }>('SELECT entry FROM audit ORDER BY seq');
    const entries = rows.rows.flatMap((row) => parseAuditEntry(row.entry) ?? []);
    return { entries, skipped: rows.rows.length - entries.length, from: `PostgreSQL at ${describeDatabase(url)}` };
  } catch (error) {
    const why = redact(error instanceof Error ? error.message : String(error), secrets);
    throw new AppError('AUDIT_PG_UNREADABLE', `could not read the audit table from PostgreSQL: ${why}`);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** pg's messages name no secret, but a connection-string parse error could quote it: never shown. */
function redact(message: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s !== '').reduce((text, secret) => text.split(secret).join('***'), message);
}

function passwordsOf(url: string): string[] {
  try {
    const password = new URL(url).password;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}

async function runAuditCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io, now = new Date()): Promise<number> {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsed = parseArgs(argv, now);
  if ('problems' in parsed) {
    io.stderr.write(`audit: ${parsed.problems.length === 1 ? parsed.problems[0] : `${parsed.problems.length} problems:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`}\n\n${USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  try {
    let source: Source;
    if (options.dataDir !== undefined) {
      source = readFiles(options.dataDir);
    } else {
      const problems: string[] = [];
      const url = readSecret(env, 'DATABASE_URL', problems);
      if (problems.length > 0) throw new AppError('AUDIT_STORE_CONFIG', problems.join('; '));
      source = url.value ? await readPostgres(url.value, [url.value, ...passwordsOf(url.value)]) : readFiles(env['DATA_DIR'] || './data');
    }
    const selected = filterAudit(source.entries, options.query);
    const body = options.format === 'csv' ? toCsv(selected) : toJsonl(selected);
    if (options.output === undefined) {
      io.stdout.write(body);
    } else {
      try {
        writeFileSync(options.output, body, { mode: 0o600 });
      } catch (error) {
        throw new AppError('AUDIT_WRITE_FAILED', `could not write ${options.output} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
    if (source.empty !== undefined) io.stderr.write(`audit: ${source.empty}\n`);
    if (source.skipped > 0) {
      io.stderr.write(`audit: ${source.skipped} record${source.skipped === 1 ? ' was' : 's were'} not a valid audit entry (a torn last line, or damage) and ${source.skipped === 1 ? 'was' : 'were'} left out\n`);
    }
    io.stderr.write(`audit: exported ${selected.length} of ${source.entries.length} entries from ${source.from}${options.output === undefined ? '' : ` to ${options.output}`}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`audit: ${isAppError(error) ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`}\n`);
    return 1;
  }
}

// `| head` closes the pipe early: that ends the export, it is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') return;
  process.stderr.write(`audit: could not write the export to standard output (${error.code ?? error.message})\n`);
  process.exitCode = 1;
});
// As the bot does (main.ts imports dotenv/config): settings in ./.env count, the environment wins.
dotenv.config({ quiet: true });
process.exitCode = await runAuditCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });

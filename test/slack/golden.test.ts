// Golden Block Kit payloads: every view rendered by renderBlocks from fixed inputs, compared with
// checked-in JSON (test/slack/golden/<name>.json), and each checked against Slack's block rules
// by the fake's validator. A change in what users see shows up as a reviewable diff.
// Regenerate after an intended change: UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/slack/golden
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderBlocks } from '../../src/slack/render-blocks.js';
import { validateBlocks } from '../fakes/slack/index.js';
import { VIEWS } from '../messages/example-views.js';

const GOLDEN_DIR = join(import.meta.dirname, 'golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

describe('golden Block Kit payloads', () => {
  if (UPDATE) mkdirSync(GOLDEN_DIR, { recursive: true });

  for (const [name, view] of VIEWS) {
    it(name, () => {
      const rendered = renderBlocks(view());
      const json = `${JSON.stringify(rendered, null, 2)}\n`;
      const file = join(GOLDEN_DIR, `${name}.json`);
      if (UPDATE) writeFileSync(file, json);
      assert.ok(existsSync(file), `missing ${file}; run with UPDATE_GOLDEN=1 to write it`);
      assert.equal(json, readFileSync(file, 'utf8'), `${name} differs from ${file} (UPDATE_GOLDEN=1 rewrites it after an intended change)`);

      // What Slack would accept: the fake's validator with real message limits.
      const valid = validateBlocks(rendered.blocks, { maxBlocks: 50, textLimit: 12_000 });
      assert.ok(valid.ok, `${name}: ${valid.ok ? '' : `${valid.error}: ${valid.errors.join('; ')}`}`);
      // Slack truncates `text` only above 40k, but asks for 4,000 or less (notes §0).
      assert.ok(rendered.text.length > 0 && rendered.text.length <= 4000, `${name}: fallback text of ${rendered.text.length} characters`);
    });
  }

  it('has no stale golden files', () => {
    const names = new Set(VIEWS.map(([name]) => `${name}.json`));
    const files = existsSync(GOLDEN_DIR) ? readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json')) : [];
    assert.deepEqual(
      files.filter((f) => !names.has(f)),
      [],
      'golden files without a view: delete them',
    );
  });
});

// Golden payloads of the modals (the request form in its states, the confirm form of a critical
// shut-down), checked in like the message goldens and checked against Slack's rules for modals:
// title, submit and close of 1–24 characters, 100 blocks, valid inputs and selects.
// Regenerate after an intended change: UPDATE_GOLDEN=1 node scripts/run-tests.mjs test/slack/golden
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderPlan } from '../../src/messages/plan-view.js';
import { renderConfirmByName } from '../../src/slack/confirm-name-view.js';
import { renderRequestForm } from '../../src/slack/request-form-view.js';
import { validateBlocks } from '../fakes/slack/index.js';
import { cleanShutdownPlan } from '../messages/example-views.js';

const GOLDEN_DIR = join(import.meta.dirname, 'golden', 'modals');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

export const MODALS: ReadonlyArray<readonly [string, () => Record<string, unknown>]> = [
  ['request-form-new', () => renderRequestForm({ clusters: ['c1', 'c2'], values: { cluster: 'c1' }, channel: 'C0OPS', databases: { kind: 'not-needed' }, preview: { kind: 'none' }, reasonRequired: false })],
  [
    'request-form-shutdown',
    () =>
      renderRequestForm({
        clusters: ['c1', 'c2'],
        values: { cluster: 'c1', operation: 'cluster-shutdown', reason: 'quarterly patching' },
        channel: 'C0OPS',
        databases: { kind: 'not-needed' },
        preview: { kind: 'plan', plan: renderPlan(cleanShutdownPlan) },
        reasonRequired: true,
      }),
  ],
  [
    'request-form-database',
    () =>
      renderRequestForm({
        clusters: ['c1'],
        values: { cluster: 'c1', operation: 'database-stop' },
        channel: 'C0OPS',
        databases: { kind: 'listed', names: ['exa_db1', 'exa_db2'] },
        preview: { kind: 'problem', text: 'Pick the database to see the dry run.' },
        reasonRequired: true,
      }),
  ],
  [
    'request-form-unlisted',
    () =>
      renderRequestForm({
        clusters: ['c1'],
        values: { cluster: 'c1', operation: 'database-start' },
        channel: 'C0OPS',
        databases: { kind: 'unavailable', why: 'EXAoperation did not answer within 15 s' },
        preview: { kind: 'problem', text: 'Pick the database to see the dry run.' },
        reasonRequired: false,
      }),
  ],
  ['confirm-name', () => renderConfirmByName({ opId: 'op-3', cluster: 'prod', channel: 'C0OPS' })],
];

describe('golden modal payloads', () => {
  for (const [name, view] of MODALS) {
    it(name, () => {
      const rendered = view();
      const json = `${JSON.stringify(rendered, null, 2)}\n`;
      const file = join(GOLDEN_DIR, `${name}.json`);
      if (UPDATE) writeFileSync(file, json);
      assert.ok(existsSync(file), `missing ${file}; run with UPDATE_GOLDEN=1 to write it`);
      assert.equal(json, readFileSync(file, 'utf8'), `${name} differs from ${file}`);
      assert.equal(rendered['type'], 'modal');
      for (const key of ['title', 'submit', 'close']) {
        const text = (rendered[key] as { type: string; text: string }).text;
        assert.ok(text.length >= 1 && text.length <= 24, `${name}: ${key} '${text}' must be 1-24 characters`);
      }
      const valid = validateBlocks(rendered['blocks'], { maxBlocks: 100, textLimit: 12_000 });
      assert.ok(valid.ok, `${name}: ${valid.ok ? '' : `${valid.error}: ${valid.errors.join('; ')}`}`);
      assert.ok(String(rendered['private_metadata']).length <= 3000);
    });
  }
});

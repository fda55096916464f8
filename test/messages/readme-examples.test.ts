// The README's rendered examples are the views' own output: regenerate them with
// `node --import tsx scripts/render-examples.ts --write` after a change to what users see.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { README, withExamples } from '../../scripts/render-examples.js';

describe('README examples', () => {
  it('are what the views render today', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, withExamples(readme), 'README.md examples are stale: run node --import tsx scripts/render-examples.ts --write');
  });
});

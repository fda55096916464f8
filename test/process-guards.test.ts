import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { createRedactor } from '../src/logging/redact.js';
import { installProcessGuards } from '../src/process-guards.js';
import { recordingLogger } from './e2e/harness.js';

describe('process guards', () => {
  it('logs a rejection nobody handled, redacted, counts it, and lets the process go on', () => {
    const target = new EventEmitter();
    const logger = recordingLogger();
    let counted = 0;
    installProcessGuards(target, { logger, redact: createRedactor(['s3cret-token']), count: () => (counted += 1) });
    target.emit('unhandledRejection', new TypeError("Cannot read properties of null (reading 'ssl_check') with s3cret-token"));
    assert.equal(counted, 1);
    assert.equal(logger.lines.length, 1);
    assert.equal(logger.lines[0]?.level, 'error');
    assert.doesNotMatch(JSON.stringify(logger.lines), /s3cret-token/);
    assert.match(String(logger.lines[0]?.meta?.['error']), /TypeError: Cannot read properties of null/);
  });

  it('keeps a real process alive after an unhandled rejection', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      const { installProcessGuards } = await import(${JSON.stringify(new URL('../src/process-guards.ts', import.meta.url).href)});
      installProcessGuards(process, { logger: { error: () => {}, warn() {}, info() {}, debug() {} }, redact: (s) => s, count: () => {} });
      Promise.reject(new Error('stray'));
      setTimeout(() => { console.log('still alive'); }, 50);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /still alive/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogLevel } from '@slack/bolt';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import type { Logger } from '../../src/logging/logger.js';

function recorder(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') }, lines };
}

describe('boltLogger', () => {
  it("drops Bolt's debug lines, without turning their payloads into text, unless Bolt was given LogLevel.DEBUG", () => {
    const { logger, lines } = recorder();
    const bolt = boltLogger(logger);
    bolt.setLevel(LogLevel.INFO);
    const payload = { toJSON: () => assert.fail('a dropped line must not be formatted') };
    bolt.debug('payload', payload);
    bolt.info('connected');
    assert.deepEqual(lines, ['info connected']);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('payload', { type: 'block_actions' });
    assert.deepEqual(lines, ['info connected', 'debug payload {"type":"block_actions"}']);
  });
});

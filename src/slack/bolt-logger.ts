import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';

/**
 * Bolt and the Socket Mode client log through this, so their lines pass through our redacting
 * logger too (Bolt may log payloads and error bodies).
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => void logger.debug(text(msg), { source: 'bolt' }),
    info: (...msg) => void logger.info(text(msg), { source: 'bolt' }),
    warn: (...msg) => void logger.warn(text(msg), { source: 'bolt' }),
    error: (...msg) => void logger.error(text(msg), { source: 'bolt' }),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

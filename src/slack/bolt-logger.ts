import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';

/**
 * Bolt and the Socket Mode client log through this, so their lines pass through our redacting
 * logger too (Bolt may log payloads and error bodies). Debug lines are dropped here unless Bolt was
 * given LogLevel.DEBUG: Bolt logs several per delivery, some with the payload, and turning them
 * into text (JSON.stringify) only for winston to drop them is CPU on the path of every ack.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]): string => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => {
      if (level === LogLevel.DEBUG) logger.debug(text(msg), { source: 'bolt' });
    },
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

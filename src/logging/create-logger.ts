import winston from 'winston';
import type { Logger } from './logger.js';
import { redactDeep, type Redactor } from './redact.js';

/**
 * The production logger: JSON lines on stdout (what container platforms collect), with every
 * message and metadata value passed through the redactor first.
 */
export function createLogger(options: { level: string; redact: Redactor; pretty?: boolean }): Logger {
  const redaction = winston.format((info) => {
    const { level, message, ...meta } = info;
    const clean = redactDeep({ message: String(message), ...meta }, options.redact);
    return Object.assign(info, clean, { level });
  });
  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(
      redaction(),
      winston.format.timestamp(),
      options.pretty ? winston.format.simple() : winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}

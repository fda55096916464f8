// Shared setup for driving a real Bolt App against the fake: a logger that records instead of
// printing (Bolt and the Socket Mode client would otherwise log payloads), and the client options
// that keep failures fast.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LogLevel, type Logger } from '@slack/bolt';

export interface RecordingLogger extends Logger {
  readonly lines: Array<{ level: string; text: string }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: Array<{ level: string; text: string }> = [];
  const log = (level: string) => (...msg: unknown[]) => void lines.push({ level, text: msg.map(String).join(' ') });
  let current = LogLevel.INFO;
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (level: LogLevel) => {
      current = level;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

/**
 * Always set retryConfig: Socket Mode writes `{retries: 100}` into a clientOptions object that has
 * none (§5.4), and the listener clients Bolt copies from it would then retry a 5xx for minutes.
 * A fresh object per App, because that mutation is shared.
 */
export function clientOptionsFor(apiUrl: string): { slackApiUrl: string; retryConfig: { retries: number } } {
  return { slackApiUrl: apiUrl, retryConfig: { retries: 0 } };
}

/** HTTPReceiver.start() resolves with the node server; its port is the bot's Request URL. */
export function requestUrlOf(server: unknown): string {
  const { port } = (server as Server).address() as AddressInfo;
  return `http://127.0.0.1:${port}/slack/events`;
}

// Polling wait with a deadline: the bot works asynchronously after its ack, so tests wait for the
// effect (a chat.update, a reconnect) instead of sleeping a guessed amount of time.
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_INTERVAL_MS = 10;

export async function waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 2000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = predicate();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      // A predicate may index into state that does not exist yet; keep the reason for the report.
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}

// A promise rejection nobody handled would end the process (Node's default), cutting off a
// running operation and dropping waiting approvals. It is logged (redacted), counted, and survived:
// every write the bot depends on (journal, audit) is synchronous and already on disk by then.
import type { Logger } from './logging/logger.js';
import type { Redactor } from './logging/redact.js';

export interface ProcessGuardDeps {
  readonly logger: Logger;
  readonly redact: Redactor;
  readonly count: () => void;
}

/** `target` is `process` in main.ts; anything with `on` in tests. */
export function installProcessGuards(target: { on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown }, deps: ProcessGuardDeps): void {
  target.on('unhandledRejection', (reason) => {
    deps.count();
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    deps.logger.error('a promise rejection nobody handled; logged, and the bot goes on', { error: deps.redact(text) });
  });
}

import type { Logger } from '../logging/logger.js';
import type { OperationEvent } from './operation-record.js';

/**
 * Tells the adapters (Slack, console) what happened. Nothing about an operation is reported after
 * its end: once it is finished, later events for it (a stray step detail, a late cancel) are
 * dropped here, whatever path produced them.
 */
export class OperationEvents {
  private readonly listeners = new Set<(event: OperationEvent) => void>();
  private readonly ended = new Set<string>();

  constructor(private readonly logger: Logger) {}

  subscribe(listener: (event: OperationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: OperationEvent): void {
    if (this.ended.has(event.op.id)) {
      this.logger.debug('dropped an event after the operation ended', { opId: event.op.id, type: event.type });
      return;
    }
    const last = event.type === 'progress' && event.event.type === 'finished';
    const closes = last || event.type === 'rejected' || event.type === 'expired';
    if (closes) this.ended.add(event.op.id);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('an operation listener failed', { error: String(error) });
      }
    }
  }

  /** Forgets ended ids the registry no longer keeps, so the set stays bounded. */
  forget(opId: string): void {
    this.ended.delete(opId);
  }
}

import { isExaOperationError } from '../../exaoperation/errors.js';

/** What became of one startupNode or shutdownNode. */
export type PowerRequest = { readonly kind: 'sent' } | { readonly kind: 'refused'; readonly reason: string };

/**
 * EXAoperation refuses (UsageError) to power on a node that is not off and to shut down one that
 * is not running, so a re-run after a cancel meets this refusal for nodes already on their way.
 * The reference leaves the fault text open, so only the code is trusted here; whether a refusal
 * means "already on its way" is decided by the caller from the live state, never from the refusal.
 */
export async function requestPower(send: () => Promise<void>): Promise<PowerRequest> {
  try {
    await send();
    return { kind: 'sent' };
  } catch (error) {
    if (!isExaOperationError(error, 'EXA_PRECONDITION_FAILED')) throw error;
    return { kind: 'refused', reason: error.fault?.text || error.message };
  }
}

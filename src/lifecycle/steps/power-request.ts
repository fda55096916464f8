import { isExaOperationError } from '../../exaoperation/errors.js';

/** What became of one startupNode or shutdownNode. */
export type PowerRequest = { readonly kind: 'sent' } | { readonly kind: 'refused'; readonly reason: string };

/**
 * EXAoperation refuses (UsageError) to power on a node that is not off and to shut down one that
 * is not running. getNodeState cannot tell a booting node from an off one ('Unknown' for both) nor
 * one powering off from a running one ('Running' until power off), so a re-run after a cancel
 * meets exactly this refusal for nodes already on their way. The reference leaves the fault text
 * open, so only the code is trusted: any refusal means "already on its way", the wait step after
 * decides, and the refusal's own text is passed on so a different reason is seen at once.
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

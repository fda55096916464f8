// A call that answers only once the cluster has got somewhere (startEXAStorage with storageCalls
// 'blocking'). The model has no timers, so the server asks again when the model's next event is due.
import type { RpcValue } from './rpc-value.js';

export class Pending {
  constructor(
    /** The answer once there is one: a value, or the exception to report as a fault. */
    readonly settle: () => { readonly value: RpcValue } | { readonly error: Error } | undefined,
    /** Clock time worth looking again at (the model's next event), if any is scheduled. */
    readonly checkAgainAt: () => number | undefined,
  ) {}
}

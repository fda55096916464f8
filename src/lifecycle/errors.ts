import { AppError } from '../errors/app-error.js';

export type LifecycleErrorCode =
  | 'PRECONDITION_FAILED' // the cluster is not in a state where the step is safe
  | 'STEP_TIMEOUT' // a wait ran past its deadline
  | 'CANCELLED' // someone cancelled the operation
  | 'NOT_APPROVED' // the step would act on something the approved plan does not include
  | 'NOT_SUPPORTED' // the cluster's backend has no such step
  | 'HOST_ACTION_FAILED'; // an operator's host action (Exasol 8 power step) did not exit 0

/** Thrown by steps when they must stop the operation; the message says why and what to do. */
export class LifecycleError extends AppError<LifecycleErrorCode> {}

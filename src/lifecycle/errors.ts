import { AppError } from '../errors/app-error.js';

export type LifecycleErrorCode =
  | 'PRECONDITION_FAILED' // the cluster is not in a state where the step is safe
  | 'STEP_TIMEOUT' // a wait ran past its deadline
  | 'CANCELLED' // someone cancelled the operation
  | 'NOT_APPROVED' // the step would act on something the approved plan does not include
  | 'NOT_SUPPORTED'; // the cluster's backend has no such step

/** Thrown by steps when they must stop the operation; the message says why and what to do. */
export class LifecycleError extends AppError<LifecycleErrorCode> {}

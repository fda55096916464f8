import { exaoperationBackend } from '../../src/backend/exaoperation-backend.js';
import { buildPlan } from '../../src/lifecycle/build-plan.js';
import { Cancellation } from '../../src/lifecycle/cancellation.js';
import type { OperationKind } from '../../src/lifecycle/operation-kind.js';
import type { ProgressEvent } from '../../src/lifecycle/progress.js';
import { runPlan } from '../../src/lifecycle/run-plan.js';
import { readClusterSnapshot } from '../../src/lifecycle/snapshot.js';
import { systemClock } from '../../src/util/clock.js';
import type { SimCluster } from '../helpers/sim-cluster.js';

/**
 * Plans an operation from the simulator's current state and runs it, as the service does.
 * `onEvent` sees every event as it happens, e.g. to cancel when a given step starts.
 */
export async function runOnSim(
  c: SimCluster,
  operation: OperationKind,
  options: { readonly cancellation?: Cancellation; readonly onEvent?: (event: ProgressEvent) => void } = {},
) {
  const cancellation = options.cancellation ?? new Cancellation();
  const plan = buildPlan(operation, await readClusterSnapshot(c.client), c.profile);
  /** Where the run's own calls start in the simulator's call log. */
  const callsBefore = c.sim.calls.length;
  const events: ProgressEvent[] = [];
  const outcome = await runPlan({
    opId: `op-${c.sim.calls.length}`,
    plan,
    backend: exaoperationBackend(c.client, c.profile),
    profile: c.profile,
    clock: systemClock,
    cancellation,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return { plan, events, outcome, callsBefore };
}

/** The note or skip reason a step finished with, found by its action kind. */
export function stepResult(events: readonly ProgressEvent[], actionKind: string) {
  const finished = events.find((e) => e.type === 'step-finished' && e.step.action.kind === actionKind);
  return finished?.type === 'step-finished' ? finished.result : undefined;
}

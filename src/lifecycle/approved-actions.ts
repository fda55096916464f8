import type { Plan, Step, StepAction } from './plan.js';

/**
 * What a plan may change on the cluster, as data: each acting step's kind and its targets (nodes,
 * databases, plugin@node). This is what an approver approves and what the journal stores with the
 * approval; at run time the rebuilt plan may act on this much and no more (see guarded-client.ts).
 */
export interface ApprovedAction {
  readonly kind: StepAction['kind'];
  readonly targets: readonly string[];
}

/** Steps that change the cluster; waits and checks only read it. */
export function isActing(action: StepAction): boolean {
  return !action.kind.startsWith('wait-') && !action.kind.startsWith('check-');
}

/** What a step acts on or waits for: its nodes, database or plugin@node (none for the rest). */
export function actionTargets(action: StepAction): string[] {
  switch (action.kind) {
    case 'power-on-nodes':
    case 'shutdown-nodes':
    case 'power-off-hosts':
    case 'power-on-hosts':
    case 'wait-nodes-booted':
    case 'wait-nodes-down':
      return [...action.nodes];
    case 'shutdown-license-server':
      return [action.node];
    case 'start-database':
    case 'stop-database':
    case 'abort-backup':
    case 'wait-database-accepting':
    case 'wait-database-stopped':
      return [action.database];
    case 'restart-plugin':
    case 'start-plugin':
      return [`${action.plugin}@${action.node}`];
    default:
      return [];
  }
}

/** The acting steps a plan expects to take (not those it skips or that are blocked). */
export function approvedActions(plan: Plan): ApprovedAction[] {
  return plan.steps.filter((step) => isActing(step.action) && step.expect.kind === 'act').map(toApproved);
}

function toApproved(step: Step): ApprovedAction {
  return { kind: step.action.kind, targets: actionTargets(step.action) };
}

/** One thing the rebuilt plan would do that the approved one did not include. */
export interface PlanChange {
  readonly kind: StepAction['kind'];
  readonly target: string | undefined;
  /** The step's title in the rebuilt plan, for the message. */
  readonly title: string;
}

/** What `plan` would do beyond `approved`: a new acting step, or a known step on another target. */
export function changesBeyond(approved: readonly ApprovedAction[], plan: Plan): PlanChange[] {
  const allowed = new Map<string, Set<string>>();
  for (const action of approved) {
    const targets = allowed.get(action.kind) ?? new Set<string>();
    for (const target of action.targets) targets.add(target);
    allowed.set(action.kind, targets);
  }
  const changes: PlanChange[] = [];
  for (const step of plan.steps) {
    if (!isActing(step.action) || step.expect.kind !== 'act') continue;
    const targets = allowed.get(step.action.kind);
    const own = actionTargets(step.action);
    if (targets === undefined) {
      changes.push({ kind: step.action.kind, target: own.join(', ') || undefined, title: step.title });
      continue;
    }
    for (const target of own) if (!targets.has(target)) changes.push({ kind: step.action.kind, target, title: step.title });
  }
  return changes;
}

export function describeChange(change: PlanChange): string {
  return change.target === undefined ? change.title : `${change.title} (new: ${change.target})`;
}

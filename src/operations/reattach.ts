// Taking over an operation another replica was running when it died (PostgreSQL store, issue 15).
// The journal says which steps of the approved plan finished; the live state says whether a step
// that was in flight took effect. The rest of the approved plan goes on only where that is safe:
// from a wait or a check (they change nothing), from an acting step that had not started, or past
// an acting step the live state shows as done. An acting step that was in flight and shows no
// effect is never sent again: the operation stops there and a person decides.
import { actionTargets, isActing, type ApprovedAction } from '../lifecycle/approved-actions.js';
import { abortsBackup, type OperationKind } from '../lifecycle/operation-kind.js';
import type { Plan, Step, StepAction } from '../lifecycle/plan.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { UnfinishedOperation } from './recovery.js';
import type { PlannedStep } from './journal-record.js';

/** The step a takeover starts from: its index in the plan, and whether it was in flight. */
export type ResumePoint =
  | { readonly kind: 'at'; readonly index: number; readonly inFlight: boolean }
  /** A step had failed (the end was not written yet): nothing is resumed after a failure. */
  | { readonly kind: 'failed'; readonly step: Step };

/** A step as the journal keeps it: id, title, and its action with targets (journalledPlan reads it back). */
export function plannedStep(step: Step): PlannedStep {
  return { id: step.id, title: step.title, action: { kind: step.action.kind, targets: actionTargets(step.action) }, expect: step.expect.kind === 'skip' ? 'skip' : 'act' };
}

/**
 * The plan as the journal keeps it — the one that started ('started'), or the one its approval
 * request showed ('requested') — or undefined if it cannot be rebuilt.
 */
export function journalledPlan(op: UnfinishedOperation, which: 'started' | 'requested' = 'started'): Plan | undefined {
  const journalled: readonly PlannedStep[] = which === 'started' ? op.steps : (op.requestedPlan ?? []);
  if (journalled.length === 0) return undefined;
  const steps: Step[] = [];
  for (const planned of journalled) {
    if (planned.action === undefined || planned.expect === undefined) return undefined; // an older journal
    const action = stepAction(planned.action, op.operation);
    if (action === undefined) return undefined;
    steps.push({
      id: planned.id,
      title: planned.title,
      action,
      expect: planned.expect === 'skip' ? { kind: 'skip', reason: 'as planned before the takeover' } : { kind: 'act' },
    });
  }
  return { cluster: op.cluster, operation: op.operation, steps, blockers: [] };
}

/** Where the run stood: the first step the journal does not show as done or skipped. */
export function resumePoint(op: UnfinishedOperation, plan: Plan): ResumePoint {
  for (const [index, step] of plan.steps.entries()) {
    const outcome = op.outcomes[step.id];
    if (outcome === 'done' || outcome === 'skipped') continue;
    if (outcome === 'failed') return { kind: 'failed', step };
    return { kind: 'at', index, inFlight: outcome === 'started' };
  }
  return { kind: 'at', index: plan.steps.length, inFlight: false };
}

/** Whether a step that may run again from its start is safe to: waits and checks change nothing. */
export function safeToRepeat(step: Step): boolean {
  return !isActing(step.action);
}

/**
 * Whether the live state shows an acting step's effect (or the change it started, under way).
 * Undefined: the state cannot tell (a license server shut down, a host action, a plugin).
 */
export function effectShown(action: StepAction, snapshot: ClusterSnapshot): boolean | undefined {
  const db = (name: string) => snapshot.databases.find((d) => d.name === name);
  const nodes = (names: readonly string[]) => names.map((name) => snapshot.nodes.find((n) => n.name === name));
  switch (action.kind) {
    case 'stop-database': {
      const state = db(action.database)?.state.kind;
      return state === 'shutdown' || state === 'setup';
    }
    case 'start-database': {
      const state = db(action.database)?.state.kind;
      return state === 'startup' || state === 'running';
    }
    case 'stop-storage':
      return !snapshot.storageOnline;
    case 'start-storage':
      return snapshot.storageOnline;
    case 'shutdown-nodes':
      // Shown only when every node it names is off or on its way down; 'unknown' is not proof.
      return nodes(action.nodes).every((n) => n !== undefined && (n.power.kind === 'off' || n.status.kind === 'suspended' || n.status.kind === 'offline'));
    case 'power-on-nodes':
      return nodes(action.nodes).every((n) => n !== undefined && n.power.kind !== 'off');
    case 'abort-backup':
      return db(action.database)?.backup?.kind === 'none';
    default:
      return undefined;
  }
}

/** A journalled action back as the plan's step action; undefined for a kind this bot does not know. */
export function stepAction(action: ApprovedAction, operation: OperationKind): StepAction | undefined {
  const [first] = action.targets;
  const nodes = [...action.targets];
  switch (action.kind) {
    case 'wait-exaoperation':
    case 'wait-cluster-online':
    case 'check-master':
    case 'check-nodes-running':
    case 'start-storage':
    case 'wait-services-ok':
    case 'check-storage-online':
    case 'check-databases-stopped':
    case 'stop-storage':
    case 'wait-storage-stopped':
    case 'start-databases-after-boot':
      return { kind: action.kind };
    case 'check-databases-idle':
      return abortsBackup(operation) ? { kind: action.kind, backupsAborted: true } : { kind: action.kind };
    case 'power-on-nodes':
    case 'wait-nodes-booted':
    case 'shutdown-nodes':
    case 'wait-nodes-down':
    case 'power-off-hosts':
    case 'power-on-hosts':
      return { kind: action.kind, nodes };
    case 'abort-backup':
    case 'start-database':
    case 'wait-database-accepting':
    case 'stop-database':
    case 'wait-database-stopped':
      return first === undefined ? undefined : { kind: action.kind, database: first };
    case 'shutdown-license-server':
      return first === undefined ? undefined : { kind: action.kind, node: first };
    case 'restart-plugin':
    case 'start-plugin': {
      const at = first?.lastIndexOf('@') ?? -1;
      return first === undefined || at <= 0 ? undefined : { kind: action.kind, plugin: first.slice(0, at), node: first.slice(at + 1) };
    }
    default:
      return undefined;
  }
}

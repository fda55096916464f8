import type { CallOptions } from '../exaoperation/transport.js';
import type { LogEntry, LogPriority, NodeStatus } from '../exaoperation/types.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import type { Step } from '../lifecycle/plan.js';
import type { ClusterSnapshot } from '../lifecycle/snapshot.js';
import type { StepDetail, StepOutcome } from '../lifecycle/steps/step-context.js';
import type { Clock } from '../util/clock.js';
import type { EntryEvent } from '../watch/events.js';
import type { BackendCapabilities } from './capabilities.js';

export type { BackendCapabilities } from './capabilities.js';

/** Which administration service a cluster is driven through: EXAoperation (Exasol 6/7) or ConfD (Exasol 8). */
export type BackendKind = 'exaoperation' | 'confd';

/** What a step needs from the run, whatever the backend: the backend adds its own client. */
export interface StepRun {
  readonly profile: ClusterProfile;
  readonly clock: Clock;
  /** Aborts waits (cancellation) and every call (bot shutting down). */
  readonly signal: AbortSignal;
  /** Aborted by a cancel or a stop even during a step that is not safe to interrupt (retry-step.ts). */
  readonly retryGate?: AbortSignal;
  detail(detail: StepDetail): void;
}

/** One operation's steps on one backend: state that lives as long as the operation (a log cursor, say). */
export interface OperationSteps {
  /** Runs one step, its calls that change the cluster limited to what the step acts on. */
  run(run: StepRun, step: Step): Promise<StepOutcome>;
}

/** The nodes view: each node's state and whether it is powered, as the service tells. */
export interface NodesReport {
  readonly takenAt: number;
  readonly master: string;
  readonly licenseServers: readonly string[];
  readonly nodes: readonly { readonly name: string; readonly status: NodeStatus; readonly online: boolean }[];
}

export interface SnapshotOptions extends CallOptions {
  readonly now?: () => number;
}

/**
 * A cluster as everything above the client sees it: commands, plans, the queue, approvals, the
 * journal, progress, notifications and access talk to a cluster only through this.
 */
export interface ClusterBackend {
  readonly kind: BackendKind;
  /** Where the service is reached, safe to show (no credentials). */
  readonly endpoint: string;
  readonly capabilities: BackendCapabilities;
  /** The whole state in one read (nodes, storage, databases). */
  snapshot(options?: SnapshotOptions): Promise<ClusterSnapshot>;
  /** The steps of one operation. */
  operation(opId: string): OperationSteps;
  /** The newest `count` log entries, newest first. */
  logs(count: number, options?: CallOptions): Promise<readonly LogEntry[]>;
  /** What is new in the log since the last read with this tag (a cursor kept by the service), newest first. */
  logsSince(tag: string, options?: CallOptions): Promise<readonly LogEntry[]>;
  /** What one log entry means to the watcher: a boot, a database's connections, an error, or nothing. */
  classify(entry: LogEntry, minPriority: LogPriority): EntryEvent;
  nodes(options?: CallOptions): Promise<NodesReport>;
  /** Resolves when the service answers at all (readiness, "wait until it answers"). */
  probe(options?: CallOptions): Promise<void>;
  /** The failure means "not up yet" (refused, timed out, a half-started web server), not a refusal. */
  isNotUpYet(error: unknown): boolean;
  /** Checks at start-up that what the bot will use exists and may be used (ConfD: job_desc and two reads). */
  /**
   * A start-up's state when the service does not answer and the backend can still act (Exasol 8
   * with host power on configured: the hosts are off). Undefined: wait for the service instead.
   */
  snapshotWhileDown?(error: unknown): ClusterSnapshot | undefined;
  preflight?(options?: CallOptions): Promise<{ readonly problems: readonly string[]; readonly warnings: readonly string[] }>;
  /** Closes idle connections. */
  close(): void;
}

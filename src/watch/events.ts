import type {
  ConnectionState,
  DatabaseOperation,
  DatabaseState,
  LogEntry,
  NodeStatus,
  ServiceRuntimeState,
} from '../exaoperation/types.js';

/**
 * What the watcher tells a channel, as data. The two pure sources (classifyEntry for log entries,
 * diffSnapshots for polled states) know nothing about clusters or time; the watcher stamps each
 * event with both when it publishes, so the view can group events of several clusters.
 */

/** What one logservice entry means. `ignored` is below the priority threshold and not shown. */
export type EntryEvent =
  | { readonly kind: 'node-booted'; readonly node: string; readonly seconds: number; readonly entry: LogEntry }
  | { readonly kind: 'database-connections'; readonly database: string; readonly accepting: boolean; readonly entry: LogEntry }
  | { readonly kind: 'log-entry'; readonly entry: LogEntry }
  | { readonly kind: 'ignored'; readonly entry: LogEntry };

/** A difference between two polled cluster states. */
export type StateChange =
  | { readonly kind: 'master-changed'; readonly from: string; readonly to: string }
  /** `volumes`: Exasol 8, where storage is the volumes (there is no EXAStorage service). */
  | { readonly kind: 'storage-changed'; readonly online: boolean; readonly volumes?: boolean }
  | {
      readonly kind: 'service-state-changed';
      readonly service: string;
      readonly from: ServiceRuntimeState;
      readonly to: ServiceRuntimeState;
    }
  | { readonly kind: 'node-status-changed'; readonly node: string; readonly from: NodeStatus; readonly to: NodeStatus }
  | { readonly kind: 'database-state-changed'; readonly database: string; readonly from: DatabaseState; readonly to: DatabaseState }
  | {
      readonly kind: 'database-operation-changed';
      readonly database: string;
      readonly from: DatabaseOperation;
      readonly to: DatabaseOperation;
    }
  | {
      readonly kind: 'connection-state-changed';
      readonly database: string;
      readonly from: ConnectionState;
      readonly to: ConnectionState;
    };

/** Whether the watcher can talk to EXAoperation at all. */
export type ContactEvent =
  /** `reason` is a few words for the title; `detail` the user-safe error text for the thread. */
  | { readonly kind: 'contact-lost'; readonly reason: string; readonly detail: string }
  /** `planned`: EXAoperation was down because the bot shut the cluster down. */
  | { readonly kind: 'contact-restored'; readonly downMs: number; readonly planned?: true };

export type WatchEvent = Exclude<EntryEvent, { readonly kind: 'ignored' }> | StateChange | ContactEvent;

/** An event as published: which cluster it concerns and when the watcher saw it (clock ms). */
/** `service`: what answers for the cluster when it is not EXAoperation ('ConfD'), for the wording. */
export type ClusterEvent = WatchEvent & { readonly cluster: string; readonly observedAt: number; readonly service?: string };

/** The node is up and answering, as far as getNodeState tells. */
export const isOnline = (status: NodeStatus): boolean => status.kind === 'running';

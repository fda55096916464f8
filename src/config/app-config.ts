import type { ProxySettings } from './proxy-config.js';
import type { Role } from '../access/role.js';
import type { OperationKind, OperationName } from '../lifecycle/operation-kind.js';
import type { ClusterProfile } from '../lifecycle/cluster-profile.js';
import type { TlsOptions } from '../exaoperation/transport-options.js';
import type { LogPriority } from '../exaoperation/types.js';
import type { BackendKind } from '../backend/cluster-backend.js';
import type { StoreConfig } from './store-config.js';
import type { ApprovalRule } from '../operations/approval-rules.js';
import type { ChangeControlConfig } from './change-control-config.js';

export type SlackMode =
  | { readonly kind: 'socket'; readonly appToken: string }
  | { readonly kind: 'http'; readonly signingSecret: string };

export interface SlackConfig {
  readonly botToken: string;
  readonly mode: SlackMode;
  /** Web API base URL override (proxies, tests), e.g. http://127.0.0.1:4000/api/ */
  readonly apiUrl: string | undefined;
  /**
   * The workspace the bot serves (T…). Bolt does not check team_id in single-workspace mode, so
   * we do: a request from another workspace is refused. Unset: learned from auth.test at start.
   */
  readonly teamId: string | undefined;
  /** HTTP mode: deliveries larger than this are refused with 413 before more is read. */
  readonly maxBodyBytes: number;
  /** The outbound proxy to Slack, from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  readonly proxy: ProxySettings;
  /** EXA_NOTIFY_REQUESTER_DM: the requester also gets the outcome as a direct message from the app. */
  readonly dmRequester: boolean;
}

export interface ClusterConfig {
  readonly name: string;
  /** EXAoperation (Exasol 6/7, the default) or ConfD (Exasol 8). */
  readonly backend: BackendKind;
  /** EXAoperation: its XML-RPC base with the cluster path; ConfD: any node's https://host:20003. */
  readonly url: string;
  readonly user: string;
  readonly password: string;
  readonly passwordSource: 'file' | 'env' | 'profile';
  readonly tls: TlsOptions;
  readonly timeoutMs: number;
  /** A critical cluster's shut-down is approved only by typing the cluster's name (EXA_CRITICAL_CLUSTERS, or "critical" in the clusters file). */
  readonly critical: boolean;
  /** The call budget: at most this many XML-RPC calls to this cluster start in any second. */
  readonly maxCallsPerSecond: number;
  readonly profile: ClusterProfile;
  /** Where the watcher posts boot, connection, error and state-change notices; none = no watcher. */
  readonly notifyChannel: string | undefined;
}

export interface WatchConfig {
  /** How often the watcher reads the logservice and the cluster state. */
  readonly pollIntervalMs: number;
  /** Log entries at or above this priority are posted. */
  readonly minPriority: LogPriority;
}

/** A Slack user (U…/W…) or user group (S…). */
export type Principal = { readonly kind: 'user'; readonly id: string } | { readonly kind: 'group'; readonly id: string };

/** One grant: a role for some users and groups, on some clusters, in some channels. */
export interface Grant {
  readonly role: Role;
  readonly principals: readonly Principal[];
  readonly clusters: readonly string[] | '*';
  readonly channels: readonly string[] | '*';
  /** For operator grants: which operations may be requested. */
  readonly operations: readonly OperationName[] | '*';
}

export interface AccessConfig {
  /** Denied unless one of these grants it. */
  readonly grants: readonly Grant[];
  /** Channels where /exa works at all; '*' = every channel the bot is in. Empty = nowhere. */
  readonly channels: readonly string[] | '*';
}

export interface ApprovalConfig {
  readonly requireApprovalFor: ReadonlySet<OperationKind['kind']>;
  readonly allowSelfApproval: boolean;
  readonly ttlMs: number;
  /** EXA_REASON_REQUIRED_FOR (default: the destructive ones, as for approvals; `none` for none). */
  readonly requireReasonFor: ReadonlySet<OperationKind['kind']>;
  /** Clusters whose shut-down is approved by typing the cluster's name (critical in configuration). */
  readonly confirmByName: ReadonlySet<string>;
  /** M-of-N approval rules of EXA_CHANGE_CONTROL_FILE (first match counts). */
  readonly rules: readonly ApprovalRule[];
}

export interface AppConfig {
  readonly slack: SlackConfig;
  readonly port: number;
  /** Health and metrics on a server of their own (HEALTH_PORT, HEALTH_HOST); port undefined: on PORT. */
  readonly health: { readonly port: number | undefined; readonly host: string };
  readonly clusters: readonly ClusterConfig[];
  /** Default cluster per channel; otherwise the first cluster. */
  readonly channelClusters: ReadonlyMap<string, string>;
  readonly access: AccessConfig;
  readonly approval: ApprovalConfig;
  /** Freeze windows and schedules of EXA_CHANGE_CONTROL_FILE (the rules are in `approval`). */
  readonly changeControl: Pick<ChangeControlConfig, 'freezes' | 'schedules'>;
  readonly watch: WatchConfig;
  readonly dataDir: string;
  /** The files in dataDir (default) or PostgreSQL (DATABASE_URL). */
  readonly store: StoreConfig;
  readonly logLevel: string;
  /** Warnings to log at start (e.g. a plain-text password in the environment). */
  readonly warnings: readonly string[];
  /** Every secret value, for redaction. */
  readonly secrets: readonly string[];
}

// The request form's two halves. The replica that received `/exa` (or a Home button) opens the form
// at once from configuration alone, since its trigger_id lasts 3 s; the executor fills in what
// needs the cluster, as the user picks: the databases from a live read, and the dry run. Updates of
// one form run in turn and only the newest pick is shown, so a slow read never lands over a newer one.
import type { AccessPolicy } from '../access/access-policy.js';
import type { OperationKind, OperationName } from '../lifecycle/operation-kind.js';
import type { Logger } from '../logging/logger.js';
import { renderError } from '../messages/error-view.js';
import { renderPlan } from '../messages/plan-view.js';
import { errorMessage } from '../operations/operation-core.js';
import type { OperationService } from '../operations/operation-service.js';
import { needsDatabase, renderRequestForm, type DatabaseList, type FormModel, type FormPreview, type FormValues } from './request-form-view.js';
import type { SlackRequest } from './slack-request.js';
import type { ViewsPort } from './slack-deps.js';

export type FormChange = Extract<SlackRequest, { kind: 'form-change' }>;

export interface RequestFormsDeps {
  readonly service: Pick<OperationService, 'clusterNames' | 'status' | 'plan'>;
  readonly access: Pick<AccessPolicy, 'check'>;
  readonly views: ViewsPort;
  /** EXA_REASON_REQUIRED_FOR: the reason field is required for these. */
  readonly reasonRequired: ReadonlySet<OperationName>;
  readonly logger: Logger;
  /** Applied to what the form shows from outside (an error's text may quote a configured secret). */
  readonly redact: (text: string) => string;
  /** The channel a cluster's requests are posted in (EXA_CHANNEL_CLUSTERS), for the Home tab's form. */
  readonly channelFor: (cluster: string) => string | undefined;
}

/** Each live read of a form within this; the form says when the cluster did not answer. */
const READ_TIMEOUT_MS = 15_000;
/** Hashes kept for this many forms at most. */
const MAX_FORMS = 500;

export class RequestForms {
  /** Per open form being updated: the newest change still to show. */
  private readonly busy = new Map<string, { next: FormChange | undefined }>();
  /**
   * The hash of each form's last update. Slack changes a view's hash only when the app updates it,
   * so a pick made before an update landed still carries the older hash: ours is the newer one.
   */
  private readonly hashes = new Map<string, string>();

  constructor(private readonly deps: RequestFormsDeps) {}

  channelFor(cluster: string): string | undefined {
    return this.deps.channelFor(cluster);
  }

  /** The form as it opens: the clusters from configuration, `cluster` picked when known. */
  initial(channel: string, cluster: string | undefined): Record<string, unknown> {
    const clusters = this.deps.service.clusterNames();
    return renderRequestForm(this.model({ ...(cluster && clusters.includes(cluster) ? { cluster } : {}) }, channel, { kind: 'not-needed' }, { kind: 'none' }));
  }

  /** A field changed: read what the picks need, then show it, unless a newer change came meanwhile. */
  async refresh(change: FormChange): Promise<void> {
    const running = this.busy.get(change.viewId);
    if (running) {
      running.next = change;
      return;
    }
    const slot = { next: undefined as FormChange | undefined };
    this.busy.set(change.viewId, slot);
    try {
      let current: FormChange | undefined = change;
      while (current) {
        const view = renderRequestForm(await this.live(current));
        // A change that came during the read is newer than this one: show that instead.
        if (slot.next) {
          current = slot.next;
          slot.next = undefined;
          continue;
        }
        if (!(await this.update(current, view))) return;
        current = slot.next;
        slot.next = undefined;
      }
    } catch (error) {
      this.deps.logger.warn('could not update a request form', { error: errorMessage(error) });
    } finally {
      this.busy.delete(change.viewId);
    }
  }

  /** Updates with the newest hash known; false when the form is gone (closed, or updated elsewhere since). */
  private async update(change: FormChange, view: Record<string, unknown>): Promise<boolean> {
    const ours = this.hashes.get(change.viewId);
    let result = await this.deps.views.update(change.viewId, ours ?? change.hash, view);
    // Another replica may have updated it last (a takeover): then the pick's own hash is the newer.
    if (result.kind === 'stale' && ours !== undefined && change.hash !== undefined && change.hash !== ours) result = await this.deps.views.update(change.viewId, change.hash, view);
    if (result.kind === 'stale') return false;
    this.hashes.delete(change.viewId);
    if (result.hash !== undefined) this.hashes.set(change.viewId, result.hash);
    // Forms are short-lived; the oldest hashes go first.
    while (this.hashes.size > MAX_FORMS) this.hashes.delete(this.hashes.keys().next().value as string);
    return true;
  }

  private async live(change: FormChange): Promise<FormModel> {
    const { values, user, channel } = change;
    const cluster = values.cluster;
    if (cluster === undefined || !this.deps.service.clusterNames().includes(cluster)) return this.model(values, channel, { kind: 'not-needed' }, { kind: 'none' });
    // What the form reads is what /exa status and /exa plan show: the viewer role on that cluster.
    const decision = await this.deps.access.check(user, channel, 'viewer', cluster);
    if (!decision.allowed) return this.model(values, channel, { kind: 'not-needed' }, { kind: 'problem', text: `Not allowed: ${decision.reason}.` });
    const signal = AbortSignal.timeout(READ_TIMEOUT_MS);
    let databases: DatabaseList = { kind: 'not-needed' };
    if (needsDatabase(values.operation)) {
      databases = await this.deps.service.status(cluster, signal).then(
        (snapshot): DatabaseList => ({ kind: 'listed', names: snapshot.databases.map((d) => d.name) }),
        (error: unknown): DatabaseList => ({ kind: 'unavailable', why: this.deps.redact(renderError(error).title) }),
      );
    }
    const operation = operationOf(values, databases);
    if (operation === undefined) {
      const preview: FormPreview = values.operation === undefined ? { kind: 'none' } : { kind: 'problem', text: 'Pick the database to see the dry run.' };
      // A database picked on another cluster is not offered on this one.
      const { database, ...rest } = values;
      const kept = databases.kind === 'listed' && database !== undefined && databases.names.includes(database) ? values : rest;
      return this.model(kept, channel, databases, preview);
    }
    const preview = await this.deps.service.plan(cluster, operation, signal).then(
      (plan): FormPreview => ({ kind: 'plan', plan: renderPlan(plan) }),
      (error: unknown): FormPreview => ({ kind: 'problem', text: `No dry run: ${this.deps.redact(renderError(error).title)}` }),
    );
    return this.model(values, channel, databases, preview);
  }

  private model(values: FormValues, channel: string, databases: DatabaseList, preview: FormPreview): FormModel {
    return {
      clusters: this.deps.service.clusterNames(),
      values,
      channel,
      databases,
      preview,
      reasonRequired: values.operation !== undefined && this.deps.reasonRequired.has(values.operation),
    };
  }
}

/** The operation the picks stand for, once complete (a database operation needs a listed database). */
function operationOf(values: FormValues, databases: DatabaseList): OperationKind | undefined {
  switch (values.operation) {
    case undefined:
      return undefined;
    case 'database-start':
    case 'database-stop':
      if (values.database === undefined || databases.kind !== 'listed' || !databases.names.includes(values.database)) return undefined;
      return { kind: values.operation, database: values.database };
    default:
      return { kind: values.operation };
  }
}

// What the bot shows in Slack, built on the core: the posters, the operation messages, the Home
// tab and the forms. Each is silent once another replica took over (PostgreSQL store), and
// everything that leaves is redacted.
import type { AccessPolicy } from '../access/access-policy.js';
import type { AppConfig } from '../config/app-config.js';
import type { Logger } from '../logging/logger.js';
import { redactDeep, type Redactor } from '../logging/redact.js';
import type { OperationService } from '../operations/operation-service.js';
import type { Clock } from '../util/clock.js';
import { HomeTabs } from './features/home.js';
import { OperationMessages } from './features/progress-messages.js';
import { RequestForms } from './request-forms.js';
import type { SlackClients } from './slack-clients.js';
import type { ViewsPort } from './slack-deps.js';
import { createSlackPoster, quietWhen, type SlackErrorObserver, type SlackPoster } from './slack-poster.js';
import { createSlackViews } from './slack-views.js';

export interface SlackSurfaces {
  readonly poster: SlackPoster;
  /** For the watcher's notifications (a client of its own). */
  readonly notices: SlackPoster;
  readonly messages: OperationMessages;
  readonly home: HomeTabs;
  readonly views: ViewsPort;
  readonly forms: RequestForms;
}

export interface SurfaceDeps {
  readonly config: Pick<AppConfig, 'channelClusters' | 'approval' | 'slack'>;
  readonly clients: SlackClients;
  readonly service: OperationService;
  readonly access: AccessPolicy;
  readonly logger: Logger;
  readonly redact: Redactor;
  readonly clock: Clock;
  readonly onError: SlackErrorObserver;
  /** True once this replica lost its executor lock: it says nothing more. */
  readonly superseded: () => boolean;
  readonly editIntervalMs: number;
}

export function createSlackSurfaces(deps: SurfaceDeps): SlackSurfaces {
  const { config, clients, service, access, logger, redact, clock, onError, superseded } = deps;
  const poster = quietWhen(createSlackPoster(clients.web, redact, onError), superseded);
  const messages = new OperationMessages(
    poster,
    quietWhen(createSlackPoster(clients.editor, redact, onError), superseded),
    logger,
    deps.editIntervalMs,
    () => clock.now(),
    (opId, role, channel, ts) => void service.noteMessage(opId, role, channel, ts),
    (cluster, channel) => access.principals('approver', cluster, channel),
    config.slack.dmRequester,
  );
  /** The channel a cluster's requests go to from the Home tab: the one EXA_CHANNEL_CLUSTERS maps to it. */
  const channelFor = (cluster: string): string | undefined => [...config.channelClusters].find(([, c]) => c === cluster)?.[0];
  const home = new HomeTabs({
    service,
    publish: async (user, view) => (superseded() ? undefined : clients.home.views.publish({ user_id: user, view: redactDeep(view, redact) as never })),
    mayView: async (user, cluster) => (await access.check(user, undefined, 'viewer', cluster)).allowed,
    mayRequest: async (user, cluster) => (await access.check(user, channelFor(cluster), 'operator', cluster)).allowed,
    redact,
    poster,
    logger,
    clock,
    channelFor,
  });
  const views = createSlackViews(clients.views, redact, onError, superseded);
  const forms = new RequestForms({ service, access, views, reasonRequired: config.approval.requireReasonFor, logger, redact, channelFor });
  return { poster, notices: createSlackPoster(clients.notifier, redact, onError), messages, home, views, forms };
}

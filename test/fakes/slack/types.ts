// Public types of the Slack fake. Everything a test reads is a snapshot (a deep copy), so
// assertions can never disturb the fake's state.
import type { JsonObject } from './json.js';

export type { Json, JsonObject } from './json.js';

export interface FakeSlackOptions {
  /** @default 'T0FAKE' */
  readonly teamId?: string;
  /** @default 'fake-team' */
  readonly teamDomain?: string;
  /** @default 'A0FAKEAPP' */
  readonly appId?: string;
  /** @default 'U0FAKEBOT' */
  readonly botUserId?: string;
  /** @default 'B0FAKEBOT' */
  readonly botId?: string;
  /** @default 'exa-bot' */
  readonly botName?: string;
  /**
   * Bot token scopes; a method whose scope is missing answers `missing_scope`.
   * @default commands, chat:write, users:read, usergroups:read, channels:read, groups:read, im:read
   */
  readonly botScopes?: readonly string[];
  /** Time the bot has to acknowledge a delivery before the fake records `operation_timeout`. @default 3000 */
  readonly ackTimeoutMs?: number;
  /** Extra time an HTTP delivery waits for a late answer before aborting, so the late status is seen. @default 1000 */
  readonly httpGraceMs?: number;
  /** Rate limiting (§6.1 tiers). @default false */
  readonly rateLimits?: boolean | RateLimitOptions;
  /**
   * Undocumented cumulative block-text cap (`msg_blocks_too_long`, bolt-js #2509); `null` turns it off.
   * @default 12000
   */
  readonly blockTextLimit?: number | null;
}

export interface RateLimitOptions {
  /** Requests per minute by method, overriding the tier table. */
  readonly perMinute?: Readonly<Record<string, number>>;
  /** Bucket size by method. @default perMinute / 6 (ten seconds' worth), at least 1 */
  readonly burst?: Readonly<Record<string, number>>;
  /** chat.postMessage per channel. @default 1 */
  readonly postMessagePerSecond?: number;
  /** chat.postMessage short burst per channel. @default 3 */
  readonly postMessageBurst?: number;
}

export interface AddUserOptions {
  readonly name: string;
  readonly realName?: string;
  readonly isAdmin?: boolean;
  readonly isBot?: boolean;
  readonly deleted?: boolean;
  /** @default 'Europe/Berlin' */
  readonly tz?: string;
}

export interface AddChannelOptions {
  /** @default the id in lower case */
  readonly name?: string;
  /** @default false */
  readonly isPrivate?: boolean;
  /** Human members; they must have been added with `addUser` first. */
  readonly members?: readonly string[];
  /** The bot is invited unless this is false. @default true */
  readonly botIsMember?: boolean;
}

export type MessageSource =
  | 'chat.postMessage'
  | 'chat.update'
  | 'chat.postEphemeral'
  | 'response_url'
  | 'command_ack'
  | 'driver';

export interface MessageVersion {
  readonly text: string;
  readonly blocks: readonly JsonObject[];
  readonly attachments: readonly JsonObject[];
  /** Fake-clock milliseconds. */
  readonly at: number;
  readonly via: MessageSource;
}

export interface FakeMessage {
  readonly kind: 'message' | 'ephemeral';
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  /** Author: the bot user for anything the app posted. */
  readonly user: string;
  readonly botId?: string;
  /** For ephemerals: the only user who sees it. */
  readonly recipient?: string;
  /** Current state (= last entry of `history`). */
  readonly text: string;
  readonly blocks: readonly JsonObject[];
  readonly attachments: readonly JsonObject[];
  readonly deleted: boolean;
  /** Every version, oldest first, so tests can assert intermediate progress states. */
  readonly history: readonly MessageVersion[];
}

export interface ApiCallRecord {
  readonly method: string;
  /** Request parameters with `token` removed; JSON-string fields (blocks …) are parsed. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly tokenKind: 'bot' | 'app' | 'unknown' | 'none';
  readonly time: number;
  readonly status: number;
  readonly ok: boolean;
  readonly error?: string;
}

export interface FaultSpec {
  /** Answer HTTP 200 `{ok:false, error}`. */
  readonly error?: string;
  /** Answer this HTTP status (e.g. 500, 503) with a non-JSON body. */
  readonly status?: number;
  /** Wait before answering (or before handling normally if nothing else is set). */
  readonly delayMs?: number;
  /** Answer HTTP 429 with `Retry-After: <n>` and `{ok:false, error:'ratelimited'}`. */
  readonly rateLimitedSeconds?: number;
  /** How many matching calls this fault applies to. @default 1 */
  readonly times?: number;
  /** Only calls whose params match. */
  readonly when?: (params: Readonly<Record<string, unknown>>) => boolean;
}

export interface FaultHandle {
  readonly method: string;
  /** Calls this fault has been applied to. */
  readonly hits: number;
  readonly remaining: number;
  cancel(): void;
}

export type DeliveryMode = 'http' | 'socket';

/** Ways to make an HTTP delivery look forged, for testing the bot's request verification. */
export interface TamperOptions {
  /** @default 'valid' */
  readonly signature?: 'valid' | 'wrong' | 'missing';
  /** Unix seconds to sign with, e.g. `Date.now()/1000 - 360` for a stale request. @default now */
  readonly timestampSec?: number;
  /** Claim to come from another workspace. */
  readonly teamId?: string;
}

/** An Events API event, e.g. `{ type: 'app_home_opened', user, channel, tab: 'home' }`. */
export interface EventInput extends TamperOptions {
  readonly event: JsonObject;
  /** @default 'socket' when a Socket Mode client is connected, otherwise 'http' */
  readonly via?: DeliveryMode;
}

/** What views.publish left on a user's Home tab. */
export interface PublishedHome {
  /** The Home view's id: the same for every publish to this user. */
  readonly id: string;
  readonly hash: string;
  readonly user: string;
  readonly view: JsonObject;
  readonly at: number;
  /** How many times it was published (each publish replaces the whole tab). */
  readonly publishes: number;
}

export interface SlashCommandInput extends TamperOptions {
  readonly user: string;
  readonly channel: string;
  readonly text: string;
  /** @default '/exa' */
  readonly command?: string;
  /** @default 'socket' when a Socket Mode client is connected, otherwise 'http' */
  readonly via?: DeliveryMode;
}

export interface ClickButtonInput extends TamperOptions {
  readonly user: string;
  readonly channel: string;
  /** A channel message or an ephemeral shown to `user`. */
  readonly messageTs: string;
  readonly actionId: string;
  /** Needed only when the same action_id occurs in several blocks. */
  readonly blockId?: string;
  /** Send this value instead of the button's own (to test tampered payloads). */
  readonly value?: string;
  readonly via?: DeliveryMode;
}

export type DeliveryOutcome = 'ok' | 'operation_timeout' | 'dispatch_failed';

export interface DeliveryRecord {
  readonly kind: 'slash_command' | 'block_actions' | 'event' | 'view_submission';
  readonly via: DeliveryMode;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly envelopeId?: string;
  /** HTTP status of the bot's answer; 0 when it never answered. Socket Mode: 200 once acked. */
  readonly status: number;
  readonly elapsedMs: number;
  readonly outcome: DeliveryOutcome;
  /** Socket Mode ack payload, or the parsed JSON body of the HTTP answer. */
  readonly ackPayload?: unknown;
  /** Socket Mode: an ack that came after the deadline (Slack has already shown an error). */
  readonly lateAckMs?: number;
  readonly responseUrl: string;
  readonly triggerId: string;
  readonly at: number;
}

export interface DeliveryResult extends DeliveryRecord {
  /** Raw HTTP answer body (Socket Mode: the ack payload as JSON). */
  readonly body: string;
  /** The message or ephemeral produced from a slash command's ack body, if any. */
  readonly reply?: FakeMessage;
  /** Why an ack body could not become a reply (e.g. invalid_blocks), if so. */
  readonly replyError?: string;
}

export interface ConnectionRecord {
  readonly id: number;
  readonly openedAt: number;
  readonly closedAt?: number;
  readonly closeCode?: number;
  readonly open: boolean;
}

export interface FrameRecord {
  readonly connectionId: number;
  readonly direction: 'to_app' | 'from_app';
  readonly data: unknown;
  readonly at: number;
}

/** What a user has entered in a modal: block_id → action_id → value (the select's option value, or the text). */
export type ViewValues = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface OpenedView {
  readonly id: string;
  readonly triggerId: string;
  /** The user whose trigger opened it: only they see it. */
  readonly user: string;
  /** The view as last set by views.open, views.update or a response_action update. */
  readonly view: JsonObject;
  /** Changes with every update; views.update with an older hash fails with hash_conflict. */
  readonly hash: string;
  readonly values: ViewValues;
  /** False once submitted without errors (or closed by response_action clear). */
  readonly open: boolean;
  /** The field errors of the last submission, when the app answered response_action errors. */
  readonly errors?: Readonly<Record<string, string>>;
  /** How many times the view was replaced after it opened. */
  readonly updates: number;
  readonly at: number;
}

export interface ViewSelectInput extends TamperOptions {
  readonly user: string;
  readonly viewId: string;
  readonly blockId: string;
  readonly actionId: string;
  /** The value of one of the select's options. */
  readonly value: string;
  readonly via?: DeliveryMode;
}

export interface ViewTypeInput {
  readonly user: string;
  readonly viewId: string;
  readonly blockId: string;
  readonly actionId: string;
  readonly text: string;
}

export interface ViewSubmitInput extends TamperOptions {
  readonly user: string;
  readonly viewId: string;
  readonly via?: DeliveryMode;
}

export interface HomeClickInput extends TamperOptions {
  readonly user: string;
  readonly actionId: string;
  readonly blockId?: string;
  readonly via?: DeliveryMode;
}

export interface FakeSlack {
  /** Web API base URL with trailing slash: pass as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly signingSecret: string;

  addUser(id: string, options: AddUserOptions): void;
  addChannel(id: string, options?: AddChannelOptions): void;
  addMember(channel: string, user: string): void;
  removeMember(channel: string, user: string): void;
  archiveChannel(channel: string): void;
  addUserGroup(id: string, members: readonly string[], options?: { handle?: string }): void;
  /** A message written by a human (the bot cannot update or delete it). Returns its ts. */
  postAsUser(user: string, channel: string, text: string, blocks?: readonly JsonObject[]): string;

  /** HTTP mode: the bot's Request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  setRequestUrl(url: string): void;
  slashCommand(input: SlashCommandInput): Promise<DeliveryResult>;
  clickButton(input: ClickButtonInput): Promise<DeliveryResult>;
  /** Delivers an Events API event (app_home_opened, message.im, …). */
  deliverEvent(input: EventInput): Promise<DeliveryResult>;
  /** The user opens the app's Home tab (an app_home_opened event). */
  openHome(user: string, via?: DeliveryMode): Promise<DeliveryResult>;
  /** The user writes to the app in its Messages tab (stored, and a message.im event delivered). */
  sendDirectMessage(user: string, text: string, via?: DeliveryMode): Promise<DeliveryResult>;

  isSocketConnected(): boolean;
  /** Send `{type:'disconnect', reason}` to every open Socket Mode connection. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets'): void;
  /** Drop every Socket Mode connection without a close handshake. */
  terminate(): void;

  setRateLimiting(enabled: boolean | RateLimitOptions): void;
  injectFault(method: string, spec: FaultSpec): FaultHandle;
  clearFaults(): void;
  /** Move the fake's clock (response_url lifetime, trigger ids, rate buckets), not the real one. */
  advanceTime(ms: number): void;

  messages(channel: string): FakeMessage[];
  message(channel: string, ts: string): FakeMessage | undefined;
  ephemerals(user?: string, channel?: string): FakeMessage[];
  apiCalls(method?: string): ApiCallRecord[];
  deliveries(): DeliveryRecord[];
  connections(): ConnectionRecord[];
  socketFrames(): FrameRecord[];
  views(): OpenedView[];
  /** The modal with this id (views.open's answer), as the user sees it now. */
  view(id: string): OpenedView | undefined;
  /** The user picks an option of a select in a modal; a dispatching select sends block_actions. */
  selectInView(input: ViewSelectInput): Promise<DeliveryResult | undefined>;
  /** The user types into a text input of a modal (nothing is sent until submit). */
  typeInView(input: ViewTypeInput): void;
  /**
   * The user presses Submit: a view_submission. Like the Slack client, refuses (throws) when a
   * required input is empty; the app's response_action (errors, update, clear) is applied.
   */
  submitView(input: ViewSubmitInput): Promise<DeliveryResult>;
  /** The user clicks a button on their Home tab (block_actions from a view). */
  clickInHome(input: HomeClickInput): Promise<DeliveryResult>;
  /** The Home tab views.publish last set for `user`. */
  home(user: string): PublishedHome | undefined;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;

  /** Clear recorded state, messages, faults and time offset; keep workspace, tokens and live connections. */
  reset(): void;
  close(): Promise<void>;
}

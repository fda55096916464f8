// The request form `/exa` opens (a Slack modal): the cluster, the operation, the database from the
// live list, the reason, and the dry run of what was picked. Modals are a Slack surface with no
// console counterpart, so this is Block Kit; the plan inside it is the neutral plan view, rendered.
import { MAX_REASON } from '../commands/parse-command.js';
import type { OperationName } from '../lifecycle/operation-kind.js';
import type { Message } from '../messages/message.js';
import { LIMITS, cut } from './block-limits.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { renderBlocks, type SlackBlock } from './render-blocks.js';

export const FORM_CALLBACK = 'exa_request_form';
/** Block ids, which are also the action ids of their inputs: Slack keys the form's state by both. */
export const FORM_FIELD = { cluster: 'exa_form_cluster', operation: 'exa_form_operation', database: 'exa_form_database', reason: 'exa_form_reason' } as const;

/**
 * The database field's block id names its cluster: Slack keeps what the user picked in a block
 * whose ids stay the same, so a database picked on one cluster must not stay picked on another.
 */
export const databaseBlockId = (cluster: string | undefined): string => `${FORM_FIELD.database}.${cluster ?? ''}`.slice(0, 255);

/** The operations the form offers, in the order an operator thinks of them. */
const OPERATIONS: readonly { readonly name: OperationName; readonly label: string }[] = [
  { name: 'cluster-startup', label: 'Start the cluster' },
  { name: 'cluster-shutdown', label: 'Shut the cluster down' },
  { name: 'database-start', label: 'Start a database' },
  { name: 'database-stop', label: 'Stop a database' },
  { name: 'storage-start', label: 'Start EXAStorage' },
  { name: 'storage-stop', label: 'Stop EXAStorage' },
];

export interface FormValues {
  readonly cluster?: string;
  readonly operation?: OperationName;
  readonly database?: string;
  readonly reason?: string;
}

/** The databases of the picked cluster, as the cluster listed them. */
export type DatabaseList =
  | { readonly kind: 'not-needed' }
  | { readonly kind: 'listed'; readonly names: readonly string[] }
  | { readonly kind: 'unavailable'; readonly why: string };

/** Below the fields: nothing picked yet, the dry run, or why there is none. */
export type FormPreview = { readonly kind: 'none' } | { readonly kind: 'plan'; readonly plan: Message } | { readonly kind: 'problem'; readonly text: string };

export interface FormModel {
  readonly clusters: readonly string[];
  readonly values: FormValues;
  /** Where the request is posted (the channel /exa was typed in, or the cluster's channel). */
  readonly channel: string;
  readonly databases: DatabaseList;
  readonly preview: FormPreview;
  readonly reasonRequired: boolean;
}

export const needsDatabase = (operation: OperationName | undefined): boolean => operation === 'database-start' || operation === 'database-stop';

/** The modal; every select dispatches, so the bot can fill in the databases and the dry run. */
export function renderRequestForm(model: FormModel): Record<string, unknown> {
  const { values } = model;
  const option = (value: string, label = value): Record<string, unknown> => ({ text: plainText(cut(label, 75)), value: cut(value, 150, '') });
  const clusters = model.clusters.slice(0, 100);
  const pickedCluster = values.cluster !== undefined && clusters.includes(values.cluster) ? values.cluster : undefined;
  const pickedOperation = OPERATIONS.find((o) => o.name === values.operation);
  const blocks: SlackBlock[] = [
    select(FORM_FIELD.cluster, FORM_FIELD.cluster, 'Cluster', clusters.map((c) => option(c)), pickedCluster === undefined ? undefined : option(pickedCluster), 'Pick a cluster'),
    select(
      FORM_FIELD.operation,
      FORM_FIELD.operation,
      'Operation',
      OPERATIONS.map((o) => option(o.name, o.label)),
      pickedOperation ? option(pickedOperation.name, pickedOperation.label) : undefined,
      'Pick an operation',
    ),
  ];
  if (needsDatabase(values.operation)) blocks.push(...databaseField(databaseBlockId(pickedCluster), model.databases, values.database, option));
  blocks.push({
    type: 'input',
    block_id: FORM_FIELD.reason,
    optional: !model.reasonRequired,
    label: plainText('Reason'),
    hint: plainText(model.reasonRequired ? 'Required for this operation: it is shown to the approver and kept in the audit log.' : 'Shown to the approver and kept in the audit log.'),
    element: {
      type: 'plain_text_input',
      action_id: FORM_FIELD.reason,
      max_length: MAX_REASON,
      placeholder: plainText('e.g. quarterly patching'),
      ...(values.reason ? { initial_value: cut(values.reason, MAX_REASON, '') } : {}),
    },
  });
  blocks.push({ type: 'divider' }, ...previewBlocks(model.preview, 100 - blocks.length - 1));
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: plainText('Request an operation'),
    submit: plainText('Request'),
    close: plainText('Cancel'),
    private_metadata: JSON.stringify({ channel: model.channel }),
    blocks,
  };
}

function databaseField(blockId: string, databases: DatabaseList, picked: string | undefined, option: (v: string) => Record<string, unknown>): SlackBlock[] {
  if (databases.kind === 'listed' && databases.names.length > 0) {
    const names = databases.names.slice(0, 100);
    return [select(blockId, FORM_FIELD.database, 'Database', names.map((n) => option(n)), picked !== undefined && names.includes(picked) ? option(picked) : undefined, 'Pick a database')];
  }
  const why = databases.kind === 'listed' ? 'The cluster has no databases.' : databases.kind === 'unavailable' ? `The databases could not be listed: ${databases.why}` : 'Pick the cluster first.';
  return [{ type: 'section', block_id: 'exa_form_database_none', text: { type: 'mrkdwn', text: escapeMrkdwn(cut(why, LIMITS.sectionText)) } }];
}

function previewBlocks(preview: FormPreview, room: number): SlackBlock[] {
  if (preview.kind === 'none') return [context('Pick a cluster and an operation to see the dry run: every step, and what would block it.')];
  if (preview.kind === 'problem') return [context(preview.text)];
  const blocks = renderBlocks(preview.plan).blocks;
  return blocks.length <= room ? blocks : [...blocks.slice(0, room - 1), context('The dry run is longer than the form can show: see /exa plan for all of it.')];
}

function select(blockId: string, actionId: string, label: string, options: Record<string, unknown>[], initial: Record<string, unknown> | undefined, placeholder: string): SlackBlock {
  return {
    type: 'input',
    block_id: blockId,
    dispatch_action: true,
    label: plainText(label),
    element: { type: 'static_select', action_id: actionId, placeholder: plainText(placeholder), options, ...(initial ? { initial_option: initial } : {}) },
  };
}

const plainText = (text: string): Record<string, unknown> => ({ type: 'plain_text', text, emoji: true });
const context = (text: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(cut(text, LIMITS.sectionText)) }] });

/**
 * The form's fields from view.state.values as Slack sends them, each checked: a field that is
 * not what the form offered (a crafted payload) is left out, never trusted.
 */
export function readFormValues(state: unknown): FormValues {
  const values = isRecord(state) && isRecord(state['values']) ? state['values'] : {};
  const field = (id: string, blockId = id): unknown => {
    const block = values[blockId];
    return isRecord(block) ? block[id] : undefined;
  };
  const selected = (id: string, blockId = id): string | undefined => {
    const entry = field(id, blockId);
    const option = isRecord(entry) ? entry['selected_option'] : undefined;
    return isRecord(option) && typeof option['value'] === 'string' ? option['value'] : undefined;
  };
  const reasonEntry = field(FORM_FIELD.reason);
  const reason = isRecord(reasonEntry) && typeof reasonEntry['value'] === 'string' ? reasonEntry['value'].slice(0, MAX_REASON + 1) : undefined;
  const operation = OPERATIONS.find((o) => o.name === selected(FORM_FIELD.operation))?.name;
  const cluster = selected(FORM_FIELD.cluster);
  // Only the database field of the picked cluster counts.
  const database = selected(FORM_FIELD.database, databaseBlockId(cluster));
  return {
    ...(cluster !== undefined ? { cluster } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(database !== undefined && needsDatabase(operation) ? { database } : {}),
    ...(reason !== undefined && reason.trim() !== '' ? { reason } : {}),
  };
}

/** The channel in the form's private_metadata (ours, but it travels through the client: checked). */
export function readFormChannel(metadata: unknown): string | undefined {
  try {
    const parsed: unknown = typeof metadata === 'string' ? JSON.parse(metadata) : undefined;
    const channel = isRecord(parsed) ? parsed['channel'] : undefined;
    return typeof channel === 'string' && /^[CGD][A-Z0-9]{2,}$/.test(channel) ? channel : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The submitted form as the command it stands for (`db stop DB1 prod -- reason`), so it takes the
 * same way as a typed one: parsing, access checks, reason rules, approval. Or, per field, what is missing.
 */
export function formCommand(values: FormValues): { readonly text: string } | { readonly errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (values.cluster === undefined) errors[FORM_FIELD.cluster] = 'Pick a cluster.';
  if (values.operation === undefined) errors[FORM_FIELD.operation] = 'Pick an operation.';
  if (needsDatabase(values.operation) && values.database === undefined) errors[FORM_FIELD.operation] = 'Pick the database too (it is listed once the cluster answered).';
  if (values.reason !== undefined && values.reason.length > MAX_REASON) errors[FORM_FIELD.reason] = `Keep the reason to ${MAX_REASON} characters.`;
  if (Object.keys(errors).length > 0 || values.cluster === undefined || values.operation === undefined) return { errors };
  const words: Record<OperationName, string> = {
    'cluster-startup': 'startup',
    'cluster-shutdown': 'shutdown',
    'database-start': `db start ${values.database ?? ''}`,
    'database-stop': `db stop ${values.database ?? ''}`,
    'storage-start': 'storage start',
    'storage-stop': 'storage stop',
  };
  // A reason typed with line breaks is one line, as a typed one is.
  const reason = values.reason?.replace(/\s+/gu, ' ').trim();
  return { text: `${words[values.operation]} ${values.cluster}${reason ? ` -- ${reason}` : ''}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

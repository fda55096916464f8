// The shapes of the clusters file and the access file, as zod schemas: every key known, every type
// checked, unknown keys refused with the nearest known one. A typo must never widen access
// ("cluster" for "clusters" used to mean "every cluster") or fall back to a default in silence.
// zod is loaded only when a file is read (about 4 MB of resident memory a bot without files does
// not need), hence the require and the schemas built on first use.
import { createRequire } from 'node:module';
import type * as Zod from 'zod';
import { OPERATION_NAMES } from '../lifecycle/operation-kind.js';
import { WAIT_FILE_KEYS } from './step-timeouts.js';
import { didYouMean } from './suggest.js';

type ZodModule = typeof Zod;
let loaded: ReturnType<typeof build> | undefined;

/** The schemas, built once, on first use. */
export function fileSchemas(): ReturnType<typeof build> {
  loaded ??= build((createRequire(import.meta.url)('zod') as ZodModule).z);
  return loaded;
}

function build(z: ZodModule['z']) {
  const NODE = /^n\d{4}$/;
  const node = z.string().regex(NODE, "a node name like 'n0011'");

  // The keys are the waits of step-timeouts.ts; their values are checked there (the same rule as the
  // EXA_WAIT_*_MINUTES variables).
  const waitMinutes = z.strictObject(Object.fromEntries(Object.values(WAIT_FILE_KEYS).map((key) => [key, z.unknown().optional()])));

  // Exasol 8 host actions (src/hosts/host-power.ts); paths and secrets are checked in host-power-config.ts.
  const hostCommand = z.strictObject({
    command: z.array(z.string().min(1)).min(1),
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
  });
  const hostPowerSchema = z.strictObject({
    nodes: z.array(z.string().regex(/^n\d{1,4}$/, "a ConfD node name like 'n11'")).min(1),
    off: hostCommand.optional(),
    on: hostCommand.optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).optional(),
  });

  const clusterEntrySchema = z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'),
    backend: z.enum(['exaoperation', 'confd']).optional(),
    url: z.string().min(1),
    user: z.string().min(1),
    passwordFile: z.string().min(1).optional(),
    credentialProfile: z.string().min(1).optional(),
    caFile: z.string().min(1).optional(),
    tlsPinSha256: z.string().min(1).optional(),
    tlsInsecure: z.boolean().optional(),
    notifyChannel: z.string().regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id like C0123456').optional(),
    licenseServers: z.array(node).min(1).optional(),
    outOfBandManagement: z.union([z.boolean(), z.array(node)]).optional(),
    plugins: z.array(z.string().min(1)).optional(),
    logservice: z.number().int().min(1).optional(),
    maxCallsPerSecond: z.number().int().min(1).optional(),
    critical: z.boolean().optional(),
    waitMinutes: waitMinutes.optional(),
    hostPower: hostPowerSchema.optional(),
  });
  /** The file as a whole; each entry is then checked on its own, so one bad entry does not hide another's mistakes. */
  const clustersFileSchema = z.array(z.unknown()).min(1);

  const scope = z.union([z.literal('*'), z.array(z.string().min(1))]);
  const grantSchema = z.strictObject({
    role: z.enum(['viewer', 'operator', 'approver']),
    principals: z.array(z.string()).min(1),
    clusters: scope.optional(),
    channels: scope.optional(),
    operations: z.union([z.literal('*'), z.array(z.enum(OPERATION_NAMES))]).optional(),
  });
  const accessFileSchema = z.strictObject({ grants: z.array(z.unknown()) });

  // The change-control file (issue 17): approval rules, freeze windows and schedules.
  const principals = z.array(z.string().regex(/^[UWS][A-Z0-9]+$/, 'a Slack user id (U…/W…) or user group id (S…)')).min(1);
  const operations = z.union([z.literal('*'), z.array(z.enum(OPERATION_NAMES)).min(1)]);
  const approvalRuleSchema = z.strictObject({
    clusters: scope.optional(),
    operations: operations.optional(),
    approvals: z.number().int().min(1).max(10),
    from: principals.optional(),
  });
  const freezeSchema = z.strictObject({
    name: z.string().min(1).max(80).optional(),
    clusters: scope.optional(),
    operations: operations.optional(),
    from: z.string().min(1),
    to: z.string().min(1),
    timeZone: z.string().min(1),
    reason: z.string().min(1).max(300),
  });
  const scheduleSchema = z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - (at most 64)'),
    cluster: z.string().min(1),
    operation: z.enum(OPERATION_NAMES),
    database: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a database name').optional(),
    cron: z.string().min(1),
    timeZone: z.string().min(1),
    noticeMinutes: z.number().int().min(0).max(24 * 60).optional(),
    channel: z.string().regex(/^[CG][A-Z0-9]+$/, 'a Slack channel id like C0123456').optional(),
    configuredBy: z.string().regex(/^[UW][A-Z0-9]+$/, 'the Slack user id (U…) of who configured it'),
    reason: z.string().min(1).max(300),
    waiveApproval: z.boolean().optional(),
  });
  const changeControlFileSchema = z.strictObject({
    approvalRules: z.array(approvalRuleSchema).optional(),
    freezes: z.array(freezeSchema).optional(),
    schedules: z.array(scheduleSchema).optional(),
  });
  return { z, clusterEntrySchema, clustersFileSchema, grantSchema, accessFileSchema, hostPowerSchema, changeControlFileSchema };
}

export type ClusterEntry = Zod.infer<ReturnType<typeof build>['clusterEntrySchema']>;
export type GrantEntry = Zod.infer<ReturnType<typeof build>['grantSchema']>;
export type HostPowerEntry = Zod.infer<ReturnType<typeof build>['hostPowerSchema']>;
export type ChangeControlEntry = Zod.infer<ReturnType<typeof build>['changeControlFileSchema']>;
export type SchemaName = 'clusterEntrySchema' | 'clustersFileSchema' | 'grantSchema' | 'accessFileSchema' | 'hostPowerSchema' | 'changeControlFileSchema';

/** The keys an object at `path` may have, for "did you mean" on an unknown one. */
function knownKeys(z: ZodModule['z'], schema: Zod.ZodType, path: readonly PropertyKey[]): string[] {
  let current: Zod.ZodType | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return [];
    current = unwrap(z, current);
    if (current instanceof z.ZodArray && typeof segment === 'number') current = current.element as Zod.ZodType;
    else if (current instanceof z.ZodObject && typeof segment === 'string') current = current.shape[segment] as Zod.ZodType | undefined;
    else return [];
  }
  const object = current === undefined ? undefined : unwrap(z, current);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function unwrap(z: ZodModule['z'], schema: Zod.ZodType): Zod.ZodType {
  return schema instanceof z.ZodOptional ? unwrap(z, schema.unwrap() as Zod.ZodType) : schema;
}

/** zod's issues as problems an operator can act on: where (grant 2 "clusters"), what was expected, the fix. */
export function schemaProblems(name: SchemaName, value: unknown, where: (path: readonly PropertyKey[]) => string): string[] {
  const schemas = fileSchemas();
  const schema: Zod.ZodType = schemas[name];
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const at = where(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schemas.z, schema, issue.path);
      return issue.keys.map((key) => `${at}: unknown key "${key}"${didYouMean(key, known)}; known keys: ${known.join(', ')}`).join('\n- ');
    }
    if (issue.code === 'invalid_type') return `${at}: expected ${issue.expected}${issue.input === undefined ? ', but it is missing' : `, got ${describe(issue.input)}`}`;
    if (issue.code === 'invalid_value') return `${at}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    if (issue.code === 'invalid_union') return `${at}: ${unionHint(issue.path)}, got ${describe(issue.input)}`;
    return `${at}: ${issue.message}${issue.input === undefined ? '' : `, got ${describe(issue.input)}`}`;
  });
}

function unionHint(path: readonly PropertyKey[]): string {
  const key = String(path.at(-1) ?? '');
  if (key === 'outOfBandManagement') return 'expected true, false or a list of data nodes like ["n0011"]';
  if (key === 'operations') return `expected "*" or a list of operations (${OPERATION_NAMES.join(', ')})`;
  if (key === 'channels') return 'expected "*" or a list of channel ids';
  if (key === 'clusters') return 'expected "*" or a list of cluster names';
  return 'expected "*" or a list of names';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The lifecycle operations the bot runs. A tagged union, so a target is never a loose string. */
export type OperationKind =
  | { readonly kind: 'cluster-startup' }
  /** `abortBackup`: a running backup is aborted as a step of the plan (Exasol 8), not left to block it. */
  | { readonly kind: 'cluster-shutdown'; readonly abortBackup?: true }
  | { readonly kind: 'database-start'; readonly database: string }
  | { readonly kind: 'database-stop'; readonly database: string; readonly abortBackup?: true }
  | { readonly kind: 'storage-start' }
  | { readonly kind: 'storage-stop' };

export type OperationName = OperationKind['kind'];

export const OPERATION_NAMES: readonly OperationName[] = [
  'cluster-startup',
  'cluster-shutdown',
  'database-start',
  'database-stop',
  'storage-start',
  'storage-stop',
];

export function describeOperation(operation: OperationKind): string {
  switch (operation.kind) {
    case 'cluster-startup':
      return 'cluster start-up';
    case 'cluster-shutdown':
      return operation.abortBackup ? 'cluster shut-down, aborting running backups' : 'cluster shut-down';
    case 'database-start':
      return `start of database ${operation.database}`;
    case 'database-stop':
      return operation.abortBackup ? `stop of database ${operation.database}, aborting a running backup` : `stop of database ${operation.database}`;
    case 'storage-start':
      return 'EXAStorage start';
    case 'storage-stop':
      return 'EXAStorage stop';
  }
}

/** Stable key: two requests with the same key are the same operation (merged or refused). */
export function operationKey(operation: OperationKind): string {
  return 'database' in operation ? `${operation.kind}:${operation.database}` : operation.kind;
}

/** A stop or shut-down whose request allows aborting a running backup (Exasol 8). */
export function abortsBackup(operation: OperationKind): boolean {
  return 'abortBackup' in operation && operation.abortBackup === true;
}

/** Operations that take something away from users; these need an approval by default. */
export function isDestructive(operation: OperationKind): boolean {
  return operation.kind === 'cluster-shutdown' || operation.kind === 'database-stop' || operation.kind === 'storage-stop';
}

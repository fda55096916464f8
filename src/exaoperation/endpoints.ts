/**
 * EXAoperation is object-oriented: each method lives on an object URL under the cluster URL
 * (reference §1.3). Callers name the object as a tagged union; only this file turns it into a path.
 */
export type ExaContext =
  | { readonly kind: 'cluster' }
  | { readonly kind: 'storage' }
  | { readonly kind: 'database'; readonly name: string }
  | { readonly kind: 'logservice'; readonly index: number }
  | { readonly kind: 'node'; readonly node: string };

export const clusterContext: ExaContext = { kind: 'cluster' };
export const storageContext: ExaContext = { kind: 'storage' };
export const databaseContext = (name: string): ExaContext => ({ kind: 'database', name });
export const logserviceContext = (index: number): ExaContext => ({ kind: 'logservice', index });
export const nodeContext = (node: string): ExaContext => ({ kind: 'node', node });

/** The object's name as EXAoperation knows it (`db_exa_db1`, `logservice1`, `n0011`). */
export function contextObjectName(context: ExaContext): string {
  switch (context.kind) {
    case 'cluster':
      return 'cluster';
    case 'storage':
      return 'storage';
    case 'database':
      return `db_${context.name}`;
    case 'logservice':
      return `logservice${context.index}`;
    case 'node':
      return context.node;
  }
}

/**
 * Path of the object below the cluster path. Names are URL-encoded (Exasol's own scripts
 * `quote_plus` database names), so a name can never break out of its path segment.
 */
export function contextPath(clusterPath: string, context: ExaContext): string {
  const base = clusterPath.replace(/\/+$/, '');
  if (context.kind === 'cluster') return base;
  return `${base}/${encodeURIComponent(contextObjectName(context))}`;
}

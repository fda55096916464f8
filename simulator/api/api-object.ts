// One traversable object of the EXAoperation object tree, as zope sees it: a repr for NotFound
// messages, a method table and named children.
import type { MethodTable } from './method-table.js';

export interface ApiObject {
  /** How the calls log names it: 'cluster', 'storage', 'db_exa_db1', 'logservice1', 'n0011'. */
  readonly id: string;
  /** Python-style repr, e.g. "<NodeCluster object at 0x7f3a2c1b9d50>". */
  readonly repr: string;
  readonly methods: MethodTable;
  child(name: string): ApiObject | undefined;
  /** Names listObjects() reports. */
  children(): string[];
}

const CLUSTER_ADDRESS = 0x7f3a2c1b9d50;

/** A stable fake address per object, so repeated NotFound faults read the same. */
export function pythonRepr(className: string, id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) % 0xffff;
  const address = id === 'cluster' ? CLUSTER_ADDRESS : CLUSTER_ADDRESS + 0x40 * (hash + 1);
  return `<${className} object at 0x${address.toString(16)}>`;
}

// Zope-style publication of one XML-RPC call: traverse URL segments and the dotted method name to
// an object, check arity, call, and turn every exception into the fault zope would send.
import { UsageError } from '../model/usage-error.js';
import type { ApiObject } from './api-object.js';
import { ArgumentError } from './argument-error.js';
import { checkArity } from './method-table.js';
import { Pending } from './pending.js';
import type { RpcValue } from './rpc-value.js';
import { notFoundFault, zopeFault, type ZopeFault } from './zope-fault.js';

export interface CallTarget {
  /** Path below the cluster: URL segments plus all but the last dotted method segment. */
  readonly objectPath: readonly string[];
  readonly method: string;
  /** Calls-log name of the object: 'cluster' for the root, else the path joined with '/'. */
  readonly object: string;
}

export type DispatchResult = { readonly kind: 'ok'; readonly value: RpcValue } | ({ readonly kind: 'fault' } & ZopeFault);

/** A call either answers now or (a blocking call) later, once its Pending settles. */
export type DispatchOutcome = DispatchResult | { readonly kind: 'pending'; readonly pending: Pending };

/** zope.publisher splits the methodName on '.' and appends it to the traversal path. */
export function locateCall(urlSegments: readonly string[], methodName: string): CallTarget {
  const dotted = methodName.split('.');
  const method = dotted.pop() ?? '';
  const objectPath = [...urlSegments, ...dotted];
  return { objectPath, method, object: objectPath.length === 0 ? 'cluster' : objectPath.join('/') };
}

/** The repr of the object a call would reach, or of the last one found on the way. */
export function describeTarget(root: ApiObject, target: CallTarget): string {
  let object = root;
  for (const segment of target.objectPath) {
    const next = object.child(segment);
    if (next === undefined) break;
    object = next;
  }
  return object.repr;
}

export function dispatch(root: ApiObject, target: CallTarget, params: readonly unknown[]): DispatchOutcome {
  let object = root;
  for (const segment of target.objectPath) {
    const next = object.child(segment);
    if (next === undefined) return { kind: 'fault', ...notFoundFault(object.repr, segment) };
    object = next;
  }
  const spec = Object.hasOwn(object.methods, target.method) ? object.methods[target.method] : undefined;
  if (spec === undefined) return { kind: 'fault', ...notFoundFault(object.repr, target.method) };
  try {
    checkArity(target.method, spec, params.length);
    const value = spec.call(params);
    return value instanceof Pending ? { kind: 'pending', pending: value } : { kind: 'ok', value };
  } catch (error) {
    return faultOf(error);
  }
}

/** A settled Pending as the answer it stands for. */
export function settled(answer: { readonly value: RpcValue } | { readonly error: Error }): DispatchResult {
  return 'value' in answer ? { kind: 'ok', value: answer.value } : faultOf(answer.error);
}

function faultOf(error: unknown): DispatchResult {
  if (error instanceof UsageError || error instanceof ArgumentError) return { kind: 'fault', ...zopeFault(error.name, error.message) };
  // zope reports any exception the same way; a bug in the simulator still reaches the client as a fault.
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'fault', ...zopeFault(e.name, e.message) };
}

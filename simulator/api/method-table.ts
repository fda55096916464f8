// A method is its arity plus a function of the checked arguments. The arity check reproduces the
// Python 2 message EXAoperation (Zope 3 on Python 2) would send, counting `self` like Python does.
import { ArgumentError } from './argument-error.js';
import type { Pending } from './pending.js';
import type { RpcValue } from './rpc-value.js';

export interface MethodSpec {
  readonly required: number;
  readonly optional: number;
  readonly call: (args: readonly unknown[]) => RpcValue | Pending;
  /** What methodHelp() returns: the docstring, or null where EXAoperation has none ("help: None"). */
  readonly help?: string;
}

export type MethodTable = Readonly<Record<string, MethodSpec>>;

export function method(required: number, optional: number, call: (args: readonly unknown[]) => RpcValue | Pending, help?: string): MethodSpec {
  return help === undefined ? { required, optional, call } : { required, optional, call, help };
}

export function checkArity(name: string, spec: MethodSpec, given: number): void {
  const min = spec.required + 1;
  const max = spec.required + spec.optional + 1;
  const got = given + 1;
  if (got >= min && got <= max) return;
  const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');
  if (min === max) throw new ArgumentError(`${name}() takes exactly ${min} ${plural(min)} (${got} given)`);
  if (got < min) throw new ArgumentError(`${name}() takes at least ${min} ${plural(min)} (${got} given)`);
  throw new ArgumentError(`${name}() takes at most ${max} ${plural(max)} (${got} given)`);
}

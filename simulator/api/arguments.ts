// Parse XML-RPC arguments into what the model expects, with "expected X, got Y" messages.
import { ArgumentError } from './argument-error.js';

function describe(value: unknown): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'base64';
  if (value instanceof Date) return 'dateTime';
  return typeof value === 'object' ? 'struct' : `${typeof value} ${JSON.stringify(value)}`;
}

export function parseString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ArgumentError(`${what}: expected a string, got ${describe(value)}`);
  return value;
}

/** Node names ('n0011') or node numbers (11), as getHardwareInformation() documents. */
export function parseNodeRef(value: unknown): string | number {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new ArgumentError(`node: expected a node name like 'n0011' or a node number, got ${describe(value)}`);
}

export function parseInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new ArgumentError(`${what}: expected an int, got ${describe(value)}`);
  return value;
}

export function parseStringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${what}: expected an array of strings, got ${describe(value)}`);
  return value.map((v, i) => parseString(v, `${what}[${i}]`));
}

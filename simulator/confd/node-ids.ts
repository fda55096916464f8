// The model names nodes as EXAoperation does (n0011); ConfD uses ids '11' and names 'n11'.
import { UsageError } from '../model/usage-error.js';

export const confdId = (modelName: string): string => String(Number(modelName.slice(1)));
export const confdName = (modelName: string): string => `n${confdId(modelName)}`;

/** Accepts 11, '11' or 'n11'; returns the model's name, or throws a UsageError naming what came. */
export function modelNodeName(ref: unknown, known: readonly string[]): string {
  const text = typeof ref === 'number' ? String(ref) : typeof ref === 'string' ? ref.replace(/^n/, '') : '';
  const name = /^\d+$/.test(text) ? `n${text.padStart(4, '0')}` : '';
  if (!known.includes(name)) throw new UsageError(`Node ${String(ref)} does not exist.`);
  return name;
}

/** Rewrites model node names inside a log message (n0011 → n11). */
export const confdNames = (text: string): string => text.replace(/\bn0*(\d{2,})\b/g, 'n$1');

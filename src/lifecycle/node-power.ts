import type { ExaOperationClient } from '../exaoperation/client.js';
import type { CallOptions } from '../exaoperation/transport.js';
import type { HardwareInformation, NodeStatus } from '../exaoperation/types.js';
import { isTransient } from './steps/step-context.js';

/**
 * Whether a node is powered off, as far as EXAoperation says so positively. A node counts as off
 * only when the article's online test (its hardware inventory, dmidecode) says offline AND its
 * state is not 'Running'. Everything else is 'up': 'Suspended' or 'Unknown' while the inventory
 * answers (a node powering off may say either, reference §3.5), or an answer we cannot read.
 * Guessing "off" from a state that might mean "still up" is how a license server gets shut down
 * under running data nodes.
 */
export type NodePower =
  | { readonly kind: 'off' }
  | { readonly kind: 'up'; readonly why: string };

export const poweredOff: NodePower = { kind: 'off' };

/** Combines what the two reads found; a read that failed counts as "cannot tell", so as up. */
export function classifyPower(status: NodeStatus | Error, hardware: HardwareInformation | Error): NodePower {
  if (status instanceof Error) return { kind: 'up', why: `state unreadable (${status.message})` };
  if (status.kind === 'running') return { kind: 'up', why: 'Running' };
  const state = status.kind === 'unknown' ? status.raw : status.kind === 'offline' ? 'offline' : 'Suspended';
  if (hardware instanceof Error) return { kind: 'up', why: `${state}, hardware inventory unreadable (${hardware.message})` };
  return hardware.online ? { kind: 'up', why: `${state}, hardware inventory still answers` } : poweredOff;
}

/**
 * Reads one node's power: its state and its inventory, in parallel. An unreachable or slow
 * EXAoperation is thrown (a wait decides whether that is "not yet"); any other failure of either
 * read (a fault, an answer of the wrong shape) is kept as "cannot tell".
 */
export async function readNodePower(client: ExaOperationClient, node: string, call: CallOptions): Promise<NodePower> {
  const [state, hardware] = await Promise.allSettled([client.getNodeState(node, call), client.getHardwareInformation(node, call)]);
  call.signal?.throwIfAborted();
  for (const read of [state, hardware]) if (read.status === 'rejected' && isTransient(read.reason)) throw read.reason;
  return classifyPower(
    state.status === 'fulfilled' ? state.value.status : asError(state.reason),
    hardware.status === 'fulfilled' ? hardware.value : asError(hardware.reason),
  );
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

export function describePower(power: NodePower): string {
  return power.kind === 'off' ? 'off' : `up (${power.why})`;
}

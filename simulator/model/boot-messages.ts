// The messages a data node's PXE boot writes to the logservice, as quoted from real Exasol 7 output
// (reference §4.3). The reference lists them "newest first as displayed" but in an order that only
// makes sense chronologically (client ID first, "took N seconds" last), so we treat it as chronological.
import type { LogPriority } from './log-service.js';
import type { BootMessageStyle } from './model-options.js';

export interface BootMessage {
  /** Fraction of the boot duration after which the message appears. */
  readonly fraction: number;
  readonly message: string;
  readonly priority: LogPriority;
  /** Written only when the boot completes; a hanging boot stops before these. */
  readonly final: boolean;
}

export const BOOT_CLIENT_VERSION = '7.1.0';

export function bootFinishedMessage(style: BootMessageStyle, seconds: number): string {
  return style === 'kb' ? `Boot process finished after ${seconds} seconds` : `Boot process stages 1 to 3 took ${seconds} seconds.`;
}

export function bootMessages(style: BootMessageStyle, nodeNumber: number, seconds: number): BootMessage[] {
  const hex = nodeNumber.toString(16).padStart(2, '0');
  const early = (fraction: number, message: string): BootMessage => ({ fraction, message, priority: 'Information', final: false });
  return [
    early(0, `client ID is '10.0.0.${nodeNumber}'`),
    early(0, `client version is '${BOOT_CLIENT_VERSION}'`),
    // "adress" is spelled as in the real log.
    early(0, `client mac adress is '02:00:0a:00:00:${hex}'`),
    early(0.05, 'Initialize boot process.'),
    early(0.3, 'Mount hard drives.'),
    early(0.4, 'Hard drives mounted.'),
    early(0.5, 'Prepare boot process stage 3.'),
    early(0.7, `successfully unpacked package on client node: EXAClusterOS-${BOOT_CLIENT_VERSION}.tar.gz`),
    early(0.8, 'successfully synchronized EXAoperation.'),
    early(0.85, 'successfully initialized thresholds for node monitoring'),
    early(0.9, 'Start boot process stage 3.'),
    { fraction: 1, message: 'Boot process stage 3 finished.', priority: 'Information', final: true },
    { fraction: 1, message: bootFinishedMessage(style, seconds), priority: 'Notice', final: true },
  ];
}

/** Deterministic, evenly spread boot times so nodes finish one after another, not all at once. */
export function bootSeconds(index: number, count: number, min: number, max: number): number {
  if (count <= 1) return Math.round(min);
  return Math.round(min + ((max - min) * index) / (count - 1));
}

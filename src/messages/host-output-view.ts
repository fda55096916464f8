// One host action's end and output, as a reply in the operation's thread (Exasol 8 power step):
// the progress message keeps one line per node; whoever needs the detail opens the thread.
import type { StepDetail } from '../lifecycle/steps/step-context.js';
import { text, type Message } from './message.js';

type HostOutput = Extract<StepDetail, { kind: 'host-output' }>;

const MAX_SHOWN = 2500;

/** "n11: the power-off host action exited with status 0": the one line every view shows. */
export function hostOutputLine(detail: HostOutput): string {
  return `${detail.node}: the power-${detail.direction} host action ${detail.end}`;
}

export function renderHostOutput(opId: string, detail: HostOutput): Message {
  const head = `${opId}: ${hostOutputLine(detail)}`;
  // A Slack section holds 3000 characters; the tail is what says why a command failed.
  const full = detail.output.trim();
  const body = full.length > MAX_SHOWN ? full.slice(-MAX_SHOWN) : full;
  const cut = detail.truncated || full.length > MAX_SHOWN;
  return {
    title: head,
    blocks: [
      text(head, detail.ok ? 'success' : 'warning'),
      ...(body === '' ? [text('(no output)')] : [text(`${cut ? '…(earlier output cut)\n' : ''}${body}`)]),
    ],
  };
}

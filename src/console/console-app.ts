import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { handleCommand, type CommandService } from '../commands/handle-command.js';
import { parseCommand } from '../commands/parse-command.js';
import type { Logger } from '../logging/logger.js';
import { operationTitle } from '../messages/labels.js';
import { renderProblem } from '../messages/error-view.js';
import { checkOperationAction, type ActionCheckPorts } from '../operations/operation-action.js';
import type { OperationService } from '../operations/operation-service.js';
import { createProgressPrinter } from './progress-printer.js';
import { clean, renderText } from './render-text.js';

export type ConsoleService = CommandService & Pick<OperationService, 'subscribe' | 'idle' | 'shutdown' | 'get'>;

/** The console's one local user holds every role: the operating system decided who may run it. */
const LOCAL_USER: ActionCheckPorts['mayAct'] = async () => ({ allowed: true });
const CHANNEL = 'console';

export interface ConsoleOptions {
  readonly service: ConsoleService;
  readonly input: Readable;
  readonly output: Writable;
  /** Recorded as requester and approver, like a Slack user id. */
  readonly user: string;
  readonly defaultCluster: string;
  /** A terminal: show the `exa> ` prompt and take Ctrl-C. Otherwise commands are echoed, for a readable transcript. */
  readonly interactive: boolean;
  /** Aborting stops reading and interrupts running operations at once (recorded as interrupted). */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly logger?: Logger;
}

const PROMPT = 'exa> ';

/** How the console ended: input ran out or `quit` (operations finished), or an abort interrupted them. */
export type ConsoleEnd = 'ended' | 'interrupted';

/**
 * The console adapter: the same commands, service and views as Slack, rendered as text. Reads one
 * command at a time; at end of input (or `quit`) it waits until queued and running operations have
 * finished, so a piped script sees its operations through.
 */
export async function runConsole(options: ConsoleOptions): Promise<ConsoleEnd> {
  const { service, output, interactive } = options;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const rl = createInterface({ input: options.input, ...(interactive ? { output, terminal: true } : { terminal: false }), prompt: PROMPT });
  let reading = false; // true while the prompt waits for input, so event output redraws it
  const write = (text: string): void => {
    if (interactive && reading) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    output.write(text);
    if (interactive && reading) rl.prompt(true);
  };
  const unsubscribe = service.subscribe(createProgressPrinter(write, options.now ?? Date.now));
  const onAbort = (): void => rl.close();
  signal.addEventListener('abort', onAbort, { once: true });
  rl.on('SIGINT', () => stop.abort(new Error('interrupted from the console (Ctrl-C)')));

  try {
    if (interactive) rl.prompt();
    reading = true;
    for await (const raw of rl) {
      reading = false;
      const line = raw.trim();
      if (line === 'quit' || line === 'exit') break;
      if (line !== '') {
        if (!interactive) output.write(`${PROMPT}${clean(line, false)}\n`);
        const command = parseCommand(line);
        // A script reads as a session in which each operation is watched to its end before the
        // next one is asked for: `shutdown`, `approve op-1`, `startup` in a pipe must not have the
        // start-up refused because the shut-down is still running. Approvals and reads never wait.
        if (!interactive && command.kind === 'request' && !(await idleOrAborted(service, signal))) break;
        // The same check as Slack's on an action by id: the operation exists and was asked for here.
        if (command.kind === 'approve' || command.kind === 'reject' || command.kind === 'cancel') {
          const check = await checkOperationAction({ user: options.user, channel: CHANNEL, action: command.kind, opId: command.opId }, { get: (id) => service.get(id), mayAct: LOCAL_USER });
          if (check.kind === 'refused') {
            output.write(`${renderText(renderProblem(check.message))}\n`);
            if (interactive) rl.prompt();
            reading = true;
            continue;
          }
        }
        const reply = await handleCommand(command, {
          service,
          user: options.user,
          channel: CHANNEL,
          defaultCluster: options.defaultCluster,
          signal,
          ...(options.logger ? { logger: options.logger } : {}),
        });
        output.write(`${renderText(reply.message)}\n`);
      }
      if (interactive) rl.prompt();
      reading = true;
    }
    reading = false;
    rl.close();
    return await drain(options, signal, (text) => output.write(text));
  } finally {
    reading = false;
    signal.removeEventListener('abort', onAbort);
    rl.close();
    unsubscribe();
  }
}

/** True once nothing runs or waits in a queue; false when the console was aborted first. */
async function idleOrAborted(service: ConsoleService, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  const aborted = new Promise<false>((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
  return Promise.race([service.idle().then(() => true as const), aborted]);
}

/** Lets running and queued operations finish; an abort (Ctrl-C, SIGTERM) interrupts them instead. */
async function drain(options: ConsoleOptions, signal: AbortSignal, write: (text: string) => void): Promise<ConsoleEnd> {
  const { service } = options;
  const active = service.clusterNames().flatMap((cluster) => {
    const queue = service.queue(cluster);
    return [...(queue.running ? [queue.running] : []), ...queue.pending];
  });
  if (active.length > 0 && !signal.aborted) {
    write(`Waiting for ${active.map((op) => `${op.id} (${operationTitle(op.operation, op.cluster)})`).join(', ')} to finish…\n`);
  }
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const ended = await Promise.race([service.idle().then(() => 'idle' as const), aborted]);
  if (ended === 'aborted') {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
    write(`Stopping: ${reason}. Running operations are interrupted at once and recorded as interrupted.\n`);
    await service.shutdown(reason);
  }
  for (const cluster of service.clusterNames()) {
    for (const op of service.queue(cluster).awaitingApproval) {
      write(`${op.id} (${operationTitle(op.operation, op.cluster)}) was still waiting for approval and was not run.\n`);
    }
  }
  return ended === 'aborted' ? 'interrupted' : 'ended';
}

import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../errors/app-error.js';

export type PasswordInput = Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };

/** A terminal we can switch to raw mode; anything else (pipe, file, /dev/null) cannot hide typing. */
export function isTerminal(input: PasswordInput): boolean {
  return input.isTTY === true && typeof input.setRawMode === 'function';
}

function cancelled(): AppError {
  return new AppError('PASSWORD_CANCELLED', 'Password entry cancelled, nothing was changed.');
}

/**
 * Reads a password typed on a terminal without echo. Raw mode goes on before the prompt is
 * written: in cooked mode the terminal itself echoes keys, so typing right after the prompt would
 * show. Raw mode also turns Ctrl-C into a plain byte (no SIGINT), so cancelling is handled here.
 */
export async function readHiddenPassword(prompt: string, input: PasswordInput, output: Writable): Promise<string> {
  input.setRawMode?.(true);
  output.write(prompt);
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (result: string | AppError): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const char of decoder.write(chunk)) {
        if (char === '\r' || char === '\n') return finish(value);
        if (char === '\u0003') return finish(cancelled());
        // Ctrl-D on an empty line is end of input, as in a shell; inside a password it is ignored.
        if (char === '\u0004') {
          if (value === '') return finish(cancelled());
        } else if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char === '\u0015') value = ''; // Ctrl-U clears the line, as sudo and passwd do
        else value += char;
      }
    };
    // The terminal went away (hang-up) before Enter: nothing complete was typed.
    const onEnd = (): void => finish(cancelled());
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/** The first line of stdin, for `--password-stdin`: no prompt, the line end is not part of it. */
export async function readPasswordLine(input: Readable): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline).replace(/\r$/, '');
  }
  return (text + decoder.end()).replace(/\r$/, '');
}

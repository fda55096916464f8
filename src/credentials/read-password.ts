import type { Readable, Writable } from 'node:stream';

/**
 * Reads a password without echo when stdin is a terminal (raw mode, nothing printed back);
 * otherwise the first line of stdin, so scripts can pipe it in (`--password-stdin`).
 */
export async function readPassword(prompt: string, input: Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown }, output: Writable): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return readLine(input);
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          done();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    const done = (): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
    };
    input.on('data', onData);
  });
}

async function readLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline).replace(/\r$/, '');
  }
  return text.replace(/\r?\n$/, '');
}

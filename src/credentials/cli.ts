// The credentials command: manages encrypted EXAoperation credential profiles. Passwords are
// typed without echo (or piped on stdin with --password-stdin) and never printed.
import { isAppError } from '../errors/app-error.js';
import { type CliIo, type Command, add, list, remove, rotateKey } from './commands.js';
import { USAGE } from './usage.js';

const COMMANDS = new Map<string, Command>([
  ['add', add],
  ['list', list],
  ['remove', remove],
  ['rotate-key', rotateKey],
]);
const HELP_FLAGS = ['--help', '-h'];

/** 2 for usage errors, as shells and most CLIs do; 130 = 128 + SIGINT, what a shell reports for Ctrl-C. */
const EXIT_CODES: Readonly<Record<string, number>> = { CLI_USAGE: 2, PASSWORD_NEEDS_TTY: 2, PASSWORD_EMPTY: 2, PASSWORD_CANCELLED: 130 };

export async function runCredentialsCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || HELP_FLAGS.includes(command ?? '') || (COMMANDS.has(command ?? '') && rest.some((arg) => HELP_FLAGS.includes(arg)))) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = command === undefined ? undefined : COMMANDS.get(command);
  if (!run) {
    io.stderr.write(`${command ? `Unknown command '${command}'.\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    await run(rest, { path: env['EXA_CREDENTIALS_FILE'] || './exa-credentials.json', env, io });
    return 0;
  } catch (error) {
    if (!isAppError(error)) {
      io.stderr.write(`Unexpected error: ${String(error)}\n`);
      return 1;
    }
    io.stderr.write(`${error.message}\n${error.code === 'CLI_USAGE' ? `${USAGE}\n` : ''}`);
    return EXIT_CODES[error.code] ?? 1;
  }
}

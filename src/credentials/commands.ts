import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AppError } from '../errors/app-error.js';
import { CredentialFile, checkProfileName } from './credential-file.js';
import { readMasterKey } from './master-key.js';
import { type PasswordInput, isTerminal, readHiddenPassword, readPasswordLine } from './read-password.js';
import { usageError } from './usage.js';

export interface CliIo {
  readonly stdin: PasswordInput;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

export interface CommandContext {
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
}

/** Each command writes its result to stdout and throws AppErrors; the CLI maps them to exit codes. */
export type Command = (args: readonly string[], context: CommandContext) => Promise<void>;

/**
 * Strict parsing, so a mistyped flag (say --pasword-stdin) is refused instead of ignored. Node's
 * messages name the option, never its value; only their first sentence is kept, the rest is a
 * hint about positionals that does not apply here.
 */
function parse<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    throw usageError(`${(error as Error).message.split(/\.\s/)[0]}.`);
  }
}

export const add: Command = async (args, { path, env, io }) => {
  const options = { user: { type: 'string' }, 'password-stdin': { type: 'boolean' } } as const;
  const { values, positionals } = parse(() => parseArgs({ args: [...args], options, allowPositionals: true }));
  const [name, extra] = positionals;
  if (!name || extra !== undefined || !values.user) throw usageError('add needs a profile name and --user <user>.');
  const fromStdin = values['password-stdin'] === true;
  if (!fromStdin && !isTerminal(io.stdin)) {
    throw new AppError(
      'PASSWORD_NEEDS_TTY',
      'stdin is not a terminal, so the password cannot be typed without echo. To pipe it in, pass --password-stdin (the first line of stdin is the password), ' +
        `e.g.: npm run credentials -- add ${name} --user ${values.user} --password-stdin < password.txt`,
    );
  }
  checkProfileName(name);
  // Opened before asking: a wrong master key fails before anyone types a password for nothing.
  const file = CredentialFile.open(path, readMasterKey(env), { create: true });
  const password = !fromStdin
    ? await readHiddenPassword(`EXAoperation password for ${values.user} (not shown): `, io.stdin, io.stderr)
    : isTerminal(io.stdin)
      ? await readHiddenPassword('', io.stdin, io.stderr) // asked for stdin, but it is a terminal: still no echo
      : await readPasswordLine(io.stdin);
  if (!password) throw new AppError('PASSWORD_EMPTY', 'No password given, nothing was changed. Type the password, or pipe a non-empty first line with --password-stdin.');
  file.set(name, { user: values.user, password });
  file.save();
  io.stdout.write(`Stored profile '${name}' (user ${values.user}) in ${path}. Use it with EXA_CREDENTIAL_PROFILE=${name}.\n`);
};

export const list: Command = async (args, { path, env, io }) => {
  const { positionals } = parse(() => parseArgs({ args: [...args], options: {}, allowPositionals: true }));
  if (positionals.length > 0) throw usageError('list takes no arguments.');
  const names = CredentialFile.open(path, readMasterKey(env)).names();
  io.stdout.write(names.length ? `${names.map((p) => `${p.name}\t${p.user}`).join('\n')}\n` : `No profiles in ${path}.\n`);
};

export const remove: Command = async (args, { path, env, io }) => {
  const { positionals } = parse(() => parseArgs({ args: [...args], options: {}, allowPositionals: true }));
  const [name, extra] = positionals;
  if (!name || extra !== undefined) throw usageError('remove needs one profile name.');
  const file = CredentialFile.open(path, readMasterKey(env));
  if (!file.remove(name)) throw new AppError('PROFILE_MISSING', `There is no profile '${name}' in ${path}; nothing was changed. See the profiles with: npm run credentials -- list`);
  file.save();
  io.stdout.write(`Removed profile '${name}'.\n`);
};

export const rotateKey: Command = async (args, { path, env, io }) => {
  const options = { 'new-key-file': { type: 'string' } } as const;
  const { values, positionals } = parse(() => parseArgs({ args: [...args], options, allowPositionals: true }));
  const newKeyFile = values['new-key-file'];
  if (!newKeyFile || positionals.length > 0) throw usageError('rotate-key needs --new-key-file <file>.');
  const file = CredentialFile.open(path, readMasterKey(env));
  file.rotate(readMasterKey({ EXA_MASTER_KEY_FILE: newKeyFile }));
  file.save();
  io.stdout.write(`Re-encrypted ${file.names().length} profile(s) under the new key. Point EXA_MASTER_KEY_FILE at ${newKeyFile} now.\n`);
};

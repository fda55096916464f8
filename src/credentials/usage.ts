import { AppError } from '../errors/app-error.js';

/** Printed for help (stdout, exit 0) and after every usage error (stderr, exit 2). */
export const USAGE = `Usage: npm run credentials -- <command>
Commands:
  add <profile> --user <user> [--password-stdin]
                          store (or replace) a profile. On a terminal it asks for the password
                          without echo; with --password-stdin it reads the first line of stdin
                          instead, without a prompt (for scripts: ... --password-stdin < pw.txt)
  list                    profile names and users (never passwords)
  remove <profile>        delete a profile
  rotate-key --new-key-file <file>
                          re-encrypt every profile under a new master key
  help                    this text (also --help, -h)
Environment:
  EXA_CREDENTIALS_FILE    the encrypted file (default ./exa-credentials.json; written with mode 600)
  EXA_MASTER_KEY_FILE     a file (mode 600) holding the master key; create one with:
                          openssl rand -base64 32 > master.key && chmod 600 master.key
  EXA_MASTER_KEY          the master key itself, read only when EXA_MASTER_KEY_FILE is not set
Exit status: 0 done, 1 failed, 2 usage error, 130 cancelled.`;

/** A mistake in the command line: the CLI prints the message, then the usage, and exits 2. */
export function usageError(message: string): AppError {
  return new AppError('CLI_USAGE', message);
}

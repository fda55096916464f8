// The credentials command: manages encrypted EXAoperation credential profiles. Passwords are
// typed without echo (or piped on stdin) and never printed.
import { isAppError } from '../errors/app-error.js';
import { CredentialFile } from './credential-file.js';
import { readMasterKey } from './master-key.js';
import { readPassword } from './read-password.js';

const USAGE = `Usage: npm run credentials -- <command>
  add <profile> --user <user> [--password-stdin]   store (or replace) a profile; asks for the password without echo
  list                                              profile names and users (never passwords)
  remove <profile>                                  delete a profile
  rotate-key --new-key-file <file>                  re-encrypt every profile under a new master key
Environment: EXA_CREDENTIALS_FILE (default ./exa-credentials.json),
             EXA_MASTER_KEY_FILE (a file with mode 600; create: openssl rand -base64 32 > master.key && chmod 600 master.key)`;

export async function runCredentialsCli(argv: readonly string[], env: NodeJS.ProcessEnv, io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  const path = env['EXA_CREDENTIALS_FILE'] || './exa-credentials.json';
  const flag = (name: string): string | undefined => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  try {
    switch (command) {
      case 'add': {
        const name = rest[0];
        const user = flag('--user');
        if (!name || name.startsWith('--') || !user) {
          io.stderr.write(`add needs a profile name and --user.\n${USAGE}\n`);
          return 2;
        }
        const file = CredentialFile.open(path, readMasterKey(env), { create: true });
        const password = await readPassword(`EXAoperation password for ${user} (not shown): `, io.stdin, io.stderr);
        if (!password) {
          io.stderr.write('No password given; nothing stored.\n');
          return 2;
        }
        file.set(name, { user, password });
        file.save();
        io.stdout.write(`Stored profile '${name}' (user ${user}) in ${path}. Use it with EXA_CREDENTIAL_PROFILE=${name}.\n`);
        return 0;
      }
      case 'list': {
        const file = CredentialFile.open(path, readMasterKey(env));
        const names = file.names();
        io.stdout.write(names.length ? `${names.map((p) => `${p.name}\t${p.user}`).join('\n')}\n` : `No profiles in ${path}.\n`);
        return 0;
      }
      case 'remove': {
        const name = rest[0];
        if (!name) {
          io.stderr.write(`remove needs a profile name.\n${USAGE}\n`);
          return 2;
        }
        const file = CredentialFile.open(path, readMasterKey(env));
        if (!file.remove(name)) {
          io.stderr.write(`There is no profile '${name}' in ${path}.\n`);
          return 1;
        }
        file.save();
        io.stdout.write(`Removed profile '${name}'.\n`);
        return 0;
      }
      case 'rotate-key': {
        const newKeyFile = flag('--new-key-file');
        if (!newKeyFile) {
          io.stderr.write(`rotate-key needs --new-key-file.\n${USAGE}\n`);
          return 2;
        }
        const file = CredentialFile.open(path, readMasterKey(env));
        file.rotate(readMasterKey({ EXA_MASTER_KEY_FILE: newKeyFile }));
        file.save();
        io.stdout.write(`Re-encrypted ${file.names().length} profile(s) under the new key. Point EXA_MASTER_KEY_FILE at ${newKeyFile} now.\n`);
        return 0;
      }
      default:
        io.stderr.write(`${command ? `Unknown command '${command}'.\n` : ''}${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    io.stderr.write(`${isAppError(error) ? error.message : `Unexpected error: ${String(error)}`}\n`);
    return 1;
  }
}


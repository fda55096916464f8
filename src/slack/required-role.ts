import type { Role } from '../access/role.js';
import type { Command } from '../commands/parse-command.js';

/** The role each command needs; undefined = anyone in an allowed channel (help, a typo). */
export function requiredRole(command: Command): Role | undefined {
  switch (command.kind) {
    case 'help':
    case 'invalid':
      return undefined;
    case 'status':
    case 'nodes':
    case 'plan':
    case 'queue':
    case 'logs':
    case 'schedules':
    case 'audit':
      return 'viewer';
    case 'request':
    case 'cancel':
    case 'hold':
    case 'unhold':
      return 'operator';
    case 'approve':
    case 'reject':
      return 'approver';
  }
}

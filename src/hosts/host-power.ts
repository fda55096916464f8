// Exasol 8 has no node power (confd-api.md §1.6: "Exasol 8 does not include functionality to send
// out-of-band data to restart a host"): where an operator wants the bot to power hosts off after
// the databases are stopped, and on before a start-up, they name an executable of their own (IPMI,
// a hypervisor's CLI, an SSH wrapper). Nothing runs unless configured.

/** One configured command: the executable and its arguments, run without a shell. */
export interface HostCommand {
  /** Absolute path of the executable, then its arguments; `{node}`, `{id}` and `{cluster}` are filled in per node. */
  readonly argv: readonly string[];
  /** Killed (its process group: SIGTERM, then SIGKILL) when it has not exited by then. */
  readonly timeoutMs: number;
}

export interface HostPower {
  /** The hosts the commands act on, in ConfD's names (n11, n12, …): all of them, so a cold start-up knows them. */
  readonly nodes: readonly string[];
  readonly off?: HostCommand;
  readonly on?: HostCommand;
  /** Environment entries the commands get on top of PATH, HOME and LANG (file paths, never secrets). */
  readonly env: Readonly<Record<string, string>>;
}

export type HostPowerDirection = 'off' | 'on';

export const HOST_PLACEHOLDERS = ['{node}', '{id}', '{cluster}'] as const;

/** ConfD's node id from its name: n11 → 11. */
export const nodeId = (node: string): string => node.replace(/^n0*/, '');

/** The argument vector for one node: placeholders replaced inside each argument, nothing else touched. */
export function expandArgv(argv: readonly string[], vars: { readonly node: string; readonly cluster: string }): string[] {
  const id = nodeId(vars.node);
  return argv.map((arg) => arg.replaceAll('{node}', vars.node).replaceAll('{id}', id).replaceAll('{cluster}', vars.cluster));
}

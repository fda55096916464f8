// Transitions EXAoperation accepts but a careful operator never makes. The simulator records them
// so bot tests can assert the bot never caused one.

export type Violation =
  | {
      readonly kind: 'license-server-shutdown-with-data-nodes-on';
      readonly at: number;
      readonly node: string;
      readonly dataNodesOn: readonly string[];
      readonly message: string;
    }
  | {
      readonly kind: 'master-shutdown-with-license-servers-on';
      readonly at: number;
      readonly node: string;
      readonly licenseServersOn: readonly string[];
      readonly message: string;
    }
  | { readonly kind: 'data-node-shutdown-with-storage-online'; readonly at: number; readonly node: string; readonly message: string }
  | {
      readonly kind: 'data-node-shutdown-with-database-running';
      readonly at: number;
      readonly node: string;
      readonly databases: readonly string[];
      readonly message: string;
    }
  | {
      /** Refused by EXAoperation, but a bot that even asks has lost track of the databases. */
      readonly kind: 'storage-stop-with-database-running';
      readonly at: number;
      readonly databases: readonly string[];
      readonly message: string;
    };

import type { ConfdClient } from '../confd/client.js';
import type { ConfdDatabaseInfo } from '../confd/types.js';
import type { CallOptions } from '../exaoperation/transport.js';

/** Every database's db_info, read fresh: what the steps check right before they act. */
export async function readDatabases(client: ConfdClient, call: CallOptions): Promise<ConfdDatabaseInfo[]> {
  return Promise.all((await client.dbList(call)).map((db) => client.dbInfo(db, call)));
}

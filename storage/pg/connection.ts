import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

export type Sql = pg.Client;
export type PgDb = NodePgDatabase;

/**
 * One connection per operation: in a Worker the Hyperdrive binding pools connections, so a
 * client is cheap to open and must not outlive the request that opened it.
 */
export async function withClient<T>(connectionString: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  let ending = false;
  // A Workers socket closed by end() fails its pending read; that error comes after the work is
  // done. Errors during the work also reject the running query, so the listener only logs them.
  client.on('error', (err) => {
    if (!ending)
      console.error(JSON.stringify({ level: 'error', msg: 'postgres connection error', error: String(err) }));
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    ending = true;
    await client.end();
  }
}

/**
 * `withClient` with the client behind drizzle, as the store's queries use it. Drizzle parses
 * result values itself (instants through schema/pg.ts), so the client keeps pg's defaults.
 */
export function withDatabase<T>(connectionString: string, work: (db: PgDb) => Promise<T>): Promise<T> {
  return withClient(connectionString, (client) => work(drizzle({ client })));
}

import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';

const TIMESTAMPTZ = 1184;
const INT8 = 20;

/**
 * Values come back in the shapes the D1 store returns: instants as ISO strings (the contract's
 * timestamps are strings) and 64-bit integers as numbers (counts and serials stay far below 2^53).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) {
      const toDate = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (value: string) => Date;
      return (value: string) => toDate(value).toISOString();
    }
    if (oid === INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export type Sql = pg.Client;

/**
 * One connection per operation: in a Worker the Hyperdrive binding pools connections, so a
 * client is cheap to open and must not outlive the request that opened it.
 */
export async function withClient<T>(connectionString: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, types });
  let ending = false;
  // A Workers socket closed by end() fails its pending read; that error comes after the work is
  // done. Errors during the work also reject the running query, so the listener only logs them.
  client.on('error', (err) => {
    if (!ending) console.error(JSON.stringify({ level: 'error', msg: 'postgres connection error', error: String(err) }));
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    ending = true;
    await client.end();
  }
}

export type PgDb = NodePgDatabase;

/** `withClient` with the client behind drizzle, as the store's queries use it. */
export function withDatabase<T>(connectionString: string, work: (db: PgDb) => Promise<T>): Promise<T> {
  return withClient(connectionString, (client) => work(drizzle({ client })));
}

/** Runs `work` in one transaction, rolled back if it throws. */
export async function inTransaction<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  await sql.query('BEGIN');
  try {
    const result = await work();
    await sql.query('COMMIT');
    return result;
  } catch (err) {
    await sql.query('ROLLBACK');
    throw err;
  }
}

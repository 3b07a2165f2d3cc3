import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withClient } from '../storage/pg/connection.js';

/** Where drizzle-kit writes the Postgres migrations (`drizzle-kit generate --config drizzle.pg.config.ts`). */
export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../schema/migrations/pg', import.meta.url));

/** Serialises concurrent runners (dev server, tests, benches) on one database. */
const MIGRATION_LOCK = 5_318_008;

/**
 * Applies the SQL migrations not yet applied, in file-name order, each in its own transaction
 * together with its row in `driftmgr_migrations`; running it again applies nothing. Runs from
 * Node (dev:pg, test setup, benches). Returns the names of the migrations it applied.
 */
export async function migratePostgres(connectionString: string, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return withClient(connectionString, async (sql) => {
    await sql.query(
      `CREATE TABLE IF NOT EXISTS driftmgr_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied: string[] = [];
    for (const file of files) {
      await sql.query('BEGIN');
      try {
        await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const done = await sql.query('SELECT 1 FROM driftmgr_migrations WHERE name = $1', [file]);
        if (done.rowCount === 0) {
          await sql.query(readFileSync(join(dir, file), 'utf8'));
          await sql.query('INSERT INTO driftmgr_migrations (name) VALUES ($1)', [file]);
          applied.push(file);
        }
        await sql.query('COMMIT');
      } catch (err) {
        await sql.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${String(err)}`, { cause: err });
      }
    }
    return applied;
  });
}

/** Drops and recreates the database a URL names (tests and benches start from nothing), then migrates it. */
export async function freshDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name || name === 'postgres') throw new Error(`refusing to recreate database "${name}" of ${url}`);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  await withClient(maintenance.toString(), async (sql) => {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    await sql.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await sql.query(`CREATE DATABASE ${quoted} TEMPLATE template0 ENCODING 'UTF8'`);
  });
  await migratePostgres(url);
}

import type { ParsedState, StateInstance } from '../../engine/index.js';
import { newStoredStates, parsedStateOf, STALE_IMPORT_MS, stateInstanceRows } from '../rows.js';
import type { StateFilter, StoredState } from '../store.js';
import { inTransaction, type Sql } from './connection.js';
import { jsonChunks } from './rows.js';

const STATE_COLUMNS = 'state_id, workspace, name, version, terraform_version, serial, lineage, instances, data_sources_skipped, imported_at';

/**
 * Stores parsed states of a workspace. Instances are written first under states that are
 * still `importing`; one final transaction makes them active and supersedes the previous
 * versions, so a failed import leaves the old states exactly as they were.
 */
export async function saveStates(sql: Sql, workspace: string, parsed: ParsedState[]): Promise<StoredState[]> {
  const importedAt = new Date().toISOString();
  const stored = newStoredStates(workspace, parsed, importedAt);
  await sql.query(
    `INSERT INTO states (${STATE_COLUMNS}, status)
     SELECT ${STATE_COLUMNS}, 'importing' FROM json_populate_recordset(NULL::states, $1::json)`,
    [JSON.stringify(stored)],
  );
  for (const [i, s] of stored.entries()) await insertInstances(sql, s.state_id, parsed[i]!);
  await inTransaction(sql, async () => {
    for (const s of stored) {
      await sql.query(`UPDATE states SET status = 'superseded' WHERE workspace = $1 AND name = $2 AND status = 'active'`, [s.workspace, s.name]);
      await sql.query(`UPDATE states SET status = 'active' WHERE state_id = $1`, [s.state_id]);
    }
  });
  await pruneSuperseded(sql);
  return stored;
}

async function insertInstances(sql: Sql, stateId: string, state: ParsedState): Promise<void> {
  for (const json of jsonChunks(stateInstanceRows(state), (row) => `resource ${row.a}`)) {
    await sql.query(
      `INSERT INTO state_instances (state_id, seq, tf_type, address, account, body)
       SELECT $1, seq, t, a, acct, b FROM json_to_recordset($2::json) AS x(seq int, t text, a text, acct text, b jsonb)`,
      [stateId, json],
    );
  }
}

/** Old versions and abandoned imports are dropped with their instances, in one statement. */
async function pruneSuperseded(sql: Sql): Promise<void> {
  const staleImport = new Date(Date.now() - STALE_IMPORT_MS).toISOString();
  await sql.query(
    `WITH doomed AS (
       DELETE FROM states WHERE status = 'superseded' OR (status = 'importing' AND imported_at < $1) RETURNING state_id)
     DELETE FROM state_instances WHERE state_id IN (SELECT state_id FROM doomed)`,
    [staleImport],
  );
}

export async function listActiveStates(sql: Sql): Promise<StoredState[]> {
  const { rows } = await sql.query<StoredState>(`SELECT ${STATE_COLUMNS} FROM states WHERE status = 'active' ORDER BY workspace, name`);
  return rows;
}

/** The active states and their wanted instances in two queries, however many states there are. */
export async function loadActiveStates(sql: Sql, filter: StateFilter = {}): Promise<ParsedState[]> {
  const states = await listActiveStates(sql);
  const { rows } = await sql.query<{ state_id: string; body: StateInstance }>(
    `SELECT state_id, body FROM state_instances
     WHERE state_id = ANY($1::text[]) AND ($2::text[] IS NULL OR tf_type = ANY($2::text[]))
       AND ($3::text IS NULL OR account IS NULL OR account = $3) ORDER BY state_id, seq`,
    [states.map((s) => s.state_id), filter.tfTypes ? [...filter.tfTypes] : null, filter.account?.toLowerCase() ?? null],
  );
  const byState = Map.groupBy(rows, (r) => r.state_id);
  return states.map((s) => parsedStateOf(s, (byState.get(s.state_id) ?? []).map((r) => r.body)));
}

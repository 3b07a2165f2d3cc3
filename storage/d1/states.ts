import type { ParsedState, StateInstance } from '../../engine/index.js';
import { newStoredStates, parsedStateOf, STALE_IMPORT_MS, stateInstanceRows } from '../rows.js';
import type { StateFilter, StoredState } from '../store.js';
import { legacyJsonRowStatements as jsonRowStatements, runNativeInBatches as runInBatches } from './batching.js';

/**
 * Stores parsed states of a workspace. Instances are written first under states that are
 * still `importing`; one final atomic batch makes them active and supersedes the previous
 * versions, so a failed import leaves the old states exactly as they were.
 */
export async function saveStates(db: D1Database, workspace: string, parsed: ParsedState[]): Promise<StoredState[]> {
  const importedAt = new Date().toISOString();
  const stored = newStoredStates(workspace, parsed, importedAt);
  await db.batch(
    stored.map((s) =>
      db
        .prepare(
          `INSERT INTO states (state_id, workspace, name, status, version, terraform_version, serial, lineage, instances,
                               data_sources_skipped, imported_at)
           VALUES (?, ?, ?, 'importing', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(s.state_id, s.workspace, s.name, s.version, s.terraform_version, s.serial, s.lineage, s.instances, s.data_sources_skipped, s.imported_at),
    ),
  );
  await runInBatches(db, stored.flatMap((s, i) => instanceInserts(db, s.state_id, parsed[i]!)));
  await db.batch(
    stored.flatMap((s) => [
      db.prepare(`UPDATE states SET status = 'superseded' WHERE workspace = ? AND name = ? AND status = 'active'`).bind(s.workspace, s.name),
      db.prepare(`UPDATE states SET status = 'active' WHERE state_id = ?`).bind(s.state_id),
    ]),
  );
  await pruneSuperseded(db);
  return stored;
}

function instanceInserts(db: D1Database, stateId: string, state: ParsedState) {
  return jsonRowStatements(
    stateInstanceRows(state),
    (row) => `resource ${row.a}`,
    (json) =>
      db
        .prepare(
          `INSERT INTO state_instances (state_id, seq, tf_type, address, account, body)
           SELECT ?1, value ->> '$.seq', value ->> '$.t', value ->> '$.a', value ->> '$.acct', value -> '$.b' FROM json_each(?2)`,
        )
        .bind(stateId, json),
  );
}

/** Old versions and abandoned imports are dropped; their instances are never read again. */
async function pruneSuperseded(db: D1Database): Promise<void> {
  const staleImport = new Date(Date.now() - STALE_IMPORT_MS).toISOString();
  const doomed = `SELECT state_id FROM states WHERE status = 'superseded' OR (status = 'importing' AND imported_at < ?)`;
  await db.batch([
    db.prepare(`DELETE FROM state_instances WHERE state_id IN (${doomed})`).bind(staleImport),
    db.prepare(`DELETE FROM states WHERE state_id IN (${doomed})`).bind(staleImport),
  ]);
}

export async function listActiveStates(db: D1Database): Promise<StoredState[]> {
  const { results } = await db
    .prepare(
      `SELECT state_id, workspace, name, version, terraform_version, serial, lineage, instances, data_sources_skipped, imported_at
       FROM states WHERE status = 'active' ORDER BY workspace, name`,
    )
    .all<StoredState>();
  return results;
}

export async function loadActiveStates(db: D1Database, filter: StateFilter = {}): Promise<ParsedState[]> {
  const parsed: ParsedState[] = [];
  const byAccount = filter.account === undefined ? '' : 'AND (account IS NULL OR account = ?)';
  for (const s of await listActiveStates(db)) {
    const { results } = await db
      .prepare(`SELECT tf_type, body FROM state_instances WHERE state_id = ? ${byAccount} ORDER BY seq`)
      .bind(s.state_id, ...(filter.account === undefined ? [] : [filter.account.toLowerCase()]))
      .all<{ tf_type: string; body: string }>();
    const { tfTypes } = filter;
    const wanted = tfTypes ? results.filter((r) => tfTypes.has(r.tf_type)) : results;
    parsed.push(parsedStateOf(s, wanted.map((r) => JSON.parse(r.body) as StateInstance)));
  }
  return parsed;
}

/** One forward step of a Durable Object's SQLite schema. */
export interface Migration {
  version: number;
  sql: string;
}

export interface VersionedSchema {
  /** In ascending version order; a released migration is never edited, only followed by a new one. */
  migrations: readonly Migration[];
  /**
   * A table that objects of the release before versioning created without recording a version:
   * finding it with no version row means the storage is at version 1. Absent for a class that
   * was versioned from its first release.
   */
  unversionedTable?: string;
}

/** The version the last migration brings storage to. */
export function latestVersion(schema: VersionedSchema): number {
  return schema.migrations.at(-1)?.version ?? 0;
}

/**
 * Brings the object's storage up to the latest version: applies each migration newer than the
 * recorded version once, in order, each in its own transaction together with the version it
 * reaches, so a failure leaves storage at the last complete version. Returns that version.
 * Call it from the constructor under blockConcurrencyWhile, before any request sees the tables.
 */
export function migrate(storage: DurableObjectStorage, schema: VersionedSchema): number {
  assertAscending(schema.migrations);
  let version = storage.transactionSync(() => recordedVersion(storage.sql, schema));
  for (const m of schema.migrations) {
    if (m.version <= version) continue;
    storage.transactionSync(() => {
      storage.sql.exec(m.sql);
      storage.sql.exec(`UPDATE _schema SET version = ?`, m.version);
    });
    version = m.version;
  }
  return version;
}

/** The stored version; on first sight of an object, 0 (empty) or 1 (written before versioning). */
function recordedVersion(sql: SqlStorage, schema: VersionedSchema): number {
  sql.exec(`CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)`);
  const row = sql.exec<{ version: number }>(`SELECT version FROM _schema`).toArray()[0];
  if (row) return row.version;
  const unversioned =
    schema.unversionedTable !== undefined &&
    sql.exec(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`, schema.unversionedTable).toArray()
      .length > 0;
  const version = unversioned ? 1 : 0;
  sql.exec(`INSERT INTO _schema (version) VALUES (?)`, version);
  return version;
}

/** Versions must rise strictly from 1, or "applied once, in order" means nothing. */
function assertAscending(migrations: readonly Migration[]): void {
  migrations.reduce((previous, m) => {
    if (m.version <= previous) throw new Error(`migration ${m.version} is out of order`);
    return m.version;
  }, 0);
}

import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SLOT_COUNT } from '../engine/index.js';
import { DRIFT_PART_SPAN } from '../storage/store.js';
import { summary } from '../test/support/worker/stores.js';
import type { JobCoordinator } from './job-coordinator.js';
import { JOB_SCHEMA } from './job-schema.js';
import { Shards } from './shards.js';
import { latestVersion, migrate, type VersionedSchema } from './sqlite-migrations.js';
import { UnclaimedShards } from './unclaimed.js';

const coordinator = (name: string) => env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(name));

/** The tables exactly as the release before versioning created them on every start. */
const PREVIOUS_RELEASE_TABLES = `
CREATE TABLE IF NOT EXISTS job (
  id INTEGER PRIMARY KEY CHECK (id = 1), spec TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, finished_at INTEGER, error TEXT, next_shard INTEGER NOT NULL, analysis TEXT);
CREATE TABLE IF NOT EXISTS shards (
  shard_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, work TEXT NOT NULL,
  status TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, lease_id TEXT, agent_id TEXT, lease_expires_at INTEGER,
  not_before INTEGER NOT NULL DEFAULT 0, resources INTEGER NOT NULL DEFAULT 0, last_error TEXT, parent_shard_id TEXT);
CREATE INDEX IF NOT EXISTS shards_ready_idx ON shards (status, account, seq);
CREATE INDEX IF NOT EXISTS shards_lease_idx ON shards (status, lease_expires_at);
CREATE TABLE IF NOT EXISTS chunks (
  shard_id TEXT NOT NULL, attempt INTEGER NOT NULL, sequence INTEGER NOT NULL, resources INTEGER NOT NULL,
  parts INTEGER NOT NULL, PRIMARY KEY (shard_id, attempt, sequence));
CREATE TABLE IF NOT EXISTS persisted_parts (
  shard_id TEXT NOT NULL, attempt INTEGER NOT NULL, sequence INTEGER NOT NULL, part INTEGER NOT NULL,
  PRIMARY KEY (shard_id, attempt, sequence, part));
CREATE TABLE IF NOT EXISTS analysis_parts (
  account TEXT PRIMARY KEY, part INTEGER NOT NULL, sent_at INTEGER NOT NULL DEFAULT 0, summary TEXT, duplicates TEXT);
`;

const LEGACY_SPEC = {
  job_id: 'job-legacy',
  provider: 'aws',
  accounts: ['111111111111'],
  regions: ['us-east-1', 'eu-west-1'],
  resource_types: ['AWS::EC2::Instance'],
  mode: 'full',
  sharding: { type: 'region', shard_size: 500 },
};

/** Replaces the object's storage with what the previous release left: its tables and rows, no version. */
function writePreviousRelease(sql: SqlStorage, leaseExpiresAt: number): void {
  for (const table of ['_schema', 'job', 'shards', 'chunks', 'persisted_parts', 'analysis_parts'])
    sql.exec(`DROP TABLE IF EXISTS ${table}`);
  sql.exec(PREVIOUS_RELEASE_TABLES);
  sql.exec(
    `INSERT INTO job (id, spec, status, created_at, updated_at, next_shard) VALUES (1, ?, 'running', 1000, 2000, 2)`,
    JSON.stringify(LEGACY_SPEC),
  );
  sql.exec(
    `INSERT INTO shards (shard_id, seq, account, region, work, status, attempt, lease_id, agent_id, lease_expires_at)
     VALUES ('job-legacy-0', 0, '111111111111', 'us-east-1', ?, 'leased', 1, 'lease-old', 'agent-old', ?)`,
    JSON.stringify([{ type: 'AWS::EC2::Instance', region: 'us-east-1' }]),
    leaseExpiresAt,
  );
  sql.exec(
    `INSERT INTO shards (shard_id, seq, account, region, work, status) VALUES ('job-legacy-1', 1, '111111111111', 'eu-west-1', ?, 'pending')`,
    JSON.stringify([{ type: 'AWS::EC2::Instance', region: 'eu-west-1', cursor: 'page-2' }]),
  );
  sql.exec(`INSERT INTO chunks (shard_id, attempt, sequence, resources, parts) VALUES ('job-legacy-0', 1, 0, 7, 1)`);
}

/** Every table and index with its definition, whitespace aside, to compare two objects' schemas. */
function schemaOf(sql: SqlStorage): string[] {
  return sql
    .exec<{ type: string; name: string; sql: string | null }>(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'`,
    )
    .toArray()
    .map((r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1')}`)
    .sort();
}

const versionOf = (sql: SqlStorage) => sql.exec<{ version: number }>(`SELECT version FROM _schema`).toArray();

describe('job coordinator schema versions', () => {
  it('opens an object the previous release wrote: its rows read back and its schema is brought to the current version', async () => {
    const stub = coordinator('legacy-object');
    await runInDurableObject(stub, (_: JobCoordinator, state) =>
      writePreviousRelease(state.storage.sql, Date.now() + 60_000),
    );
    await evictDurableObject(stub);

    const detail = await stub.detail();
    expect(detail).toMatchObject({
      ok: true,
      value: { job_id: 'job-legacy', status: 'running', regions: LEGACY_SPEC.regions, sharding: LEGACY_SPEC.sharding },
    });
    const shards = detail.ok ? detail.value.shards : [];
    expect(shards.map((s) => [s.shard_id, s.status, s.attempts, s.agent_id])).toEqual([
      ['job-legacy-0', 'leased', 1, 'agent-old'],
      ['job-legacy-1', 'pending', 0, null],
    ]);
    // The old lease still fences its shard, and its stored chunk still counts toward completion.
    expect((await stub.heartbeat('job-legacy-0', 'lease-old')).ok).toBe(true);
    expect(await stub.beginChunk('job-legacy-0', 'lease-old', 0)).toMatchObject({
      ok: true,
      value: { duplicate: true, attempt: 1 },
    });
    const outcome = await stub.leaseShard({
      agent_id: 'agent-new',
      provider: 'aws',
      account: '111111111111',
      wait_seconds: 0,
    });
    expect(outcome).toMatchObject({
      kind: 'leased',
      lease: {
        shard_id: 'job-legacy-1',
        attempt: 1,
        work: [{ type: 'AWS::EC2::Instance', region: 'eu-west-1', cursor: 'page-2' }],
      },
    });
    const done = await stub.complete('job-legacy-0', { lease_id: 'lease-old', resource_count: 7 });
    expect(done).toMatchObject({ ok: true, value: { status: 'succeeded' } });

    const [upgraded, fresh] = await Promise.all([
      runInDurableObject(stub, (_: JobCoordinator, state) => ({
        version: versionOf(state.storage.sql),
        schema: schemaOf(state.storage.sql),
      })),
      runInDurableObject(coordinator('fresh-object'), (_: JobCoordinator, state) => schemaOf(state.storage.sql)),
    ]);
    expect(upgraded.version).toEqual([{ version: latestVersion(JOB_SCHEMA) }]);
    // Upgraded and newly created objects end with the same tables and indexes.
    expect(upgraded.schema).toEqual(fresh);
    expect(fresh.some((s) => s.startsWith('index shards_retry_idx'))).toBe(true);
  });

  it('version 3 starts the waits of rows an older release wrote at the upgrade, so none is overdue at once', async () => {
    const stub = coordinator('legacy-waits');
    await runInDurableObject(stub, (_: JobCoordinator, state) => {
      writePreviousRelease(state.storage.sql, Date.now() + 60_000);
      state.storage.sql.exec(
        `INSERT INTO analysis_parts (account, part, sent_at) VALUES ('111111111111', 0, 5000), ('222222222222', 1, 0)`,
      );
    });
    const upgradedAt = Date.now();
    await evictDurableObject(stub);
    const waits = await runInDurableObject(stub, async (instance: JobCoordinator, state) => {
      const sql = state.storage.sql;
      await instance.alarm();
      return {
        readyAt: sql.exec<{ t: number }>(`SELECT MIN(ready_at) AS t FROM shards`).one().t,
        committedAt: sql.exec<{ t: number }>(`SELECT MIN(committed_at) AS t FROM chunks`).one().t,
        sends: sql
          .exec<{ sends: number }>(`SELECT sends FROM analysis_parts WHERE stage = 'data' ORDER BY part`)
          .toArray()
          .map((r) => r.sends),
      };
    });
    expect(waits.readyAt).toBeGreaterThanOrEqual(upgradedAt);
    expect(waits.committedAt).toBeGreaterThanOrEqual(upgradedAt);
    // A part sent before the upgrade counts as sent once.
    expect(waits.sends).toEqual([1, 0]);
    expect(await stub.detail()).toMatchObject({ ok: true, value: { status: 'running', error: null } });
  });

  it('version 6 keeps an analysis under way: each account part becomes a data part of every slot, one not done gets a close, and the job completes with both', async () => {
    const stub = coordinator('legacy-parts');
    const done = { ...summary(1, 2, 3), resolved: 4 };
    const duplicate = { tf_type: 'aws_vpc', id: 'vpc-1', addresses: [{ source: 's', address: 'a' }] };
    await runInDurableObject(stub, (_: JobCoordinator, state) => {
      const sql = state.storage.sql;
      writePreviousRelease(sql, Date.now() + 60_000);
      sql.exec(`UPDATE job SET status = 'analyzing'`);
      sql.exec(`UPDATE shards SET status = 'succeeded', lease_id = NULL, lease_expires_at = NULL`);
      sql.exec(
        `INSERT INTO analysis_parts (account, part, sent_at, summary, duplicates) VALUES ('111111111111', 0, 5000, ?, ?)`,
        JSON.stringify(done),
        JSON.stringify([duplicate]),
      );
      sql.exec(`INSERT INTO analysis_parts (account, part, sent_at) VALUES ('222222222222', 1, ?)`, Date.now());
    });
    await evictDurableObject(stub);

    const rows = await runInDurableObject(stub, (_: JobCoordinator, state) =>
      state.storage.sql
        .exec(`SELECT account, stage, part, slot_from, slot_to, done FROM analysis_parts ORDER BY id`)
        .toArray(),
    );
    const every = { slot_from: 0, slot_to: SLOT_COUNT - 1 };
    expect(rows).toEqual([
      { account: '111111111111', stage: 'data', part: 0, ...every, done: 1 },
      { account: '222222222222', stage: 'data', part: 1, ...every, done: 0 },
      { account: '222222222222', stage: 'close', part: null, ...every, done: 0 },
    ]);
    // A message of the release before parts names only the account: its part is found by it.
    const input = await stub.analysisInput('222222222222');
    expect(input).toMatchObject({
      ok: true,
      value: { part: { stage: 'data', done: false, firstSeq: DRIFT_PART_SPAN } },
    });
    const dataPart = input.ok ? input.value.part.id : -1;
    expect(input.ok && input.value.context).toBeNull();
    expect((await stub.recordAnalysisPart(dataPart, summary(5, 0, 0), [])).ok).toBe(true);
    expect(await stub.summary()).toMatchObject({ ok: true, value: { status: 'analyzing' } });
    const close = (await stub.analysisInput('222222222222', dataPart + 1)) as {
      ok: true;
      value: { part: { id: number; stage: string } };
    };
    expect(close.value.part.stage).toBe('close');
    await stub.recordAnalysisPart(close.value.part.id, { ...summary(0, 0, 0), state_resources: 0, resolved: 2 }, []);
    const completed = await stub.detail();
    expect(completed).toMatchObject({ ok: true, value: { status: 'completed' } });
    expect(completed.ok && completed.value.analysis).toMatchObject({ changed: 6, missing: 2, unmanaged: 3 });
    const stored = await env.DB.prepare(`SELECT summary, duplicates FROM analyses WHERE job_id = 'job-legacy'`).first<{
      summary: string;
      duplicates: string;
    }>();
    expect(JSON.parse(stored!.summary)).toMatchObject({ changed: 6, resolved: 6 });
    expect(JSON.parse(stored!.duplicates)).toEqual([duplicate]);
  });

  it('a new object starts at the current version', async () => {
    const version = await runInDurableObject(coordinator('new-object'), (_: JobCoordinator, state) =>
      versionOf(state.storage.sql),
    );
    expect(version).toEqual([{ version: latestVersion(JOB_SCHEMA) }]);
  });

  it('constructing the object again applies no migration twice', async () => {
    const stub = coordinator('reopened-object');
    await runInDurableObject(stub, (_: JobCoordinator, state) =>
      writePreviousRelease(state.storage.sql, Date.now() + 60_000),
    );
    await evictDurableObject(stub);
    expect((await stub.detail()).ok).toBe(true);
    // Version 2's CREATE INDEX has no IF NOT EXISTS: applying it again would make this construction throw.
    await evictDurableObject(stub);
    expect((await stub.detail()).ok).toBe(true);
    const version = await runInDurableObject(stub, (_: JobCoordinator, state) => versionOf(state.storage.sql));
    expect(version).toEqual([{ version: latestVersion(JOB_SCHEMA) }]);
  });
});

describe('migrate', () => {
  /** The job schema followed by a synthetic later version. */
  const withLater = (sql: string): VersionedSchema => ({
    ...JOB_SCHEMA,
    migrations: [...JOB_SCHEMA.migrations, { version: latestVersion(JOB_SCHEMA) + 1, sql }],
  });

  it('applies a later version once, in order after the ones already applied', async () => {
    const later = withLater(
      `CREATE TABLE probe (n INTEGER); INSERT INTO probe (n) SELECT COUNT(*) FROM sqlite_master WHERE name = 'shards_retry_idx'`,
    );
    const result = await runInDurableObject(coordinator('migrate-later'), (_: JobCoordinator, state) => {
      const versions = [migrate(state.storage, later), migrate(state.storage, later)];
      return { versions, probe: state.storage.sql.exec<{ n: number }>(`SELECT n FROM probe`).toArray() };
    });
    expect(result.versions).toEqual([latestVersion(later), latestVersion(later)]);
    // One row: applied once, after version 2 had created its index.
    expect(result.probe).toEqual([{ n: 1 }]);
  });

  it('a migration that fails leaves storage at the last version that completed', async () => {
    const broken = withLater(`CREATE TABLE half_done (n INTEGER); INSERT INTO no_such_table VALUES (1)`);
    const result = await runInDurableObject(coordinator('migrate-broken'), (_: JobCoordinator, state) => {
      expect(() => migrate(state.storage, broken)).toThrow(/no_such_table/);
      return {
        version: versionOf(state.storage.sql),
        halfDone: state.storage.sql.exec(`SELECT 1 FROM sqlite_master WHERE name = 'half_done'`).toArray().length,
      };
    });
    expect(result).toEqual({ version: [{ version: latestVersion(JOB_SCHEMA) }], halfDone: 0 });
  });

  it('counts storage with the unversioned table but no version as version 1, and empty storage as 0', async () => {
    const probes: VersionedSchema = {
      unversionedTable: 'job',
      migrations: [
        { version: 1, sql: `CREATE TABLE v1_ran (n INTEGER)` },
        { version: 2, sql: `CREATE TABLE v2_ran (n INTEGER)` },
      ],
    };
    const ran = (sql: SqlStorage) =>
      sql
        .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE name IN ('v1_ran', 'v2_ran') ORDER BY name`)
        .toArray()
        .map((r) => r.name);
    const result = await runInDurableObject(coordinator('migrate-detect'), (_: JobCoordinator, state) => {
      const sql = state.storage.sql;
      sql.exec(`DROP TABLE _schema`);
      const unversioned = { version: migrate(state.storage, probes), ran: ran(sql) };
      for (const { name } of sql
        .exec<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'`)
        .toArray()) {
        sql.exec(`DROP TABLE ${name}`);
      }
      const empty = { version: migrate(state.storage, probes), ran: ran(sql) };
      return { unversioned, empty };
    });
    expect(result.unversioned).toEqual({ version: 2, ran: ['v2_ran'] });
    expect(result.empty).toEqual({ version: 2, ran: ['v1_ran', 'v2_ran'] });
  });

  it('refuses migrations out of order', async () => {
    const unordered: VersionedSchema = { ...JOB_SCHEMA, migrations: [...JOB_SCHEMA.migrations].reverse() };
    await runInDurableObject(coordinator('migrate-unordered'), (_: JobCoordinator, state) => {
      expect(() => migrate(state.storage, unordered)).toThrow(/out of order/);
    });
  });

  /** 300 pending shards, and the result and rows read of `wake`'s last query over them. */
  const wakeOver300Shards = <T>(name: string, wake: (watched: SqlStorage) => T) =>
    runInDurableObject(coordinator(name), (_: JobCoordinator, state) => {
      const sql = state.storage.sql;
      for (let seq = 0; seq < 300; seq++) {
        sql.exec(
          `INSERT INTO shards (shard_id, seq, account, region, work, status) VALUES (?, ?, 'a', 'r', '[]', 'pending')`,
          `s-${seq}`,
          seq,
        );
      }
      sql.exec(`UPDATE shards SET not_before = ? WHERE seq = 7`, Date.now() + 60_000);
      // Keeps the cursor of the capability's own query, to count the rows it read.
      let cursor: SqlStorageCursor<Record<string, SqlStorageValue>> | undefined;
      const watched = {
        exec(query: string, ...bindings: unknown[]) {
          cursor = sql.exec(query, ...bindings);
          return cursor;
        },
      } as unknown as SqlStorage;
      const at = wake(watched);
      return { at, read: cursor?.rowsRead };
    });

  it('the retry-time query reads through version 2’s index, not every pending shard', async () => {
    const rowsRead = await wakeOver300Shards('retry-index', (sql) =>
      new Shards(sql, { maxAttempts: 3, retryBaseSeconds: 0 }).nextWakeAt(Date.now()),
    );
    expect(rowsRead.at).toBeGreaterThan(Date.now());
    expect(rowsRead.read).toBeLessThan(10);
  });

  it('the unclaimed-shard deadline query reads through version 3’s index, not every pending shard', async () => {
    const shards = (sql: SqlStorage) => new Shards(sql, { maxAttempts: 3, retryBaseSeconds: 0 });
    const rowsRead = await wakeOver300Shards('unclaimed-index', (sql) =>
      new UnclaimedShards(sql, shards(sql), 1000).nextWakeAt(),
    );
    expect(rowsRead.at).toBe(1000);
    expect(rowsRead.read).toBeLessThan(10);
  });

  it('the continuation lookup of a shard discovered again reads through version 4’s index, not every shard', async () => {
    const found = await wakeOver300Shards('parent-index', (sql) => {
      sql.exec(`UPDATE shards SET parent_shard_id = 's-7' WHERE seq = 8`);
      return new Shards(sql, { maxAttempts: 3, retryBaseSeconds: 0 }).continuationOf('s-7', []);
    });
    expect(found.at).toBe('s-8');
    expect(found.read).toBeLessThan(10);
  });
});

describe('row decoding', () => {
  it('refuses a row whose JSON does not match its contract schema instead of passing it on', async () => {
    await runInDurableObject(coordinator('corrupt-row'), async (instance: JobCoordinator, state) => {
      writePreviousRelease(state.storage.sql, Date.now() + 60_000);
      migrate(state.storage, JOB_SCHEMA);
      state.storage.sql.exec(`UPDATE shards SET work = '[{"type":""}]' WHERE seq = 1`);
      await expect(instance.detail()).rejects.toThrow(/work/);
    });
  });
});

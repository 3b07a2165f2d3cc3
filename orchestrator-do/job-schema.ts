import type { VersionedSchema } from './sqlite-migrations.js';

/**
 * The job coordinator's SQLite schema, as forward migrations. One object holds one job: its
 * spec (`job`), every shard with its lease and attempts (`shards`), the result chunks accepted
 * per attempt (`chunks`), which parts of them the queue consumer has written
 * (`persisted_parts`), the parts of each account's analysis (`analysis_parts`), and the change
 * numbers (`rev`) the job's event stream resumes from.
 */
export const JOB_SCHEMA: VersionedSchema = {
  // Objects of the release before versioning have these tables but no version.
  unversionedTable: 'job',
  migrations: [
    {
      // The schema as first released, created then on every start with IF NOT EXISTS.
      version: 1,
      sql: `
CREATE TABLE IF NOT EXISTS job (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT,
  next_shard INTEGER NOT NULL,
  analysis TEXT
);
CREATE TABLE IF NOT EXISTS shards (
  shard_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  work TEXT NOT NULL,
  status TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  lease_id TEXT,
  agent_id TEXT,
  lease_expires_at INTEGER,
  not_before INTEGER NOT NULL DEFAULT 0,
  resources INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  parent_shard_id TEXT
);
CREATE INDEX IF NOT EXISTS shards_ready_idx ON shards (status, account, seq);
CREATE INDEX IF NOT EXISTS shards_lease_idx ON shards (status, lease_expires_at);
CREATE TABLE IF NOT EXISTS chunks (
  shard_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  resources INTEGER NOT NULL,
  parts INTEGER NOT NULL,
  PRIMARY KEY (shard_id, attempt, sequence)
);
CREATE TABLE IF NOT EXISTS persisted_parts (
  shard_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  sequence INTEGER NOT NULL,
  part INTEGER NOT NULL,
  PRIMARY KEY (shard_id, attempt, sequence, part)
);
CREATE TABLE IF NOT EXISTS analysis_parts (
  account TEXT PRIMARY KEY,
  part INTEGER NOT NULL,
  sent_at INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  duplicates TEXT
);
`,
    },
    {
      // The alarm asks for the earliest retry time after every lease, heartbeat and settle;
      // without this index that reads every pending shard of the job.
      version: 2,
      sql: `CREATE INDEX shards_retry_idx ON shards (status, not_before);`,
    },
    {
      // Timers that end a job which would otherwise wait forever: a shard nobody leases
      // (ready_at, and leased_at for when its account last had a shard leased), a chunk the
      // consumer never writes (committed_at), an analysis part that never comes back (sends).
      // Rows written before this version start their waits at the upgrade.
      version: 3,
      sql: `
ALTER TABLE shards ADD COLUMN ready_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shards ADD COLUMN leased_at INTEGER;
UPDATE shards SET ready_at = MAX(not_before, CAST(unixepoch('subsec') * 1000 AS INTEGER));
CREATE INDEX shards_unclaimed_idx ON shards (status, ready_at);
ALTER TABLE chunks ADD COLUMN committed_at INTEGER NOT NULL DEFAULT 0;
UPDATE chunks SET committed_at = CAST(unixepoch('subsec') * 1000 AS INTEGER);
ALTER TABLE analysis_parts ADD COLUMN sends INTEGER NOT NULL DEFAULT 0;
UPDATE analysis_parts SET sends = 1 WHERE sent_at > 0;
`,
    },
    {
      // A shard discovered again after one of its chunks was lost finds the continuation its
      // earlier attempt handed the rest of its work to, instead of planning that work again.
      version: 4,
      sql: `CREATE INDEX shards_parent_idx ON shards (parent_shard_id);`,
    },
    {
      // The job's change number (job.rev) for its event stream: every status change of the job
      // or of a shard takes the next one, and a changed shard keeps it in shards.rev, so a client
      // resuming after change N reads the shards changed since with one index range. Triggers,
      // so no code path that moves a status can forget to count it. Job details page shards in
      // plan order (seq), which needs its own index to read a page without sorting every shard.
      version: 5,
      sql: `
ALTER TABLE job ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shards ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX shards_rev_idx ON shards (rev);
CREATE INDEX shards_seq_idx ON shards (seq);
CREATE TRIGGER shard_status_rev AFTER UPDATE OF status ON shards WHEN NEW.status IS NOT OLD.status
BEGIN
  UPDATE job SET rev = rev + 1 WHERE id = 1;
  UPDATE shards SET rev = (SELECT rev FROM job WHERE id = 1) WHERE shard_id = NEW.shard_id;
END;
CREATE TRIGGER job_status_rev AFTER UPDATE OF status ON job WHEN NEW.status IS NOT OLD.status
BEGIN
  UPDATE job SET rev = rev + 1 WHERE id = 1;
END;
`,
    },
    {
      // An account is analysed in parts (orchestrator-do/analysis-parts.ts): a plan, data parts
      // each holding a range of slots, and a close. A part of an earlier release analysed its
      // whole account: it becomes a data part of every slot (the defaults), and one not done
      // yet gets a close, as parts no longer resolve drift themselves. `done` now says a part
      // is in, as a plan has no summary.
      version: 6,
      sql: `
ALTER TABLE analysis_parts RENAME TO analysis_parts_v5;
CREATE TABLE analysis_parts (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  stage TEXT NOT NULL DEFAULT 'data' CHECK (stage IN ('plan', 'data', 'close')),
  part INTEGER,
  slot_from INTEGER NOT NULL DEFAULT 0,
  slot_to INTEGER NOT NULL DEFAULT 2147483647,
  context TEXT,
  sent_at INTEGER NOT NULL DEFAULT 0,
  sends INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  duplicates TEXT
);
CREATE INDEX analysis_parts_account_idx ON analysis_parts (account, stage, done);
INSERT INTO analysis_parts (account, part, sent_at, sends, done, summary, duplicates)
  SELECT account, part, sent_at, sends, summary IS NOT NULL, summary, duplicates FROM analysis_parts_v5 ORDER BY part;
INSERT INTO analysis_parts (account, stage)
  SELECT account, 'close' FROM analysis_parts_v5 WHERE summary IS NULL ORDER BY part;
DROP TABLE analysis_parts_v5;
`,
    },
  ],
};

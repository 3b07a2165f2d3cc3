/**
 * The job coordinator's own SQLite tables. One object holds one job: its spec, every shard
 * with its lease and attempts, the result chunks accepted per attempt and which parts of
 * them the queue consumer has written to the database.
 */
export const JOB_SCHEMA = `
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
`;

import type { VersionedSchema } from './sqlite-migrations.js';

/**
 * The schedule keeper's SQLite schema, as forward migrations. One row per schedule: what it
 * runs and when (`next_run_at`, null for a cron that never fires again), the outcome of its
 * last runs, and the run in flight (`run_job_id`, `run_started_at`): claimed before the job is
 * started and cleared when its outcome is recorded, so an alarm that died half way finishes
 * that run instead of starting another. Times are epoch milliseconds.
 */
export const SCHEDULE_SCHEMA: VersionedSchema = {
  migrations: [
    {
      version: 1,
      sql: `
CREATE TABLE schedules (
  schedule_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  cron TEXT NOT NULL,
  discovery TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_run_at INTEGER,
  last_run_at INTEGER,
  last_job_id TEXT,
  last_skipped_at INTEGER,
  last_skip_reason TEXT,
  run_job_id TEXT,
  run_started_at INTEGER
);
CREATE INDEX schedules_due_idx ON schedules (next_run_at);
`,
    },
    // Schedules made before tenants are the default tenant's.
    { version: 2, sql: `ALTER TABLE schedules ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';` },
  ],
};

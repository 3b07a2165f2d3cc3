import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import type { SeriesDelta } from '../contract/metrics.js';
import { decodeRows, jsonColumn } from './sql-rows.js';
import { migrate, type VersionedSchema } from './sqlite-migrations.js';

/** One stored series: a counter, or one bucket, sum or count of a histogram, as a running total. */
const SeriesRow = z.object({
  name: z.string(),
  labels: jsonColumn(z.record(z.string(), z.string())),
  value: z.number(),
});
export type StoredSeries = z.output<typeof SeriesRow>;

const METRICS_SCHEMA: VersionedSchema = {
  migrations: [
    {
      version: 1,
      sql: `CREATE TABLE series (name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels));`,
    },
  ],
};

/**
 * The deployment's counters and histogram buckets (one object, named `metrics`). A Worker keeps
 * nothing between requests, so what /metrics counts must live somewhere durable: callers send
 * their increments in batches (one call per shard attempt, job end, consumer batch, or a few
 * seconds of API requests), and each batch is one SQLite write. Series are few (bounded label
 * values), so the scrape reads them all.
 */
export class MetricsKeeper extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, METRICS_SCHEMA));
  }

  /** Adds each amount to its series; the writes of one call are committed together. */
  async add(deltas: SeriesDelta[]): Promise<void> {
    for (const d of deltas) {
      this.ctx.storage.sql.exec(
        `INSERT INTO series (name, labels, value) VALUES (?, ?, ?)
         ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value`,
        d.name,
        labelKey(d.labels),
        d.value,
      );
    }
  }

  async series(): Promise<StoredSeries[]> {
    return decodeRows(
      this.ctx.storage.sql.exec(`SELECT name, labels, value FROM series ORDER BY name, labels`),
      SeriesRow,
    );
  }
}

/** Labels as JSON with sorted keys: one series whatever order a caller listed them in. */
function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

import type { DriftItem, DriftReport, DriftSummary, DuplicateFinding, Severity } from '../../engine/types.js';
import { chunkByJsonSize } from './json-chunks.js';

const ROWS_JSON_BYTES = 90_000;
const STATEMENTS_PER_BATCH = 50;

/**
 * Writes a job's analysis: its items (many rows per statement, see json_each) and its
 * summary. Items of an earlier delivery of the same analysis are replaced, never doubled.
 */
export async function saveAnalysis(db: D1Database, jobId: string, provider: string, report: DriftReport): Promise<void> {
  const rows = report.items.map((item, seq) => ({ seq, item }));
  const inserts = chunkByJsonSize(rows, ROWS_JSON_BYTES, (row, bytes) => {
    throw new Error(`drift item ${row.item.address} is ${bytes} bytes as JSON`);
  }).map((group) =>
    db
      .prepare(
        `INSERT INTO drift_items (job_id, seq, kind, severity, score, provider, account, region, tf_type, cloud_type, address, resource_id, body)
         SELECT ?1, value ->> '$.seq', value ->> '$.item.kind', value ->> '$.item.severity', value ->> '$.item.score',
                value ->> '$.item.provider', value ->> '$.item.account', value ->> '$.item.region', value ->> '$.item.tf_type',
                value ->> '$.item.cloud_type', value ->> '$.item.address', value ->> '$.item.id', value -> '$.item'
         FROM json_each(?2)`,
      )
      .bind(jobId, JSON.stringify(group)),
  );
  await db.prepare(`DELETE FROM drift_items WHERE job_id = ?`).bind(jobId).run();
  for (let i = 0; i < inserts.length; i += STATEMENTS_PER_BATCH) await db.batch(inserts.slice(i, i + STATEMENTS_PER_BATCH));
  await db
    .prepare(
      `INSERT INTO analyses (job_id, provider, mode, summary, duplicates, completed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id) DO UPDATE SET summary = excluded.summary, duplicates = excluded.duplicates, completed_at = excluded.completed_at`,
    )
    .bind(jobId, provider, report.summary.mode, JSON.stringify(report.summary), JSON.stringify(report.duplicates), new Date().toISOString())
    .run();
}

export interface DriftFilter {
  job_id: string;
  kind?: DriftItem['kind'];
  severity?: Severity;
  min_score?: number;
  tf_type?: string;
  account?: string;
  region?: string;
}

/** A page of a job's drift items in report order, from `after` (the last seq seen). */
export async function listDriftItems(db: D1Database, filter: DriftFilter, after: number, limit: number): Promise<{ seq: number; item: DriftItem }[]> {
  const where = ['job_id = ?', 'seq > ?'];
  const binds: unknown[] = [filter.job_id, after];
  const optional: [keyof DriftFilter, string][] = [
    ['kind', 'kind = ?'],
    ['severity', 'severity = ?'],
    ['min_score', 'score >= ?'],
    ['tf_type', 'tf_type = ?'],
    ['account', 'account = ?'],
    ['region', 'region = ?'],
  ];
  for (const [key, clause] of optional) {
    if (filter[key] !== undefined) {
      where.push(clause);
      binds.push(filter[key]);
    }
  }
  const { results } = await db
    .prepare(`SELECT seq, body FROM drift_items WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
    .bind(...binds, limit)
    .all<{ seq: number; body: string }>();
  return results.map((r) => ({ seq: r.seq, item: JSON.parse(r.body) as DriftItem }));
}

export interface StoredAnalysis {
  job_id: string;
  provider: string;
  summary: DriftSummary;
  duplicates: DuplicateFinding[];
  completed_at: string;
}

export async function getAnalysis(db: D1Database, jobId: string): Promise<StoredAnalysis | null> {
  const row = await db
    .prepare(`SELECT job_id, provider, summary, duplicates, completed_at FROM analyses WHERE job_id = ?`)
    .bind(jobId)
    .first<{ job_id: string; provider: string; summary: string; duplicates: string; completed_at: string }>();
  return row ? { ...row, summary: JSON.parse(row.summary) as DriftSummary, duplicates: JSON.parse(row.duplicates) as DuplicateFinding[] } : null;
}

/** The newest analysed job, optionally of one provider. */
export async function latestAnalysedJob(db: D1Database, provider?: string): Promise<string | null> {
  const row = await db
    .prepare(`SELECT job_id FROM analyses ${provider ? 'WHERE provider = ?' : ''} ORDER BY completed_at DESC LIMIT 1`)
    .bind(...(provider ? [provider] : []))
    .first<{ job_id: string }>();
  return row?.job_id ?? null;
}

/** A whole report back from storage, for the report renderers. */
export async function loadReport(db: D1Database, jobId: string): Promise<DriftReport | null> {
  const analysis = await getAnalysis(db, jobId);
  if (!analysis) return null;
  const { results } = await db
    .prepare(`SELECT body FROM drift_items WHERE job_id = ? ORDER BY seq`)
    .bind(jobId)
    .all<{ body: string }>();
  return { summary: analysis.summary, items: results.map((r) => JSON.parse(r.body) as DriftItem), duplicates: analysis.duplicates };
}

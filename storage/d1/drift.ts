import type { Provider } from '../../contract/resource.js';
import type { DriftItem, DriftReport } from '../../engine/index.js';
import { DRIFT_PART_SPAN, type DriftFilter, type StoredAnalysis } from '../store.js';
import { legacyJsonRowStatements as jsonRowStatements, runNativeInBatches as runInBatches } from './batching.js';

export async function saveDriftItems(db: D1Database, jobId: string, firstSeq: number, items: DriftItem[]): Promise<void> {
  const inserts = jsonRowStatements(
    items.map((item, i) => ({ seq: firstSeq + i, item })),
    (row) => `drift item ${row.item.address}`,
    (json) =>
      db
        .prepare(
          `INSERT INTO drift_items (job_id, seq, kind, severity, score, provider, account, region, tf_type, cloud_type, address, resource_id, body)
           SELECT ?1, value ->> '$.seq', value ->> '$.item.kind', value ->> '$.item.severity', value ->> '$.item.score',
                  value ->> '$.item.provider', value ->> '$.item.account', value ->> '$.item.region', value ->> '$.item.tf_type',
                  value ->> '$.item.cloud_type', value ->> '$.item.address', value ->> '$.item.id', value -> '$.item'
           FROM json_each(?2)`,
        )
        .bind(jobId, json),
  );
  await db.prepare(`DELETE FROM drift_items WHERE job_id = ? AND seq >= ? AND seq < ?`).bind(jobId, firstSeq, firstSeq + DRIFT_PART_SPAN).run();
  await runInBatches(db, inserts);
}

export async function saveAnalysisSummary(db: D1Database, a: StoredAnalysis): Promise<void> {
  await db
    .prepare(
      `INSERT INTO analyses (job_id, provider, mode, summary, duplicates, completed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id) DO UPDATE SET summary = excluded.summary, duplicates = excluded.duplicates, completed_at = excluded.completed_at`,
    )
    .bind(a.job_id, a.provider, a.summary.mode, JSON.stringify(a.summary), JSON.stringify(a.duplicates), a.completed_at)
    .run();
}

const FILTER_COLUMNS: [keyof DriftFilter, string][] = [
  ['kind', 'kind = ?'],
  ['severity', 'severity = ?'],
  ['min_score', 'score >= ?'],
  ['tf_type', 'tf_type = ?'],
  ['account', 'account = ?'],
  ['region', 'region = ?'],
];

export async function listDriftItems(db: D1Database, filter: DriftFilter, afterSeq: number, limit: number) {
  const used = FILTER_COLUMNS.filter(([key]) => filter[key] !== undefined);
  const where = ['job_id = ?', 'seq > ?', ...used.map(([, clause]) => clause)].join(' AND ');
  const { results } = await db
    .prepare(`SELECT seq, body FROM drift_items WHERE ${where} ORDER BY seq LIMIT ?`)
    .bind(filter.job_id, afterSeq, ...used.map(([key]) => filter[key]), limit)
    .all<{ seq: number; body: string }>();
  return results.map((r) => ({ seq: r.seq, item: JSON.parse(r.body) as DriftItem }));
}

interface AnalysisRow {
  job_id: string;
  provider: Provider;
  summary: string;
  duplicates: string;
  completed_at: string;
}

const ANALYSIS_COLUMNS = 'job_id, provider, summary, duplicates, completed_at';

function analysisOf(row: AnalysisRow): StoredAnalysis {
  return { ...row, summary: JSON.parse(row.summary), duplicates: JSON.parse(row.duplicates) };
}

export async function getAnalysis(db: D1Database, jobId: string): Promise<StoredAnalysis | null> {
  const row = await db.prepare(`SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE job_id = ?`).bind(jobId).first<AnalysisRow>();
  return row ? analysisOf(row) : null;
}

/** The newest analysis of each provider. */
export async function latestAnalyses(db: D1Database): Promise<StoredAnalysis[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ANALYSIS_COLUMNS} FROM analyses a
       WHERE completed_at = (SELECT MAX(completed_at) FROM analyses b WHERE b.provider = a.provider) ORDER BY provider`,
    )
    .all<AnalysisRow>();
  return results.map(analysisOf);
}

export async function latestAnalysedJob(db: D1Database, provider?: Provider): Promise<string | null> {
  const row = await db
    .prepare(`SELECT job_id FROM analyses ${provider ? 'WHERE provider = ?' : ''} ORDER BY completed_at DESC LIMIT 1`)
    .bind(...(provider ? [provider] : []))
    .first<{ job_id: string }>();
  return row?.job_id ?? null;
}

export async function loadReport(db: D1Database, jobId: string): Promise<DriftReport | null> {
  const analysis = await getAnalysis(db, jobId);
  if (!analysis) return null;
  const { results } = await db.prepare(`SELECT body FROM drift_items WHERE job_id = ? ORDER BY seq`).bind(jobId).all<{ body: string }>();
  return { summary: analysis.summary, items: results.map((r) => JSON.parse(r.body) as DriftItem), duplicates: analysis.duplicates };
}

export async function analysesBetween(db: D1Database, since: string, until: string, provider?: Provider): Promise<StoredAnalysis[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE completed_at >= ? AND completed_at <= ? ${provider ? 'AND provider = ?' : ''}
       ORDER BY completed_at`,
    )
    .bind(since, until, ...(provider ? [provider] : []))
    .all<AnalysisRow>();
  return results.map(analysisOf);
}

export async function loadFingerprints(db: D1Database, provider: Provider): Promise<Record<string, string>> {
  const { results } = await db.prepare(`SELECT key, fingerprint FROM fingerprints WHERE provider = ?`).bind(provider).all<{ key: string; fingerprint: string }>();
  return Object.fromEntries(results.map((r) => [r.key, r.fingerprint]));
}

export async function saveFingerprints(db: D1Database, provider: Provider, fingerprints: Record<string, string>): Promise<void> {
  const statements = jsonRowStatements(
    Object.entries(fingerprints),
    ([key]) => `fingerprint ${key}`,
    (json) =>
      db
        .prepare(
          `INSERT INTO fingerprints (provider, key, fingerprint) SELECT ?1, value ->> '$[0]', value ->> '$[1]' FROM json_each(?2) WHERE true
           ON CONFLICT (provider, key) DO UPDATE SET fingerprint = excluded.fingerprint`,
        )
        .bind(provider, json),
  );
  await runInBatches(db, statements);
}

export async function pruneDriftDetail(db: D1Database, before: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT job_id FROM analyses WHERE completed_at < ? AND job_id IN (SELECT DISTINCT job_id FROM drift_items)`)
    .bind(before)
    .all<{ job_id: string }>();
  const jobs = results.map((r) => r.job_id);
  if (jobs.length > 0) await db.prepare(`DELETE FROM drift_items WHERE job_id IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(jobs)).run();
  return jobs;
}

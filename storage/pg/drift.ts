import type { Provider } from '../../contract/resource.js';
import type { DriftItem, DriftReport } from '../../engine/index.js';
import { DRIFT_PART_SPAN, type DriftFilter, type StoredAnalysis } from '../store.js';
import { inTransaction, type Sql } from './connection.js';
import { Binds, jsonChunks } from './rows.js';

/** Replaces one part of a job's drift items in one transaction: readers see the old part or the new, never a mix. */
export async function saveDriftItems(sql: Sql, jobId: string, firstSeq: number, items: DriftItem[]): Promise<void> {
  const chunks = jsonChunks(items.map((item, i) => ({ seq: firstSeq + i, item })), (row) => `drift item ${row.item.address}`);
  await inTransaction(sql, async () => {
    await sql.query(`DELETE FROM drift_items WHERE job_id = $1 AND seq >= $2 AND seq < $3`, [jobId, firstSeq, firstSeq + DRIFT_PART_SPAN]);
    for (const json of chunks) {
      await sql.query(
        `INSERT INTO drift_items (job_id, seq, kind, severity, score, provider, account, region, tf_type, cloud_type, address, resource_id, body)
         SELECT $1, (e ->> 'seq')::int, e -> 'item' ->> 'kind', e -> 'item' ->> 'severity', (e -> 'item' ->> 'score')::float8,
                e -> 'item' ->> 'provider', e -> 'item' ->> 'account', e -> 'item' ->> 'region', e -> 'item' ->> 'tf_type',
                e -> 'item' ->> 'cloud_type', e -> 'item' ->> 'address', e -> 'item' ->> 'id', e -> 'item'
         FROM jsonb_array_elements($2::jsonb) AS e`,
        [jobId, json],
      );
    }
  });
}

export async function saveAnalysisSummary(sql: Sql, a: StoredAnalysis): Promise<void> {
  await sql.query(
    `INSERT INTO analyses (job_id, provider, mode, summary, duplicates, completed_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
     ON CONFLICT (job_id) DO UPDATE SET summary = excluded.summary, duplicates = excluded.duplicates, completed_at = excluded.completed_at`,
    [a.job_id, a.provider, a.summary.mode, JSON.stringify(a.summary), JSON.stringify(a.duplicates), a.completed_at],
  );
}

export async function listDriftItems(sql: Sql, filter: DriftFilter, afterSeq: number, limit: number) {
  const b = new Binds();
  const where = b.where([
    [filter.job_id, () => `job_id = ${b.add(filter.job_id)}`],
    [afterSeq, () => `seq > ${b.add(afterSeq)}`],
    [filter.kind, () => `kind = ${b.add(filter.kind)}`],
    [filter.severity, () => `severity = ${b.add(filter.severity)}`],
    [filter.min_score, () => `score >= ${b.add(filter.min_score)}`],
    [filter.tf_type, () => `tf_type = ${b.add(filter.tf_type)}`],
    [filter.account, () => `account = ${b.add(filter.account)}`],
    [filter.region, () => `region = ${b.add(filter.region)}`],
  ]);
  const { rows } = await sql.query<{ seq: number; body: DriftItem }>(
    `SELECT seq, body FROM drift_items ${where} ORDER BY seq LIMIT ${b.add(limit)}`,
    b.values,
  );
  return rows.map((r) => ({ seq: r.seq, item: r.body }));
}

const ANALYSIS_COLUMNS = 'job_id, provider, summary, duplicates, completed_at';

export async function getAnalysis(sql: Sql, jobId: string): Promise<StoredAnalysis | null> {
  const { rows } = await sql.query<StoredAnalysis>(`SELECT ${ANALYSIS_COLUMNS} FROM analyses WHERE job_id = $1`, [jobId]);
  return rows[0] ?? null;
}

/** The newest analysis of each provider. */
export async function latestAnalyses(sql: Sql): Promise<StoredAnalysis[]> {
  const { rows } = await sql.query<StoredAnalysis>(
    `SELECT ${ANALYSIS_COLUMNS} FROM analyses a
     WHERE completed_at = (SELECT MAX(completed_at) FROM analyses b WHERE b.provider = a.provider) ORDER BY provider`,
  );
  return rows;
}

export async function latestAnalysedJob(sql: Sql, provider?: Provider): Promise<string | null> {
  const b = new Binds();
  const where = b.where([[provider, () => `provider = ${b.add(provider)}`]]);
  const { rows } = await sql.query<{ job_id: string }>(`SELECT job_id FROM analyses ${where} ORDER BY completed_at DESC LIMIT 1`, b.values);
  return rows[0]?.job_id ?? null;
}

export async function loadReport(sql: Sql, jobId: string): Promise<DriftReport | null> {
  const analysis = await getAnalysis(sql, jobId);
  if (!analysis) return null;
  const { rows } = await sql.query<{ body: DriftItem }>(`SELECT body FROM drift_items WHERE job_id = $1 ORDER BY seq`, [jobId]);
  return { summary: analysis.summary, items: rows.map((r) => r.body), duplicates: analysis.duplicates };
}

export async function analysesBetween(sql: Sql, since: string, until: string, provider?: Provider): Promise<StoredAnalysis[]> {
  const b = new Binds();
  const where = b.where([
    [since, () => `completed_at >= ${b.add(since)}`],
    [until, () => `completed_at <= ${b.add(until)}`],
    [provider, () => `provider = ${b.add(provider)}`],
  ]);
  const { rows } = await sql.query<StoredAnalysis>(`SELECT ${ANALYSIS_COLUMNS} FROM analyses ${where} ORDER BY completed_at`, b.values);
  return rows;
}

export async function loadFingerprints(sql: Sql, provider: Provider): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ key: string; fingerprint: string }>(`SELECT key, fingerprint FROM fingerprints WHERE provider = $1`, [provider]);
  return Object.fromEntries(rows.map((r) => [r.key, r.fingerprint]));
}

export async function saveFingerprints(sql: Sql, provider: Provider, fingerprints: Record<string, string>): Promise<void> {
  for (const json of jsonChunks(Object.entries(fingerprints), ([key]) => `fingerprint ${key}`)) {
    await sql.query(
      `INSERT INTO fingerprints (provider, key, fingerprint) SELECT $1, e ->> 0, e ->> 1 FROM json_array_elements($2::json) AS e
       ON CONFLICT (provider, key) DO UPDATE SET fingerprint = excluded.fingerprint`,
      [provider, json],
    );
  }
}

/** Finds and deletes the old detail in one statement. */
export async function pruneDriftDetail(sql: Sql, before: string): Promise<string[]> {
  const { rows } = await sql.query<{ job_id: string }>(
    `WITH pruned AS (
       SELECT job_id FROM analyses a WHERE completed_at < $1 AND EXISTS (SELECT 1 FROM drift_items d WHERE d.job_id = a.job_id)),
     deleted AS (DELETE FROM drift_items WHERE job_id IN (SELECT job_id FROM pruned))
     SELECT job_id FROM pruned`,
    [before],
  );
  return rows.map((r) => r.job_id);
}

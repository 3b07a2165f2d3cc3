import { drizzle } from 'drizzle-orm/d1';
import type { IgnoreRules } from '../../contract/ignore.js';
import type { DeadLetter, OperationalCounts, Store } from '../store.js';
import type { D1Db } from './batching.js';
import * as drift from './drift.js';
import * as inventory from './inventory.js';
import * as jobs from './jobs.js';
import * as states from './states.js';

/** The Store on Cloudflare D1, the default. */
export class D1Store implements Store {
  readonly kind = 'd1' as const;

  private readonly orm: D1Db;

  constructor(private readonly db: D1Database) {
    this.orm = drizzle(db);
  }

  async ping() {
    await this.db.prepare('SELECT 1').first();
  }

  indexJob: Store['indexJob'] = (spec, createdAt) => jobs.indexJob(this.orm, spec, createdAt);
  updateJobIndex: Store['updateJobIndex'] = (u) => jobs.updateJobIndex(this.orm, u);
  listJobs: Store['listJobs'] = (q) => jobs.listJobs(this.orm, q);
  jobExists: Store['jobExists'] = (id) => jobs.jobExists(this.orm, id);
  openJobsForAccount: Store['openJobsForAccount'] = (p, a) => jobs.openJobsForAccount(this.orm, p, a);
  recordAgent: Store['recordAgent'] = (p, a, id, at) => jobs.recordAgent(this.orm, p, a, id, at);
  accountsSeenSince: Store['accountsSeenSince'] = (p, since) => jobs.accountsSeenSince(this.orm, p, since);

  upsertResources: Store['upsertResources'] = (batches, seenAt) => inventory.upsertResources(this.orm, batches, seenAt);
  restoreResources: Store['restoreResources'] = (rows) => inventory.restoreResources(this.orm, rows);
  loadInventory: Store['loadInventory'] = (jobId, account) => inventory.loadInventory(this.orm, jobId, account);
  listResources: Store['listResources'] = (q) => inventory.listResources(this.orm, q);
  refreshResourceCounts: Store['refreshResourceCounts'] = () => inventory.refreshResourceCounts(this.orm);
  resourceCounts: Store['resourceCounts'] = () => inventory.resourceCounts(this.orm);
  pruneStaleResources: Store['pruneStaleResources'] = (before) => inventory.pruneStaleResources(this.orm, before);

  saveStates: Store['saveStates'] = (workspace, parsed) => states.saveStates(this.orm, workspace, parsed);
  listActiveStates: Store['listActiveStates'] = () => states.listActiveStates(this.orm);
  loadActiveStates: Store['loadActiveStates'] = (types) => states.loadActiveStates(this.orm, types);

  saveDriftItems: Store['saveDriftItems'] = (jobId, firstSeq, items) => drift.saveDriftItems(this.orm, jobId, firstSeq, items);
  saveAnalysisSummary: Store['saveAnalysisSummary'] = (analysis) => drift.saveAnalysisSummary(this.orm, analysis);
  listDriftItems: Store['listDriftItems'] = (f, after, limit) => drift.listDriftItems(this.orm, f, after, limit);
  getAnalysis: Store['getAnalysis'] = (jobId) => drift.getAnalysis(this.orm, jobId);
  latestAnalyses: Store['latestAnalyses'] = () => drift.latestAnalyses(this.orm);
  latestAnalysedJob: Store['latestAnalysedJob'] = (p) => drift.latestAnalysedJob(this.orm, p);
  loadReport: Store['loadReport'] = (jobId) => drift.loadReport(this.orm, jobId);
  analysesBetween: Store['analysesBetween'] = (since, until, p) => drift.analysesBetween(this.orm, since, until, p);
  pruneDriftDetail: Store['pruneDriftDetail'] = (before) => drift.pruneDriftDetail(this.orm, before);
  loadFingerprints: Store['loadFingerprints'] = (provider) => drift.loadFingerprints(this.orm, provider);
  saveFingerprints: Store['saveFingerprints'] = (provider, fps) => drift.saveFingerprints(this.orm, provider, fps);

  async recordDeadLetters(letters: DeadLetter[], receivedAt: string) {
    await this.db.batch(
      letters.map((l) =>
        this.db
          .prepare(`INSERT OR IGNORE INTO dead_letters (message_id, queue, reason, body, received_at) VALUES (?, ?, ?, ?, ?)`)
          .bind(l.message_id, l.queue, l.reason, JSON.stringify(l.body), receivedAt),
      ),
    );
  }

  async getIgnoreRules(): Promise<IgnoreRules> {
    const row = await this.db.prepare(`SELECT value FROM settings WHERE key = 'ignore'`).first<{ value: string }>();
    return row ? (JSON.parse(row.value) as IgnoreRules) : { driftignore: '', rules: [] };
  }

  async putIgnoreRules(rules: IgnoreRules, updatedAt: string): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES ('ignore', ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .bind(JSON.stringify(rules), updatedAt)
      .run();
  }

  async operationalCounts(): Promise<OperationalCounts> {
    const [jobs, backlog, letters, drift] = await this.db.batch([
      this.db.prepare(`SELECT status AS k, COUNT(*) AS n FROM jobs GROUP BY status`),
      this.db.prepare(`SELECT COALESCE(SUM(shards_total - shards_succeeded - shards_failed - shards_cancelled), 0) AS n FROM jobs WHERE status IN ('pending', 'running')`),
      this.db.prepare(`SELECT COUNT(*) AS n FROM dead_letters`),
      this.db.prepare(
        `SELECT provider AS k, SUM(summary ->> '$.changed' + summary ->> '$.missing' + summary ->> '$.unmanaged') AS n FROM analyses GROUP BY provider`,
      ),
    ]);
    const byKey = (r: D1Result) => Object.fromEntries((r.results as { k: string; n: number }[]).map((row) => [row.k, row.n]));
    const single = (r: D1Result) => (r.results[0] as { n: number }).n;
    return { jobs_by_status: byKey(jobs!), shards_open: single(backlog!), dead_letters: single(letters!), drift_detected: byKey(drift!) };
  }
}

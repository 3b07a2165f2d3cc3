import type { IgnoreRules } from '../../contract/ignore.js';
import type { DeadLetter, OperationalCounts, Store } from '../store.js';
import { withClient, withDatabase, type PgDb, type Sql } from './connection.js';
import * as drift from './drift.js';
import * as inventory from './inventory.js';
import * as jobs from './jobs.js';
import { operationalCounts } from './operational.js';
import * as states from './states.js';

/** The Store on Postgres, reached through a Hyperdrive binding's connection string. */
export class PgStore implements Store {
  readonly kind = 'postgres' as const;

  constructor(private readonly connectionString: string) {}

  private run<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return withClient(this.connectionString, work);
  }

  private query<T>(work: (db: PgDb) => Promise<T>): Promise<T> {
    return withDatabase(this.connectionString, work);
  }

  async ping() {
    await this.run((sql) => sql.query('SELECT 1'));
  }

  indexJob: Store['indexJob'] = (spec, createdAt) => this.query((db) => jobs.indexJob(db, spec, createdAt));
  updateJobIndex: Store['updateJobIndex'] = (u) => this.query((db) => jobs.updateJobIndex(db, u));
  listJobs: Store['listJobs'] = (q) => this.query((db) => jobs.listJobs(db, q));
  jobExists: Store['jobExists'] = (id) => this.query((db) => jobs.jobExists(db, id));
  openJobsForAccount: Store['openJobsForAccount'] = (p, a) => this.query((db) => jobs.openJobsForAccount(db, p, a));
  recordAgent: Store['recordAgent'] = (p, a, id, at) => this.query((db) => jobs.recordAgent(db, p, a, id, at));
  accountsSeenSince: Store['accountsSeenSince'] = (p, since) => this.query((db) => jobs.accountsSeenSince(db, p, since));

  /**
   * A delivery is written over two connections at once, each a contiguous range of the sorted
   * keys: parsing jsonb is Postgres's cost here, and two backends share it. Disjoint, ordered
   * key ranges cannot deadlock one another or other writers.
   */
  upsertResources: Store['upsertResources'] = async (batches, seenAt) => {
    const rows = inventory.upsertRowsOf(batches, seenAt);
    const middle = Math.ceil(rows.length / 2);
    const halves = [rows.slice(0, middle), rows.slice(middle)].filter((half) => half.length > 0);
    await Promise.all(halves.map((half) => this.query((db) => inventory.upsertRows(db, half))));
  };
  restoreResources: Store['restoreResources'] = (rows) => this.query((db) => inventory.restoreResources(db, rows));
  loadInventory: Store['loadInventory'] = (jobId, account) => this.query((db) => inventory.loadInventory(db, jobId, account));
  listResources: Store['listResources'] = (q) => this.query((db) => inventory.listResources(db, q));
  refreshResourceCounts: Store['refreshResourceCounts'] = () => this.query((db) => inventory.refreshResourceCounts(db));
  resourceCounts: Store['resourceCounts'] = () => this.query((db) => inventory.resourceCounts(db));
  pruneStaleResources: Store['pruneStaleResources'] = (before) => this.query((db) => inventory.pruneStaleResources(db, before));

  saveStates: Store['saveStates'] = (workspace, parsed) => this.query((db) => states.saveStates(db, workspace, parsed));
  listActiveStates: Store['listActiveStates'] = () => this.query((db) => states.listActiveStates(db));
  loadActiveStates: Store['loadActiveStates'] = (types) => this.query((db) => states.loadActiveStates(db, types));

  saveDriftItems: Store['saveDriftItems'] = (jobId, firstSeq, items) => this.query((db) => drift.saveDriftItems(db, jobId, firstSeq, items));
  saveAnalysisSummary: Store['saveAnalysisSummary'] = (analysis) => this.query((db) => drift.saveAnalysisSummary(db, analysis));
  listDriftItems: Store['listDriftItems'] = (f, after, limit) => this.query((db) => drift.listDriftItems(db, f, after, limit));
  getAnalysis: Store['getAnalysis'] = (jobId) => this.query((db) => drift.getAnalysis(db, jobId));
  latestAnalyses: Store['latestAnalyses'] = () => this.query((db) => drift.latestAnalyses(db));
  latestAnalysedJob: Store['latestAnalysedJob'] = (p) => this.query((db) => drift.latestAnalysedJob(db, p));
  loadReport: Store['loadReport'] = (jobId) => this.query((db) => drift.loadReport(db, jobId));
  analysesBetween: Store['analysesBetween'] = (since, until, p) => this.query((db) => drift.analysesBetween(db, since, until, p));
  loadFingerprints: Store['loadFingerprints'] = (p) => this.query((db) => drift.loadFingerprints(db, p));
  saveFingerprints: Store['saveFingerprints'] = (p, fps) => this.query((db) => drift.saveFingerprints(db, p, fps));
  pruneDriftDetail: Store['pruneDriftDetail'] = (before) => this.query((db) => drift.pruneDriftDetail(db, before));

  async recordDeadLetters(letters: DeadLetter[], receivedAt: string) {
    if (letters.length === 0) return;
    await this.run((sql) =>
      sql.query(
        `INSERT INTO dead_letters (message_id, queue, reason, body, received_at)
         SELECT message_id, queue, reason, body, $2 FROM json_to_recordset($1::json) AS x(message_id text, queue text, reason text, body jsonb)
         ON CONFLICT (message_id) DO NOTHING`,
        [JSON.stringify(letters), receivedAt],
      ),
    );
  }

  operationalCounts(): Promise<OperationalCounts> {
    return this.run(operationalCounts);
  }

  async getIgnoreRules(): Promise<IgnoreRules> {
    const { rows } = await this.run((sql) => sql.query<{ value: IgnoreRules }>(`SELECT value FROM settings WHERE key = 'ignore'`));
    return rows[0]?.value ?? { driftignore: '', rules: [] };
  }

  async putIgnoreRules(rules: IgnoreRules, updatedAt: string): Promise<void> {
    await this.run((sql) =>
      sql.query(
        `INSERT INTO settings (key, value, updated_at) VALUES ('ignore', $1::jsonb, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [JSON.stringify(rules), updatedAt],
      ),
    );
  }
}

import { sql } from 'drizzle-orm';
import type { Store } from '../store.js';
import * as access from './access.js';
import { type PgDb, withDatabase } from './connection.js';
import * as drift from './drift.js';
import * as imports from './imports.js';
import * as inventory from './inventory.js';
import * as jobs from './jobs.js';
import * as notifications from './notifications.js';
import * as operational from './operational.js';
import * as stateSources from './state-sources.js';
import * as states from './states.js';
import * as tracks from './tracks.js';

/** The Store on Postgres, reached through a Hyperdrive binding's connection string. */
export class PgStore implements Store {
  readonly kind = 'postgres' as const;

  constructor(private readonly connectionString: string) {}

  private query<T>(work: (db: PgDb) => Promise<T>): Promise<T> {
    return withDatabase(this.connectionString, work);
  }

  async ping() {
    await this.query((db) => db.execute(sql`select 1`));
  }

  indexJob: Store['indexJob'] = (spec, createdAt) => this.query((db) => jobs.indexJob(db, spec, createdAt));
  updateJobIndex: Store['updateJobIndex'] = (u) => this.query((db) => jobs.updateJobIndex(db, u));
  listJobs: Store['listJobs'] = (q) => this.query((db) => jobs.listJobs(db, q));
  jobExists: Store['jobExists'] = (id, tenant) => this.query((db) => jobs.jobExists(db, id, tenant));
  openJobsForAccount: Store['openJobsForAccount'] = (p, a, tenant) =>
    this.query((db) => jobs.openJobsForAccount(db, p, a, tenant));
  recordAgent: Store['recordAgent'] = (p, a, id, at, tenant) =>
    this.query((db) => jobs.recordAgent(db, p, a, id, at, tenant));
  accountsSeenSince: Store['accountsSeenSince'] = (p, since, tenant) =>
    this.query((db) => jobs.accountsSeenSince(db, p, since, tenant));

  /**
   * A delivery's sightings are written over two connections at once, each a contiguous range of
   * the sorted (job, key) pairs: parsing jsonb is Postgres's cost here, and two backends share
   * it. Disjoint, ordered key ranges cannot deadlock one another or other writers.
   */
  upsertResources: Store['upsertResources'] = async (batches, seenAt) => {
    const rows = inventory.sightingRowsOf(batches, seenAt);
    const middle = Math.ceil(rows.length / 2);
    const halves = [rows.slice(0, middle), rows.slice(middle)].filter((half) => half.length > 0);
    await Promise.all(halves.map((half) => this.query((db) => inventory.upsertSightings(db, half))));
  };
  restoreResources: Store['restoreResources'] = (tenant, rows) =>
    this.query((db) => inventory.restoreResources(db, tenant, rows));
  loadInventory: Store['loadInventory'] = (jobId, account, filter) =>
    this.query((db) => inventory.loadInventory(db, jobId, account, filter));
  scanInventory: Store['scanInventory'] = (jobId, account, filter, visit) =>
    this.query((db) => inventory.scanInventory(db, jobId, account, filter, visit));
  sightingsPerBucket: Store['sightingsPerBucket'] = (jobId, account, shift) =>
    this.query((db) => inventory.sightingsPerBucket(db, jobId, account, shift));
  listResources: Store['listResources'] = (q) => this.query((db) => inventory.listResources(db, q));
  resourcesByKey: Store['resourcesByKey'] = (tenant, keys) =>
    this.query((db) => inventory.resourcesByKey(db, tenant, keys));
  mergeSightings: Store['mergeSightings'] = (jobId, account, slots) =>
    this.query((db) => inventory.mergeSightings(db, jobId, account, slots));
  dropSightings: Store['dropSightings'] = (jobId, account, slots, keepTypes) =>
    this.query((db) => inventory.dropSightings(db, jobId, account, slots, keepTypes));
  pruneSightings: Store['pruneSightings'] = (before) => this.query((db) => inventory.pruneSightings(db, before));
  refreshResourceCounts: Store['refreshResourceCounts'] = () => this.query((db) => inventory.refreshResourceCounts(db));
  resourceCounts: Store['resourceCounts'] = (tenant) => this.query((db) => inventory.resourceCounts(db, tenant));
  pruneStaleResources: Store['pruneStaleResources'] = (before) =>
    this.query((db) => inventory.pruneStaleResources(db, before));

  saveStates: Store['saveStates'] = (tenant, workspace, parsed) =>
    this.query((db) => states.saveStates(db, tenant, workspace, parsed));
  listActiveStates: Store['listActiveStates'] = (tenant) => this.query((db) => states.listActiveStates(db, tenant));
  loadActiveStates: Store['loadActiveStates'] = (filter) => this.query((db) => states.loadActiveStates(db, filter));
  scanActiveInstances: Store['scanActiveInstances'] = (filter, visit, pageSize) =>
    this.query((db) => states.scanActiveInstances(db, filter, visit, pageSize));

  createImport: Store['createImport'] = (tenant, job) => this.query((db) => imports.createImport(db, tenant, job));
  getImport: Store['getImport'] = (tenant, id) => this.query((db) => imports.getImport(db, tenant, id));
  updateImport: Store['updateImport'] = (id, update) => this.query((db) => imports.updateImport(db, id, update));
  beginState: Store['beginState'] = (tenant, workspace, name, at) =>
    this.query((db) => states.beginState(db, tenant, workspace, name, at));
  addStateInstances: Store['addStateInstances'] = (stateId, firstSeq, batch, accounts, at) =>
    this.query((db) => states.addStateInstances(db, stateId, firstSeq, batch, accounts, at));
  setInstanceAccount: Store['setInstanceAccount'] = (stateId, account, seqs) =>
    this.query((db) => states.setInstanceAccount(db, stateId, account, seqs));
  instancesInSlots: Store['instancesInSlots'] = (stateId, slots) =>
    this.query((db) => states.instancesInSlots(db, stateId, slots));
  activateStates: Store['activateStates'] = (tenant, stored) =>
    this.query((db) => states.activateStates(db, tenant, stored));
  dropImportingStates: Store['dropImportingStates'] = (ids) => this.query((db) => states.dropImportingStates(db, ids));

  saveDriftItems: Store['saveDriftItems'] = (jobId, firstSeq, items) =>
    this.query((db) => drift.saveDriftItems(db, jobId, firstSeq, items));
  saveAnalysisSummary: Store['saveAnalysisSummary'] = (analysis) =>
    this.query((db) => drift.saveAnalysisSummary(db, analysis));
  listDriftItems: Store['listDriftItems'] = (f, after, limit) =>
    this.query((db) => drift.listDriftItems(db, f, after, limit));
  getAnalysis: Store['getAnalysis'] = (jobId) => this.query((db) => drift.getAnalysis(db, jobId));
  latestAnalyses: Store['latestAnalyses'] = (tenant) => this.query((db) => drift.latestAnalyses(db, tenant));
  latestAnalysedJob: Store['latestAnalysedJob'] = (p, tenant) =>
    this.query((db) => drift.latestAnalysedJob(db, p, tenant));
  loadReport: Store['loadReport'] = (jobId) => this.query((db) => drift.loadReport(db, jobId));
  analysesBetween: Store['analysesBetween'] = (since, until, p, tenant) =>
    this.query((db) => drift.analysesBetween(db, since, until, p, tenant));
  loadFingerprints: Store['loadFingerprints'] = (tenant, p, keys) =>
    this.query((db) => drift.loadFingerprints(db, tenant, p, keys));
  saveFingerprints: Store['saveFingerprints'] = (tenant, p, fps) =>
    this.query((db) => drift.saveFingerprints(db, tenant, p, fps));
  pruneDriftDetail: Store['pruneDriftDetail'] = (before) => this.query((db) => drift.pruneDriftDetail(db, before));

  trackDrift: Store['trackDrift'] = (part) => this.query((db) => tracks.trackDrift(db, part));
  fileDrift: Store['fileDrift'] = (part) => this.query((db) => tracks.fileDrift(db, part));
  resolveDrift: Store['resolveDrift'] = (part) => this.query((db) => tracks.resolveDrift(db, part));
  listResolvedDrift: Store['listResolvedDrift'] = (f, after, limit) =>
    this.query((db) => tracks.listResolvedDrift(db, f, after, limit));
  acknowledgeDrift: Store['acknowledgeDrift'] = (tenant, ack) =>
    this.query((db) => tracks.acknowledgeDrift(db, tenant, ack));

  recordDeadLetters: Store['recordDeadLetters'] = (letters, receivedAt) =>
    this.query((db) => operational.recordDeadLetters(db, letters, receivedAt));
  createNotification: Store['createNotification'] = (target) =>
    this.query((db) => notifications.createNotification(db, target));
  listNotifications: Store['listNotifications'] = (tenant) =>
    this.query((db) => notifications.listNotifications(db, tenant));
  getNotification: Store['getNotification'] = (id) => this.query((db) => notifications.getNotification(db, id));
  deleteNotification: Store['deleteNotification'] = (id) =>
    this.query((db) => notifications.deleteNotification(db, id));
  notificationDelivered: Store['notificationDelivered'] = (id, jobId) =>
    this.query((db) => notifications.notificationDelivered(db, id, jobId));
  recordNotificationDelivery: Store['recordNotificationDelivery'] = (id, jobId, at) =>
    this.query((db) => notifications.recordNotificationDelivery(db, id, jobId, at));
  newDriftDigest: Store['newDriftDigest'] = (jobId, severities, limit) =>
    this.query((db) => notifications.newDriftDigest(db, jobId, severities, limit));
  getIgnoreRules: Store['getIgnoreRules'] = (tenant) => this.query((db) => operational.getIgnoreRules(db, tenant));
  putIgnoreRules: Store['putIgnoreRules'] = (tenant, rules, updatedAt) =>
    this.query((db) => operational.putIgnoreRules(db, tenant, rules, updatedAt));
  createTenant: Store['createTenant'] = (tenant) => this.query((db) => access.createTenant(db, tenant));
  listTenants: Store['listTenants'] = () => this.query((db) => access.listTenants(db));
  tenantExists: Store['tenantExists'] = (id) => this.query((db) => access.tenantExists(db, id));
  createToken: Store['createToken'] = (token) => this.query((db) => access.createToken(db, token));
  getToken: Store['getToken'] = (id) => this.query((db) => access.getToken(db, id));
  listTokens: Store['listTokens'] = (q) => this.query((db) => access.listTokens(db, q));
  revokeToken: Store['revokeToken'] = (id, at, tenant) => this.query((db) => access.revokeToken(db, id, at, tenant));
  recordAudit: Store['recordAudit'] = (entry) => this.query((db) => access.recordAudit(db, entry));
  listAudit: Store['listAudit'] = (q) => this.query((db) => access.listAudit(db, q));
  createStateSource: Store['createStateSource'] = (source) =>
    this.query((db) => stateSources.createStateSource(db, source));
  listStateSources: Store['listStateSources'] = (tenant) =>
    this.query((db) => stateSources.listStateSources(db, tenant));
  getStateSource: Store['getStateSource'] = (id, tenant) =>
    this.query((db) => stateSources.getStateSource(db, id, tenant));
  deleteStateSource: Store['deleteStateSource'] = (id) => this.query((db) => stateSources.deleteStateSource(db, id));
  nextStateReadAt: Store['nextStateReadAt'] = (p, a, t) =>
    this.query((db) => stateSources.nextStateReadAt(db, p, a, t));
  leaseStateRead: Store['leaseStateRead'] = (claim) => this.query((db) => stateSources.leaseStateRead(db, claim));
  extendStateRead: Store['extendStateRead'] = (id, lease, until) =>
    this.query((db) => stateSources.extendStateRead(db, id, lease, until));
  finishStateRead: Store['finishStateRead'] = (id, lease, end) =>
    this.query((db) => stateSources.finishStateRead(db, id, lease, end));
  requestStateRead: Store['requestStateRead'] = (id, at) =>
    this.query((db) => stateSources.requestStateRead(db, id, at));
  operationalCounts: Store['operationalCounts'] = () => this.query((db) => operational.operationalCounts(db));
  readVersion: Store['readVersion'] = () => this.query((db) => operational.readVersion(db));
}

import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { Store } from '../store.js';
import * as access from './access.js';
import type { D1Db } from './batching.js';
import * as drift from './drift.js';
import * as imports from './imports.js';
import * as inventory from './inventory.js';
import * as jobs from './jobs.js';
import * as notifications from './notifications.js';
import * as operational from './operational.js';
import * as stateSources from './state-sources.js';
import * as states from './states.js';
import * as tracks from './tracks.js';

/** The Store on Cloudflare D1, the default. */
export class D1Store implements Store {
  readonly kind = 'd1' as const;
  private readonly db: D1Db;

  constructor(binding: D1Database) {
    this.db = drizzle(binding);
  }

  async ping() {
    await this.db.get(sql`select 1`);
  }

  indexJob: Store['indexJob'] = (spec, createdAt) => jobs.indexJob(this.db, spec, createdAt);
  updateJobIndex: Store['updateJobIndex'] = (u) => jobs.updateJobIndex(this.db, u);
  listJobs: Store['listJobs'] = (q) => jobs.listJobs(this.db, q);
  jobExists: Store['jobExists'] = (id, tenant) => jobs.jobExists(this.db, id, tenant);
  openJobsForAccount: Store['openJobsForAccount'] = (p, a, tenant) => jobs.openJobsForAccount(this.db, p, a, tenant);
  recordAgent: Store['recordAgent'] = (p, a, id, at, tenant) => jobs.recordAgent(this.db, p, a, id, at, tenant);
  accountsSeenSince: Store['accountsSeenSince'] = (p, since, tenant) =>
    jobs.accountsSeenSince(this.db, p, since, tenant);

  upsertResources: Store['upsertResources'] = (batches, seenAt) => inventory.upsertResources(this.db, batches, seenAt);
  restoreResources: Store['restoreResources'] = (tenant, rows) => inventory.restoreResources(this.db, tenant, rows);
  loadInventory: Store['loadInventory'] = (jobId, account, filter) =>
    inventory.loadInventory(this.db, jobId, account, filter);
  scanInventory: Store['scanInventory'] = (jobId, account, filter, visit) =>
    inventory.scanInventory(this.db, jobId, account, filter, visit);
  sightingsPerBucket: Store['sightingsPerBucket'] = (jobId, account, shift) =>
    inventory.sightingsPerBucket(this.db, jobId, account, shift);
  listResources: Store['listResources'] = (q) => inventory.listResources(this.db, q);
  resourcesByKey: Store['resourcesByKey'] = (tenant, keys) => inventory.resourcesByKey(this.db, tenant, keys);
  mergeSightings: Store['mergeSightings'] = (jobId, account, slots) =>
    inventory.mergeSightings(this.db, jobId, account, slots);
  dropSightings: Store['dropSightings'] = (jobId, account, slots, keepTypes) =>
    inventory.dropSightings(this.db, jobId, account, slots, keepTypes);
  pruneSightings: Store['pruneSightings'] = (before) => inventory.pruneSightings(this.db, before);
  refreshResourceCounts: Store['refreshResourceCounts'] = () => inventory.refreshResourceCounts(this.db);
  resourceCounts: Store['resourceCounts'] = (tenant) => inventory.resourceCounts(this.db, tenant);
  pruneStaleResources: Store['pruneStaleResources'] = (before) => inventory.pruneStaleResources(this.db, before);

  saveStates: Store['saveStates'] = (tenant, workspace, parsed) =>
    states.saveStates(this.db, tenant, workspace, parsed);
  listActiveStates: Store['listActiveStates'] = (tenant) => states.listActiveStates(this.db, tenant);
  loadActiveStates: Store['loadActiveStates'] = (filter) => states.loadActiveStates(this.db, filter);
  scanActiveInstances: Store['scanActiveInstances'] = (filter, visit, pageSize) =>
    states.scanActiveInstances(this.db, filter, visit, pageSize);

  createImport: Store['createImport'] = (tenant, job) => imports.createImport(this.db, tenant, job);
  getImport: Store['getImport'] = (tenant, id) => imports.getImport(this.db, tenant, id);
  updateImport: Store['updateImport'] = (id, update) => imports.updateImport(this.db, id, update);
  beginState: Store['beginState'] = (tenant, workspace, name, at) =>
    states.beginState(this.db, tenant, workspace, name, at);
  addStateInstances: Store['addStateInstances'] = (stateId, firstSeq, batch, accounts, at) =>
    states.addStateInstances(this.db, stateId, firstSeq, batch, accounts, at);
  setInstanceAccount: Store['setInstanceAccount'] = (stateId, account, seqs) =>
    states.setInstanceAccount(this.db, stateId, account, seqs);
  instancesInSlots: Store['instancesInSlots'] = (stateId, slots) => states.instancesInSlots(this.db, stateId, slots);
  activateStates: Store['activateStates'] = (tenant, stored) => states.activateStates(this.db, tenant, stored);
  dropImportingStates: Store['dropImportingStates'] = (ids) => states.dropImportingStates(this.db, ids);

  saveDriftItems: Store['saveDriftItems'] = (jobId, firstSeq, items) =>
    drift.saveDriftItems(this.db, jobId, firstSeq, items);
  saveAnalysisSummary: Store['saveAnalysisSummary'] = (analysis) => drift.saveAnalysisSummary(this.db, analysis);
  listDriftItems: Store['listDriftItems'] = (f, after, limit) => drift.listDriftItems(this.db, f, after, limit);
  getAnalysis: Store['getAnalysis'] = (jobId) => drift.getAnalysis(this.db, jobId);
  latestAnalyses: Store['latestAnalyses'] = (tenant) => drift.latestAnalyses(this.db, tenant);
  latestAnalysedJob: Store['latestAnalysedJob'] = (p, tenant) => drift.latestAnalysedJob(this.db, p, tenant);
  loadReport: Store['loadReport'] = (jobId) => drift.loadReport(this.db, jobId);
  analysesBetween: Store['analysesBetween'] = (since, until, p, tenant) =>
    drift.analysesBetween(this.db, since, until, p, tenant);
  pruneDriftDetail: Store['pruneDriftDetail'] = (before) => drift.pruneDriftDetail(this.db, before);
  loadFingerprints: Store['loadFingerprints'] = (tenant, provider, keys) =>
    drift.loadFingerprints(this.db, tenant, provider, keys);
  saveFingerprints: Store['saveFingerprints'] = (tenant, provider, fps) =>
    drift.saveFingerprints(this.db, tenant, provider, fps);

  trackDrift: Store['trackDrift'] = (part) => tracks.trackDrift(this.db, part);
  fileDrift: Store['fileDrift'] = (part) => tracks.fileDrift(this.db, part);
  resolveDrift: Store['resolveDrift'] = (part) => tracks.resolveDrift(this.db, part);
  listResolvedDrift: Store['listResolvedDrift'] = (f, after, limit) =>
    tracks.listResolvedDrift(this.db, f, after, limit);
  acknowledgeDrift: Store['acknowledgeDrift'] = (tenant, ack) => tracks.acknowledgeDrift(this.db, tenant, ack);

  recordDeadLetters: Store['recordDeadLetters'] = (letters, receivedAt) =>
    operational.recordDeadLetters(this.db, letters, receivedAt);
  createNotification: Store['createNotification'] = (target) => notifications.createNotification(this.db, target);
  listNotifications: Store['listNotifications'] = (tenant) => notifications.listNotifications(this.db, tenant);
  getNotification: Store['getNotification'] = (id) => notifications.getNotification(this.db, id);
  deleteNotification: Store['deleteNotification'] = (id) => notifications.deleteNotification(this.db, id);
  notificationDelivered: Store['notificationDelivered'] = (id, jobId) =>
    notifications.notificationDelivered(this.db, id, jobId);
  recordNotificationDelivery: Store['recordNotificationDelivery'] = (id, jobId, at) =>
    notifications.recordNotificationDelivery(this.db, id, jobId, at);
  newDriftDigest: Store['newDriftDigest'] = (jobId, severities, limit) =>
    notifications.newDriftDigest(this.db, jobId, severities, limit);
  getIgnoreRules: Store['getIgnoreRules'] = (tenant) => operational.getIgnoreRules(this.db, tenant);
  putIgnoreRules: Store['putIgnoreRules'] = (tenant, rules, updatedAt) =>
    operational.putIgnoreRules(this.db, tenant, rules, updatedAt);
  createTenant: Store['createTenant'] = (tenant) => access.createTenant(this.db, tenant);
  listTenants: Store['listTenants'] = () => access.listTenants(this.db);
  tenantExists: Store['tenantExists'] = (id) => access.tenantExists(this.db, id);
  createToken: Store['createToken'] = (token) => access.createToken(this.db, token);
  getToken: Store['getToken'] = (id) => access.getToken(this.db, id);
  listTokens: Store['listTokens'] = (q) => access.listTokens(this.db, q);
  revokeToken: Store['revokeToken'] = (id, at, tenant) => access.revokeToken(this.db, id, at, tenant);
  recordAudit: Store['recordAudit'] = (entry) => access.recordAudit(this.db, entry);
  listAudit: Store['listAudit'] = (q) => access.listAudit(this.db, q);
  createStateSource: Store['createStateSource'] = (source) => stateSources.createStateSource(this.db, source);
  listStateSources: Store['listStateSources'] = (tenant) => stateSources.listStateSources(this.db, tenant);
  getStateSource: Store['getStateSource'] = (id, tenant) => stateSources.getStateSource(this.db, id, tenant);
  deleteStateSource: Store['deleteStateSource'] = (id) => stateSources.deleteStateSource(this.db, id);
  nextStateReadAt: Store['nextStateReadAt'] = (p, a, t) => stateSources.nextStateReadAt(this.db, p, a, t);
  leaseStateRead: Store['leaseStateRead'] = (claim) => stateSources.leaseStateRead(this.db, claim);
  extendStateRead: Store['extendStateRead'] = (id, lease, until) =>
    stateSources.extendStateRead(this.db, id, lease, until);
  finishStateRead: Store['finishStateRead'] = (id, lease, end) => stateSources.finishStateRead(this.db, id, lease, end);
  requestStateRead: Store['requestStateRead'] = (id, at) => stateSources.requestStateRead(this.db, id, at);
  operationalCounts: Store['operationalCounts'] = () => operational.operationalCounts(this.db);
  readVersion: Store['readVersion'] = () => operational.readVersion(this.db);
}

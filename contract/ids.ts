/** Job ids sort by creation time: base-36 milliseconds, then random hex. */
export function newJobId(now = Date.now()): string {
  return `job_${timeOrderedSuffix(now)}`;
}

/** Import ids sort by creation time like job ids. */
export function newImportId(now = Date.now()): string {
  return `imp_${timeOrderedSuffix(now)}`;
}

/** Schedule ids sort by creation time like job ids. */
export function newScheduleId(now = Date.now()): string {
  return `sch_${timeOrderedSuffix(now)}`;
}

/** Token ids sort by creation time; a token is its id, a dot and its secret. */
export function newTokenId(now = Date.now()): string {
  return `tok_${timeOrderedSuffix(now)}`;
}

/** Audit entry ids sort by time, so the log pages newest first on its key alone. */
export function newAuditId(now = Date.now()): string {
  return `aud_${timeOrderedSuffix(now)}`;
}

/** Notification target ids sort by creation time like job ids. */
export function newNotificationId(now = Date.now()): string {
  return `ntf_${timeOrderedSuffix(now)}`;
}

/** State source ids sort by creation time like job ids. */
export function newStateSourceId(now = Date.now()): string {
  return `src_${timeOrderedSuffix(now)}`;
}

/** Tenant ids sort by creation time like job ids; they fit the token's tenant_id pattern. */
export function newTenantId(now = Date.now()): string {
  return `ten_${timeOrderedSuffix(now)}`;
}

function timeOrderedSuffix(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(6));
  const hex = [...random].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${now.toString(36).padStart(9, '0')}${hex}`;
}

/** A shard id is `<job id>.<n>`; the job id routes a shard call to its coordinator. */
export function jobIdOfShard(shardId: string): string | null {
  const dot = shardId.lastIndexOf('.');
  const jobId = shardId.slice(0, dot);
  return dot > 0 && /^job_[0-9a-z]+$/.test(jobId) && /^\d+$/.test(shardId.slice(dot + 1)) ? jobId : null;
}

/** The id of a job's `n`th shard; `jobIdOfShard` reads it back. */
export function shardIdOf(jobId: string, n: number): string {
  return `${jobId}.${n}`;
}

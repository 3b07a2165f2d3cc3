import { storeFor } from './storage/index.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The daily cron: drops the drift items of analyses older than RETENTION_DAYS. Each
 * analysis keeps its summary, so trends reach back further than the detail does.
 */
export async function pruneOldDetail(env: Env, now = Date.now()): Promise<string[]> {
  const days = Number(env.RETENTION_DAYS);
  const before = new Date(now - days * DAY_MS).toISOString();
  const pruned = await storeFor(env).pruneDriftDetail(before);
  console.log(JSON.stringify({ level: 'info', msg: 'retention: pruned drift detail', jobs: pruned.length, before }));
  return pruned;
}

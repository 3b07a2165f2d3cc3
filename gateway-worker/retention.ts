import { storeFor } from '../storage/index.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The daily cron. Drift items of analyses older than RETENTION_DAYS are dropped, each analysis
 * keeping its summary so trends reach back further than the detail does, with the tracks of
 * drift resolved before then; resources no job has seen for as long are gone from the cloud and
 * leave the inventory. Sightings of jobs that finished more than a day ago are leftovers (a
 * job failed or was cancelled before its analysis, or a consumer died before dropping them).
 */
export async function pruneOldDetail(
  env: Env,
  now = Date.now(),
): Promise<{ jobs: string[]; resources: number; sightings: number }> {
  const before = new Date(now - Number(env.RETENTION_DAYS) * DAY_MS).toISOString();
  const store = storeFor(env);
  const jobs = await store.pruneDriftDetail(before);
  const resources = await store.pruneStaleResources(before);
  if (resources > 0) await store.refreshResourceCounts();
  const sightings = await store.pruneSightings(new Date(now - DAY_MS).toISOString());
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'retention: pruned',
      jobs: jobs.length,
      resources,
      jobs_with_sightings: sightings,
      before,
    }),
  );
  return { jobs, resources, sightings };
}

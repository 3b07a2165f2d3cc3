import { setTimeout as sleep } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { type JobStatus, JobSummary } from '../contract/api.js';
import { JobEvent, JobEventName } from '../contract/job-events.js';
import { type ApiClient, GatewayError } from './api-client.js';
import { readSse } from './sse.js';

export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Nothing for three keepalives' time (the gateway sends one every 15 s): the connection is gone, though nothing said so. */
const STREAM_IDLE_MS = 45_000;
/** Connections in a row that bring no event before --wait gives up on the stream and polls. */
const MAX_FRUITLESS_CONNECTIONS = 5;
const RECONNECT_DELAY_MS = 1000;

/** Shards that will not run again, whatever their outcome. */
export function shardsDone(counts: JobSummary['counts']): number {
  return counts.shards_succeeded + counts.shards_failed + counts.shards_cancelled;
}

/**
 * Follows the job until it finishes, drawing shards done on stderr (on a terminal; elsewhere a
 * line every few seconds so CI logs show progress). Progress comes from the job's event stream;
 * when the gateway refuses it (an older gateway, or too many watchers of the job) or it keeps
 * failing, the job is polled every `intervalMs` instead. The total can grow: a shard that reaches
 * shard_size hands its remaining work to a new shard.
 */
export async function waitForJob(client: ApiClient, jobId: string, intervalMs: number): Promise<JobSummary> {
  const bar = new ProgressBar(jobId);
  try {
    const followed = await followJobEvents(client, jobId, (job) => bar.show(job));
    if (followed.finished) return await readJob(client, jobId);
    bar.note(`${followed.unavailable}; polling every ${intervalMs} ms`);
    return await pollJob(client, jobId, intervalMs, (job) => bar.show(job));
  } finally {
    bar.stop();
  }
}

/** What a job's progress is drawn from: its status and counts. */
type Progress = Pick<JobSummary, 'status' | 'counts'>;

type Followed = { finished: true } | { finished: false; unavailable: string };

/**
 * Reads the job's events to its final `job` event, passing on each; reconnects with
 * Last-Event-ID when the connection drops or goes quiet, so no change is read twice.
 */
async function followJobEvents(client: ApiClient, jobId: string, onJob: (job: Progress) => void): Promise<Followed> {
  const path = `/api/v1/jobs/${encodeURIComponent(jobId)}/events`;
  const unavailable = (why: string): Followed => ({ finished: false, unavailable: why });
  let lastId: string | undefined;
  for (let fruitless = 0; fruitless < MAX_FRUITLESS_CONNECTIONS; ) {
    const idle = new IdleAbort(STREAM_IDLE_MS);
    let received = false;
    try {
      const body = await client.events(path, lastId, idle.signal);
      // 204 answers a reconnect whose Last-Event-ID was the final event.
      if (body === null) return { finished: true };
      for await (const message of readSse(body)) {
        idle.reset();
        if (message.kind !== 'event') continue;
        received = true;
        lastId = message.id;
        if (message.event !== JobEventName.job) continue;
        const job = JobEvent.safeParse(jsonOrUndefined(message.data));
        if (!job.success) return unavailable('the job events could not be read');
        onJob(job.data);
        if (FINISHED_STATUSES.has(job.data.status)) return { finished: true };
      }
    } catch (err) {
      if (err instanceof GatewayError) return unavailable(`the gateway answered ${err.status} for job events`);
      // Dropped or quiet: connect again below.
    } finally {
      idle.stop();
    }
    fruitless = received ? 0 : fruitless + 1;
    if (!received) await sleep(RECONNECT_DELAY_MS);
  }
  return unavailable(`the job events stream failed ${MAX_FRUITLESS_CONNECTIONS} times in a row`);
}

async function pollJob(
  client: ApiClient,
  jobId: string,
  intervalMs: number,
  onJob: (job: Progress) => void,
): Promise<JobSummary> {
  let job = await readJob(client, jobId);
  onJob(job);
  while (!FINISHED_STATUSES.has(job.status)) {
    await sleep(intervalMs);
    job = await readJob(client, jobId);
    onJob(job);
  }
  return job;
}

/** The job without its shards, which drawing progress does not need. */
function readJob(client: ApiClient, jobId: string): Promise<JobSummary> {
  return client.getJson(`/api/v1/jobs/${encodeURIComponent(jobId)}`, JobSummary, { shards_limit: 0 });
}

/** The progress bar, started by the first job seen. */
class ProgressBar {
  private readonly bar: SingleBar;
  private started = false;

  constructor(jobId: string) {
    this.bar = new SingleBar({
      stream: process.stderr,
      format: `${jobId} [{bar}] {value}/{total} shards | {resources} resources | {status}`,
      barsize: 30,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    });
  }

  show(job: Progress): void {
    const payload = { resources: job.counts.resources_discovered, status: job.status };
    if (!this.started) {
      this.bar.start(job.counts.shards_total, shardsDone(job.counts), payload);
      this.started = true;
      return;
    }
    this.bar.setTotal(job.counts.shards_total);
    this.bar.update(shardsDone(job.counts), payload);
  }

  /** A line of its own above the bar. */
  note(line: string): void {
    if (this.started) this.bar.stop();
    this.started = false;
    process.stderr.write(`${line}\n`);
  }

  stop(): void {
    if (this.started) this.bar.stop();
  }
}

/** An abort signal that fires once `ms` pass without a reset. */
class IdleAbort {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;

  constructor(private readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reset(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

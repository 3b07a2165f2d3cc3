import { type ErrorBody, ErrorCode } from '../contract/errors.js';
import { type JobEvent, JobEventName, type ShardEvent } from '../contract/job-events.js';
import { FINISHED, type JobRecord, jobSummary } from './job-record.js';
import { readShards, type Shards, shardView } from './shards.js';

/** Event streams one job serves at once; one more is refused (429) rather than let them pile up. */
export const MAX_EVENT_STREAMS = 50;
/** A comment this often keeps proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * Most `shard` events one step of a stream sends. A client further behind than this, or a step
 * that changed more shards at once (a cancel), gets the counts alone: what a stream holds never
 * grows with its backlog, which waits in the shards table, one row per shard.
 */
export const MAX_SHARD_EVENTS = 100;

const HEARTBEAT = ': keepalive\n\n';
const encoder = new TextEncoder();

/** One open stream: the change number it has sent up to (-1 before its first event). */
interface Stream {
  cursor: number;
  closed: boolean;
  /** Ends the stream's wait for a change, when it waits. */
  wake?: () => void;
}

/**
 * The job's progress as Server-Sent Events. Streams are pulled: a stream reads what changed
 * since its cursor only when its client is ready for more, so a slow client gets each changed
 * shard once, as it is by then, and nothing queues per connection. Change numbers are the
 * job's `rev` (job-schema.ts version 5), so a reconnecting client resumes where it left off.
 */
export class JobEvents {
  private open = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly job: JobRecord,
    private readonly shards: Shards,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /** The answer to a client asking for the job's events, resuming after `lastEventId` when it is one. */
  respond(lastEventId: string | null): Response {
    const job = this.job.read();
    if (!job) return errorResponse(404, ErrorCode.notFound, 'job not found');
    const head = this.head();
    const after = resumePoint(lastEventId, head);
    // The client saw the final event: 204 is what stops an EventSource from reconnecting.
    if (after === head && FINISHED.includes(job.status)) return new Response(null, { status: 204 });
    if (this.open >= MAX_EVENT_STREAMS) {
      return errorResponse(
        429,
        ErrorCode.tooManyStreams,
        `this job already serves ${MAX_EVENT_STREAMS} event streams; poll GET /api/v1/jobs/{job_id} instead`,
      );
    }
    return new Response(this.stream(after ?? -1), {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }

  /** Tells the waiting streams something may have changed; the coordinator calls it after every step. */
  changed(): void {
    for (const wake of [...this.waiting]) wake();
  }

  private stream(cursor: number): ReadableStream<Uint8Array> {
    this.open++;
    const s: Stream = { cursor, closed: false };
    const end = () => {
      if (s.closed) return;
      s.closed = true;
      this.open--;
      s.wake?.();
    };
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const step = await this.next(s);
          if (step === undefined) return;
          controller.enqueue(encoder.encode(step.text));
          if (step.final) {
            end();
            controller.close();
          }
        },
        cancel: end,
      },
      // Pull only when the client reads: a slow client leaves its changes in SQLite, not in a queue.
      { highWaterMark: 0 },
    );
  }

  /** The stream's next text: its events once something changed, or a heartbeat; undefined once it closed. */
  private async next(s: Stream): Promise<{ text: string; final: boolean } | undefined> {
    for (;;) {
      if (s.closed) return undefined;
      const events = this.eventsAfter(s);
      if (events) return events;
      if (!(await this.changeOrHeartbeat(s))) return { text: HEARTBEAT, final: false };
    }
  }

  /**
   * The events of what changed after the stream's cursor, moving it to the newest change:
   * each changed shard, then the job with its counts. A new stream gets the job alone.
   */
  private eventsAfter(s: Stream): { text: string; final: boolean } | undefined {
    const head = this.head();
    if (s.cursor >= 0 && head <= s.cursor) return undefined;
    const changed =
      s.cursor < 0
        ? []
        : readShards(
            this.sql,
            `SELECT * FROM shards WHERE rev > ? ORDER BY rev LIMIT ?`,
            s.cursor,
            MAX_SHARD_EVENTS + 1,
          );
    const skipped = changed.length > MAX_SHARD_EVENTS ? this.changedSince(s.cursor) : 0;
    const shardFrames = skipped > 0 ? [] : changed.map((sh) => frame(JobEventName.shard, sh.rev, shardView(sh)));
    const { job_id, status, counts, updated_at, finished_at, error } = jobSummary(
      this.job.current(),
      this.shards.counts(),
    );
    const job: JobEvent = { job_id, status, counts, updated_at, finished_at, error, shard_events_skipped: skipped };
    s.cursor = head;
    return {
      text: [...shardFrames, frame(JobEventName.job, head, job)].join(''),
      final: FINISHED.includes(job.status),
    };
  }

  /** Resolves true on the next change, false when a heartbeat is due first (or the stream closed). */
  private changeOrHeartbeat(s: Stream): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = (changed: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        s.wake = undefined;
        resolve(changed);
      };
      const wake = () => settle(true);
      const timer = setTimeout(() => settle(false), this.heartbeatMs);
      this.waiting.add(wake);
      s.wake = wake;
    });
  }

  /** The job's newest change number. */
  private head(): number {
    return this.sql.exec<{ rev: number }>(`SELECT rev FROM job WHERE id = 1`).one().rev;
  }

  private changedSince(rev: number): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM shards WHERE rev > ?`, rev).one().n;
  }
}

/** The change a client resumes after: its Last-Event-ID when that is one of this job's; else none (start afresh). */
function resumePoint(lastEventId: string | null, head: number): number | null {
  if (lastEventId === null || !/^\d{1,15}$/.test(lastEventId.trim())) return null;
  const rev = Number(lastEventId.trim());
  return rev <= head ? rev : null;
}

function frame(event: string, id: number, data: JobEvent | ShardEvent): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

function errorResponse(status: number, code: string, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status });
}

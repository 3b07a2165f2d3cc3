import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from '../cli/sse.js';
import { JobEvent, ShardEvent } from '../contract/job-events.js';
import { api, resource, startJob, TOKEN } from '../test/support/worker/api.js';
import { complete, type HeldLease, leaseAll, sendChunk } from '../test/support/worker/scan.js';
import type { JobCoordinator } from './job-coordinator.js';
import { JobEvents, MAX_EVENT_STREAMS, MAX_SHARD_EVENTS } from './job-events.js';
import { JobRecord } from './job-record.js';
import { Shards } from './shards.js';

let accountSeq = 300_000_000_000;
/** Storage is shared within a file, so each test gets accounts no other test uses. */
const freshAccount = () => String(accountSeq++);

type Parsed = { event: 'job'; id: number; job: JobEvent } | { event: 'shard'; id: number; shard: ShardEvent };

/** Asks the gateway for a job's events, as a client would. */
function connect(jobId: string, lastEventId?: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
  return exports.default.fetch(new Request(`http://gateway.test/api/v1/jobs/${jobId}/events`, { headers }));
}

/** A client reading one event stream a step at a time: the events up to and including a `job` event. */
class EventClient {
  private readonly messages: AsyncIterator<SseMessage>;
  lastId = '';

  constructor(res: Response) {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    this.messages = readSse(res.body!)[Symbol.asyncIterator]();
  }

  /** The next step's events; ends with its `job` event. */
  async step(): Promise<Parsed[]> {
    const events: Parsed[] = [];
    for (;;) {
      const next = await this.messages.next();
      if (next.done) throw new Error(`the stream ended after ${JSON.stringify(events)}`);
      if (next.value.kind === 'comment') continue;
      const { event, data, id } = next.value;
      this.lastId = id;
      const parsed: Parsed =
        event === 'job'
          ? { event, id: Number(id), job: JobEvent.parse(JSON.parse(data)) }
          : { event: 'shard', id: Number(id), shard: ShardEvent.parse(JSON.parse(data)) };
      expect(event).toBe(parsed.event);
      events.push(parsed);
      if (parsed.event === 'job') return events;
    }
  }

  /**
   * Steps until the job's counts or status satisfy `done`: the gateway reads the stream ahead of
   * the client, so one change may arrive in a step of its own or together with the next.
   */
  async until(done: (job: JobEvent) => boolean): Promise<Parsed[]> {
    const events: Parsed[] = [];
    do events.push(...(await this.step()));
    while (!done(jobOf(events)));
    return events;
  }

  /** Whether the server ended the stream. */
  async ended(): Promise<boolean> {
    return (await this.messages.next()).done === true;
  }

  /** Hangs up, as a client that loses its connection. */
  async disconnect(): Promise<void> {
    await this.messages.return?.();
  }
}

const coordinatorOf = (jobId: string) => env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));

/** Runs `fn` inside the job's object, with its SQL storage. */
const inObject = <T>(jobId: string, fn: (coordinator: JobCoordinator, sql: SqlStorage) => Promise<T>) =>
  runInDurableObject(coordinatorOf(jobId), (instance: JobCoordinator, state) => fn(instance, state.storage.sql));

/** A stream source of the object's own tables, apart from the coordinator's (so nothing wakes it but a read). */
const eventsOf = (sql: SqlStorage, heartbeatMs?: number) =>
  new JobEvents(sql, new JobRecord(sql), new Shards(sql, { maxAttempts: 3, retryBaseSeconds: 0 }), heartbeatMs);

/** Reads events up to and including the next `job` event. */
async function stepOf(read: AsyncIterator<SseMessage>): Promise<{ event: string; data: any }[]> {
  const events: { event: string; data: any }[] = [];
  for (;;) {
    const next = await read.next();
    if (next.done) return events;
    if (next.value.kind !== 'event') continue;
    events.push({ event: next.value.event, data: JSON.parse(next.value.data) });
    if (next.value.event === 'job') return events;
  }
}

const shardStates = (events: Parsed[]) =>
  events.flatMap((e) => (e.event === 'shard' ? [[e.shard.shard_id, e.shard.status]] : []));
const jobOf = (events: Parsed[]) => {
  const last = events.at(-1);
  if (last?.event !== 'job') throw new Error('a step ends with its job event');
  return last.job;
};

async function finishShard(lease: HeldLease, account: string): Promise<void> {
  const r = resource(account, lease.work[0]!.region, lease.work[0]!.type, `i-${lease.shard_id}`);
  await sendChunk(lease, [r]);
  await complete(lease, 1);
}

describe('job events', () => {
  it('follows a job to completion in order, then ends the stream after the final event', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1'] });
    const client = new EventClient(await connect(job.job_id));

    const first = await client.step();
    expect(first).toHaveLength(1);
    expect(jobOf(first)).toMatchObject({ status: 'pending', counts: { shards_total: 2, shards_pending: 2 } });

    const [a, b] = await leaseAll(account);
    const leased = await client.until((j) => j.counts.shards_leased === 2);
    expect(new Set(shardStates(leased))).toEqual(
      new Set([
        [a!.shard_id, 'leased'],
        [b!.shard_id, 'leased'],
      ]),
    );
    expect(jobOf(leased)).toMatchObject({ status: 'running', counts: { shards_leased: 2 } });

    await finishShard(a!, account);
    const one = await client.until((j) => j.counts.shards_succeeded === 1);
    expect(shardStates(one)).toEqual([[a!.shard_id, 'succeeded']]);
    expect(jobOf(one).counts).toMatchObject({ shards_succeeded: 1, shards_leased: 1, resources_discovered: 1 });

    await finishShard(b!, account);
    const rest = await client.until((j) => j.status === 'completed');
    expect(shardStates(rest)).toEqual([[b!.shard_id, 'succeeded']]);
    const statuses = rest.flatMap((e) => (e.event === 'job' ? [e.job.status] : []));
    expect(statuses.at(-1)).toBe('completed');
    expect(statuses.every((s) => ['running', 'analyzing', 'completed'].includes(s))).toBe(true);
    expect(jobOf(rest).counts).toMatchObject({ shards_total: 2, shards_succeeded: 2, resources_discovered: 2 });

    const ids = [...first, ...leased, ...one, ...rest].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(await client.ended()).toBe(true);
  }, 30_000);

  it('a client resuming with Last-Event-ID gets only what changed after it, each shard once', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    const client = new EventClient(await connect(job.job_id));
    await client.step();
    const leases = await leaseAll(account);
    expect(leases).toHaveLength(3);
    await client.until((j) => j.counts.shards_leased === 3);
    const seen = client.lastId;
    await client.disconnect();

    await finishShard(leases[0]!, account);
    await finishShard(leases[1]!, account);
    const resumed = new EventClient(await connect(job.job_id, seen));
    const events = await resumed.until((j) => j.counts.shards_succeeded === 2);
    expect(events.every((e) => e.id > Number(seen))).toBe(true);
    expect(shardStates(events)).toEqual([
      [leases[0]!.shard_id, 'succeeded'],
      [leases[1]!.shard_id, 'succeeded'],
    ]);
    expect(jobOf(events).counts).toMatchObject({ shards_succeeded: 2, shards_leased: 1 });
    await resumed.disconnect();
  });

  it('a cancelled job ends the stream; resuming after its final event is 204, a new client gets the final event', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account] });
    const client = new EventClient(await connect(job.job_id));
    await client.step();
    expect((await api('POST', `/api/v1/jobs/${job.job_id}/cancel`)).status).toBe(200);
    const final = await client.until((j) => j.status === 'cancelled');
    expect(jobOf(final)).toMatchObject({ counts: { shards_cancelled: 1 } });
    expect(await client.ended()).toBe(true);

    expect((await connect(job.job_id, client.lastId)).status).toBe(204);
    const late = new EventClient(await connect(job.job_id));
    expect(jobOf(await late.step()).status).toBe('cancelled');
    expect(await late.ended()).toBe(true);
  });

  it('a client that reads nothing for a while gets each changed shard once, as it is now', async () => {
    const account = freshAccount();
    const job = await startJob({ accounts: [account], regions: ['us-east-1', 'eu-west-1'] });
    // Read inside the object, where nothing reads the stream ahead of this reader.
    const { a, b, events } = await inObject(job.job_id, async (coordinator, sql) => {
      const read = readSse(eventsOf(sql).respond(null).body!)[Symbol.asyncIterator]();
      await stepOf(read);
      const request = { agent_id: 'agent-slow', provider: 'aws' as const, account, wait_seconds: 0 };
      const first = await coordinator.leaseShard(request);
      const second = await coordinator.leaseShard(request);
      if (first.kind !== 'leased' || second.kind !== 'leased') throw new Error('both shards should be leased');
      const done = await coordinator.complete(first.lease.shard_id, {
        lease_id: first.lease.lease_id,
        resource_count: 0,
      });
      expect(done.ok).toBe(true);
      const step = await stepOf(read);
      await read.return?.(undefined);
      return { a: first.lease.shard_id, b: second.lease.shard_id, events: step };
    });
    // a was leased, then succeeded, before the client read again: it is sent once, as succeeded.
    expect(events.map((e) => [e.event, e.data.shard_id ?? e.data.status])).toEqual([
      ['shard', b],
      ['shard', a],
      ['job', 'running'],
    ]);
    expect(events.map((e) => e.data.status)).toEqual(['leased', 'succeeded', 'running']);
  });

  it(`more than ${MAX_SHARD_EVENTS} shards changed at once arrive as counts alone`, async () => {
    const accounts = Array.from({ length: MAX_SHARD_EVENTS + 20 }, freshAccount);
    const job = await startJob({ accounts });
    const client = new EventClient(await connect(job.job_id));
    await client.step();
    expect((await api('POST', `/api/v1/jobs/${job.job_id}/cancel`)).status).toBe(200);
    const events = await client.step();
    expect(events).toHaveLength(1);
    expect(jobOf(events)).toMatchObject({
      status: 'cancelled',
      shard_events_skipped: accounts.length,
      counts: { shards_cancelled: accounts.length },
    });
    expect(await client.ended()).toBe(true);
  });

  it(`serves ${MAX_EVENT_STREAMS} streams of a job at once and refuses one more with 429`, async () => {
    const job = await startJob({ accounts: [freshAccount()] });
    const open = await Promise.all(Array.from({ length: MAX_EVENT_STREAMS }, () => connect(job.job_id)));
    expect(open.map((r) => r.status)).toEqual(open.map(() => 200));
    const refused = await connect(job.job_id);
    expect(refused.status).toBe(429);
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe('too_many_streams');

    // A client hanging up frees its place.
    await open.pop()!.body!.cancel();
    let again = await connect(job.job_id);
    for (let tries = 0; again.status === 429 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await connect(job.job_id);
    }
    expect(again.status).toBe(200);
    await Promise.all([...open, again].map((r) => r.body!.cancel()));
  });

  it('answers 404 for a job that does not exist, and 401 without a token', async () => {
    const res = await connect('job_doesnotexist');
    expect(res.status).toBe(404);
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found');
    const anonymous = await exports.default.fetch(new Request('http://gateway.test/api/v1/jobs/job_0x/events'));
    expect(anonymous.status).toBe(401);
  });

  it('sends a keepalive comment while nothing changes', async () => {
    const job = await startJob({ accounts: [freshAccount()] });
    const messages = await inObject(job.job_id, async (_, sql) => {
      const read = readSse(eventsOf(sql, 1).respond(null).body!)[Symbol.asyncIterator]();
      const got = [(await read.next()).value, (await read.next()).value];
      await read.return?.(undefined);
      return got as SseMessage[];
    });
    expect(messages.map((m) => m.kind)).toEqual(['event', 'comment']);
    expect(messages[1]).toEqual({ kind: 'comment', text: 'keepalive' });
  });
});

import { z } from 'zod';
import { MAX_CHUNK_RESOURCES } from './limits.js';
import { DiscoveredResource, Provider } from './resource.js';

/** Longest a lease call may wait for work before answering 204. */
export const MAX_LEASE_WAIT_SECONDS = 25;

/**
 * An account id as a lease names it: letters, digits, `.`, `_` and `-`, so no control or
 * direction-override character can reach logs, reports or the job index through an agent.
 */
export const AccountId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'an account id is letters, digits, ".", "_" and "-"');

/**
 * Proof that the agent holds credentials of the account it serves, for agent tokens that
 * require it. AWS: an `sts:GetCallerIdentity` request the agent signed (SigV4) with its own
 * credentials, with `x-driftmgr-token-id` (its token's id) among the signed headers. The
 * gateway sends it to STS and compares the account STS answers with.
 */
export const AwsStsProof = z.object({
  kind: z.literal('aws-sts'),
  method: z.literal('POST'),
  url: z.string().max(500),
  headers: z.record(z.string().max(100), z.string().max(4096)),
  body: z.string().max(1000),
});
export type AwsStsProof = z.infer<typeof AwsStsProof>;

export const AccountProof = z.discriminatedUnion('kind', [AwsStsProof]);
export type AccountProof = z.infer<typeof AccountProof>;

/** The header an agent signs into its proof: the id of the token it leases with. */
export const PROOF_TOKEN_HEADER = 'x-driftmgr-token-id';

/** What an agent can serve: its provider and account, optionally narrowed to regions and types. */
export const LeaseRequest = z.object({
  agent_id: z.string().min(1).max(200),
  provider: Provider,
  account: AccountId,
  regions: z.array(z.string().min(1)).max(100).optional(),
  resource_types: z.array(z.string().min(1)).max(100).optional(),
  wait_seconds: z.number().int().min(0).max(MAX_LEASE_WAIT_SECONDS).default(20),
  proof: AccountProof.optional(),
});
export type LeaseRequest = z.infer<typeof LeaseRequest>;

/**
 * One unit of listing work: a resource type in one region (`*` for account-wide listings),
 * resumed from a pagination cursor when a bigger shard was split.
 */
export const WorkItem = z.object({
  type: z.string().min(1),
  region: z.string().min(1),
  cursor: z.string().min(1).optional(),
});
export type WorkItem = z.infer<typeof WorkItem>;

export const Lease = z.object({
  shard_id: z.string(),
  job_id: z.string(),
  lease_id: z.string(),
  attempt: z.number().int(),
  lease_expires_at: z.string(),
  lease_ttl_seconds: z.number().int(),
  provider: Provider,
  account: z.string(),
  /** The region all work items share, or `*` when they span several or list account-wide. */
  region: z.string(),
  /** For account-wide listings: keep only resources in these regions (plus `global`). */
  regions: z.array(z.string()),
  work: z.array(WorkItem).min(1),
  /** Stop after about this many resources and hand the rest back through `remaining`. */
  shard_size: z.number().int(),
});
export type Lease = z.infer<typeof Lease>;

export const LeaseToken = z.object({ lease_id: z.string().min(1) });

export const HeartbeatRequest = LeaseToken;
export const HeartbeatResponse = z.object({ lease_expires_at: z.string() });

export const ResultsChunk = LeaseToken.extend({
  sequence: z.number().int().min(0),
  resources: z.array(DiscoveredResource).max(MAX_CHUNK_RESOURCES),
});
export type ResultsChunk = z.infer<typeof ResultsChunk>;
export const ResultsResponse = z.object({ accepted: z.number().int(), duplicate: z.boolean() });

export const CompleteRequest = LeaseToken.extend({
  /** Resources sent in this attempt's chunks; checked against what the gateway stored. */
  resource_count: z.number().int().min(0),
  /**
   * Work not done because the shard reached shard_size; becomes new shards: the listing in
   * progress (its items with a cursor) and the listings not begun, apart. A region's shard lists
   * about 200 types (EC2 and Cloud Control), all of which may be left.
   */
  remaining: z.array(WorkItem).max(1000).optional(),
});
export type CompleteRequest = z.infer<typeof CompleteRequest>;
export const CompleteResponse = z.object({
  shard_id: z.string(),
  status: z.literal('succeeded'),
  /** The first shard the remaining work became: the listing in progress when one was. */
  continuation_shard_id: z.string().optional(),
});

export const FailRequest = LeaseToken.extend({
  reason: z.string().min(1).max(2000),
  /** False for errors that a retry will not change (access denied, unknown type). */
  retryable: z.boolean().default(true),
});
export type FailRequest = z.infer<typeof FailRequest>;
export const FailResponse = z.object({
  status: z.enum(['pending', 'failed']),
  next_attempt_at: z.string().optional(),
});

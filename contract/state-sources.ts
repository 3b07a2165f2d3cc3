import { z } from 'zod';
import { AccountId, LeaseRequest } from './agent-protocol.js';
import { Provider } from './resource.js';
import { parseStateLocation, StateSourceType } from './state-locations.js';
import { ImportedState } from './states.js';

/** State sources one deployment may keep. */
export const MAX_STATE_SOURCES = 1000;

/**
 * A place Terraform keeps state, read by the agents of `provider`/`account` with the
 * credentials they hold: the gateway never sees cloud credentials. `schedule` (five-field UTC
 * cron) reads it again periodically; without one it is read once, and on POST …/read.
 */
export const StateSourceRequest = z
  .object({
    type: StateSourceType,
    location: z.string().min(1).max(1000),
    provider: Provider,
    account: AccountId,
    schedule: z.string().min(1).max(200).optional(),
    /** Let a state of another lineage (or an older serial) replace the stored one of its name. */
    replace_other_lineage: z.boolean().default(false),
  })
  .superRefine((req, ctx) => {
    const parsed = parseStateLocation(req.type, req.location);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['location'], message: parsed.message });
  });
export type StateSourceRequest = z.infer<typeof StateSourceRequest>;

export const StateSourceCreated = z.object({
  source_id: z.string(),
  next_read_at: z.string().nullable(),
});

/**
 * What one read made of each state object it found: stored, unchanged (same lineage and serial),
 * queued (too large to read while the upload waited: imported in the background, see
 * GET /api/v1/imports/{id}), refused (another lineage or an older serial), invalid (no state).
 */
export const StateReadOutcome = z.enum(['stored', 'unchanged', 'queued', 'refused', 'invalid']);
export type StateReadOutcome = z.infer<typeof StateReadOutcome>;

export const StateReadCounts = z.object({
  stored: z.number().int(),
  unchanged: z.number().int(),
  queued: z.number().int(),
  refused: z.number().int(),
  invalid: z.number().int(),
});
export type StateReadCounts = z.infer<typeof StateReadCounts>;

/** How the last read ended: its counts, and the first problems of objects not stored. */
export const StateReadSummary = z.object({
  at: z.string(),
  status: z.enum(['succeeded', 'failed']),
  error: z.string().nullable(),
  counts: StateReadCounts,
  problems: z.array(z.object({ name: z.string(), outcome: StateReadOutcome, message: z.string() })),
});
export type StateReadSummary = z.infer<typeof StateReadSummary>;

export const StateSourceView = z.object({
  source_id: z.string(),
  type: StateSourceType,
  location: z.string(),
  provider: Provider,
  account: z.string(),
  schedule: z.string().nullable(),
  replace_other_lineage: z.boolean(),
  created_at: z.string(),
  /** When an agent of the account may next read it; null when no read is due (no schedule). */
  next_read_at: z.string().nullable(),
  /** An agent holds a read of it now. */
  reading: z.boolean(),
  last_read: StateReadSummary.nullable(),
});
export type StateSourceView = z.infer<typeof StateSourceView>;

export const StateSourceList = z.object({ state_sources: z.array(StateSourceView) });

// ---- The agent side: leasing a read, uploading each state, completing ----

/** What an agent may read: the same identity and proof as a shard lease. */
export const StateLeaseRequest = LeaseRequest.pick({
  agent_id: true,
  provider: true,
  account: true,
  wait_seconds: true,
  proof: true,
});
export type StateLeaseRequest = z.infer<typeof StateLeaseRequest>;

/** A state DriftMgr holds for the source: an object found with the same lineage and serial need not be sent. */
export const KnownState = z.object({
  workspace: z.string(),
  name: z.string(),
  lineage: z.string().nullable(),
  serial: z.number().int().nullable(),
});
export type KnownState = z.infer<typeof KnownState>;

export const StateReadLease = z.object({
  source_id: z.string(),
  lease_id: z.string(),
  attempt: z.number().int(),
  lease_expires_at: z.string(),
  lease_ttl_seconds: z.number().int(),
  type: StateSourceType,
  location: z.string(),
  known: z.array(KnownState),
});
export type StateReadLease = z.infer<typeof StateReadLease>;

/** The answer to one uploaded state: stored (a new version), or unchanged (nothing written). */
export const StateUploadResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('stored'), state: ImportedState }),
  z.object({ outcome: z.literal('unchanged'), state_id: z.string() }),
  z.object({ outcome: z.literal('queued'), import_id: z.string() }),
]);
export type StateUploadResult = z.infer<typeof StateUploadResult>;

export const StateReadComplete = z.object({
  lease_id: z.string().min(1),
  /** Each state object found, and what became of it. */
  states: z
    .array(
      z.object({ name: z.string().max(2000), outcome: StateReadOutcome, message: z.string().max(2000).optional() }),
    )
    .max(10_000),
});
export type StateReadComplete = z.infer<typeof StateReadComplete>;

export const StateReadFail = z.object({
  lease_id: z.string().min(1),
  reason: z.string().min(1).max(2000),
  /** False for errors a retry will not change (access denied, no such bucket). */
  retryable: z.boolean().default(true),
});
export type StateReadFail = z.infer<typeof StateReadFail>;

export const StateReadFinished = z.object({
  source_id: z.string(),
  /** `pending`: the read is retried at next_read_at; `failed`/`succeeded`: it ended. */
  status: z.enum(['succeeded', 'pending', 'failed']),
  next_read_at: z.string().nullable(),
});
export type StateReadFinished = z.infer<typeof StateReadFinished>;

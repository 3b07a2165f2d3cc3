import { z } from 'zod';

/** The one error shape of every API response that is not a 2xx. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Machine-readable error codes clients may branch on. */
export const ErrorCode = {
  badRequest: 'bad_request',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  /** The agent token requires proof of its account and the lease carried none. */
  proofRequired: 'proof_required',
  /** The lease's proof of account could not be checked or was refused by the cloud. */
  proofInvalid: 'proof_invalid',
  notFound: 'not_found',
  leaseConflict: 'lease_conflict',
  leaseExpired: 'lease_expired',
  jobFinished: 'job_finished',
  shardFinished: 'shard_finished',
  chunksMissing: 'chunks_missing',
  unprocessable: 'unprocessable',
  stateConflict: 'state_conflict',
  /** A tenant of that name exists already. */
  tenantExists: 'tenant_exists',
  payloadTooLarge: 'payload_too_large',
  tooManyStreams: 'too_many_streams',
  /** A token or client address spent its request budget; Retry-After says when to come back. */
  rateLimited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'internal',
} as const;

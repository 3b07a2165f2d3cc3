import { z } from 'zod';

/**
 * The tenant every object belongs to when nobody says otherwise: the bootstrap token's, and
 * that of tokens made without a tenant, so a single-tenant deployment never names one.
 */
export const DEFAULT_TENANT = 'default';

/** A tenant id as tokens carry it: lower-case letters, digits, - and _. */
export const TenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, - and _, at most 63 characters');

export const TenantCreateRequest = z.object({ name: z.string().trim().min(1).max(100) });
export type TenantCreateRequest = z.infer<typeof TenantCreateRequest>;

export const Tenant = z.object({ tenant_id: TenantId, name: z.string(), created_at: z.string() });
export type Tenant = z.infer<typeof Tenant>;

export const TenantList = z.object({ tenants: z.array(Tenant) });

import { z } from 'zod';

export const Provider = z.enum(['aws', 'azure', 'gcp']);
export type Provider = z.infer<typeof Provider>;

/**
 * One resource as an agent discovered it. `attributes` keep the cloud API's own shape
 * (EC2 Query API objects as the AWS SDK returns them, ARM resource JSON, the Compute/Storage
 * JSON inside a Cloud Asset `resource.data`), so nothing is lost before the drift engine
 * maps Terraform attributes onto them.
 */
export const DiscoveredResource = z.object({
  provider: Provider,
  account: z.string().min(1).max(200),
  /** Cloud region or zone the resource lives in; `global` for resources without one. */
  region: z.string().min(1).max(100),
  /** Cloud-native type name from contract/resource-types.ts, e.g. `AWS::EC2::Instance`. */
  type: z.string().min(1).max(200),
  id: z.string().min(1).max(2048),
  name: z.string().max(1024).optional(),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.record(z.string(), z.string()).default({}),
});
export type DiscoveredResource = z.infer<typeof DiscoveredResource>;

/** The stable identity of a resource across jobs: provider, account, region, type, id. */
export function resourceKey(r: Pick<DiscoveredResource, 'provider' | 'account' | 'region' | 'type' | 'id'>): string {
  return [r.provider, r.account, r.region, r.type, r.id].join('|');
}

import type { Condition } from './condition.js';

/**
 * Resources the cloud creates by itself. Nobody writes Terraform for them, so they are never
 * reported as unmanaged (driftctl's most-reported false positive).
 */
export interface DefaultResourceRule {
  cloudType: string;
  reason: string;
  when?: Condition;
  /** Or (or also): the resource's id matches this case-insensitive glob. */
  idMatches?: string;
  /** Also requires the resource to belong to a default VPC (its path holds the VPC id). */
  inDefaultVpc?: string;
}

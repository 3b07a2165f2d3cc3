import type { Provider } from '../resource.js';
import { AWS_EXISTENCE_ROWS, AWS_GLOBAL_TYPES } from './aws.js';
import { AZURE_EXISTENCE_ROWS, AZURE_GLOBAL_TYPES } from './azure.js';
import { GCP_EXISTENCE_ROWS } from './gcp.js';
import { type ExistenceRow, templateAttributes } from './types.js';

/**
 * The existence-level table: every Terraform type DriftMgr finds in the clouds' generic
 * inventories (Cloud Control, Resource Graph, Cloud Asset), with the rule that matches a state
 * instance to its cloud resource. Types mapped attribute by attribute (engine/mappings) take
 * precedence over a row here.
 */
export const EXISTENCE_ROWS: readonly ExistenceRow[] = [
  ...AWS_EXISTENCE_ROWS,
  ...AZURE_EXISTENCE_ROWS,
  ...GCP_EXISTENCE_ROWS,
];

/**
 * State attributes that say where an existence-level resource lives (its account and region,
 * beside what its id holds); the engine reads these and no others.
 */
export const PLACEMENT_ATTRIBUTES: Readonly<Record<Provider, readonly string[]>> = {
  aws: ['arn', 'region'],
  azure: ['location'],
  gcp: ['project', 'region', 'zone', 'location'],
};

const GLOBAL_TYPES: Readonly<Record<Provider, ReadonlySet<string>>> = {
  aws: AWS_GLOBAL_TYPES,
  azure: AZURE_GLOBAL_TYPES,
  gcp: new Set(),
};

/** Whether the cloud keeps this type's resources outside any region (IAM, DNS zones, CloudFront). */
export function isGlobalType(provider: Provider, cloudType: string): boolean {
  return GLOBAL_TYPES[provider].has(cloudType);
}

const byTfType = new Map(EXISTENCE_ROWS.map((row) => [row.tfType, row]));

export function existenceRow(tfType: string): ExistenceRow | undefined {
  return byTfType.get(tfType);
}

/**
 * The state attributes an existence-level type needs to be matched and placed: those its id
 * rule reads, `id`, and its provider's placement attributes. Empty for a type not in the table.
 * State pruning keeps these for Terraform types with no attribute-level mapping.
 */
export function existenceIdAttributes(tfType: string): string[] {
  const row = byTfType.get(tfType);
  if (!row) return [];
  return [...new Set(['id', ...templateAttributes(row.id), ...PLACEMENT_ATTRIBUTES[row.provider]])];
}

export type { ExistenceRow } from './types.js';
export { parseTemplate, renderTemplate, templateAttributes } from './types.js';

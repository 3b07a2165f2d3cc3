import { EXISTENCE_ROWS, type ExistenceRow, isGlobalType } from '../../contract/existence/index.js';
import type { Provider } from '../../contract/resource.js';
import { SPLIT_CHILD_TYPES } from '../split/families.js';
import type { IdKind, ScopeSource, TypeMapping } from './types.js';

/**
 * Existence-level mappings from the table in contract/existence: no attributes, an id rendered
 * from the state by the row's template, and the account and region read from the placement
 * attributes (contract/existence PLACEMENT_ATTRIBUTES) or the id itself.
 */

const GLOBAL: ScopeSource = { from: 'fixed', value: 'global' };

interface ProviderRule {
  kind: IdKind;
  account: ScopeSource[];
  /** Where a regional resource's region comes from. */
  region: ScopeSource[];
}

const RULES: Record<Provider, ProviderRule> = {
  // An ARN carries account and region; the provider alias supplies them when there is none.
  aws: {
    kind: 'exact',
    account: [{ from: 'arn' }],
    region: [{ from: 'arn' }, { from: 'attr', path: 'region', form: 'as-is' }],
  },
  // ARM ids compare case-insensitively; a child without a location takes its parent's (managed.ts).
  azure: {
    kind: 'azure',
    account: [{ from: 'azure-id' }],
    region: [{ from: 'attr', path: 'location', form: 'azure-location' }],
  },
  // Cloud Asset reports a resource's zone, region or location, else `global` (Pub/Sub, IAM, DNS).
  gcp: {
    kind: 'gcp-asset',
    account: [{ from: 'attr', path: 'project', form: 'as-is' }, { from: 'gcp-id' }],
    region: [
      { from: 'gcp-id' },
      { from: 'attr', path: 'zone', form: 'as-is' },
      { from: 'attr', path: 'region', form: 'lower' },
      { from: 'attr', path: 'location', form: 'lower' },
      GLOBAL,
    ],
  },
};

function existenceMapping(row: ExistenceRow): TypeMapping {
  const rule = RULES[row.provider];
  return {
    provider: row.provider,
    tfType: row.tfType,
    cloudType: row.cloudType,
    level: 'existence',
    id: { tf: 'id', kind: rule.kind, template: row.id },
    account: rule.account,
    region: isGlobalType(row.provider, row.cloudType) ? [GLOBAL] : rule.region,
    attributes: [],
  };
}

/**
 * Existence-level mappings for the rows no attribute-level mapping covers: attribute-level
 * mappings win for a Terraform type and for a cloud type, so a type is never matched twice. A
 * split family's child (split/families.ts) is compared as part of its parent, never on its own.
 */
export function existenceMappings(attributeLevel: readonly TypeMapping[]): TypeMapping[] {
  const tfTypes = new Set(attributeLevel.map((m) => m.tfType));
  const cloudTypes = new Set(attributeLevel.map((m) => `${m.provider}|${m.cloudType}`));
  return EXISTENCE_ROWS.filter(
    (row) =>
      !tfTypes.has(row.tfType) &&
      !SPLIT_CHILD_TYPES.has(row.tfType) &&
      !cloudTypes.has(`${row.provider}|${row.cloudType}`),
  ).map(existenceMapping);
}

/**
 * The noise rules catalog: every kind of difference between Terraform state and a cloud API
 * that is not drift. Each rule is data with an id the reports cite (`noise_rule`) and a reason.
 */
export interface NoiseRule {
  id: string;
  description: string;
}

export const NOISE_RULES = [
  { id: 'order-insensitive', description: 'Lists that are sets: element order carries no meaning.' },
  { id: 'empty-equivalent', description: 'null, "", [] and {} all mean "not set".' },
  {
    id: 'aws-provider-tags',
    description: 'Tags AWS adds itself (`aws:*`, e.g. CloudFormation, Auto Scaling) are not managed by Terraform.',
  },
  { id: 'gcp-provider-labels', description: 'Labels Google adds itself (`goog-*`) are not managed by Terraform.' },
  { id: 'azure-tag-key-case', description: 'Azure tag names are case-insensitive.' },
  {
    id: 'cidr-format',
    description: 'The same address range written differently (/32 omitted, IPv6 compression, case).',
  },
  { id: 'azure-id-case', description: 'Azure resource ids are case-insensitive (resourceGroups vs resourcegroups).' },
  {
    id: 'azure-location-format',
    description: 'Azure locations: display name vs programmatic name ("East US" vs eastus).',
  },
  { id: 'case-insensitive', description: 'Enumerations the cloud treats case-insensitively (SKUs, bucket locations).' },
  { id: 'gcp-self-link', description: 'GCP references as full self links vs relative resource paths.' },
  {
    id: 'gcp-name-from-link',
    description: 'GCP references as self links vs bare names (machine types, zones, disk types).',
  },
  { id: 'arn-to-name', description: 'A reference given as an ARN in one place and as a name in the other.' },
  {
    id: 'json-document',
    description: 'JSON documents (policies) compared as data: whitespace, key order, single values vs lists.',
  },
  { id: 'aws-local-route', description: 'The VPC-local route every route table has; Terraform does not list it.' },
  {
    id: 'aws-nacl-default-rule',
    description:
      'The catch-all deny rules (32767, and 32768 for IPv6) every network ACL has; Terraform does not list them.',
  },
  { id: 'tags-all', description: 'Provider default_tags: compare the cloud with tags_all, not tags.' },
  {
    id: 'cloud-default',
    description: 'The attribute is unset in configuration and the cloud reports its default value.',
  },
  { id: 'computed', description: 'Computed by the cloud, never set by configuration.' },
  {
    id: 'volatile',
    description: 'Changes at run time without a configuration change (power state, ephemeral values).',
  },
  {
    id: 'volatile-when-present',
    description:
      'An ephemeral value that changed (e.g. a public IP after stop/start); appearing or disappearing is still drift.',
  },
  {
    id: 'undeclared-elements',
    description:
      'Elements of a list no state declares (a route table association made outside Terraform): Terraform manages each element as a resource of its own, and only declared ones are compared.',
  },
  { id: 'not-listed-by-api', description: 'The list API does not return this attribute, so its absence says nothing.' },
] as const satisfies readonly NoiseRule[];

export type NoiseRuleId = (typeof NOISE_RULES)[number]['id'];

const byId = new Map<string, NoiseRule>(NOISE_RULES.map((r) => [r.id, r]));

export function noiseRule(id: string): NoiseRule | undefined {
  return byId.get(id);
}

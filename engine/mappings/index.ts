import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { getPath } from '../util/path.js';
import { AWS_MAPPINGS } from './aws.js';
import { AWS_CLOUD_CONTROL_MAPPINGS } from './aws-cloud-control.js';
import { AWS_S3_IAM_MAPPINGS } from './aws-s3-iam.js';
import { AZURE_MAPPINGS } from './azure.js';
import { AZURE_INVENTORY_MAPPINGS } from './azure-inventory.js';
import { existenceMappings } from './existence.js';
import { GCP_MAPPINGS } from './gcp.js';
import { GCP_IAM_MAPPINGS } from './gcp-iam.js';
import { GCP_INVENTORY_MAPPINGS } from './gcp-inventory.js';
import type { TypeMapping } from './types.js';

const ATTRIBUTE_MAPPINGS: readonly TypeMapping[] = [
  ...AWS_MAPPINGS,
  ...AWS_CLOUD_CONTROL_MAPPINGS,
  ...AWS_S3_IAM_MAPPINGS,
  ...AZURE_MAPPINGS,
  ...GCP_MAPPINGS,
  ...AZURE_INVENTORY_MAPPINGS,
  ...GCP_INVENTORY_MAPPINGS,
  ...GCP_IAM_MAPPINGS,
];

/** Attribute-level mappings first, then the existence-level types none of them covers. */
export const MAPPINGS: readonly TypeMapping[] = [...ATTRIBUTE_MAPPINGS, ...existenceMappings(ATTRIBUTE_MAPPINGS)];

const byTfType = new Map(MAPPINGS.map((m) => [m.tfType, m]));
const byCloudType = new Map<string, TypeMapping[]>();
for (const m of MAPPINGS) {
  const key = `${m.provider}|${m.cloudType}`;
  byCloudType.set(key, [...(byCloudType.get(key) ?? []), m]);
}

export function mappingForTfType(tfType: string): TypeMapping | undefined {
  return byTfType.get(tfType);
}

export function mappingsForCloudType(provider: Provider, cloudType: string): readonly TypeMapping[] {
  return byCloudType.get(`${provider}|${cloudType}`) ?? [];
}

/** The Terraform type a discovered resource would be written as (codify, .driftignore). */
export function mappingForResource(
  resource: Pick<DiscoveredResource, 'provider' | 'type' | 'attributes'>,
): TypeMapping | undefined {
  const candidates = mappingsForCloudType(resource.provider, resource.type);
  return (
    candidates.find(
      (m) => m.codifyWhen && getPath(resource.attributes, m.codifyWhen.cloudPath) === m.codifyWhen.equals,
    ) ??
    candidates.find((m) => !m.codifyWhen) ??
    candidates[0]
  );
}

export type { AttributeMap, TypeMapping } from './types.js';

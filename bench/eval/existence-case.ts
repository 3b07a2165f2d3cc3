import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';

/**
 * Existence-level types, hand-written: resources matched by the identifier their id rule
 * renders (a name, an ARN, a queue URL, an ARM id in another case, a Cloud Asset name), one
 * deleted, two made by hand, and one the cloud made itself.
 */

const ACCOUNT = '111122223333';
const SUBSCRIPTION = '00000000-0000-0000-0000-0000000000e1';
const PROJECT = 'shop-prod';
const PROVIDERS: Record<Provider, string> = {
  aws: 'provider["registry.terraform.io/hashicorp/aws"]',
  azure: 'provider["registry.terraform.io/hashicorp/azurerm"]',
  gcp: 'provider["registry.terraform.io/hashicorp/google"]',
};

const listed = (provider: Provider, type: string, id: string, region: string): DiscoveredResource => ({
  provider,
  account: provider === 'aws' ? ACCOUNT : provider === 'azure' ? SUBSCRIPTION : PROJECT,
  region,
  type,
  id,
  attributes: {},
  tags: {},
});

const resource = (provider: Provider, type: string, name: string, attributes: Record<string, unknown>) =>
  stateResource(PROVIDERS[provider], type, name, attributes);

const queue = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
const topic = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;
const CACHE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/Shop/providers/Microsoft.Cache/Redis/shop-cache`;
const ASSET = (path: string) => `//${path}`;

export function existenceLevel(): EvalCase {
  const state = {
    version: 4,
    terraform_version: '1.9.8',
    serial: 3,
    lineage: 'e0c2a1f4-0000-4000-8000-0000000000e1',
    outputs: {},
    resources: [
      resource('aws', 'aws_iam_role', 'app', { id: 'app', name: 'app', arn: `arn:aws:iam::${ACCOUNT}:role/app` }),
      resource('aws', 'aws_s3_bucket', 'logs', { id: 'shop-logs', bucket: 'shop-logs', arn: 'arn:aws:s3:::shop-logs' }),
      resource('aws', 'aws_sqs_queue', 'jobs', {
        id: queue('jobs'),
        url: queue('jobs'),
        arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`,
      }),
      resource('azure', 'azurerm_redis_cache', 'cache', {
        id: CACHE.toLowerCase(),
        name: 'shop-cache',
        location: 'westeurope',
      }),
      resource('gcp', 'google_bigquery_dataset', 'orders', {
        id: `projects/${PROJECT}/datasets/orders`,
        dataset_id: 'orders',
        project: PROJECT,
      }),
    ],
  };
  const inventory = [
    listed('aws', 'AWS::IAM::Role', 'app', 'global'),
    listed('aws', 'AWS::S3::Bucket', 'shop-logs', 'global'),
    listed('aws', 'AWS::SNS::Topic', topic('hand-made'), 'us-east-1'),
    listed('aws', 'AWS::KMS::Alias', 'alias/aws/s3', 'us-east-1'),
    listed('azure', 'Microsoft.Cache/Redis', CACHE, 'westeurope'),
    listed(
      'gcp',
      'bigquery.googleapis.com/Dataset',
      ASSET(`bigquery.googleapis.com/projects/${PROJECT}/datasets/orders`),
      'global',
    ),
    listed(
      'gcp',
      'iam.googleapis.com/ServiceAccount',
      ASSET(`iam.googleapis.com/projects/${PROJECT}/serviceAccounts/1047`),
      'global',
    ),
  ];
  return {
    name: 'existence-level types',
    states: [parseTerraformState(JSON.stringify(state), 'existence.tfstate')],
    inventory,
    expected: {
      drift: [
        { kind: 'missing', address: 'aws_sqs_queue.jobs', id: queue('jobs') },
        { kind: 'unmanaged', id: topic('hand-made') },
        { kind: 'unmanaged', id: ASSET(`iam.googleapis.com/projects/${PROJECT}/serviceAccounts/1047`) },
      ],
      noise: [],
    },
  };
}

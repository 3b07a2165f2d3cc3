import { describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../contract/resource.js';
import { analyze } from './analyze.js';
import { mappingForResource, mappingForTfType } from './mappings/index.js';
import type { CoverageScope } from './scope.js';
import { parseTerraformState } from './state/parse.js';

/**
 * Existence-level types, matched by the id rules of contract/existence: hand-written states
 * and inventories as Cloud Control, Resource Graph and Cloud Asset list them.
 */

const ACCOUNT = '111122223333';
const SUBSCRIPTION = '00000000-0000-0000-0000-00000000000a';
const PROJECT = 'shop-prod';

const listed = (
  provider: Provider,
  type: string,
  id: string,
  region: string,
  attributes: Record<string, unknown> = {},
): DiscoveredResource => ({
  provider,
  account: provider === 'aws' ? ACCOUNT : provider === 'azure' ? SUBSCRIPTION : PROJECT,
  region,
  type,
  id,
  attributes,
  tags: {},
});

const PROVIDERS: Record<Provider, string> = {
  aws: 'provider["registry.terraform.io/hashicorp/aws"]',
  azure: 'provider["registry.terraform.io/hashicorp/azurerm"]',
  gcp: 'provider["registry.terraform.io/hashicorp/google"]',
};

function state(provider: Provider, resources: { type: string; name: string; attributes: Record<string, unknown> }[]) {
  return parseTerraformState({
    version: 4,
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: PROVIDERS[provider],
      instances: [{ attributes: r.attributes }],
    })),
  });
}

const role = (name: string) => ({ id: name, name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` });
const profile = (name: string) => ({
  id: name,
  name,
  arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`,
});
const topicArn = (name: string) => `arn:aws:sns:us-east-1:${ACCOUNT}:${name}`;
const cluster = (name: string) => ({
  id: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${name}`,
  arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${name}`,
  name,
});
const VAULT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/Security/providers/Microsoft.KeyVault/vaults/shop-kv`;

describe('existence-level matching', () => {
  it('matches AWS resources by the Cloud Control identifier the state spells: a name, an ARN', () => {
    const report = analyze({
      states: [
        state('aws', [
          { type: 'aws_iam_role', name: 'app', attributes: role('app') },
          { type: 'aws_sns_topic', name: 'orders', attributes: { id: topicArn('orders'), arn: topicArn('orders') } },
          { type: 'aws_ecs_cluster', name: 'web', attributes: cluster('web') },
        ]),
      ],
      inventory: [
        listed('aws', 'AWS::IAM::Role', 'app', 'global', { RoleName: 'app' }),
        listed('aws', 'AWS::SNS::Topic', topicArn('orders'), 'us-east-1', { TopicArn: topicArn('orders') }),
        listed('aws', 'AWS::ECS::Cluster', 'web', 'us-east-1', { ClusterName: 'web' }),
      ],
    });
    expect(report.items).toEqual([]);
    expect(report.summary).toMatchObject({ managed: 3, in_sync: 3, missing: 0, unmanaged: 0, unsupported_types: {} });
  });

  it('reports a state resource the inventory lacks as missing, placed by its ARN or as global', () => {
    const report = analyze({
      states: [
        state('aws', [
          { type: 'aws_iam_role', name: 'gone', attributes: role('gone') },
          { type: 'aws_ecs_cluster', name: 'batch', attributes: cluster('batch') },
        ]),
      ],
      inventory: [],
    });
    const missing = report.items.map((i) => [i.kind, i.tf_type, i.address, i.id, i.account, i.region]);
    expect(missing).toEqual(
      expect.arrayContaining([
        ['missing', 'aws_iam_role', 'aws_iam_role.gone', 'gone', ACCOUNT, 'global'],
        ['missing', 'aws_ecs_cluster', 'aws_ecs_cluster.batch', 'batch', ACCOUNT, 'us-east-1'],
      ]),
    );
    expect(report.items.every((i) => i.changes.length === 0)).toBe(true);
  });

  it('reports a listed resource no state has as unmanaged, under the first Terraform type of its cloud type', () => {
    const report = analyze({
      states: [],
      inventory: [
        listed('aws', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'arn:aws:elasticloadbalancing:x', 'us-east-1'),
      ],
    });
    expect(report.items).toMatchObject([
      { kind: 'unmanaged', tf_type: 'aws_lb', cloud_type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    ]);
  });

  it('reports no drift for a matched resource however its listed attributes differ from the state', () => {
    const report = analyze({
      states: [
        state('aws', [
          { type: 'aws_iam_instance_profile', name: 'app', attributes: { ...profile('app'), path: '/old/' } },
        ]),
      ],
      inventory: [
        listed('aws', 'AWS::IAM::InstanceProfile', 'app', 'global', {
          InstanceProfileName: 'app',
          Path: '/new/',
          Roles: ['other'],
        }),
      ],
      mode: 'full',
    });
    expect(report.items).toEqual([]);
    expect(report.summary.changed).toBe(0);
  });

  it('matches ARM ids whatever their case, and places a resource by its location', () => {
    const lower = VAULT.replace('/resourceGroups/Security/', '/resourcegroups/security/');
    const present = analyze({
      states: [
        state('azure', [{ type: 'azurerm_key_vault', name: 'kv', attributes: { id: lower, location: 'West Europe' } }]),
      ],
      inventory: [listed('azure', 'Microsoft.KeyVault/vaults', VAULT, 'westeurope')],
    });
    expect(present.summary).toMatchObject({ managed: 1, missing: 0, unmanaged: 0 });
    const gone = analyze({
      states: [
        state('azure', [{ type: 'azurerm_key_vault', name: 'kv', attributes: { id: lower, location: 'West Europe' } }]),
      ],
      inventory: [],
    });
    expect(gone.items).toMatchObject([{ kind: 'missing', account: SUBSCRIPTION, region: 'westeurope' }]);
  });

  it('matches Cloud Asset names built from the state: a topic by project and name, a service account by unique id', () => {
    const report = analyze({
      states: [
        state('gcp', [
          {
            type: 'google_pubsub_topic',
            name: 'orders',
            attributes: { id: `projects/${PROJECT}/topics/orders`, name: 'orders', project: PROJECT },
          },
          {
            type: 'google_service_account',
            name: 'app',
            attributes: {
              id: `projects/${PROJECT}/serviceAccounts/app@${PROJECT}.iam.gserviceaccount.com`,
              project: PROJECT,
              unique_id: '104729',
              name: `projects/${PROJECT}/serviceAccounts/app@${PROJECT}.iam.gserviceaccount.com`,
            },
          },
        ]),
      ],
      inventory: [
        listed(
          'gcp',
          'pubsub.googleapis.com/Topic',
          `//pubsub.googleapis.com/projects/${PROJECT}/topics/orders`,
          'global',
          { name: `projects/${PROJECT}/topics/orders` },
        ),
        listed(
          'gcp',
          'iam.googleapis.com/ServiceAccount',
          `//iam.googleapis.com/projects/${PROJECT}/serviceAccounts/104729`,
          'global',
          {
            email: `app@${PROJECT}.iam.gserviceaccount.com`,
            uniqueId: '104729',
          },
        ),
        listed(
          'gcp',
          'pubsub.googleapis.com/Topic',
          `//pubsub.googleapis.com/projects/${PROJECT}/topics/hand-made`,
          'global',
        ),
      ],
    });
    expect(report.items.map((i) => [i.kind, i.address, i.id])).toEqual([
      ['unmanaged', 'google_pubsub_topic.hand-made', `//pubsub.googleapis.com/projects/${PROJECT}/topics/hand-made`],
    ]);
    expect(report.summary.managed).toBe(2);
  });

  it('never reports missing where discovery did not look', () => {
    const scopes: CoverageScope[] = [
      { provider: 'aws', account: ACCOUNT, type: 'AWS::ECS::Cluster', regions: ['eu-west-1'] },
    ];
    const report = analyze({
      states: [state('aws', [{ type: 'aws_ecs_cluster', name: 'web', attributes: cluster('web') }])],
      inventory: [],
      scopes,
    });
    expect(report.items).toEqual([]);
    expect(report.summary.not_covered).toBe(1);
  });

  it('skips resources the cloud creates itself instead of calling them unmanaged', () => {
    const report = analyze({
      states: [],
      inventory: [
        listed('aws', 'AWS::KMS::Alias', 'alias/aws/ebs', 'us-east-1'),
        listed('aws', 'AWS::IAM::Role', 'AWSServiceRoleForECS', 'global'),
      ],
    });
    expect(report.items).toEqual([]);
    expect(report.summary.default_resources_skipped).toBe(2);
  });
});

describe('attribute-level mappings win over the existence table', () => {
  it('keeps EC2 and IAM types and their Terraform types at the attribute level', () => {
    expect(mappingForTfType('aws_instance')?.level).toBe('attributes');
    expect(mappingForTfType('aws_iam_role')?.level).toBe('attributes');
    expect(mappingForTfType('aws_iam_instance_profile')?.level).toBe('existence');
    const vm = listed('aws', 'AWS::EC2::Instance', 'i-1', 'us-east-1', { InstanceId: 'i-1' });
    expect(mappingForResource(vm)?.level).toBe('attributes');
  });
});

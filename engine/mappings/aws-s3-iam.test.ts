import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { analyze } from '../analyze.js';
import { parseTerraformState } from '../state/parse.js';
import { stateIdOf } from './identity.js';
import { mappingForTfType } from './index.js';

/**
 * The S3 and IAM mappings on hand-written pairs: a Terraform state entry and the resource the
 * agent makes of S3's or IAM's answer for the same object. Equal pairs give no drift whatever
 * the spelling; a changed one is drift with the risk it carries.
 */

const ACCOUNT = '111122223333';
type Attrs = Record<string, unknown>;

const cloud = (type: string, id: string, attributes: Attrs, region = 'global'): DiscoveredResource => ({
  provider: 'aws',
  account: ACCOUNT,
  region,
  type,
  id,
  attributes,
  tags: {},
});

const BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Cdn',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::web/*',
    },
  ],
};

/** [Terraform type, state attributes, the same object as discovered]. */
const PAIRS: [string, Attrs, DiscoveredResource][] = [
  [
    'aws_s3_bucket',
    {
      id: 'web',
      bucket: 'web',
      arn: 'arn:aws:s3:::web',
      region: 'eu-west-1',
      tags: { Env: 'prod' },
      tags_all: { Env: 'prod' },
    },
    cloud(
      'AWS::S3::Bucket',
      'web',
      { Name: 'web', Region: 'eu-west-1', Arn: 'arn:aws:s3:::web', Tags: [{ Key: 'Env', Value: 'prod' }] },
      'eu-west-1',
    ),
  ],
  [
    'aws_s3_bucket_policy',
    { id: 'web', bucket: 'web', policy: JSON.stringify(BUCKET_POLICY) },
    cloud(
      'AWS::S3::BucketPolicy',
      'web',
      {
        Bucket: 'web',
        Policy: JSON.stringify({
          ...BUCKET_POLICY,
          Statement: [
            {
              ...BUCKET_POLICY.Statement[0],
              Principal: { Service: ['cloudfront.amazonaws.com'] },
              Action: ['s3:GetObject'],
            },
          ],
        }),
      },
      'eu-west-1',
    ),
  ],
  [
    'aws_s3_bucket_public_access_block',
    {
      id: 'web',
      bucket: 'web',
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: false,
    },
    cloud(
      'AWS::S3::BucketPublicAccessBlock',
      'web',
      {
        Bucket: 'web',
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: false,
      },
      'eu-west-1',
    ),
  ],
  [
    'aws_s3_bucket_server_side_encryption_configuration',
    {
      id: 'web',
      bucket: 'web',
      rule: [
        {
          apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/web' }],
          bucket_key_enabled: true,
        },
      ],
    },
    cloud(
      'AWS::S3::BucketEncryption',
      'web',
      {
        Bucket: 'web',
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/web' },
            BucketKeyEnabled: true,
          },
        ],
      },
      'eu-west-1',
    ),
  ],
  [
    'aws_s3_bucket_versioning',
    { id: 'web', bucket: 'web', versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }] },
    cloud('AWS::S3::BucketVersioning', 'web', { Bucket: 'web', Status: 'Enabled' }, 'eu-west-1'),
  ],
  [
    'aws_iam_role',
    {
      id: 'api',
      name: 'api',
      arn: `arn:aws:iam::${ACCOUNT}:role/api`,
      path: '/',
      assume_role_policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]}',
      tags: {},
    },
    cloud('AWS::IAM::Role', 'api', {
      RoleName: 'api',
      Arn: `arn:aws:iam::${ACCOUNT}:role/api`,
      Path: '/',
      AssumeRolePolicyDocument: encodeURIComponent(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}',
      ),
      Tags: [],
    }),
  ],
  [
    'aws_iam_role_policy_attachment',
    { id: 'api-20250101000000000000000001', role: 'api', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    cloud('AWS::IAM::RolePolicyAttachment', 'api/arn:aws:iam::aws:policy/ReadOnlyAccess', {
      RoleName: 'api',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    }),
  ],
  [
    'aws_iam_role_policy',
    {
      id: 'api:inline',
      role: 'api',
      name: 'inline',
      policy: '{"Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}}',
    },
    cloud('AWS::IAM::RolePolicy', 'api:inline', {
      RoleName: 'api',
      PolicyName: 'inline',
      PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["*"]}]}',
    }),
  ],
];

function stateOf(entries: [string, Attrs][]): ReturnType<typeof parseTerraformState> {
  const state = {
    version: 4,
    terraform_version: '1.9.8',
    serial: 1,
    lineage: '00000000-0000-4000-8000-000000000001',
    outputs: {},
    resources: entries.map(([type, attributes], i) => ({
      mode: 'managed',
      type,
      name: `r${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
    })),
  };
  return parseTerraformState(JSON.stringify(state), 'test.tfstate');
}

describe('S3 and IAM mappings', () => {
  it.each(PAIRS)('%s: its state id is the discovered id', (tfType, attributes, found) => {
    expect(stateIdOf(mappingForTfType(tfType)!, attributes)).toBe(found.id);
  });

  it('finds no drift between equal objects spelled as Terraform and as the APIs spell them', () => {
    const report = analyze({
      states: [stateOf(PAIRS.map(([t, a]) => [t, a]))],
      inventory: PAIRS.map(([, , r]) => r),
      mode: 'smart',
    });
    expect(report.items).toEqual([]);
  });

  it('reports a bucket policy opened to anyone as critical, on the policy', () => {
    const [, attributes, found] = PAIRS[1]!;
    const widened = structuredClone(BUCKET_POLICY) as { Statement: Attrs[] };
    widened.Statement.push({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::web/*',
    });
    const report = analyze({
      states: [stateOf([['aws_s3_bucket_policy', attributes]])],
      inventory: [{ ...found, attributes: { ...found.attributes, Policy: JSON.stringify(widened) } }],
      mode: 'smart',
    });
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toMatchObject({ kind: 'changed', severity: 'critical', changes: [{ path: 'policy' }] });
    expect(report.items[0]!.rules.map((r) => r.id)).toContain('policy-public-principal');
  });
});

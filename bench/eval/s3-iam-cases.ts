import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import type { EvalCase } from './case.js';

/**
 * S3 and IAM, hand-written: a website bucket made public (its public access block turned off and
 * a public grant added to its policy), a data bucket moved off its KMS key, a managed policy
 * widened to administrator access, AdministratorAccess attached to a role by hand, an attachment
 * deleted, a bucket made by hand; beside them what must stay quiet: policies spelled otherwise
 * (statement order, single values, URL encoding, `{"AWS":"*"}`), attachments whose Terraform id
 * is random, a legacy bucket whose policy is written inline, S3's default encryption.
 */

const ACCOUNT = '111122223333';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/4f1c2a3b-0000-4000-8000-00000000a1b2`;

type Attrs = Record<string, unknown>;

function cloud(type: string, id: string, attributes: Attrs, region = 'us-east-1'): DiscoveredResource {
  const tags = Object.fromEntries(
    ((attributes.Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
  );
  return { provider: 'aws', account: ACCOUNT, region, type, id, name: id, attributes, tags };
}

const json = (statements: Attrs[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const denyPlainHttp = (bucket: string, principal: unknown) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: principal,
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}/*`, `arn:aws:s3:::${bucket}`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
const publicRead = (bucket: string) => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${bucket}/*`,
});
const readLogs = {
  Sid: 'ReadLogs',
  Effect: 'Allow',
  Action: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
  Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/app/*`,
};
const trust = { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' };

const block = (bucket: string, on: boolean) => ({
  Bucket: bucket,
  BlockPublicAcls: on,
  IgnorePublicAcls: on,
  BlockPublicPolicy: on,
  RestrictPublicBuckets: on,
});

function inventory(): DiscoveredResource[] {
  const bucket = (name: string, tags: Attrs[] = []) =>
    cloud('AWS::S3::Bucket', name, {
      Name: name,
      CreationDate: '2025-02-03T10:00:00.000Z',
      Region: 'us-east-1',
      Arn: `arn:aws:s3:::${name}`,
      Tags: tags,
    });
  return [
    bucket('acme-site', [{ Key: 'Purpose', Value: 'site' }]),
    cloud('AWS::S3::BucketPublicAccessBlock', 'acme-site', block('acme-site', false)),
    cloud('AWS::S3::BucketPolicy', 'acme-site', {
      Bucket: 'acme-site',
      Policy: json([publicRead('acme-site'), denyPlainHttp('acme-site', { AWS: '*' })]),
    }),
    cloud('AWS::S3::BucketEncryption', 'acme-site', {
      Bucket: 'acme-site',
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
    }),
    bucket('acme-data'),
    cloud('AWS::S3::BucketPublicAccessBlock', 'acme-data', block('acme-data', true)),
    cloud('AWS::S3::BucketEncryption', 'acme-data', {
      Bucket: 'acme-data',
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
    }),
    cloud('AWS::S3::BucketVersioning', 'acme-data', { Bucket: 'acme-data', Status: 'Enabled' }),
    bucket('acme-legacy'),
    cloud('AWS::S3::BucketPolicy', 'acme-legacy', {
      Bucket: 'acme-legacy',
      Policy: json([denyPlainHttp('acme-legacy', '*')]),
    }),
    bucket('acme-scratch'),
    cloud(
      'AWS::IAM::Role',
      'app',
      {
        RoleName: 'app',
        RoleId: 'AROA0000000000000APP',
        Arn: `arn:aws:iam::${ACCOUNT}:role/app`,
        Path: '/',
        AssumeRolePolicyDocument: encodeURIComponent(
          json([{ ...trust, Principal: { Service: ['ecs-tasks.amazonaws.com'] } }]),
        ),
        Tags: [{ Key: 'Team', Value: 'web' }],
      },
      'global',
    ),
    cloud(
      'AWS::IAM::RolePolicy',
      'app:inline',
      {
        RoleName: 'app',
        PolicyName: 'inline',
        PolicyDocument: json([{ ...readLogs, Action: [...readLogs.Action].reverse() }]),
      },
      'global',
    ),
    cloud(
      'AWS::IAM::ManagedPolicy',
      `arn:aws:iam::${ACCOUNT}:policy/app-logs`,
      {
        PolicyName: 'app-logs',
        PolicyId: 'ANPA000000000000LOGS',
        Arn: `arn:aws:iam::${ACCOUNT}:policy/app-logs`,
        Path: '/',
        PolicyDocument: json([readLogs, { Sid: 'Everything', Effect: 'Allow', Action: '*', Resource: '*' }]),
      },
      'global',
    ),
    cloud(
      'AWS::IAM::RolePolicyAttachment',
      `app/${READ_ONLY}`,
      { RoleName: 'app', PolicyArn: READ_ONLY, PolicyName: 'ReadOnlyAccess' },
      'global',
    ),
    cloud(
      'AWS::IAM::RolePolicyAttachment',
      `app/${ADMIN}`,
      { RoleName: 'app', PolicyArn: ADMIN, PolicyName: 'AdministratorAccess' },
      'global',
    ),
    cloud(
      'AWS::IAM::User',
      'ci',
      {
        UserName: 'ci',
        UserId: 'AIDA00000000000000CI',
        Arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
        Path: '/',
        GroupList: [],
        Tags: [],
      },
      'global',
    ),
    cloud(
      'AWS::IAM::Group',
      'devs',
      { GroupName: 'devs', GroupId: 'AGPA0000000000000DEV', Arn: `arn:aws:iam::${ACCOUNT}:group/devs`, Path: '/' },
      'global',
    ),
  ];
}

const resource = (type: string, name: string, attributes: Attrs) => ({
  mode: 'managed',
  type,
  name,
  provider: PROVIDER,
  instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
});

function state(): unknown {
  const bucket = (name: string, extra: Attrs = {}) => ({
    id: name,
    bucket: name,
    arn: `arn:aws:s3:::${name}`,
    region: 'us-east-1',
    tags: {},
    tags_all: {},
    ...extra,
  });
  const blockTf = (name: string) => ({
    id: name,
    bucket: name,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 3,
    lineage: 'b1e2c3d4-0000-4000-8000-0000000053a1',
    outputs: {},
    resources: [
      resource(
        'aws_s3_bucket',
        'site',
        bucket('acme-site', { tags: { Purpose: 'site' }, tags_all: { Purpose: 'site' } }),
      ),
      resource('aws_s3_bucket_public_access_block', 'site', blockTf('acme-site')),
      resource('aws_s3_bucket_policy', 'site', {
        id: 'acme-site',
        bucket: 'acme-site',
        policy: json([denyPlainHttp('acme-site', '*')]),
      }),
      resource('aws_s3_bucket', 'data', bucket('acme-data')),
      resource('aws_s3_bucket_public_access_block', 'data', blockTf('acme-data')),
      resource('aws_s3_bucket_server_side_encryption_configuration', 'data', {
        id: 'acme-data',
        bucket: 'acme-data',
        rule: [
          {
            apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: KMS_KEY }],
            bucket_key_enabled: true,
          },
        ],
      }),
      resource('aws_s3_bucket_versioning', 'data', {
        id: 'acme-data',
        bucket: 'acme-data',
        versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }],
      }),
      // Provider 3.x style: the policy written inline in the bucket.
      resource(
        'aws_s3_bucket',
        'legacy',
        bucket('acme-legacy', { policy: json([denyPlainHttp('acme-legacy', { AWS: '*' })]) }),
      ),
      resource('aws_iam_role', 'app', {
        id: 'app',
        name: 'app',
        arn: `arn:aws:iam::${ACCOUNT}:role/app`,
        unique_id: 'AROA0000000000000APP',
        path: '/',
        assume_role_policy: json([trust]),
        permissions_boundary: '',
        tags: { Team: 'web' },
        tags_all: { Team: 'web' },
      }),
      resource('aws_iam_role_policy', 'inline', {
        id: 'app:inline',
        role: 'app',
        name: 'inline',
        policy: json([readLogs]),
      }),
      resource('aws_iam_policy', 'logs', {
        id: `arn:aws:iam::${ACCOUNT}:policy/app-logs`,
        arn: `arn:aws:iam::${ACCOUNT}:policy/app-logs`,
        name: 'app-logs',
        path: '/',
        description: '',
        policy_id: 'ANPA000000000000LOGS',
        policy: json([readLogs]),
      }),
      // Terraform's attachment ids are random; the role and policy name the attachment.
      resource('aws_iam_role_policy_attachment', 'read', {
        id: 'app-20250203100000000000000001',
        role: 'app',
        policy_arn: READ_ONLY,
      }),
      resource('aws_iam_user', 'ci', {
        id: 'ci',
        name: 'ci',
        arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
        unique_id: 'AIDA00000000000000CI',
        path: '/',
        tags: {},
        tags_all: {},
      }),
      resource('aws_iam_user_policy_attachment', 'ci', {
        id: 'ci-20250203100000000000000002',
        user: 'ci',
        policy_arn: S3_READ,
      }),
      resource('aws_iam_group', 'devs', {
        id: 'devs',
        name: 'devs',
        arn: `arn:aws:iam::${ACCOUNT}:group/devs`,
        unique_id: 'AGPA0000000000000DEV',
        path: '/',
      }),
    ],
  };
}

const SSE = 'rule.0.apply_server_side_encryption_by_default.0';

export function s3IamCase(): EvalCase {
  return {
    name: 'S3 and IAM: a bucket made public, a policy widened, an admin attachment',
    states: [parseTerraformState(JSON.stringify(state()), 's3-iam.tfstate')],
    inventory: inventory(),
    expected: {
      drift: [
        {
          kind: 'changed',
          address: 'aws_s3_bucket_public_access_block.site',
          id: 'acme-site',
          paths: ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'],
        },
        { kind: 'changed', address: 'aws_s3_bucket_policy.site', id: 'acme-site', paths: ['policy'] },
        {
          kind: 'changed',
          address: 'aws_s3_bucket_server_side_encryption_configuration.data',
          id: 'acme-data',
          paths: [`${SSE}.sse_algorithm`, `${SSE}.kms_master_key_id`, 'rule.0.bucket_key_enabled'],
        },
        {
          kind: 'changed',
          address: 'aws_iam_policy.logs',
          id: `arn:aws:iam::${ACCOUNT}:policy/app-logs`,
          paths: ['policy'],
        },
        { kind: 'unmanaged', id: `app/${ADMIN}` },
        { kind: 'unmanaged', id: 'acme-scratch' },
        { kind: 'missing', address: 'aws_iam_user_policy_attachment.ci', id: `ci/${S3_READ}` },
      ],
      noise: [],
    },
  };
}

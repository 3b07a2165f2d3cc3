import type { DiscoveredResource } from '../../contract/resource.js';
import { chance, hex, int, pick } from '../rng.js';
import type { CloudEstateRequest, Rng } from '../types.js';

/**
 * The S3 and IAM part of the AWS estate, per account: buckets spread over the regions with their
 * public access blocks, default encryption, policies and versioning, and IAM roles, users,
 * groups and customer managed policies with their attachments and inline policies. Attributes
 * are exactly what agents/providers/aws-s3.ts and aws-iam.ts make of S3's and IAM's answers,
 * which the emulator (state-backends/s3-control.ts, aws/iam.ts) rebuilds from these resources.
 */

type Attrs = Record<string, unknown>;

const ENVS = ['prod', 'staging', 'dev'] as const;
const APPS = ['web', 'billing', 'search', 'ledger', 'media', 'auth'] as const;
const BUCKET_USES = ['assets', 'logs', 'backups', 'uploads', 'exports', 'site'] as const;
const TEAMS = ['platform', 'payments', 'data', 'web'] as const;

/** Resources of this module per account at the default estate size; smaller and larger estates scale. */
const BUCKETS_AT_DEFAULT = 24;
const DEFAULT_AWS_COUNT = 5000;

const AWS_MANAGED = [
  'arn:aws:iam::aws:policy/ReadOnlyAccess',
  'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
  'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  'arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole',
] as const;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** A fixed day plus some hours: the estate must not depend on the clock. */
const dateOf = (rng: Rng) => new Date(Date.UTC(2025, int(rng, 0, 11), int(rng, 1, 28), int(rng, 0, 23))).toISOString();

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

interface Placed {
  account: string;
  region: string;
}

function resource(
  at: Placed,
  type: string,
  id: string,
  name: string,
  attributes: Attrs,
  tags = {},
): DiscoveredResource {
  return { provider: 'aws', account: at.account, region: at.region, type, id, name, attributes, tags };
}

const doc = (statements: Attrs[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

// ---------------------------------------------------------------- S3

function bucketPolicy(rng: Rng, bucket: string, use: string, account: string): string {
  const objects = `arn:aws:s3:::${bucket}/*`;
  const denyPlainHttp = {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucket}`, objects],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  if (use === 'site') {
    return doc([
      denyPlainHttp,
      { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: objects },
    ]);
  }
  if (use === 'logs') {
    return doc([
      denyPlainHttp,
      {
        Sid: 'LogDelivery',
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ]);
  }
  const reader = `arn:aws:iam::${account}:role/${pick(rng, APPS)}-reader`;
  return doc([
    denyPlainHttp,
    {
      Sid: 'AppRead',
      Effect: 'Allow',
      Principal: { AWS: reader },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [objects, `arn:aws:s3:::${bucket}`],
    },
  ]);
}

function addBucket(out: DiscoveredResource[], rng: Rng, at: Placed): void {
  const env = pick(rng, ENVS);
  const use = pick(rng, BUCKET_USES);
  const name = `${env}-${pick(rng, APPS)}-${use}-${hex(rng, 8)}`;
  const tags: Record<string, string> = chance(rng, 0.8)
    ? { Environment: env, Team: pick(rng, TEAMS), Purpose: use }
    : {};
  out.push(
    resource(
      at,
      'AWS::S3::Bucket',
      name,
      name,
      {
        Name: name,
        CreationDate: dateOf(rng),
        Region: at.region,
        Arn: `arn:aws:s3:::${name}`,
        Tags: tagList(tags),
      },
      tags,
    ),
  );
  // Public websites leave their access block off; most other buckets block everything.
  if (use === 'site' || chance(rng, 0.85)) {
    const block = use !== 'site';
    out.push(
      resource(at, 'AWS::S3::BucketPublicAccessBlock', name, name, {
        Bucket: name,
        BlockPublicAcls: block,
        IgnorePublicAcls: block,
        BlockPublicPolicy: block,
        RestrictPublicBuckets: block,
      }),
    );
  }
  const kms = use !== 'site' && chance(rng, 0.7);
  out.push(
    resource(at, 'AWS::S3::BucketEncryption', name, name, {
      Bucket: name,
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: kms
            ? {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: `arn:aws:kms:${at.region}:${at.account}:key/${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}`,
              }
            : { SSEAlgorithm: 'AES256' },
          BucketKeyEnabled: kms && chance(rng, 0.6),
        },
      ],
    }),
  );
  if (use === 'site' || use === 'logs' || chance(rng, 0.4)) {
    out.push(
      resource(at, 'AWS::S3::BucketPolicy', name, name, {
        Bucket: name,
        Policy: bucketPolicy(rng, name, use, at.account),
      }),
    );
  }
  if (use === 'backups' || chance(rng, 0.5)) {
    const suspended = chance(rng, 0.15);
    out.push(
      resource(at, 'AWS::S3::BucketVersioning', name, name, {
        Bucket: name,
        Status: suspended ? 'Suspended' : 'Enabled',
        ...(chance(rng, 0.3) ? { MFADelete: 'Disabled' } : {}),
      }),
    );
  }
}

// ---------------------------------------------------------------- IAM

const GLOBAL = 'global';
const iamId = (rng: Rng, prefix: string) => `${prefix}${hex(rng, 17).toUpperCase()}`;

function trustPolicy(rng: Rng, account: string): string {
  const principal = pick(rng, [
    { Service: 'ec2.amazonaws.com' },
    { Service: 'lambda.amazonaws.com' },
    { Service: ['ecs-tasks.amazonaws.com'] },
    { AWS: `arn:aws:iam::${account}:root` },
  ]);
  const statement: Attrs = { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' };
  if ('AWS' in principal) statement.Condition = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
  return doc([statement]);
}

function identityPolicy(rng: Rng, account: string, app: string): string {
  const bucket = `arn:aws:s3:::prod-${app}-*`;
  const statements: Attrs[] = [
    { Sid: 'ReadData', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [bucket, `${bucket}/*`] },
  ];
  if (chance(rng, 0.6)) {
    statements.push({
      Sid: 'WriteLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `arn:aws:logs:*:${account}:log-group:/${app}/*`,
    });
  }
  if (chance(rng, 0.4)) {
    statements.push({
      Sid: 'Queue',
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: `arn:aws:sqs:*:${account}:${app}-*`,
    });
  }
  return doc(statements);
}

interface ManagedPolicy {
  arn: string;
  name: string;
  attrs: Attrs;
}

function addIam(out: DiscoveredResource[], rng: Rng, account: string, scale: number): void {
  const at = { account, region: GLOBAL };
  const policies: ManagedPolicy[] = [];
  for (let i = 0; i < Math.max(2, Math.round(8 * scale)); i++) {
    const app = pick(rng, APPS);
    const name = `${app}-access-${hex(rng, 4)}`;
    const arn = `arn:aws:iam::${account}:policy/${name}`;
    const created = dateOf(rng);
    const attrs: Attrs = {
      PolicyName: name,
      PolicyId: iamId(rng, 'ANPA'),
      Arn: arn,
      Path: '/',
      ...(chance(rng, 0.6) ? { Description: `Access of the ${app} service` } : {}),
      DefaultVersionId: `v${int(rng, 1, 4)}`,
      AttachmentCount: 0,
      IsAttachable: true,
      CreateDate: created,
      UpdateDate: created,
      PolicyDocument: identityPolicy(rng, account, app),
    };
    policies.push({ arn, name, attrs });
  }
  const attachable = () =>
    chance(rng, 0.5) && policies.length ? pick(rng, policies) : { arn: pick(rng, AWS_MANAGED), name: '' };
  const attach = (type: string, holderKey: string, holder: string, arns: Set<string>) => {
    for (const arn of arns) {
      const policy = policies.find((p) => p.arn === arn);
      if (policy) policy.attrs.AttachmentCount = (policy.attrs.AttachmentCount as number) + 1;
      const policyName = policy ? policy.name : arn.slice(arn.lastIndexOf('/') + 1);
      out.push(
        resource(at, type, `${holder}/${arn}`, `${holder}/${policyName}`, {
          [holderKey]: holder,
          PolicyArn: arn,
          PolicyName: policyName,
        }),
      );
    }
  };
  const attachments = (n: number) => new Set(Array.from({ length: n }, () => attachable().arn));

  for (let i = 0; i < Math.max(3, Math.round(12 * scale)); i++) {
    const app = pick(rng, APPS);
    const name = `${app}-${pick(rng, ['service', 'worker', 'reader', 'deploy'])}-${hex(rng, 4)}`;
    const tags: Record<string, string> = chance(rng, 0.7) ? { Team: pick(rng, TEAMS), App: app } : {};
    out.push(
      resource(
        at,
        'AWS::IAM::Role',
        name,
        name,
        {
          RoleName: name,
          RoleId: iamId(rng, 'AROA'),
          Arn: `arn:aws:iam::${account}:role/${name}`,
          Path: '/',
          CreateDate: dateOf(rng),
          AssumeRolePolicyDocument: trustPolicy(rng, account),
          ...(chance(rng, 0.2)
            ? {
                PermissionsBoundary: {
                  PermissionsBoundaryType: 'Policy',
                  PermissionsBoundaryArn: `arn:aws:iam::${account}:policy/boundary`,
                },
              }
            : {}),
          Tags: tagList(tags),
        },
        tags,
      ),
    );
    const arns = attachments(int(rng, 1, 3));
    // The deploy role of an account is its administrator.
    if (i === 0) arns.add(ADMIN);
    attach('AWS::IAM::RolePolicyAttachment', 'RoleName', name, arns);
    if (chance(rng, 0.4)) {
      const policyName = `${app}-inline`;
      out.push(
        resource(at, 'AWS::IAM::RolePolicy', `${name}:${policyName}`, `${name}:${policyName}`, {
          RoleName: name,
          PolicyName: policyName,
          PolicyDocument: identityPolicy(rng, account, app),
        }),
      );
    }
  }

  const groups: string[] = [];
  for (let i = 0; i < Math.max(1, Math.round(3 * scale)); i++) {
    const name = `${pick(rng, TEAMS)}-engineers-${hex(rng, 4)}`;
    groups.push(name);
    out.push(
      resource(at, 'AWS::IAM::Group', name, name, {
        GroupName: name,
        GroupId: iamId(rng, 'AGPA'),
        Arn: `arn:aws:iam::${account}:group/${name}`,
        Path: '/',
        CreateDate: dateOf(rng),
      }),
    );
    attach('AWS::IAM::GroupPolicyAttachment', 'GroupName', name, attachments(int(rng, 1, 2)));
  }

  for (let i = 0; i < Math.max(2, Math.round(6 * scale)); i++) {
    const name = `${pick(rng, ['ci', 'svc', 'ops'])}-${pick(rng, APPS)}-${hex(rng, 4)}`;
    const tags: Record<string, string> = chance(rng, 0.5) ? { Team: pick(rng, TEAMS) } : {};
    out.push(
      resource(
        at,
        'AWS::IAM::User',
        name,
        name,
        {
          UserName: name,
          UserId: iamId(rng, 'AIDA'),
          Arn: `arn:aws:iam::${account}:user/${name}`,
          Path: '/',
          CreateDate: dateOf(rng),
          GroupList: chance(rng, 0.6) ? [pick(rng, groups)] : [],
          Tags: tagList(tags),
        },
        tags,
      ),
    );
    attach('AWS::IAM::UserPolicyAttachment', 'UserName', name, attachments(int(rng, 1, 2)));
  }
  for (const p of policies) out.push(resource(at, 'AWS::IAM::ManagedPolicy', p.arn, p.name, p.attrs));
}

/** S3 and IAM of every account: buckets in each region, IAM once per account. */
export function generateS3IamEstate({ rng, count, accounts, regions }: CloudEstateRequest): DiscoveredResource[] {
  const out: DiscoveredResource[] = [];
  const scale = Math.min(2, Math.max(0.5, count / DEFAULT_AWS_COUNT));
  const bucketsPerRegion = Math.max(2, Math.round((BUCKETS_AT_DEFAULT * scale) / Math.max(1, regions.length)));
  for (const account of accounts) {
    for (const region of regions) {
      for (let i = 0; i < bucketsPerRegion; i++) addBucket(out, rng, { account, region });
    }
    addIam(out, rng, account, scale);
  }
  return out;
}

/**
 * The state side of a policy widened in the cloud: the document without its last statement (a
 * grant added by hand), or, for a one-statement document, with a deny the cloud's lacks.
 * Undefined for a value that is no policy document.
 */
export function narrowedPolicy(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(value) as { Statement?: unknown };
  } catch {
    return undefined;
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const narrowed =
    statements.length > 1
      ? statements.slice(0, -1)
      : [
          ...statements,
          {
            Sid: 'DenyWithoutMfa',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
          },
        ];
  return JSON.stringify({ ...policy, Statement: narrowed });
}

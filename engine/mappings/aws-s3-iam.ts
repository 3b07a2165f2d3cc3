import { aws, tags } from './aws.js';
import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

/**
 * Terraform AWS provider resources ↔ S3's bucket configuration calls and IAM's account
 * authorization details (as @aws-sdk/client-s3 and @aws-sdk/client-iam return them; see
 * agents/providers/aws-s3.ts and aws-iam.ts for the attribute shapes).
 *
 * Each S3 configuration resource (policy, public access block, encryption, versioning) is its
 * own cloud object keyed by its bucket's name, as S3's API and Terraform keep them apart; a
 * bucket's own entry compares only what is the bucket's. IAM attachments and inline policies
 * are keyed as `terraform import` names them. Names that are the id (a bucket's, a role's) are
 * not compared: a different name is a different object.
 */

const GLOBAL: ScopeSource[] = [{ from: 'fixed', value: 'global' }];
const BUCKET_REGION: ScopeSource[] = [{ from: 'attr', path: 'region', form: 'as-is' }];

const policy = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'iam-policy',
  cloudConvert: 'iam-policy',
  steps: ['order-insensitive'],
  toTf: 'iam-policy-to-tf',
});
const flag = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, tfConvert: 'bool', default: false });
const computed = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, noise: 'computed' });
const path = (): AttributeMap => ({ tf: 'path', cloud: 'Path', default: '/' });
const boundary = (): AttributeMap => ({
  tf: 'permissions_boundary',
  cloud: 'PermissionsBoundary.PermissionsBoundaryArn',
  steps: ['empty-equivalent'],
});

/**
 * Configuration resources: Terraform's id and `bucket` are both the bucket's name. S3 ARNs name
 * no account or region: the provider configuration's apply.
 */
const s3 = (tfType: string, cloudType: string, attributes: AttributeMap[], extra: Partial<TypeMapping> = {}) =>
  aws(tfType, cloudType, attributes, {
    id: { tf: 'bucket', kind: 'exact' },
    region: [],
    codifyExtra: [{ tf: 'bucket', cloud: 'Bucket' }],
    ...extra,
  });

const iam = (tfType: string, cloudType: string, attributes: AttributeMap[], extra: Partial<TypeMapping> = {}) =>
  aws(tfType, cloudType, attributes, { id: { tf: 'id', kind: 'exact' }, region: GLOBAL, ...extra });

/** A managed policy attached to a role, user or group: `terraform import` takes `<name>/<policy arn>`. */
const attachment = (tfType: string, cloudType: string, holder: string, cloudHolder: string): TypeMapping =>
  iam(
    tfType,
    cloudType,
    [
      { tf: holder, cloud: cloudHolder },
      { tf: 'policy_arn', cloud: 'PolicyArn' },
    ],
    { id: { tf: 'id', kind: 'exact', template: `{${holder}}/{policy_arn}` } },
  );

export const AWS_S3_IAM_MAPPINGS: TypeMapping[] = [
  s3('aws_s3_bucket', 'AWS::S3::Bucket', [{ tf: 'region', cloud: 'Region' }, computed('arn', 'Arn'), tags()], {
    id: { tf: 'id', kind: 'exact' },
    region: BUCKET_REGION,
    codifyExtra: [{ tf: 'bucket', cloud: 'Name' }],
  }),
  s3('aws_s3_bucket_policy', 'AWS::S3::BucketPolicy', [policy('policy', 'Policy')]),
  s3('aws_s3_bucket_public_access_block', 'AWS::S3::BucketPublicAccessBlock', [
    flag('block_public_acls', 'BlockPublicAcls'),
    flag('block_public_policy', 'BlockPublicPolicy'),
    flag('ignore_public_acls', 'IgnorePublicAcls'),
    flag('restrict_public_buckets', 'RestrictPublicBuckets'),
  ]),
  s3('aws_s3_bucket_server_side_encryption_configuration', 'AWS::S3::BucketEncryption', [
    {
      tf: 'rule.0.apply_server_side_encryption_by_default.0.sse_algorithm',
      cloud: 'Rules.0.ApplyServerSideEncryptionByDefault.SSEAlgorithm',
    },
    {
      tf: 'rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id',
      cloud: 'Rules.0.ApplyServerSideEncryptionByDefault.KMSMasterKeyID',
      steps: ['empty-equivalent'],
    },
    flag('rule.0.bucket_key_enabled', 'Rules.0.BucketKeyEnabled'),
  ]),
  s3('aws_s3_bucket_versioning', 'AWS::S3::BucketVersioning', [
    { tf: 'versioning_configuration.0.status', cloud: 'Status' },
    // GetBucketVersioning names MFA delete only once it was ever configured.
    {
      tf: 'versioning_configuration.0.mfa_delete',
      cloud: 'MFADelete',
      steps: ['empty-equivalent'],
      default: 'Disabled',
    },
  ]),
  iam(
    'aws_iam_role',
    'AWS::IAM::Role',
    [
      computed('arn', 'Arn'),
      computed('unique_id', 'RoleId'),
      path(),
      policy('assume_role_policy', 'AssumeRolePolicyDocument'),
      boundary(),
      tags(),
    ],
    { codifyExtra: [{ tf: 'name', cloud: 'RoleName' }] },
  ),
  iam(
    'aws_iam_user',
    'AWS::IAM::User',
    [computed('arn', 'Arn'), computed('unique_id', 'UserId'), path(), boundary(), tags()],
    { codifyExtra: [{ tf: 'name', cloud: 'UserName' }] },
  ),
  iam('aws_iam_group', 'AWS::IAM::Group', [computed('arn', 'Arn'), computed('unique_id', 'GroupId'), path()], {
    codifyExtra: [{ tf: 'name', cloud: 'GroupName' }],
  }),
  iam(
    'aws_iam_policy',
    'AWS::IAM::ManagedPolicy',
    [
      computed('arn', 'Arn'),
      computed('policy_id', 'PolicyId'),
      path(),
      { tf: 'description', cloud: 'Description', steps: ['empty-equivalent'] },
      policy('policy', 'PolicyDocument'),
    ],
    { codifyExtra: [{ tf: 'name', cloud: 'PolicyName' }] },
  ),
  // Terraform's id of an inline policy is `<role>:<name>`, as the agent keys it.
  iam('aws_iam_role_policy', 'AWS::IAM::RolePolicy', [policy('policy', 'PolicyDocument')], {
    codifyExtra: [
      { tf: 'role', cloud: 'RoleName' },
      { tf: 'name', cloud: 'PolicyName' },
    ],
  }),
  attachment('aws_iam_role_policy_attachment', 'AWS::IAM::RolePolicyAttachment', 'role', 'RoleName'),
  attachment('aws_iam_user_policy_attachment', 'AWS::IAM::UserPolicyAttachment', 'user', 'UserName'),
  attachment('aws_iam_group_policy_attachment', 'AWS::IAM::GroupPolicyAttachment', 'group', 'GroupName'),
];

/**
 * AWS types DriftMgr diffs attribute by attribute on S3's and IAM's own APIs. Both are listed
 * once per account: S3's ListBuckets answers for every region (each bucket is filed under its
 * own), IAM is global. The S3 configuration types are S3's per-bucket subresources (policy,
 * public access block, encryption, versioning), one object per bucket that has one; the IAM
 * attachment and inline policy types are the role, user and group members of IAM's
 * account authorization details.
 */
export const AWS_S3_TYPES: readonly string[] = [
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::S3::BucketPublicAccessBlock',
  'AWS::S3::BucketEncryption',
  'AWS::S3::BucketVersioning',
];

export const AWS_IAM_TYPES: readonly string[] = [
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::RolePolicyAttachment',
  'AWS::IAM::UserPolicyAttachment',
  'AWS::IAM::GroupPolicyAttachment',
];

/** Their contract/resource-types.ts entries (typed there, which imports this module). */
export const AWS_S3_IAM_TYPES = [...AWS_S3_TYPES, ...AWS_IAM_TYPES].map((type) => ({
  provider: 'aws' as const,
  type,
  listing: 'account' as const,
  level: 'attributes' as const,
}));

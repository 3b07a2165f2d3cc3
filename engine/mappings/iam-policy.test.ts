import { describe, expect, it } from 'vitest';
import { grantsAdmin, policyDocument, policyStatements } from './iam-policy.js';

/** Hand-written policy documents as Terraform stores them and as IAM and S3 return them. */
const TF_BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'CloudFront',
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::site/*',
    },
    {
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: ['arn:aws:s3:::site/*', 'arn:aws:s3:::site'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});

/** The same policy as S3 returns it: statements and lists reordered, `{"AWS":"*"}` for anyone. */
const CLOUD_BUCKET_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::site', 'arn:aws:s3:::site/*'],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    },
    {
      Sid: 'CloudFront',
      Effect: 'Allow',
      Principal: { Service: ['cloudfront.amazonaws.com'] },
      Action: ['s3:GetObject'],
      Resource: 'arn:aws:s3:::site/*',
    },
  ],
});

const TRUST = {
  Version: '2012-10-17',
  Statement: { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
};

describe('IAM policy documents as sets of statements', () => {
  it('reads the same policy the same whatever the order and single-value spelling', () => {
    expect(policyStatements(CLOUD_BUCKET_POLICY)).toEqual(policyStatements(TF_BUCKET_POLICY));
  });

  it('decodes the URL-encoded documents IAM returns', () => {
    const encoded = encodeURIComponent(JSON.stringify(TRUST));
    expect(policyStatements(encoded)).toEqual([
      'access=allow source=AWS:arn:aws:iam::111122223333:root action=sts:AssumeRole',
      'version=2012-10-17',
    ]);
    expect(policyStatements(encoded)).toEqual(policyStatements(JSON.stringify(TRUST)));
  });

  it('tells a widened policy apart', () => {
    const widened = JSON.parse(TF_BUCKET_POLICY) as { Statement: Record<string, unknown>[] };
    widened.Statement[0]!.Principal = '*';
    expect(policyStatements(JSON.stringify(widened))).not.toEqual(policyStatements(TF_BUCKET_POLICY));
    expect(policyStatements(JSON.stringify(widened))).toContain(
      'sid=CloudFront access=allow source=* action=s3:GetObject resource=arn:aws:s3:::site/*',
    );
  });

  it('keeps a value that is no JSON document as it is, and an empty one as unset', () => {
    expect(policyStatements('{"Statement": [')).toBe('{"Statement": [');
    expect(policyStatements('')).toBeUndefined();
  });

  it('writes statements back as a document that reads the same', () => {
    const canonical = policyStatements(CLOUD_BUCKET_POLICY);
    const written = policyDocument(canonical);
    expect(typeof written).toBe('string');
    expect(policyStatements(written)).toEqual(canonical);
  });

  it('names administrator access: allow, every action, every resource', () => {
    expect(grantsAdmin('access=allow action=* resource=*')).toBe(true);
    expect(grantsAdmin('access=deny action=* resource=*')).toBe(false);
    expect(grantsAdmin('access=allow action=s3:* resource=*')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.js';
import { instanceAccounts } from '../partition.js';
import type { CoverageScope } from '../scope.js';
import { StreamedAccounts } from '../streamed-accounts.js';
import { readTerraformState } from './parse.js';

const ACCOUNT = '111122223333';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"].buckets';

const bucket = (name: string) => ({
  mode: 'managed',
  type: 'aws_s3_bucket',
  name,
  provider: PROVIDER,
  instances: [{ attributes: { id: name, bucket: name, arn: `arn:aws:s3:::${name}`, region: 'us-east-1' } }],
});

const callerIdentity = {
  mode: 'data',
  type: 'aws_caller_identity',
  name: 'current',
  provider: PROVIDER,
  instances: [
    {
      attributes: {
        id: ACCOUNT,
        account_id: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/terraform`,
        user_id: 'AIDAEXAMPLE',
      },
    },
  ],
};

/** A state whose AWS provider configuration manages only S3 buckets: their ARNs name no account. */
const s3OnlyState = (withIdentity: boolean) =>
  readTerraformState(
    { version: 4, resources: [bucket('logs'), bucket('assets'), ...(withIdentity ? [callerIdentity] : [])] },
    'buckets.tfstate',
  );

// Discovery listed the account's buckets and found only `assets`: `logs` was deleted.
const scopes: CoverageScope[] = [{ provider: 'aws', account: ACCOUNT, type: 'AWS::S3::Bucket', regions: ['*'] }];
const inventory = [
  {
    provider: 'aws' as const,
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::S3::Bucket',
    id: 'assets',
    attributes: { BucketName: 'assets', Arn: 'arn:aws:s3:::assets', Region: 'us-east-1' },
    tags: {},
  },
];

describe('a provider configuration placed by its caller identity', () => {
  it('keeps the caller identity as a data source instance, counted as skipped and never compared', () => {
    const { state, report } = s3OnlyState(true);
    expect(state.dataSourcesSkipped).toBe(1);
    expect(state.instances.map((i) => i.address)).toEqual([
      'aws_s3_bucket.logs',
      'aws_s3_bucket.assets',
      'data.aws_caller_identity.current',
    ]);
    expect(report.data_sources_skipped).toBe(1);
    const summary = analyze({ states: [state], inventory, scopes }).summary;
    expect({ state_resources: summary.state_resources, unsupported: summary.unsupported_types }).toEqual({
      state_resources: 2,
      unsupported: {},
    });
  });

  it('counts a bucket deleted in the cloud as missing when the configuration reads its caller identity', () => {
    const report = analyze({ states: [s3OnlyState(true).state], inventory, scopes });
    expect({ missing: report.summary.missing, not_covered: report.summary.not_covered }).toEqual({
      missing: 1,
      not_covered: 0,
    });
    expect(report.items.map((i) => `${i.kind} ${i.address}`)).toEqual(['missing aws_s3_bucket.logs']);
  });

  it('leaves the bucket not covered without a caller identity: nothing tells its account', () => {
    const report = analyze({ states: [s3OnlyState(false).state], inventory, scopes });
    expect({ missing: report.summary.missing, not_covered: report.summary.not_covered }).toEqual({
      missing: 0,
      not_covered: 1,
    });
  });

  it('stores the buckets under the identity account, read whole or streamed', () => {
    const { state } = s3OnlyState(true);
    expect(instanceAccounts(state)).toEqual([ACCOUNT, ACCOUNT, ACCOUNT]);
    const streamed = new StreamedAccounts();
    const now = state.instances.map((instance, seq) => streamed.add(instance, seq));
    expect(now).toEqual([null, null, ACCOUNT]);
    expect(streamed.inherited([])).toEqual([{ account: ACCOUNT, seqs: [0, 1] }]);
    expect(instanceAccounts(s3OnlyState(false).state)).toEqual([null, null]);
  });
});

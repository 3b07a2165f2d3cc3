import { describe, expect, it } from 'vitest';
import { api } from '../../test/support/worker/api.js';

interface Entry {
  provider: string;
  cloud_type: string;
  terraform_types: string[];
  level: string;
  listing: string;
  inventory?: string;
}

describe('GET /api/v1/resource-types', () => {
  it('lists every cloud type with its Terraform types and coverage level', async () => {
    const res = await api('GET', '/api/v1/resource-types');
    expect(res.status).toBe(200);
    const entries: Entry[] = res.body.resource_types;
    expect(entries.find((e) => e.cloud_type === 'AWS::EC2::Instance')).toEqual({
      provider: 'aws',
      cloud_type: 'AWS::EC2::Instance',
      terraform_types: ['aws_instance'],
      level: 'attributes',
      listing: 'regional',
    });
    expect(entries.find((e) => e.cloud_type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')).toEqual({
      provider: 'aws',
      cloud_type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      terraform_types: ['aws_lb', 'aws_alb'],
      level: 'attributes',
      listing: 'regional',
    });
    expect(entries.find((e) => e.cloud_type === 'AWS::CloudFront::Distribution')).toEqual({
      provider: 'aws',
      cloud_type: 'AWS::CloudFront::Distribution',
      terraform_types: ['aws_cloudfront_distribution'],
      level: 'existence',
      listing: 'account',
      inventory: 'cloud-control',
    });
    expect(entries.find((e) => e.cloud_type === 'Microsoft.Web/sites')?.terraform_types).toContain(
      'azurerm_linux_function_app',
    );
    expect(entries.find((e) => e.cloud_type === 'pubsub.googleapis.com/Topic')).toMatchObject({
      level: 'attributes',
      inventory: 'cloud-asset',
      terraform_types: ['google_pubsub_topic'],
    });
    expect(entries.find((e) => e.cloud_type === 'storage.googleapis.com/BucketIamPolicy')).toEqual({
      provider: 'gcp',
      cloud_type: 'storage.googleapis.com/BucketIamPolicy',
      terraform_types: [
        'google_storage_bucket_iam_policy',
        'google_storage_bucket_iam_binding',
        'google_storage_bucket_iam_member',
      ],
      level: 'attributes',
      listing: 'account',
    });
    // Attribute-level mappings win: an EC2 type is never also listed as existence-level.
    const keys = entries.map((e) => `${e.provider}|${e.cloud_type}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('counts cloud and Terraform types per provider and level, agreeing with the list', async () => {
    const { body } = await api('GET', '/api/v1/resource-types');
    const entries: Entry[] = body.resource_types;
    for (const provider of ['aws', 'azure', 'gcp']) {
      for (const level of ['attributes', 'existence']) {
        const ofKind = entries.filter((e) => e.provider === provider && e.level === level);
        expect(body.counts[provider][level]).toEqual({
          cloud_types: ofKind.length,
          terraform_types: ofKind.reduce((n, e) => n + e.terraform_types.length, 0),
        });
      }
    }
    expect(body.counts.aws.existence.terraform_types).toBeGreaterThanOrEqual(150);
    expect(body.counts.azure.existence.terraform_types).toBeGreaterThanOrEqual(80);
    expect(body.counts.gcp.existence.terraform_types).toBeGreaterThanOrEqual(80);
  });

  it('filters by provider and level, keeping the counts of the whole catalog', async () => {
    const all = (await api('GET', '/api/v1/resource-types')).body;
    const res = await api('GET', '/api/v1/resource-types?provider=gcp&level=attributes');
    expect(res.status).toBe(200);
    expect(res.body.resource_types.map((e: Entry) => e.cloud_type)).toEqual([
      'compute.googleapis.com/Instance',
      'compute.googleapis.com/Disk',
      'compute.googleapis.com/Network',
      'compute.googleapis.com/Subnetwork',
      'compute.googleapis.com/Firewall',
      'storage.googleapis.com/Bucket',
      'cloudresourcemanager.googleapis.com/ProjectIamPolicy',
      'storage.googleapis.com/BucketIamPolicy',
      'sqladmin.googleapis.com/Instance',
      'container.googleapis.com/Cluster',
      'iam.googleapis.com/ServiceAccount',
      'pubsub.googleapis.com/Topic',
      'pubsub.googleapis.com/Subscription',
      'run.googleapis.com/Service',
      'compute.googleapis.com/Route',
      'compute.googleapis.com/Address',
      'compute.googleapis.com/GlobalAddress',
    ]);
    expect(res.body.counts).toEqual(all.counts);
  });

  it('refuses an unknown provider or level with 400 naming the field', async () => {
    const provider = await api('GET', '/api/v1/resource-types?provider=oracle');
    expect(provider.status).toBe(400);
    expect(provider.body.error.message).toMatch(/provider/);
    const level = await api('GET', '/api/v1/resource-types?level=partial');
    expect(level.status).toBe(400);
    expect(level.body.error.message).toMatch(/level/);
  });

  it('needs a token', async () => {
    const res = await api('GET', '/api/v1/resource-types', undefined, null);
    expect(res.status).toBe(401);
  });
});

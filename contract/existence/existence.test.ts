import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../resource-types.js';
import { EXISTENCE_ROWS, existenceIdAttributes, existenceRow, isGlobalType } from './index.js';
import { parseTemplate, renderTemplate, templateAttributes } from './types.js';

describe('id templates', () => {
  it('render a Cloud Control identifier, an ARM id and a Cloud Asset name from state attributes', () => {
    expect(renderTemplate('{name}|{role}', { name: 'inline', role: 'app' })).toBe('inline|app');
    expect(renderTemplate('{id}', { id: '/subscriptions/s/resourceGroups/g' })).toBe(
      '/subscriptions/s/resourceGroups/g',
    );
    expect(
      renderTemplate('//pubsub.googleapis.com/projects/{project}/topics/{name}', { project: 'p-1', name: 'orders' }),
    ).toBe('//pubsub.googleapis.com/projects/p-1/topics/orders');
  });

  it('render nothing when an attribute is missing, empty or not a string', () => {
    expect(renderTemplate('{name}|{role}', { name: 'inline' })).toBeUndefined();
    expect(renderTemplate('{name}', { name: '' })).toBeUndefined();
    expect(renderTemplate('{name}', { name: 7 })).toBeUndefined();
  });

  it('read back the attributes an identifier was rendered from', () => {
    const template = '//compute.googleapis.com/projects/{project}/zones/{zone}/instanceGroupManagers/{name}';
    const id = '//compute.googleapis.com/projects/p-1/zones/us-central1-b/instanceGroupManagers/web';
    expect(parseTemplate(template, id)).toEqual({ project: 'p-1', zone: 'us-central1-b', name: 'web' });
    expect(parseTemplate('{name}|{role}', 'inline|app')).toEqual({ name: 'inline', role: 'app' });
    expect(
      parseTemplate(template, '//compute.googleapis.com/projects/p-1/global/instanceTemplates/web'),
    ).toBeUndefined();
    expect(parseTemplate('arn:aws:sns:{region}:x', 'arn:aws:sns:us-east-1:y')).toBeUndefined();
  });

  it('list the attributes they read, in order', () => {
    expect(templateAttributes('//x/projects/{project}/locations/{location}/keyRings/{name}')).toEqual([
      'project',
      'location',
      'name',
    ]);
  });
});

describe('the existence table', () => {
  it('maps at least 150 AWS, 80 Azure and 80 GCP Terraform types, each once', () => {
    const count = (p: string) => EXISTENCE_ROWS.filter((r) => r.provider === p).length;
    expect(count('aws')).toBeGreaterThanOrEqual(150);
    expect(count('azure')).toBeGreaterThanOrEqual(80);
    expect(count('gcp')).toBeGreaterThanOrEqual(80);
    expect(new Set(EXISTENCE_ROWS.map((r) => r.tfType)).size).toBe(EXISTENCE_ROWS.length);
  });

  it('names real cloud types in each cloud’s own form', () => {
    for (const row of EXISTENCE_ROWS) {
      const form = {
        aws: /^AWS::\w+::\w+$/,
        azure: /^Microsoft\.\w+(\/\w+)+$/,
        gcp: /^[a-z0-9]+\.googleapis\.com\/\w+$/,
      };
      expect(row.cloudType, row.tfType).toMatch(form[row.provider]);
      expect(row.tfType, row.cloudType).toMatch({ aws: /^aws_/, azure: /^azurerm_/, gcp: /^google_/ }[row.provider]);
      expect(templateAttributes(row.id).length, row.tfType).toBeGreaterThan(0);
    }
  });

  it('spells every Cloud Asset name with its service host, and every ARM id as the state id', () => {
    for (const row of EXISTENCE_ROWS.filter((r) => r.provider === 'gcp')) expect(row.id).toMatch(/^\/\/[a-z0-9.-]+\//);
    for (const row of EXISTENCE_ROWS.filter((r) => r.provider === 'azure')) expect(row.id).toBe('{id}');
  });

  it('lists each existence-level cloud type once in the catalog, never one the attribute level lists', () => {
    const keys = RESOURCE_TYPES.map((t) => `${t.provider}|${t.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    const existence = RESOURCE_TYPES.filter((t) => t.level === 'existence');
    expect(existence.map((t) => t.inventory)).not.toContain(undefined);
    expect(RESOURCE_TYPES.find((t) => t.type === 'AWS::EC2::Instance')?.level).toBe('attributes');
    expect(RESOURCE_TYPES.find((t) => t.type === 'AWS::IAM::InstanceProfile')).toMatchObject({
      level: 'existence',
      listing: 'account',
      inventory: 'cloud-control',
    });
    expect(RESOURCE_TYPES.find((t) => t.type === 'AWS::Lambda::Function')?.listing).toBe('regional');
    expect(RESOURCE_TYPES.find((t) => t.type === 'Microsoft.Web/sites')?.inventory).toBe('resource-graph');
  });

  it('keeps global types apart: IAM once per account, DNS zones in location global', () => {
    expect(isGlobalType('aws', 'AWS::IAM::Role')).toBe(true);
    expect(isGlobalType('aws', 'AWS::Lambda::Function')).toBe(false);
    expect(isGlobalType('azure', 'Microsoft.Network/privateDnsZones')).toBe(true);
  });
});

describe('existenceIdAttributes', () => {
  it('names the attributes the id rule and placement read', () => {
    expect(existenceIdAttributes('aws_s3_bucket')).toEqual(['id', 'bucket', 'arn', 'region']);
    expect(existenceIdAttributes('google_service_account')).toEqual([
      'id',
      'project',
      'unique_id',
      'region',
      'zone',
      'location',
    ]);
    expect(existenceIdAttributes('azurerm_key_vault')).toEqual(['id', 'location']);
  });

  it('is empty for a type the table does not know', () => {
    expect(existenceIdAttributes('aws_instance')).toEqual([]);
    expect(existenceRow('aws_instance')).toBeUndefined();
  });
});

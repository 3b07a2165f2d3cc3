import { describe, expect, it } from 'vitest';
import { parseStateLocation, type StateLocation, stateObjectOf, stateOfName } from './state-locations.js';

const parsed = (type: Parameters<typeof parseStateLocation>[0], location: string): StateLocation => {
  const result = parseStateLocation(type, location);
  if (!result.ok) throw new Error(result.message);
  return result.location;
};

describe('parseStateLocation', () => {
  it('reads each backend’s location, a folder prefix ending in /', () => {
    expect(parsed('s3', 's3://team-states/prod?region=eu-west-1&workspace_key_prefix=workspaces')).toEqual({
      type: 's3',
      bucket: 'team-states',
      prefix: 'prod/',
      region: 'eu-west-1',
      workspaceKeyPrefix: 'workspaces',
    });
    expect(parsed('s3', 's3://team-states')).toMatchObject({ prefix: '', workspaceKeyPrefix: 'env:' });
    expect(parsed('s3', 's3://team-states/prod/app.tfstate')).toMatchObject({ prefix: 'prod/app.tfstate' });
    expect(parsed('gcs', 'gs://team-states/net/')).toEqual({ type: 'gcs', bucket: 'team-states', prefix: 'net/' });
    expect(parsed('azurerm', 'azurerm://acct1/tfstate/prod.terraform.tfstate')).toEqual({
      type: 'azurerm',
      storageAccount: 'acct1',
      container: 'tfstate',
      prefix: 'prod.terraform.tfstate',
    });
    expect(parsed('remote', 'https://app.terraform.io/app/acme/workspaces/network')).toEqual({
      type: 'remote',
      origin: 'https://app.terraform.io',
      organization: 'acme',
      workspace: 'network',
    });
    expect(parsed('http', 'https://states.example.com/app?env=prod')).toEqual({
      type: 'http',
      url: 'https://states.example.com/app?env=prod',
    });
  });

  it.each([
    ['s3', 'gs://team-states'],
    ['s3', 's3://ab'],
    ['s3', 's3://team-states?region=mars'],
    ['s3', 's3://team-states?workspace_key_prefix=/x/'],
    ['gcs', 'gs://team-states?x=1'],
    ['azurerm', 'azurerm://Acct/tfstate'],
    ['azurerm', 'azurerm://acct1/a--b'],
    ['remote', 'https://app.terraform.io/acme/network'],
    ['remote', 'http://app.terraform.io/app/acme/workspaces/network'],
    ['http', 'ftp://states.example.com/app'],
    ['http', 'https://user:secret@states.example.com/app'],
  ] as const)('refuses %s location %s', (type, location) => {
    expect(parseStateLocation(type, location).ok).toBe(false);
  });
});

describe('stateObjectOf', () => {
  it('lays S3 keys out as the backend does: <key> in default, <workspace_key_prefix>/<workspace>/<key> in others', () => {
    const s3 = parsed('s3', 's3://b1b/prod');
    expect(stateObjectOf(s3, 'prod/app.tfstate')).toEqual({ workspace: 'default', name: 's3://b1b/prod/app.tfstate' });
    expect(stateObjectOf(s3, 'env:/staging/prod/app.tfstate')).toEqual({
      workspace: 'staging',
      name: 's3://b1b/env:/staging/prod/app.tfstate',
    });
    for (const key of [
      'production/app.tfstate',
      'prod/app.tfstate.backup',
      'env:/staging/dev/app.tfstate',
      'env:/x.tfstate',
    ])
      expect(stateObjectOf(s3, key)).toBeNull();
  });

  it('names GCS workspaces by file, azurerm ones by the env: suffix, remote ones by the workspace', () => {
    const gcs = parsed('gcs', 'gs://b1b/net');
    expect(stateObjectOf(gcs, 'net/prod.tfstate')).toEqual({ workspace: 'prod', name: 'gs://b1b/net/prod.tfstate' });
    expect(stateObjectOf(gcs, 'net/readme.md')).toBeNull();
    const az = parsed('azurerm', 'azurerm://acct1/tfstate/app.tfstate');
    expect(stateObjectOf(az, 'app.tfstate')?.workspace).toBe('default');
    expect(stateObjectOf(az, 'app.tfstateenv:qa')).toEqual({
      workspace: 'qa',
      name: 'azurerm://acct1/tfstate/app.tfstateenv:qa',
    });
    expect(stateObjectOf(az, 'app.tfstateenv:no spaces')).toBeNull();
    const remote = parsed('remote', 'https://app.terraform.io/app/acme/workspaces/network');
    expect(stateObjectOf(remote, '')).toEqual({
      workspace: 'network',
      name: 'https://app.terraform.io/app/acme/workspaces/network',
    });
  });

  it('recognises a stored name as a state of the location only within it', () => {
    const s3 = parsed('s3', 's3://b1b/prod');
    expect(stateOfName(s3, 's3://b1b/env:/dev/prod/x.tfstate')).toEqual({
      workspace: 'dev',
      name: 's3://b1b/env:/dev/prod/x.tfstate',
    });
    expect(stateOfName(s3, 's3://b1bx/prod/x.tfstate')).toBeNull();
    expect(stateOfName(s3, 'sample.tfstate')).toBeNull();
    const http = parsed('http', 'https://states.example.com/app');
    expect(stateOfName(http, 'https://states.example.com/app')?.workspace).toBe('default');
    expect(stateOfName(http, 'https://states.example.com/other')).toBeNull();
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleAuth } from 'google-auth-library';
import { afterAll, describe, expect, it } from 'vitest';
import { agentEnv, SERVICE_ACCOUNT_FILE, type ServiceAccountKey } from './env.js';

describe('gcp agentEnv', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'driftmgr-gcp-env-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('sets only standard settings: ADC key file, gcloud endpoint override, no metadata probing', () => {
    const env = agentEnv({ baseUrl: 'http://127.0.0.1:4000/', stateDir });
    expect(env).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: join(stateDir, SERVICE_ACCOUNT_FILE),
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET: 'http://127.0.0.1:4000/',
      METADATA_SERVER_DETECTION: 'none',
    });
    expect(statSync(env.GOOGLE_APPLICATION_CREDENTIALS!).mode & 0o777).toBe(0o600);
  });

  it('writes a service-account key google-auth-library loads, with token_uri at the emulator', async () => {
    const env = agentEnv({ baseUrl: 'http://127.0.0.1:4000', stateDir });
    const key = JSON.parse(readFileSync(env.GOOGLE_APPLICATION_CREDENTIALS!, 'utf8')) as ServiceAccountKey;
    expect(key).toMatchObject({
      type: 'service_account',
      token_uri: 'http://127.0.0.1:4000/token',
      universe_domain: 'googleapis.com',
    });
    expect(key.private_key).toContain('-----BEGIN PRIVATE KEY-----');
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = env.GOOGLE_APPLICATION_CREDENTIALS;
    try {
      const credentials = await new GoogleAuth().getCredentials();
      expect(credentials.client_email).toBe(key.client_email);
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });

  it('keeps the key when re-pointed at another emulator port', () => {
    const first = JSON.parse(
      readFileSync(agentEnv({ baseUrl: 'http://127.0.0.1:4000', stateDir }).GOOGLE_APPLICATION_CREDENTIALS!, 'utf8'),
    ) as ServiceAccountKey;
    const second = JSON.parse(
      readFileSync(agentEnv({ baseUrl: 'http://127.0.0.1:5000', stateDir }).GOOGLE_APPLICATION_CREDENTIALS!, 'utf8'),
    ) as ServiceAccountKey;
    expect(second.private_key_id).toBe(first.private_key_id);
    expect(second.token_uri).toBe('http://127.0.0.1:5000/token');
  });
});

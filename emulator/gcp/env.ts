import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Points a GCP agent at the emulator through standard settings only:
 * - `GOOGLE_APPLICATION_CREDENTIALS`: Application Default Credentials from a service-account
 *   key file (a fresh RSA key) whose `token_uri` is the emulator's `/token`;
 * - `CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET`: gcloud's endpoint override for Cloud Asset,
 *   which the agent's GCP provider reads too;
 * - `METADATA_SERVER_DETECTION=none`: google-auth-library never probes the GCE metadata server.
 */

export const SERVICE_ACCOUNT_FILE = 'gcp-service-account.json';
const SERVICE_ACCOUNT_PROJECT = 'driftmgr-emulator';
const SERVICE_ACCOUNT_EMAIL = `driftmgr-agent@${SERVICE_ACCOUNT_PROJECT}.iam.gserviceaccount.com`;

/** The fields of a key file as the IAM console downloads it. */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: string;
}

function newServiceAccountKey(tokenUri: string): ServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    type: 'service_account',
    project_id: SERVICE_ACCOUNT_PROJECT,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: SERVICE_ACCOUNT_EMAIL,
    client_id: `1${String(randomInt(0, 1e10)).padStart(10, '0')}${String(randomInt(0, 1e10)).padStart(10, '0')}`,
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(SERVICE_ACCOUNT_EMAIL)}`,
    universe_domain: 'googleapis.com',
  };
}

/** Writes (or re-points, keeping its key) the service-account key file in stateDir. */
function writeServiceAccountKey(stateDir: string, tokenUri: string): string {
  const file = join(stateDir, SERVICE_ACCOUNT_FILE);
  const key = existsSync(file)
    ? { ...(JSON.parse(readFileSync(file, 'utf8')) as ServiceAccountKey), token_uri: tokenUri }
    : newServiceAccountKey(tokenUri);
  writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
  return file;
}

export function agentEnv(opts: { baseUrl: string; stateDir: string; caCertFile?: string }): Record<string, string> {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  return {
    GOOGLE_APPLICATION_CREDENTIALS: writeServiceAccountKey(opts.stateDir, `${baseUrl}/token`),
    CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET: `${baseUrl}/`,
    METADATA_SERVER_DETECTION: 'none',
  };
}

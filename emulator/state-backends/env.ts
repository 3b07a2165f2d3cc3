import { HTTP_BACKEND_PASSWORD, HTTP_BACKEND_USER } from './http-backend.js';
import type { StateBackendObjects } from './objects.js';
import { EMULATOR_TFC_TOKEN } from './tfc.js';

/**
 * Environment that points an agent's state readers at the emulated backends through each SDK's
 * or Terraform's standard settings: AWS_ENDPOINT_URL_S3, STORAGE_EMULATOR_HOST, a connection
 * string for the first storage account, TF_TOKEN_<host> for Terraform Cloud, and the http
 * backend's TF_HTTP_USERNAME/TF_HTTP_PASSWORD.
 */
export function stateBackendEnv(baseUrl: string, objects: StateBackendObjects): Record<string, string> {
  const host = new URL(baseUrl).hostname;
  const [account] = [...objects.azure.entries()];
  return {
    AWS_ENDPOINT_URL_S3: baseUrl,
    STORAGE_EMULATOR_HOST: `${baseUrl}/storage/v1`,
    ...(account
      ? {
          AZURE_STORAGE_CONNECTION_STRING:
            `DefaultEndpointsProtocol=http;AccountName=${account[0]};AccountKey=${account[1].key};` +
            `BlobEndpoint=${baseUrl}/${account[0]};`,
        }
      : {}),
    [`TF_TOKEN_${host.replaceAll('-', '__').replaceAll('.', '_')}`]: EMULATOR_TFC_TOKEN,
    TF_HTTP_USERNAME: HTTP_BACKEND_USER,
    TF_HTTP_PASSWORD: HTTP_BACKEND_PASSWORD,
  };
}

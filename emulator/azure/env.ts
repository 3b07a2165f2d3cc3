/**
 * Environment for an agent process so @azure/identity's DefaultAzureCredential and the ARM
 * clients reach the emulator through their standard settings.
 *
 * - Credentials: EnvironmentCredential's client-secret flow (AZURE_CLIENT_ID/SECRET) against
 *   AZURE_AUTHORITY_HOST. The tenant is `adfs`: for any other tenant MSAL first asks
 *   https://login.microsoftonline.com/common/discovery/instance to validate a non-Microsoft
 *   authority host (a hard-coded URL, and nothing in the environment can turn that off), so
 *   an offline agent could never get a token. For `adfs` @azure/identity lists the
 *   authority host as known and MSAL reads `{host}/adfs/.well-known/openid-configuration`
 *   directly — the same path Azure Stack Hub agents use.
 * - AZURE_TOKEN_CREDENTIALS pins the chain to that one credential, so a failure surfaces at
 *   once instead of probing managed identity and developer tools.
 * - ARM endpoint: AZURE_RESOURCE_MANAGER_ENDPOINT, which the agent's Azure provider passes
 *   to the clients as `endpoint`.
 * - TLS: the emulator's self-signed certificate through NODE_EXTRA_CA_CERTS (read at start).
 */
export interface AgentEnvOptions {
  baseUrl: string;
  stateDir: string;
  caCertFile?: string;
  /** Unused: one Azure credential reaches every subscription, as a service principal does. */
  account?: string;
}

export const EMULATOR_TENANT = 'adfs';
export const EMULATOR_CLIENT_ID = '5ad1d0b2-6c6a-4d3e-9f0e-3d1f2a7b8c90';

export function agentEnv(opts: AgentEnvOptions): Record<string, string> {
  return {
    AZURE_AUTHORITY_HOST: opts.baseUrl,
    AZURE_TENANT_ID: EMULATOR_TENANT,
    AZURE_CLIENT_ID: EMULATOR_CLIENT_ID,
    AZURE_CLIENT_SECRET: 'driftmgr-emulator-secret',
    AZURE_TOKEN_CREDENTIALS: 'EnvironmentCredential',
    AZURE_RESOURCE_MANAGER_ENDPOINT: opts.baseUrl,
    ...(opts.caCertFile ? { NODE_EXTRA_CA_CERTS: opts.caCertFile } : {}),
  };
}

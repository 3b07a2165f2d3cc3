import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the AWS emulator maps credentials to accounts: it accepts any access key id, and EC2 takes
 * any signature (STS checks them against EMULATOR_SECRET_ACCESS_KEY). An access key id of the form `AKIA` + 12-digit account id +
 * 4 characters (20 characters, like a real key id) selects that account; any other key id
 * selects the estate's first account. So an agent for account X runs with the key id
 * `emulatorAccessKeyId(X)`, just as a real agent runs with credentials for X.
 */
const ACCOUNT_KEY_ID = /^AKIA(\d{12})[A-Z0-9]{4}$/;
const KEY_ID_SUFFIX = 'EMUL';
/** The secret of every emulator access key. */
export const EMULATOR_SECRET_ACCESS_KEY = 'driftmgr-emulator-secret';

export function emulatorAccessKeyId(account: string): string {
  if (!/^\d{12}$/.test(account)) throw new Error(`not an AWS account id: ${account}`);
  return `AKIA${account}${KEY_ID_SUFFIX}`;
}

export function accountFromAccessKeyId(accessKeyId: string): string | undefined {
  return ACCOUNT_KEY_ID.exec(accessKeyId)?.[1];
}

/** Key id used when no account is named: the emulator serves its first account for it. */
const DEFAULT_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

export interface AgentEnvOptions {
  baseUrl: string;
  stateDir: string;
  caCertFile?: string;
  /** The AWS account the agent process discovers; picks the matching emulator credentials. */
  account?: string;
}

/**
 * Environment for an agent process so the AWS SDK's standard settings reach the emulator:
 * `AWS_ENDPOINT_URL_EC2`, `AWS_ENDPOINT_URL_CLOUDCONTROL` and `AWS_ENDPOINT_URL_IAM` for the endpoints,
 * the environment credential provider (first in the default chain), and empty shared config/credentials files in stateDir so a developer's
 * ~/.aws profile cannot redirect or re-credential the agent. The region is not set here: the
 * agent creates one client per region of its shard.
 */
export function agentEnv(opts: AgentEnvOptions): Record<string, string> {
  const configFile = join(opts.stateDir, 'aws-config');
  const credentialsFile = join(opts.stateDir, 'aws-credentials');
  writeFileSync(configFile, '');
  writeFileSync(credentialsFile, '');
  return {
    AWS_ENDPOINT_URL_EC2: opts.baseUrl,
    AWS_ENDPOINT_URL_CLOUDCONTROL: opts.baseUrl,
    AWS_ENDPOINT_URL_IAM: opts.baseUrl,
    AWS_ACCESS_KEY_ID: opts.account ? emulatorAccessKeyId(opts.account) : DEFAULT_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: EMULATOR_SECRET_ACCESS_KEY,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

import { ErrorCode } from '../contract/errors.js';
import type { Provider } from '../contract/resource.js';
import { type Refusal, refuse } from './rpc-result.js';

/** What an agent token may serve: one provider and a list of accounts. */
export interface AgentScope {
  provider: Provider;
  accounts: readonly string[];
}

/**
 * Why an agent bound to `scope` may not serve this provider and account (403), or null when it
 * may. No scope means a token that is not bound to accounts (an admin's), which may serve any.
 */
export function scopeRefusal(scope: AgentScope | null | undefined, provider: string, account: string): Refusal | null {
  if (!scope) return null;
  if (scope.provider === provider && scope.accounts.includes(account)) return null;
  return refuse(
    403,
    ErrorCode.forbidden,
    `this agent token may not serve ${provider} account ${JSON.stringify(account)}`,
  );
}

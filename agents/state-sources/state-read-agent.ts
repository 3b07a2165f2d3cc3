import { setTimeout as sleep } from 'node:timers/promises';
import type { Provider } from '../../contract/resource.js';
import { GatewayError, type StateReadGateway } from '../gateway-client.js';
import { errorMessage, type Logger, silentLogger } from '../log.js';
import { stateBackendFor } from './index.js';
import { runStateRead } from './read-source.js';
import type { StateBackendOptions } from './types.js';

export interface StateReadAgentOptions {
  gateway: StateReadGateway;
  agentId: string;
  provider: Provider;
  account: string;
  waitSeconds?: number;
  /** Stop once a lease call finds no read due. */
  once?: boolean;
  backendOptions?: StateBackendOptions;
  backoffMs?: number;
  log?: Logger;
}

/**
 * The agent's state reader: one lease loop beside the discovery loops, reading the account's
 * state sources one at a time with the backends' SDKs. Stops on shutdown, when idle with
 * `once`, or when the gateway refuses the agent itself (a 4xx on lease).
 */
export class StateReadAgent {
  private readonly leasing = new AbortController();
  private readonly log: Logger;

  constructor(private readonly opts: StateReadAgentOptions) {
    this.log = (opts.log ?? silentLogger).child({ agent_id: opts.agentId, loop: 'state-reads' });
  }

  async run(): Promise<void> {
    const signal = this.leasing.signal;
    const deps = {
      gateway: this.opts.gateway,
      backendFor: stateBackendFor,
      backendOptions: this.opts.backendOptions ?? { env: process.env },
      log: this.log,
    };
    while (!signal.aborted) {
      let lease: Awaited<ReturnType<StateReadGateway['leaseStateRead']>>;
      try {
        lease = await this.opts.gateway.leaseStateRead(
          {
            agent_id: this.opts.agentId,
            provider: this.opts.provider,
            account: this.opts.account,
            wait_seconds: this.opts.waitSeconds ?? 20,
          },
          signal,
        );
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof GatewayError && !err.retryable) {
          this.log.error('gateway refused state reads; stopping them', { error: err.message });
          return;
        }
        this.log.warn('state lease failed; backing off', { error: errorMessage(err) });
        await sleep(this.opts.backoffMs ?? 5000, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (!lease) {
        if (this.opts.once) return;
        continue;
      }
      await runStateRead(lease, deps, signal);
    }
  }

  shutdown(): void {
    this.leasing.abort();
  }
}

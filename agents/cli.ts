// First, so the heap settings apply before anything else is loaded.
import './heap-limits.js';
import { CommanderError } from 'commander';
import { awsProofSource } from './account-proof.js';
import { DiscoveryAgent } from './agent.js';
import { type AgentConfig, parseAgentConfig, UsageError } from './config.js';
import { GatewayClient } from './gateway-client.js';
import { createLogger, errorMessage, type Logger } from './log.js';
import { registry } from './metrics.js';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { providerFor } from './providers/index.js';
import { StateReadAgent } from './state-sources/state-read-agent.js';
import { noTracing, startTracing } from './tracing.js';

/** Exit codes: 0 clean stop, 1 the agent failed, 2 bad flags or environment. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: AgentConfig;
  try {
    config = parseAgentConfig(argv, env);
  } catch (err) {
    // Commander has already printed its own message (or the help text, exit code 0).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_USAGE;
    if (err instanceof UsageError) {
      process.stderr.write(`driftmgr-agent: ${err.message}\nRun driftmgr-agent --help for the flags.\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const log = createLogger({ level: config.logLevel });
  try {
    await runAgent(config, log);
    return 0;
  } catch (err) {
    log.error('agent failed', { error: errorMessage(err) });
    return EXIT_FAILED;
  }
}

async function runAgent(config: AgentConfig, log: Logger): Promise<void> {
  const tracer = config.otlpEndpoint
    ? await startTracing(config.otlpEndpoint, { 'service.instance.id': config.agentId })
    : noTracing;
  const gateway = new GatewayClient({
    url: config.gateway,
    token: config.token,
    connections: config.concurrency * 2,
    traceparent: () => tracer.traceparent(),
    proof: config.proveAccount ? awsProofSource(config.token, process.env) : undefined,
    log,
  });
  const agent = new DiscoveryAgent({
    gateway,
    provider: await providerFor(config.provider),
    agentId: config.agentId,
    account: config.account,
    regions: config.regions,
    resourceTypes: config.resourceTypes,
    concurrency: config.concurrency,
    waitSeconds: config.waitSeconds,
    graceMs: config.graceSeconds * 1000,
    once: config.once,
    tracer,
    log,
  });
  const stateReads = config.stateSources
    ? new StateReadAgent({
        gateway,
        agentId: config.agentId,
        provider: config.provider,
        account: config.account,
        waitSeconds: config.waitSeconds,
        once: config.once,
        log,
      })
    : undefined;
  // A second signal hands running shards back without waiting for the grace period.
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info('signal received', { signal });
    agent.shutdown();
    stateReads?.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let metricsServer: MetricsServer | undefined;
  try {
    if (config.metricsPort > 0) {
      metricsServer = await startMetricsServer({ port: config.metricsPort, registry, health: () => agent.health() });
      log.info('metrics server listening', { port: config.metricsPort });
    }
    // Discovery ending (shut down, or refused) stops the state reader too; with --once each stops when idle.
    const discovery = agent.run().finally(() => {
      if (!config.once) stateReads?.shutdown();
    });
    await Promise.all([discovery, stateReads?.run()]);
  } finally {
    await metricsServer?.close();
    await gateway.close();
    await tracer.shutdown();
  }
}

// Exit explicitly: cloud SDK clients keep sockets alive that would hold the process open.
process.exit(await main(process.argv.slice(2), process.env));

import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { MAX_LEASE_WAIT_SECONDS } from '../contract/agent-protocol.js';
import { Provider } from '../contract/resource.js';
import { PROVABLE_PROVIDERS, tokenIdOf } from '../contract/tokens.js';
import { insecureUrlReason } from '../contract/urls.js';

/** A flag or environment value the agent cannot start with; the CLI exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Why the agent must not call this gateway URL, or undefined when it may: the bearer token and
 * the inventory would cross the network in clear over plain http anywhere but this machine.
 */
export const insecureGatewayReason = insecureUrlReason;

const csv = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const AgentConfig = z.object({
  gateway: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).check((ctx) => {
    const reason = insecureGatewayReason(ctx.value);
    if (reason) ctx.issues.push({ code: 'custom', message: reason, input: ctx.value });
  }),
  token: z.string({ error: 'is required' }).min(1, 'is required'),
  provider: Provider,
  account: z.string({ error: 'is required' }).min(1, 'is required'),
  regions: z.array(z.string()).min(1, 'needs at least one region').max(100).optional(),
  resourceTypes: z.array(z.string()).min(1, 'needs at least one type').max(100).optional(),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  agentId: z.string().min(1).max(200).default(`${hostname()}-${process.pid}`),
  metricsPort: z.coerce.number().int().min(0).max(65_535).default(0),
  once: z.boolean().default(false),
  waitSeconds: z.coerce.number().int().min(0).max(MAX_LEASE_WAIT_SECONDS).default(20),
  graceSeconds: z.coerce.number().min(0).default(20),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  otlpEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** Send proof of the account with every lease, for agent tokens that require it. */
  proveAccount: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
  /** Read the account's state sources too (a lease loop of its own). */
  stateSources: z.boolean().default(true),
});
export type AgentConfig = z.infer<typeof AgentConfig>;

/** Proof of the account comes only from clouds that can give it, bound to a token the API made. */
const CheckedAgentConfig = AgentConfig.superRefine((config, ctx) => {
  if (!config.proveAccount) return;
  const refuse = (message: string) => ctx.addIssue({ code: 'custom', path: ['proveAccount'], message });
  if (!PROVABLE_PROVIDERS.includes(config.provider)) {
    refuse(`${config.provider} agents cannot prove their account yet; only ${PROVABLE_PROVIDERS.join(', ')}`);
  }
  if (!tokenIdOf(config.token)) refuse('proof is bound to a token made by POST /api/v1/tokens (tok_….…), not this one');
});

/** Each option's flag, help, and the environment variable it falls back to. */
const OPTIONS: { key: keyof AgentConfig; flags: string; help: string; env?: string; list?: boolean }[] = [
  { key: 'gateway', flags: '--gateway <url>', help: 'gateway base URL', env: 'DRIFTMGR_GATEWAY' },
  { key: 'token', flags: '--token <token>', help: 'agent bearer token', env: 'DRIFTMGR_AGENT_TOKEN' },
  { key: 'provider', flags: '--provider <name>', help: 'cloud: aws | azure | gcp', env: 'DRIFTMGR_PROVIDER' },
  {
    key: 'account',
    flags: '--account <id>',
    help: 'AWS account id, Azure subscription id or GCP project id',
    env: 'DRIFTMGR_ACCOUNT',
  },
  {
    key: 'regions',
    flags: '--regions <list>',
    help: 'serve only these regions (comma-separated)',
    env: 'DRIFTMGR_REGIONS',
    list: true,
  },
  {
    key: 'resourceTypes',
    flags: '--resource-types <list>',
    help: 'serve only these resource types (comma-separated)',
    env: 'DRIFTMGR_RESOURCE_TYPES',
    list: true,
  },
  {
    key: 'concurrency',
    flags: '--concurrency <n>',
    help: 'shards run at once (default 4)',
    env: 'DRIFTMGR_CONCURRENCY',
  },
  { key: 'agentId', flags: '--agent-id <id>', help: 'name of this agent (default host-pid)', env: 'DRIFTMGR_AGENT_ID' },
  {
    key: 'metricsPort',
    flags: '--metrics-port <port>',
    help: 'serve /metrics and /healthz on this port (default 0 = off)',
    env: 'DRIFTMGR_METRICS_PORT',
  },
  { key: 'once', flags: '--once', help: 'exit when no work is left and no shard is running' },
  {
    key: 'proveAccount',
    flags: '--prove-account',
    help: 'prove the account with every lease (AWS: a signed sts:GetCallerIdentity), for tokens that require it',
    env: 'DRIFTMGR_PROVE_ACCOUNT',
  },
  { key: 'stateSources', flags: '--no-state-sources', help: "do not read the account's Terraform state sources" },
  {
    key: 'waitSeconds',
    flags: '--wait-seconds <n>',
    help: `lease long-poll wait, 0-${MAX_LEASE_WAIT_SECONDS} (default 20)`,
  },
  {
    key: 'graceSeconds',
    flags: '--grace-seconds <n>',
    help: 'on SIGTERM, time running shards get to finish (default 20)',
  },
  { key: 'logLevel', flags: '--log-level <level>', help: 'debug | info | warn | error (default info)' },
  {
    key: 'otlpEndpoint',
    flags: '--otlp-endpoint <url>',
    help: 'export spans over OTLP/HTTP to <url>/v1/traces (default off)',
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  },
];

export function agentCommand(): Command {
  const command = new Command('driftmgr-agent')
    .description(
      'DriftMgr discovery agent: leases shards from the gateway, lists cloud resources with the SDK, uploads them.',
    )
    .addHelpText('after', "\nCloud endpoints and credentials come from each SDK's standard environment.")
    .exitOverride()
    .allowExcessArguments(false);
  for (const opt of OPTIONS) {
    command.addOption(new Option(opt.flags, opt.env ? `${opt.help} [env ${opt.env}]` : opt.help));
  }
  return command;
}

/**
 * Reads the agent's settings from flags, falling back to the environment (flags win).
 * Commander errors (unknown flag, missing value) propagate as CommanderError; invalid values
 * throw UsageError.
 */
export function parseAgentConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  command = agentCommand(),
): AgentConfig {
  const flags = command.parse([...argv], { from: 'user' }).opts<Record<string, unknown>>();
  const raw = Object.fromEntries(
    OPTIONS.map((opt) => {
      const value = flags[opt.key] ?? (opt.env ? env[opt.env] || undefined : undefined);
      return [opt.key, opt.list && typeof value === 'string' ? csv(value) : value];
    }),
  );
  const parsed = CheckedAgentConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${flagOf(issue.path[0])}: ${issue.message}`);
    throw new UsageError(problems.join('; '));
  }
  return parsed.data;
}

function flagOf(key: PropertyKey | undefined): string {
  const opt = OPTIONS.find((o) => o.key === key);
  return opt ? opt.flags.split(' ')[0] + (opt.env ? ` (or ${opt.env})` : '') : String(key);
}

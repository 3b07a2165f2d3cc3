import { type Command, InvalidArgumentError, Option } from 'commander';
import { Provider } from '../../contract/resource.js';
import { MAX_TOKEN_LIFETIME_SECONDS, Role, TokenCreated, type TokenInfo, TokenList } from '../../contract/tokens.js';
import { exitsWith, gatewayClient, parseList } from '../command-kit.js';
import { usageError } from '../errors.js';
import { printJson, printLine, renderTable } from '../output.js';

const PATH = '/api/v1/tokens';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90m`, `12h`, `30d`, `2w` → seconds, within the longest lifetime the gateway allows. */
export function parseExpiresIn(value: string): number {
  const match = /^(\d+)([smhdw])$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!]! : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TOKEN_LIFETIME_SECONDS))
    throw new InvalidArgumentError('expects a number and a unit (s, m, h, d or w), e.g. 30d, at most five years');
  return seconds;
}

interface CreateOptions {
  role: Role;
  provider?: Provider;
  accounts?: string[];
  expiresIn?: number;
  requireProof?: boolean;
  description?: string;
  json?: boolean;
}

const AGENT_ONLY = [
  ['provider', '--provider'],
  ['accounts', '--accounts'],
  ['requireProof', '--require-proof'],
] as const;

/** The scope flags belong to agent tokens, and an agent token needs both provider and accounts. */
function checkScope(opts: CreateOptions): void {
  if (opts.role !== 'agent') {
    const given = AGENT_ONLY.filter(([key]) => opts[key] !== undefined).map(([, flag]) => flag);
    if (given.length > 0) throw usageError(`${given.join(', ')} only apply to --role agent`);
    return;
  }
  if (!opts.provider || !opts.accounts)
    throw usageError('--role agent needs --provider and --accounts (the accounts its agents serve)');
}

function registerCreate(tokens: Command): void {
  tokens
    .command('create')
    .description('make an API token; it is printed this once and never again')
    .addOption(new Option('--role <role>', 'what the token may do').choices(Role.options).makeOptionMandatory())
    .addOption(new Option('--provider <provider>', 'agent tokens: the cloud they serve').choices(Provider.options))
    .option('--accounts <ids>', 'agent tokens: comma-separated accounts they serve', parseList)
    .option('--expires-in <duration>', 'lifetime such as 12h, 30d or 2w; without it, until revoked', parseExpiresIn)
    .option('--require-proof', 'agent tokens: every lease must prove the agent holds credentials of its account')
    .option('--description <text>', 'what the token is for')
    .option('--json', 'print the API answer as JSON')
    .action(
      exitsWith(async (opts: CreateOptions, command: Command) => {
        checkScope(opts);
        const created = await gatewayClient(command).postJson(PATH, TokenCreated, {
          role: opts.role,
          provider: opts.provider,
          accounts: opts.accounts,
          expires_in: opts.expiresIn,
          require_proof: opts.requireProof,
          description: opts.description,
        });
        if (opts.json) printJson(created);
        else printLine(created.token);
        // On stderr, so `TOKEN=$(driftmgr tokens create …)` still takes the token alone.
        process.stderr.write(`token ${created.id} (${created.role}): store it now, it will not be shown again\n`);
        return 0;
      }),
    );
}

function scopeOf(t: TokenInfo): string {
  if (!t.provider) return '';
  return `${t.provider}:${(t.accounts ?? []).join(',')}${t.require_proof ? ' (proof)' : ''}`;
}

function stateOf(t: TokenInfo, now: number): string {
  if (t.revoked_at) return 'revoked';
  if (t.expires_at && Date.parse(t.expires_at) <= now) return 'expired';
  return 'active';
}

function registerList(tokens: Command): void {
  tokens
    .command('list')
    .description('every token, revoked and expired ones included (never a secret)')
    .option('--json', 'print the API answers as JSON')
    .action(
      exitsWith(async (opts: { json?: boolean }, command: Command) => {
        const client = gatewayClient(command);
        const all: TokenInfo[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.getJson(PATH, TokenList, { limit: 200, cursor });
          all.push(...page.tokens);
          cursor = page.next_cursor ?? undefined;
        } while (cursor);
        if (opts.json) printJson({ tokens: all });
        else if (all.length === 0) printLine('no tokens');
        else {
          const now = Date.now();
          const rows = all.map((t) => [
            t.id,
            t.role,
            stateOf(t, now),
            scopeOf(t),
            t.expires_at ?? 'never',
            t.created_by,
            t.description,
          ]);
          printLine(renderTable(['id', 'role', 'state', 'scope', 'expires', 'created by', 'description'], rows));
        }
        return 0;
      }),
    );
}

function registerRevoke(tokens: Command): void {
  tokens
    .command('revoke')
    .description('revoke a token: the next call with it is refused')
    .argument('<id>', 'the token id (tok_…), as `tokens list` shows it')
    .action(
      exitsWith(async (id: string, _opts: object, command: Command) => {
        await gatewayClient(command).delete(`${PATH}/${encodeURIComponent(id)}`);
        printLine(`revoked ${id}`);
        return 0;
      }),
    );
}

export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('scoped API tokens: admin, operator, reader and agent');
  registerCreate(tokens);
  registerList(tokens);
  registerRevoke(tokens);
}

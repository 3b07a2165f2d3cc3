import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../scripts/local-stack.js';
import { ACCOUNT, runCli } from '../test/support/cli-run.js';
import { startTestGateway, type TestGateway } from '../test/support/test-gateway.js';

// `driftmgr tokens` against the real gateway in `wrangler dev` (D1 keeps the tokens).
const dir = mkdtempSync(join(tmpdir(), 'driftmgr-cli-tokens-'));
let gateway: TestGateway;
let url: string;
let admin: string;

beforeAll(async () => {
  admin = ensureAdminToken();
  gateway = await startTestGateway(join(dir, 'persist'));
  url = gateway.url;
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (token: string, ...args: string[]) => runCli(args, { DRIFTMGR_URL: url, DRIFTMGR_TOKEN: token });

const status = (path: string, token: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('tokens', () => {
  it('creates a reader token printed once, which reads but may not make tokens', async () => {
    const run = await cli(admin, 'tokens', 'create', '--role', 'reader', '--expires-in', '30d');
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^tok_[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toMatch(/^token tok_\w+ \(reader\): store it now, it will not be shown again\n$/);
    expect(await status('/api/v1/jobs', token)).toBe(200);
    const refused = await cli(token, 'tokens', 'create', '--role', 'reader');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: .+\n$/);
  });

  it('creates an agent token bound to a provider and accounts, listed with its scope but never its secret', async () => {
    const run = await cli(
      admin,
      'tokens',
      'create',
      '--role',
      'agent',
      '--provider',
      'aws',
      '--accounts',
      ACCOUNT,
      '--require-proof',
      '--json',
    );
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as { id: string; token: string; accounts: string[]; expires_at: null };
    expect(created).toMatchObject({ role: 'agent', provider: 'aws', accounts: [ACCOUNT], require_proof: true });
    expect(created.expires_at).toBeNull();

    const table = await cli(admin, 'tokens', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`${created.id}\\s+agent\\s+active\\s+aws:${ACCOUNT} \\(proof\\)\\s+never`));
    expect(table.stdout).not.toContain(created.token.split('.')[1]);

    const listed = JSON.parse((await cli(admin, 'tokens', 'list', '--json')).stdout) as { tokens: { id: string }[] };
    expect(listed.tokens.map((t) => t.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain(created.token.split('.')[1]);
  });

  it('revokes a token: the next call with it is refused and the list says revoked', async () => {
    const token = (await cli(admin, 'tokens', 'create', '--role', 'operator')).stdout.trim();
    const id = token.split('.')[0]!;
    expect(await status('/api/v1/jobs', token)).toBe(200);
    const run = await cli(admin, 'tokens', 'revoke', id);
    expect(run).toMatchObject({ code: 0, stdout: `revoked ${id}\n` });
    expect(await status('/api/v1/jobs', token)).toBe(401);
    expect((await cli(admin, 'tokens', 'list')).stdout).toMatch(new RegExp(`${id}\\s+operator\\s+revoked`));
    const missing = await cli(admin, 'tokens', 'revoke', 'tok_nosuchtoken');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: token tok_nosuchtoken not found\n$/);
  });

  it.each([
    [['--role', 'root'], /Allowed choices are admin, operator, reader, agent/],
    [['--role', 'reader', '--expires-in', '30 days'], /--expires-in.+e\.g\. 30d/],
    [['--role', 'reader', '--provider', 'aws'], /--provider only apply to --role agent/],
    [['--role', 'agent', '--provider', 'aws'], /--role agent needs --provider and --accounts/],
    [['--role', 'agent', '--provider', 'gcp', '--accounts', 'x'], /^error: .*accounts/],
    [[], /required option '--role <role>' not specified/],
  ])('exits 2 with a clear message for tokens create %j', async (flags, message) => {
    const run = await cli(admin, 'tokens', 'create', ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});

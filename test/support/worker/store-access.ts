import { expect, it } from 'vitest';
import type { AuditEntry } from '../../../contract/audit.js';
import type { StoredToken } from '../../../storage/access.js';
import type { Store } from '../../../storage/store.js';
import { at } from './stores.js';

/**
 * The storage suite's cases for API tokens and the audit log, run on each store by
 * storage/store.test.ts (whose beforeEach empties the store).
 */
export function accessCases(current: () => Store): void {
  const agentToken: StoredToken = {
    id: 'tok_0001',
    secret_hash: 'a'.repeat(64),
    role: 'agent',
    tenant_id: null,
    provider: 'aws',
    accounts: ['111111111111', '222222222222'],
    require_proof: true,
    description: 'prod agents',
    created_by: 'bootstrap',
    created_at: at(1),
    expires_at: at(90),
    revoked_at: null,
  };
  const readerToken: StoredToken = {
    ...agentToken,
    id: 'tok_0002',
    secret_hash: 'b'.repeat(64),
    role: 'reader',
    tenant_id: 'team-a',
    provider: null,
    accounts: null,
    require_proof: false,
    description: null,
    created_by: 'tok_0001',
    expires_at: null,
  };
  const { secret_hash: _a, ...agentInfo } = agentToken;
  const { secret_hash: _b, ...readerInfo } = readerToken;

  it('makes tenants with unique names, and keeps tokens of each tenant apart', async () => {
    expect(await current().createTenant({ tenant_id: 'ten_1', name: 'Team A', created_at: at(1) })).toBe(true);
    expect(await current().createTenant({ tenant_id: 'ten_2', name: 'Team A', created_at: at(2) })).toBe(false);
    expect(await current().createTenant({ tenant_id: 'ten_3', name: 'Team B', created_at: at(3) })).toBe(true);
    expect(await current().listTenants()).toEqual([
      { tenant_id: 'ten_1', name: 'Team A', created_at: at(1) },
      { tenant_id: 'ten_3', name: 'Team B', created_at: at(3) },
    ]);
    expect(await current().tenantExists('ten_3')).toBe(true);
    expect(await current().tenantExists('ten_2')).toBe(false);

    const token = (id: string, tenant_id: string | null) => ({ ...readerToken, id, tenant_id });
    await current().createToken(token('tok_a', null));
    await current().createToken(token('tok_b', 'default'));
    await current().createToken(token('tok_c', 'ten_1'));
    const listed = async (tenant?: string) => (await current().listTokens({ limit: 10, tenant })).map((t) => t.id);
    expect(await listed('default')).toEqual(['tok_a', 'tok_b']);
    expect(await listed('ten_1')).toEqual(['tok_c']);
    expect(await listed()).toEqual(['tok_a', 'tok_b', 'tok_c']);
    expect(await current().revokeToken('tok_c', at(5), 'default')).toBe(false);
    expect((await current().getToken('tok_c'))!.revoked_at).toBeNull();
    expect(await current().revokeToken('tok_a', at(5), 'ten_1')).toBe(false);
    expect(await current().revokeToken('tok_c', at(5), 'ten_1')).toBe(true);
    expect(await current().revokeToken('tok_a', at(6))).toBe(true);
    expect((await current().getToken('tok_c'))!.revoked_at).toBe(at(5));
  });

  it('keeps tokens with their hash, lists them without it in id order, and revokes them once', async () => {
    const store = current();
    await store.createToken(readerToken);
    await store.createToken(agentToken);
    expect(await store.getToken('tok_0001')).toEqual(agentToken);
    expect(await store.getToken('tok_0002')).toEqual(readerToken);
    expect(await store.getToken('tok_none')).toBeNull();

    expect(await store.listTokens({ limit: 10 })).toEqual([agentInfo, readerInfo]);
    expect(await store.listTokens({ limit: 1 })).toEqual([agentInfo]);
    expect(await store.listTokens({ limit: 10, after: 'tok_0001' })).toEqual([readerInfo]);

    expect(await store.revokeToken('tok_0001', at(5))).toBe(true);
    // Revoked again: still found, and the first revocation's time stays.
    expect(await store.revokeToken('tok_0001', at(6))).toBe(true);
    expect(await store.revokeToken('tok_none', at(6))).toBe(false);
    expect((await store.getToken('tok_0001'))?.revoked_at).toBe(at(5));
    expect((await store.getToken('tok_0002'))?.revoked_at).toBeNull();
  });

  it('keeps audit entries and pages them newest first', async () => {
    const store = current();
    const entry = (n: number, target: string | null): AuditEntry => ({
      id: `aud_${String(n).padStart(4, '0')}`,
      at: at(n),
      actor: n % 2 ? 'bootstrap' : 'tok_0001',
      method: 'POST',
      route: '/api/v1/jobs/:job_id/cancel',
      target,
      status: 200 + n,
    });
    const entries = [entry(1, 'job_a'), entry(2, null), entry(3, 'job_c')];
    for (const e of entries) await store.recordAudit(e);
    expect(await store.listAudit({ limit: 10 })).toEqual([...entries].reverse());
    expect(await store.listAudit({ limit: 2 })).toEqual([entries[2], entries[1]]);
    expect(await store.listAudit({ limit: 2, before: 'aud_0002' })).toEqual([entries[0]]);
  });

  it("lists a tenant's audit entries: its tokens' only, the bootstrap token's with no tenant", async () => {
    const store = current();
    await store.createToken(agentToken);
    await store.createToken(readerToken);
    const entry = (n: number, actor: string): AuditEntry => ({
      id: `aud_${String(n).padStart(4, '0')}`,
      at: at(n),
      actor,
      method: 'DELETE',
      route: '/api/v1/schedules/:schedule_id',
      target: `sch_${n}`,
      status: 204,
    });
    const entries = [entry(1, 'bootstrap'), entry(2, agentToken.id), entry(3, readerToken.id), entry(4, 'tok_gone')];
    for (const e of entries) await store.recordAudit(e);
    const ids = async (tenant?: string, before?: string) =>
      (await store.listAudit({ limit: 10, tenant, before })).map((e) => e.id);
    expect(await ids()).toEqual(['aud_0004', 'aud_0003', 'aud_0002', 'aud_0001']);
    // A token made without a tenant is the default tenant's.
    expect(await ids('default')).toEqual(['aud_0002']);
    expect(await ids('team-a')).toEqual(['aud_0003']);
    expect(await ids('team-a', 'aud_0003')).toEqual([]);
    expect(await ids('team-b')).toEqual([]);
  });
}

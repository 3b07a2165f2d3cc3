import { expect, it } from 'vitest';
import type { ImportJob } from '../../../contract/imports.js';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import { instanceSlot, type ParsedState, type StateInstance } from '../../../engine/index.js';
import type { Store, StoredState } from '../../../storage/store.js';
import { at } from './stores.js';

function volume(n: number, account?: string): StateInstance {
  return {
    source: 'big.tfstate',
    address: `aws_ebs_volume.v${n}`,
    tfType: 'aws_ebs_volume',
    name: `v${n}`,
    provider: 'provider["aws"]',
    tainted: false,
    attributes: account
      ? { id: `vol-${n}`, arn: `arn:aws:ec2:us-east-1:${account}:volume/vol-${n}` }
      : { id: `vol-${n}` },
  };
}

const parsed = (instances: StateInstance[], serial: number): ParsedState => ({
  source: 'big.tfstate',
  version: 4,
  serial,
  lineage: 'lin',
  instances,
  dataSourcesSkipped: 0,
});

/** Instances of the active states of one account (those with no account are in every one). */
async function instancesOf(store: Store, account: string): Promise<string[]> {
  const found: string[] = [];
  await store.scanActiveInstances({ tenant: DEFAULT_TENANT, account }, (page) => {
    for (const { instance } of page) found.push(instance.address);
  });
  return found;
}

/**
 * The storage suite's cases for streamed imports: the import's own record, and a state written
 * a batch at a time, invisible until activated. Run on each store by storage/store.test.ts.
 */
export function importCases(current: () => Store): void {
  it('keeps an import and what it ends with', async () => {
    const store = current();
    const job: ImportJob = {
      import_id: 'imp_1',
      status: 'queued',
      workspace: 'w',
      replace: false,
      files: [{ name: 'big.tfstate', bytes: 123 }],
      created_at: at(1),
      updated_at: at(1),
      finished_at: null,
      result: null,
      error: null,
    };
    await store.createImport(DEFAULT_TENANT, job);
    expect(await store.getImport(DEFAULT_TENANT, 'imp_1')).toEqual(job);
    expect(await store.getImport(DEFAULT_TENANT, 'imp_none')).toBeNull();
    await store.updateImport('imp_1', { status: 'importing', updated_at: at(2) });
    const error = { code: 'state_conflict', message: 'older', details: { source: 'big.tfstate' } };
    await store.updateImport('imp_1', { status: 'failed', updated_at: at(3), finished_at: at(3), error });
    expect(await store.getImport(DEFAULT_TENANT, 'imp_1')).toEqual({
      ...job,
      status: 'failed',
      updated_at: at(3),
      finished_at: at(3),
      error,
    });
  });

  it('writes a state a batch at a time, invisible until activated, then replaces the active version in one step', async () => {
    const store = current();
    const [old] = await store.saveStates(DEFAULT_TENANT, 'w', [parsed([volume(0, '111111111111')], 1)]);
    const stateId = await store.beginState(DEFAULT_TENANT, 'w', 'big.tfstate', at(1));
    const first = [volume(1, '111111111111'), volume(2)];
    await store.addStateInstances(stateId, 0, first, ['111111111111', null], at(2));
    await store.addStateInstances(stateId, 2, [volume(3), volume(4)], [null, null], at(3));
    // Nothing of it is read while it is importing.
    expect((await store.listActiveStates(DEFAULT_TENANT)).map((s) => s.state_id)).toEqual([old!.state_id]);
    expect(await instancesOf(store, '111111111111')).toEqual(['aws_ebs_volume.v0']);

    const slot = instanceSlot(volume(3));
    expect(await store.instancesInSlots(stateId, [slot])).toEqual([{ seq: 2, instance: volume(3) }]);
    await store.setInstanceAccount(stateId, '222222222222', [2, 3]);

    const header: StoredState = {
      state_id: stateId,
      workspace: 'w',
      name: 'big.tfstate',
      version: 4,
      terraform_version: '1.9.0',
      serial: 2,
      lineage: 'lin',
      instances: 4,
      data_sources_skipped: 1,
      imported_at: at(4),
    };
    await store.activateStates(DEFAULT_TENANT, [header]);
    expect(await store.listActiveStates(DEFAULT_TENANT)).toEqual([header]);
    // Unknown accounts are read with every account; the ones set afterwards only with theirs.
    expect(await instancesOf(store, '111111111111')).toEqual(['aws_ebs_volume.v1', 'aws_ebs_volume.v2']);
    expect(await instancesOf(store, '222222222222')).toEqual([
      'aws_ebs_volume.v2',
      'aws_ebs_volume.v3',
      'aws_ebs_volume.v4',
    ]);
    const [state] = await store.loadActiveStates({ tenant: DEFAULT_TENANT });
    expect(state?.instances).toEqual([...first, volume(3), volume(4)]);
  });

  it('keeps states and imports per tenant: a tenant reads, scans and supersedes its own only', async () => {
    const store = current();
    const [ours] = await store.saveStates(DEFAULT_TENANT, 'w', [parsed([volume(0)], 1)]);
    const [theirs] = await store.saveStates('ten_other', 'w', [parsed([volume(1)], 1)]);
    expect((await store.listActiveStates(DEFAULT_TENANT)).map((s) => s.state_id)).toEqual([ours!.state_id]);
    expect((await store.listActiveStates('ten_other')).map((s) => s.state_id)).toEqual([theirs!.state_id]);
    const scannedOf = async (tenant: string) => {
      const found: string[] = [];
      await store.scanActiveInstances({ tenant }, (page) => found.push(...page.map((i) => i.instance.address)));
      return found;
    };
    expect(await scannedOf(DEFAULT_TENANT)).toEqual(['aws_ebs_volume.v0']);
    expect(await scannedOf('ten_other')).toEqual(['aws_ebs_volume.v1']);
    expect((await store.loadActiveStates({ tenant: 'ten_other' }))[0]?.instances).toEqual([volume(1)]);

    // A streamed import of the same name supersedes its own tenant's state only.
    const stateId = await store.beginState('ten_other', 'w', 'big.tfstate', at(1));
    await store.activateStates('ten_other', [{ ...theirs!, state_id: stateId, serial: 2, imported_at: at(2) }]);
    expect((await store.listActiveStates('ten_other')).map((s) => s.state_id)).toEqual([stateId]);
    expect((await store.listActiveStates(DEFAULT_TENANT)).map((s) => s.state_id)).toEqual([ours!.state_id]);

    const job: ImportJob = {
      import_id: 'imp_tenant',
      status: 'queued',
      workspace: 'w',
      replace: false,
      files: [],
      created_at: at(1),
      updated_at: at(1),
      finished_at: null,
      result: null,
      error: null,
    };
    await store.createImport('ten_other', job);
    expect(await store.getImport('ten_other', 'imp_tenant')).toEqual(job);
    expect(await store.getImport(DEFAULT_TENANT, 'imp_tenant')).toBeNull();
  });

  it('drops a failed import and only it: the active state stays as it was', async () => {
    const store = current();
    const [active] = await store.saveStates(DEFAULT_TENANT, 'w', [parsed([volume(0)], 1)]);
    const stateId = await store.beginState(DEFAULT_TENANT, 'w', 'big.tfstate', at(1));
    await store.addStateInstances(stateId, 0, [volume(1)], [null], at(2));
    await store.dropImportingStates([stateId, active!.state_id]);
    expect(await store.instancesInSlots(stateId, [instanceSlot(volume(1))])).toEqual([]);
    expect(await store.listActiveStates(DEFAULT_TENANT)).toEqual([active]);
    expect((await store.loadActiveStates({ tenant: DEFAULT_TENANT }))[0]?.instances).toEqual([volume(0)]);
  });
}

import { expect, it } from 'vitest';
import { DEFAULT_TENANT } from '../../../contract/tenants.js';
import type { Store } from '../../../storage/store.js';
import { saveWholeAnalysis } from '../../../storage/whole-analysis.js';
import { at, driftItem, report, resource, sightAndMerge } from './stores.js';

/** The storage suite's case for the read version, run on each store by storage/store.test.ts. */
export function readVersionCases(current: () => Store): void {
  it('moves the read version with each analysis, pruning of detail, resource count refresh, acknowledgement and setting', async () => {
    const store = current();
    expect(await store.readVersion()).toEqual({
      analyses: 0,
      last_analysis_at: null,
      oldest_detail_at: null,
      acks: 0,
      last_ack_at: null,
      settings: 0,
      last_setting_at: null,
      resource_scopes: 0,
      resources: 0,
    });

    await saveWholeAnalysis(store, 'job-1', 'aws', report([driftItem(0)]), at(1));
    await saveWholeAnalysis(store, 'job-2', 'aws', report([driftItem(0)]), at(3));
    expect(await store.readVersion()).toMatchObject({ analyses: 2, last_analysis_at: at(3), oldest_detail_at: at(1) });
    await store.pruneDriftDetail(at(2));
    expect(await store.readVersion()).toMatchObject({ analyses: 2, last_analysis_at: at(3), oldest_detail_at: at(3) });

    await sightAndMerge(
      store,
      [{ job_id: 'job-2', resources: [resource('aws', 'a1', 'r1', 'T', 'x'), resource('aws', 'a1', 'r2', 'T', 'y')] }],
      at(3),
    );
    await store.refreshResourceCounts();
    expect(await store.readVersion()).toMatchObject({ resource_scopes: 2, resources: 2 });

    const item = driftItem(0);
    const scopes = [{ provider: 'aws' as const, account: 'acct-2', type: item.cloud_type, regions: ['r-a'] }];
    await store.trackDrift({
      tenant: DEFAULT_TENANT,
      job_id: 'job-2',
      provider: 'aws',
      account: 'acct-2',
      as_of: at(3),
      scopes,
      resolves: true,
      items: [item],
      now: at(3),
    });
    await store.acknowledgeDrift(DEFAULT_TENANT, {
      resource_key: item.address,
      reason: 'planned',
      until: null,
      at: at(5),
    });
    expect(await store.readVersion()).toMatchObject({ acks: 1, last_ack_at: at(5) });

    await store.putIgnoreRules(DEFAULT_TENANT, { driftignore: 'aws_vpc.*', rules: [] }, at(6));
    expect(await store.readVersion()).toMatchObject({ settings: 1, last_setting_at: at(6) });
  });
}

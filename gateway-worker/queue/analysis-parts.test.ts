import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../emulator/estate.js';
import { buildTerraformState, type TerraformStateV4 } from '../../emulator/terraform-state.js';
import { SLOT_COUNT } from '../../engine/index.js';
import type { JobCoordinator } from '../../orchestrator-do/job-coordinator.js';
import { api } from '../../test/support/worker/api.js';
import { complete, finished, leaseAll, sendChunk, startScan } from '../../test/support/worker/scan.js';
import worker from '../index.js';
import { cutRanges } from './analysis-plan.js';

const coordinator = (jobId: string) => env.JOB_COORDINATOR.get(env.JOB_COORDINATOR.idFromName(jobId));

/** The EC2 side of a network: defaults, implicit children (root volumes, primary interfaces) and their parents. */
const TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup',
  'AWS::EC2::RouteTable',
  'AWS::EC2::NetworkAcl',
  'AWS::EC2::NetworkInterface',
  'AWS::EC2::Volume',
  'AWS::EC2::Instance',
];
/** One AWS account of a generated estate. */
const { resources } = generateEstate({ seed: 5, resources: 1500, only: 'aws' });
const ACCOUNT = resources[0]!.account;
const ESTATE = resources.filter((r) => r.account === ACCOUNT && TYPES.includes(r.type));
/** Discovery looks in one of the estate's regions: state resources elsewhere are not covered, and where one is decides. */
const REGIONS = [...new Set(ESTATE.map((r) => r.region))].slice(0, 1);

/**
 * The estate's Terraform state with drift, noise and their like: some instances tell no
 * region (inheriting their provider's), a few sit under a provider nothing tells the scope of,
 * and a second state manages some resources again, a few as deposed objects.
 */
function states(): [TerraformStateV4, TerraformStateV4] {
  const { state } = buildTerraformState(ESTATE, { seed: 5, driftRate: 0.3, noiseRate: 0.3 });
  state.resources.forEach((r, i) => {
    if (i % 7 !== 0) return;
    for (const inst of r.instances) {
      delete inst.attributes.arn;
      delete inst.attributes.availability_zone;
    }
    if (i % 21 === 0) r.provider = 'provider["registry.terraform.io/hashicorp/aws"].nowhere';
  });
  const copies = structuredClone(state);
  copies.resources = state.resources
    .filter((_, i) => i % 23 === 0)
    .map((r, i) => ({
      ...structuredClone(r),
      name: `${r.name}_again`,
      instances: r.instances.map((inst) => ({ ...structuredClone(inst), ...(i % 2 ? { deposed: `d${i}` } : {}) })),
    }));
  return [state, copies];
}

/** Runs one discovery of the whole estate through the gateway, the queue and the analysis. */
async function scanEstate(beforeAnalysis: (jobId: string) => Promise<void> = async () => {}): Promise<string> {
  const jobId = await startScan({ account: ACCOUNT, regions: REGIONS, types: TYPES });

  await beforeAnalysis(jobId);
  for (const lease of await leaseAll(ACCOUNT)) {
    const found = ESTATE.filter((r) => lease.work.some((w) => w.type === r.type && w.region === r.region));
    await sendChunk(lease, found);
    await complete(lease, found.length);
  }
  await finished(jobId);
  return jobId;
}

/** What a job found, without what depends on earlier jobs (first sightings, statuses, counts of new and resolved). */
async function findings(jobId: string) {
  const drift = await api('GET', `/api/v1/drift?job_id=${jobId}&limit=1000`);
  expect(drift.body.next_cursor).toBeNull();
  const report = await api('GET', `/api/v1/drift/report?job_id=${jobId}&format=json`);
  const { new: _new, resolved: _resolved, acknowledged: _acknowledged, ...summary } = drift.body.summary;
  const items = (drift.body.items as Record<string, unknown>[]).map(
    ({ status: _s, first_seen_at: _a, first_seen_job: _j, acknowledged: _k, ...item }) => JSON.stringify(item),
  );
  const duplicates = (report.body.duplicates as unknown[]).map((d) => JSON.stringify(d));
  return { summary, items: items.sort(), duplicates: duplicates.sort() };
}

const partsOf = (jobId: string) =>
  runInDurableObject(coordinator(jobId), (_: JobCoordinator, state) =>
    state.storage.sql.exec<{ id: number; stage: string }>(`SELECT id, stage FROM analysis_parts ORDER BY id`).toArray(),
  );

describe('an account analysed in parts', () => {
  it('finds exactly what one analysis of the whole account finds, every item once, and a part analysed again changes nothing', async () => {
    const [main, again] = states();
    expect((await api('POST', '/api/v1/import?name=main.tfstate', main)).status).toBe(201);
    expect((await api('POST', '/api/v1/import?name=again.tfstate', again)).status).toBe(201);

    // The reference: the account's analysis in one part of every slot, as a release before parts ran it.
    const whole = await scanEstate((jobId) =>
      runInDurableObject(coordinator(jobId), (_: JobCoordinator, state) => {
        state.storage.sql.exec(`INSERT INTO analysis_parts (account, part) VALUES (?, 0)`, ACCOUNT);
        state.storage.sql.exec(`INSERT INTO analysis_parts (account, stage) VALUES (?, 'close')`, ACCOUNT);
      }),
    );
    const parted = await scanEstate();
    expect((await partsOf(whole)).filter((p) => p.stage === 'data')).toHaveLength(1);
    const dataParts = (await partsOf(parted)).filter((p) => p.stage === 'data');
    // ANALYSIS_PART_LIMIT is 150 in tests: several hundred resources and instances make several parts.
    expect(dataParts.length).toBeGreaterThan(3);

    const reference = await findings(whole);
    const s = reference.summary;
    for (const n of [s.changed, s.missing, s.unmanaged, s.duplicates, s.deposed, s.not_covered, s.implicitly_managed])
      expect(n).toBeGreaterThan(0);
    expect(s.default_resources_skipped).toBeGreaterThan(0);
    const inParts = await findings(parted);
    expect(inParts.summary).toEqual(reference.summary);
    expect(inParts.items).toHaveLength(reference.items.length);
    expect(inParts.items).toEqual(reference.items);
    expect(inParts.duplicates).toEqual(reference.duplicates);

    // Every data part delivered again after the job completed: nothing lost, nothing counted twice.
    const batch = createMessageBatch(
      'driftmgr-results',
      dataParts.map((p, i) => ({
        id: `again-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'analyze', job_id: parted, account: ACCOUNT, part: p.id },
      })),
    );
    await worker.queue(batch, env);
    expect((await getQueueResult(batch, createExecutionContext())).retryMessages).toEqual([]);
    expect(await findings(parted)).toEqual(inParts);
  }, 90_000);
});

describe('cutting an account into parts', () => {
  const range = (from: number, to: number) => ({ from, to });
  const width = SLOT_COUNT / 8;

  it('covers every slot with consecutive ranges of at most the limit, a bucket over it alone in its range', () => {
    expect(cutRanges([3, 3, 3, 0, 0, 9, 1, 1], 6)).toEqual([
      range(0, 2 * width - 1),
      range(2 * width, 5 * width - 1),
      range(5 * width, 6 * width - 1),
      range(6 * width, SLOT_COUNT - 1),
    ]);
    expect(cutRanges([0, 0, 0, 0, 0, 0, 0, 0], 6)).toEqual([range(0, SLOT_COUNT - 1)]);
    expect(cutRanges([1, 1, 1, 1, 1, 1, 1, 1], 100)).toEqual([range(0, SLOT_COUNT - 1)]);
  });
});

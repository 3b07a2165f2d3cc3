import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DriftPage } from '../../contract/drift.js';
import type { NotificationView } from '../../contract/notifications.js';
import type { ScheduleView } from '../../contract/schedules.js';
import { type DemoStack, startDemoStack } from '../support/demo-stack.js';

// The dashboard and /docs in a real browser (Debian's Chromium driven by playwright-core) against
// the local system as `npm start` runs it (wrangler dev, the emulator's sample estate, agents, one
// analysed job per cloud) plus a second AWS job, so the trend has a line. Each step clicks through
// a page as a user would and checks what it shows against the API's own answers.
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join('test-artifacts', 'screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`dashboard browser test skipped: no ${CHROMIUM} (apt-get install chromium)`);

let stack: DemoStack;
let browser: Browser;
let page: Page;
/** Script errors and console errors (CSP refusals among them) the page reported during a step. */
let pageErrors: string[] = [];

/** Saves what the page shows: the whole page, or only the window (a dialog over a long list, a long job). */
async function shot(name: string, fullPage = true) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** The text a locator shows, once it is visible. */
async function textOf(locator: Locator) {
  await locator.waitFor({ state: 'visible' });
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; the rendered text is the point
  return locator.innerText();
}

async function openView(link: string, heading = link) {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

/** An attribute value as the dashboard prints it (fmt.value), first line only. */
function shownValue(value: unknown) {
  const text = value === undefined ? '(absent)' : typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  return text.split('\n')[0]!;
}

function drift(query: Record<string, string>) {
  return stack.call<DriftPage>('GET', `/api/v1/drift?${new URLSearchParams({ limit: '100', ...query })}`);
}

describe.skipIf(!haveChromium)('the dashboard in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM });
    stack = await startDemoStack({ resources: 80, seed: 7, moreJobs: ['aws'], timeoutMs: 300_000 });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  afterEach(() => {
    // The API's refusals of the wrong token and the wrong cron are the only errors the browser may log.
    expect(pageErrors.filter((e) => !/status of (400|401)\b/.test(e))).toEqual([]);
    pageErrors = [];
  });

  it('signs in with a token kept in this tab only, after refusing a wrong one', async () => {
    const why = stack.jobs.map((j) => [j.job_id, j.error, ...j.shards.map((sh) => sh.last_error)].filter(Boolean));
    expect(
      stack.jobs.map((j) => j.status),
      JSON.stringify(why),
    ).toEqual(['completed', 'completed', 'completed', 'completed']);
    await page.goto(stack.base);
    await page.getByLabel('API token').fill('dm_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await textOf(page.getByRole('alert').filter({ hasText: 'refused' }))).toContain('Sign in again');
    await page.getByLabel('API token').fill(stack.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 2, name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('driftmgr.token'))).toBe(stack.token);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('overview: resources, coverage, drift by severity and cost per provider, accounts, and the trend', async () => {
    const summary = await stack.call<{ total: number; by_account: { key: string }[] }>(
      'GET',
      '/api/v1/resources/summary',
    );
    const latestAws = await drift({ job_id: stack.jobs[3]!.job_id, limit: '1' });
    const cards = page.locator('#overview-cards');
    expect(await textOf(cards.locator('.card', { hasText: 'Resources' }))).toContain(summary.total.toLocaleString());
    // The latest analysis of each cloud: the azure and gcp jobs and the second AWS job.
    const latest = await Promise.all(stack.jobs.slice(1).map((j) => drift({ job_id: j.job_id, limit: '1' })));
    const severityCard = await textOf(cards.locator('.card', { hasText: 'Drift by severity' }));
    for (const severity of ['critical', 'high', 'medium', 'low'] as const) {
      const count = latest.reduce((n, page) => n + (page.summary.by_severity[severity] ?? 0), 0);
      if (count > 0) expect(severityCard).toContain(`${count} ${severity}`);
      else expect(severityCard).not.toContain(severity);
    }
    const aws = page.locator('#providers-body tr', { hasText: 'aws' });
    const awsRow = await textOf(aws);
    expect(awsRow).toContain(stack.jobs[3]!.job_id);
    expect(awsRow).toContain(`${(latestAws.summary.coverage * 100).toFixed(1)}%`);
    for (const [severity, count] of Object.entries(latestAws.summary.by_severity)) {
      if (count > 0) expect(awsRow).toContain(`${count} ${severity}`);
    }
    expect(await page.locator('#providers-body tr').count()).toBe(3);
    expect(await page.locator('#accounts-body tr').count()).toBe(summary.by_account.length);
    // One point per analysed job; two AWS jobs make the AWS line.
    await page.locator('#trend-chart circle').first().waitFor();
    expect(await page.locator('#trend-chart circle').count()).toBe(4);
    expect(await page.locator('#trend-chart .series-aws circle').count()).toBe(2);
    expect(await page.locator('#trend-legend li').allInnerTexts()).toEqual(['aws', 'azure', 'gcp']);
    await page.getByLabel('Show').selectOption('coverage');
    await expect.poll(() => page.locator('#trend-chart .axis').first().textContent()).toMatch(/%$/);
    expect(await page.locator('#trend-value-head').textContent()).toBe('Coverage');
    await shot('overview');
  });

  it('jobs: the list, a job with its shards, and on to its drift', async () => {
    await openView('Jobs');
    const rows = page.locator('#jobs-body tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(stack.jobs.length);
    const job = stack.jobs[0]!;
    await page.getByRole('button', { name: job.job_id }).click();
    expect(await textOf(page.locator('#job-title'))).toBe(job.job_id);
    expect(await page.locator('#shards-body tr').count()).toBe(job.shards.length);
    await page.locator('#job-detail').scrollIntoViewIfNeeded();
    await shot('jobs', false);
    await page.getByRole('button', { name: 'View drift' }).click();
    expect(await textOf(page.locator('#drift-job'))).toBe(job.job_id);
  });

  it("drift: a changed item's side-by-side diff, opened and closed from the keyboard", async () => {
    const job = stack.jobs[0]!.job_id;
    const items = (await drift({ job_id: job })).items;
    const index = items.findIndex((i) => i.kind === 'changed');
    expect(index, 'the sample estate has a changed AWS resource').toBeGreaterThanOrEqual(0);
    const item = items[index]!;
    expect(await textOf(page.locator('#drift-count'))).toBe(`${items.length} items`);
    const open = page.locator('#drift-body tr').nth(index).getByRole('button');
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    expect(await textOf(dialog.getByRole('heading', { level: 2 }))).toBe(item.address);
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('item')).toBe(item.resource_key);
    const change = item.changes[0]!;
    const diffRow = await textOf(dialog.locator('#item-diff tr', { hasText: change.path }));
    expect(diffRow).toContain(shownValue(change.expected));
    expect(diffRow).toContain(shownValue(change.actual));
    // Lines only one side has are marked (a statement added by hand marks only insertions).
    expect(await dialog.locator('.line.del, .line.ins').count()).toBeGreaterThan(0);
    await shot('drift-item-diff', false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // Closing the item takes it out of the address, so Back does not open it again.
    await page.waitForURL((url) => !url.hash.includes('item='));
    expect(await open.evaluate((node) => node.ownerDocument.activeElement === node)).toBe(true);
  });

  it("drift: a changed item's Terraform fix, the resource block set to the cloud's values or a targeted apply", async () => {
    const job = stack.jobs[0]!.job_id;
    const items = (await drift({ job_id: job })).items;
    const index = items.findIndex((i) => i.kind === 'changed');
    const item = items[index]!;
    await page.locator('#drift-body tr').nth(index).getByRole('button').click();
    const fix = await textOf(page.getByRole('dialog').locator('#item-fix'));
    const [, type, name] = /([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?$/.exec(item.address)!;
    expect(fix).toContain(`resource "${type}" "${name}" {`);
    expect(fix).toContain(`# terraform apply -target='${item.address}'`);
    expect(await page.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await shot('drift-item-fix-changed', false);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it("drift: an unmanaged item's codify import block", async () => {
    const job = stack.jobs[0]!.job_id;
    const unmanaged = (await drift({ job_id: job, kind: 'unmanaged' })).items;
    expect(unmanaged.length).toBeGreaterThan(0);
    await page.getByLabel('Kind').selectOption('unmanaged');
    await expect.poll(() => page.locator('#drift-body .badge:is(.kind-changed, .kind-missing)').count()).toBe(0);
    expect(await page.locator('#drift-body tr').count()).toBe(unmanaged.length);
    await page.locator('#drift-body tr').first().getByRole('button').click();
    const codify = await textOf(page.locator('#item-fix'));
    expect(codify).toMatch(/^import \{/);
    expect(codify).toContain(`to = ${unmanaged[0]!.address}`);
    expect(codify).toContain(`resource "${unmanaged[0]!.tf_type}"`);
    await shot('drift-item-codify', false);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it('unmanaged: every unmanaged resource of the newest job with its import block', async () => {
    const newest = await drift({ kind: 'unmanaged' });
    await openView('Unmanaged', 'Unmanaged resources');
    await page.locator('#unmanaged-job').filter({ hasText: newest.job_id }).waitFor();
    const rows = page.locator('#unmanaged-body > tr:not([hidden])');
    expect(await rows.count()).toBe(newest.items.length);
    const first = newest.items[0]!;
    await rows.first().getByRole('button', { name: 'Show import block' }).click();
    const block = await textOf(page.locator('#unmanaged-body pre').first());
    expect(block).toMatch(/^import \{/);
    expect(block).toContain(`to = ${first.address}`);
    expect(block).toContain(`resource "${first.tf_type}"`);
    await shot('unmanaged');
  });

  it('schedules: a wrong cron is explained, a right one is created and listed', async () => {
    await openView('Schedules');
    await page.getByText('No schedules yet').waitFor();
    const form = page.locator('#schedule-form');
    await form.getByLabel('Name').fill('nightly aws');
    await form.getByLabel('Cron (UTC)').fill('not a cron');
    await form.getByLabel('Regions').fill('us-east-1, eu-west-1');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    expect(await textOf(page.locator('#schedule-result.error'))).toMatch(/cron/i);
    await form.getByLabel('Cron (UTC)').fill('0 3 * * *');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    expect(await textOf(page.locator('#schedule-result.ok'))).toMatch(/created; first run/);
    const row = await textOf(page.locator('#schedules-body tr', { hasText: 'nightly aws' }));
    expect(row).toContain('0 3 * * *');
    expect(row).toContain('aws: us-east-1, eu-west-1');
    const { schedules } = await stack.call<{ schedules: ScheduleView[] }>('GET', '/api/v1/schedules');
    expect(schedules.map((s) => [s.name, s.cron, s.discovery.regions])).toEqual([
      ['nightly aws', '0 3 * * *', ['us-east-1', 'eu-west-1']],
    ]);
    await shot('schedules');
  });

  it('notifications: a webhook is added with its secret shown once, listed, and deleted', async () => {
    await openView('Notifications');
    await page.getByText('No notification targets yet').waitFor();
    const form = page.locator('#notification-form');
    await form.getByLabel('URL').fill('http://127.0.0.1:9/driftmgr-hook');
    await form.getByLabel('Least severity').selectOption('medium');
    await form.getByRole('button', { name: 'Add notification' }).click();
    expect(await textOf(page.locator('#notification-result.ok'))).toContain('shown this once');
    expect(await textOf(page.locator('#notification-result pre'))).toMatch(/^[0-9a-f]{64}$/);
    const row = page.locator('#notifications-body tr', { hasText: '127.0.0.1' });
    expect(await textOf(row)).toMatch(/webhook\s+medium and above\s+yes/);
    const { notifications } = await stack.call<{ notifications: NotificationView[] }>('GET', '/api/v1/notifications');
    expect(notifications.map((n) => [n.type, n.min_severity, n.signed])).toEqual([['webhook', 'medium', true]]);
    await shot('notifications');
    page.once('dialog', (confirm) => void confirm.accept());
    await row.getByRole('button', { name: /^Delete/ }).click();
    await page.getByText('No notification targets yet').waitFor();
    expect(await stack.call('GET', '/api/v1/notifications')).toEqual({ notifications: [] });
  });

  it("jobs: a running job's detail follows its event stream, and shows it cancelled when the stream says so", async () => {
    // An account no agent serves: the job waits with its shards pending until it is cancelled.
    const { job_id: jobId } = await stack.call<{ job_id: string }>('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: ['999999999999'],
      regions: ['us-east-1'],
    });
    const paths: string[] = [];
    const onRequest = (request: { url(): string }) => paths.push(new URL(request.url()).pathname);
    page.on('request', onRequest);
    try {
      await openView('Jobs');
      await page.getByRole('button', { name: jobId }).click();
      expect(await textOf(page.locator('#job-status'))).toBe('pending');
      await expect
        .poll(() => paths.filter((p) => p === `/api/v1/jobs/${jobId}/events`).length)
        .toBeGreaterThanOrEqual(1);
      expect(await textOf(page.locator('#jobs-note'))).toContain('following the selected job live');
      await shot('job-live', false);
      const loads = paths.filter((p) => p === `/api/v1/jobs/${jobId}`).length;
      await stack.call('POST', `/api/v1/jobs/${jobId}/cancel`);
      await page.locator('#job-status', { hasText: 'cancelled' }).waitFor();
      await expect.poll(() => page.locator('#shards-body .badge.cancelled').count()).toBeGreaterThan(0);
      // No polling while the stream ran: at most the one load that follows the stream's end.
      expect(paths.filter((p) => p === `/api/v1/jobs/${jobId}`).length).toBeLessThanOrEqual(loads + 1);
    } finally {
      page.off('request', onRequest);
    }
  });

  it('/docs lists every operation of the OpenAPI document and sends one with the tab token', async () => {
    const doc = await stack.call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/v1/openapi.json');
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    await page.getByRole('link', { name: 'API reference' }).click();
    await page.locator('details.op').first().waitFor();
    const listed = await page
      .locator('details.op > summary')
      .evaluateAll((nodes) =>
        nodes.map((n) => `${n.querySelector('.method')?.textContent} ${n.querySelector('.path')?.textContent}`),
      );
    expect(listed.sort()).toEqual(operations.sort());
    const jobs = page.locator('#op-get-api-v1-jobs');
    await jobs.locator(':scope > summary').click();
    await jobs.getByRole('button', { name: 'Send GET' }).click();
    const answer = await textOf(jobs.locator('.result pre'));
    expect(await textOf(jobs.locator('.result .badge'))).toBe('200 OK');
    for (const job of stack.jobs) expect(answer).toContain(job.job_id);
    await shot('docs');
  });
});

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { AnalysisMode, ReportFormat } from '../contract/drift.js';
import { DiscoveredResource } from '../contract/resource.js';
import {
  analyze,
  parseTerraformState,
  renderReport,
  type SensitiveKey,
  StateParseError,
  sensitiveKeyFrom,
} from '../engine/index.js';

/** `driftmgr analyze --state … --inventory …` offline: exit 0 in sync, 1 drift, 2 error. */
export interface AnalyzeCliOptions {
  statePaths: string[];
  inventoryPath: string;
  format?: ReportFormat;
  ignorePath?: string;
  mode?: AnalysisMode;
  /** DRIFTMGR_HASH_KEY: the secret sensitive values are hashed with; without it, a random key per run. */
  hashSecret?: string;
}

export interface AnalyzeCliResult {
  output: string;
  exitCode: 0 | 1 | 2;
}

const Inventory = z.union([
  z.array(DiscoveredResource),
  z.object({ resources: z.array(DiscoveredResource) }).transform((o) => o.resources),
]);

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function readInventory(path: string): Promise<DiscoveredResource[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readText(path, 'inventory'));
  } catch (err) {
    throw err instanceof SyntaxError ? new Error(`${path}: inventory is not valid JSON (${err.message})`) : err;
  }
  const parsed = Inventory.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: not an inventory (a JSON array of discovered resources or {resources: [...]}): ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * The key sensitive values are hashed with offline: from the secret, derived as the gateway
 * derives DRIFTMGR_HASH_KEY (so hashes match a deployment with the same secret), or random for
 * this run, when hashes only need to compare within it.
 */
function offlineSensitiveKey(secret: string | undefined): SensitiveKey {
  return secret ? sensitiveKeyFrom(secret) : new Uint8Array(randomBytes(32));
}

export async function runAnalyze(opts: AnalyzeCliOptions): Promise<AnalyzeCliResult> {
  try {
    if (opts.statePaths.length === 0) throw new Error('no state file given (--state)');
    const sensitiveKey = offlineSensitiveKey(opts.hashSecret);
    const states = await Promise.all(
      opts.statePaths.map(async (p) => parseTerraformState(await readText(p, 'state'), p, { sensitiveKey })),
    );
    const inventory = await readInventory(opts.inventoryPath);
    const driftignore = opts.ignorePath ? await readText(opts.ignorePath, 'ignore file') : undefined;
    const report = analyze({ states, inventory, mode: opts.mode ?? 'smart', ignore: { driftignore }, sensitiveKey });
    const s = report.summary;
    const drift = s.changed + s.missing + s.unmanaged > 0;
    return { output: renderReport(report, opts.format ?? 'json', inventory), exitCode: drift ? 1 : 0 };
  } catch (err) {
    const message = err instanceof StateParseError ? `invalid Terraform state: ${err.message}` : (err as Error).message;
    return { output: `error: ${message}\n`, exitCode: 2 };
  }
}

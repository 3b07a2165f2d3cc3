import type { Provider } from '../contract/resource.js';
import type { DriftReport } from '../engine/index.js';
import type { Store } from './store.js';

/** Writes an analysis that was done in one part (an import of an export, a test fixture). */
export async function saveWholeAnalysis(
  store: Store,
  jobId: string,
  provider: Provider,
  report: DriftReport,
  completedAt: string,
): Promise<void> {
  await store.saveDriftItems(jobId, 0, report.items);
  await store.saveAnalysisSummary({
    job_id: jobId,
    provider,
    summary: report.summary,
    duplicates: report.duplicates,
    completed_at: completedAt,
  });
}

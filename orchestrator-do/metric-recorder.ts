import { counterDelta, METRICS, observationDeltas, type SeriesDelta } from '../contract/metrics.js';
import type { DriftSummary } from '../engine/index.js';
import { metricsKeeper } from './stubs.js';

/**
 * Adds a batch of increments to the stored metrics. A failure is logged and swallowed: counting
 * must never fail the work it counts.
 */
export async function recordMetrics(env: Env, deltas: SeriesDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  try {
    await metricsKeeper(env).add(deltas);
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', msg: 'recording metrics failed', series: deltas.length, error: String(err) }),
    );
  }
}

/** A shard attempt that ended: how long since its lease, and what a success discovered. */
export function shardAttemptDeltas(
  provider: string,
  outcome: 'succeeded' | 'failed',
  leasedAt: number | null,
  now: number,
  resources = 0,
): SeriesDelta[] {
  return [
    ...(leasedAt === null
      ? []
      : observationDeltas(METRICS.shardDuration, { provider, outcome }, (now - leasedAt) / 1000)),
    ...counterDelta(METRICS.resourcesDiscovered, { provider }, resources),
  ];
}

/** A job that ended: its outcome and duration, and the drift a completed job's analysis found. */
export function jobEndDeltas(
  provider: string,
  outcome: 'completed' | 'failed' | 'cancelled',
  createdAt: number,
  now: number,
  summary?: Pick<DriftSummary, 'by_severity'>,
): SeriesDelta[] {
  const labels = { provider, outcome };
  return [
    ...counterDelta(METRICS.jobsFinished, labels),
    ...observationDeltas(METRICS.jobDuration, labels, (now - createdAt) / 1000),
    ...Object.entries(summary?.by_severity ?? {}).flatMap(([severity, n]) =>
      counterDelta(METRICS.driftDetected, { provider, severity }, n),
    ),
  ];
}

import { RISK_RULES } from '../risk/rules.js';
import type { DriftItem, DriftReport, Severity } from '../types.js';
import { jsonText, relativeUri, sarifText } from './escape.js';
import { formatValue } from './format-value.js';

/**
 * SARIF 2.1.0 for code scanning: one result per drift item, its strongest risk rule as ruleId.
 * Messages are plain text with every value escaped (no embedded links); locations are relative
 * URIs built from encoded path segments.
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_STATE_URI = 'terraform.tfstate';

function message(item: DriftItem): string {
  const t = sarifText;
  if (item.kind === 'missing')
    return `${t(item.address)} is in Terraform state but ${t(item.id)} no longer exists in the cloud.`;
  if (item.kind === 'unmanaged')
    return `${t(item.cloud_type)} ${t(item.id)} exists in the cloud but is in no Terraform state.`;
  const real = item.changes.filter((c) => !c.noise_rule);
  return `${t(item.address)} drifted: ${real.map((c) => `${t(c.path)} expected ${t(formatValue(c.expected))}, actual ${t(formatValue(c.actual))}`).join('; ')}`;
}

export function renderSarif(report: DriftReport, opts: { stateUri?: string; version?: string } = {}): string {
  const rules = RISK_RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { 'security-severity': (r.score / 10).toFixed(1), tags: ['drift', 'terraform'] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.items
    .filter((item) => item.kind !== 'changed' || item.changes.some((c) => !c.noise_rule))
    .map((item) => {
      const ruleId = item.rules[0]?.id ?? 'attribute-changed';
      return {
        ruleId,
        ruleIndex: ruleIndex.get(ruleId) ?? 0,
        level: LEVEL[item.severity],
        message: { text: message(item) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: {
                uri: relativeUri(item.state_source ?? opts.stateUri ?? DEFAULT_STATE_URI, DEFAULT_STATE_URI),
              },
            },
            logicalLocations: [{ name: item.address, fullyQualifiedName: item.address, kind: 'resource' }],
          },
        ],
        partialFingerprints: { driftItem: `${item.kind}:${item.cloud_type}:${item.id}` },
        properties: { kind: item.kind, score: item.score, rules: item.rules.map((r) => r.id), resource_id: item.id },
      };
    });
  const log = {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: 'DriftMgr',
            informationUri: 'https://github.com/driftmgr/driftmgr',
            version: opts.version ?? '0.1.0',
            rules,
          },
        },
        results,
      },
    ],
  };
  return `${jsonText(log)}\n`;
}

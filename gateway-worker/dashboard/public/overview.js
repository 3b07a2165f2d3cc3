// @ts-check
/**
 * The overview: the estate across providers and accounts (resources, coverage, drift by severity,
 * monthly cost delta, each provider as its latest analysis saw it) and a trend over analysed jobs.
 */
import { listDrift, listTrends, resourceSummary, showFailure } from './api.js';
import { drawLineChart, legend } from './chart.js';
import { $, badge, el, emptyRow, fmt, labelCells, notice, show } from './dom.js';

/** @typedef {import('./api.js').ResourceSummary} ResourceSummary */
/** @typedef {import('./api.js').DriftSummary} DriftSummary */
/** @typedef {import('./api.js').TrendPoint} TrendPoint */
/** @typedef {import('./api.js').Severity} Severity */
/** @typedef {{ provider: string, job_id: string, completed_at: string, summary: DriftSummary }} LatestAnalysis */

const SEVERITIES = /** @type {const} */ (['critical', 'high', 'medium', 'low']);
const DAY_MS = 24 * 3600 * 1000;

/** What the trend chart can plot, per analysed job. */
const METRICS = {
  drift: {
    label: 'Drifted resources',
    value: (/** @type {TrendPoint} */ p) => p.changed + p.missing + p.unmanaged,
    format: fmt.int,
  },
  severe: {
    label: 'Critical and high drift',
    value: (/** @type {TrendPoint} */ p) => (p.by_severity.critical ?? 0) + (p.by_severity.high ?? 0),
    format: fmt.int,
  },
  unmanaged: { label: 'Unmanaged resources', value: (/** @type {TrendPoint} */ p) => p.unmanaged, format: fmt.int },
  coverage: { label: 'Coverage', value: (/** @type {TrendPoint} */ p) => p.coverage, format: fmt.pct },
  cost: {
    label: 'Monthly cost delta',
    value: (/** @type {TrendPoint} */ p) => p.monthly_cost_delta_usd,
    format: fmt.usd,
  },
};
/** @typedef {keyof typeof METRICS} Metric */

const ui = {
  error: $('overview-error', HTMLElement),
  cards: $('overview-cards', HTMLElement),
  providers: $('providers-body', HTMLTableSectionElement),
  accounts: $('accounts-body', HTMLTableSectionElement),
  metric: $('trend-metric', HTMLSelectElement),
  range: $('trend-range', HTMLSelectElement),
  chart: $('trend-chart', SVGSVGElement),
  legend: $('trend-legend', HTMLElement),
  empty: $('trend-empty', HTMLElement),
  figures: $('trend-body', HTMLTableSectionElement),
  figuresValue: $('trend-value-head', HTMLElement),
};

/** @type {TrendPoint[]} */
let points = [];

export async function openOverview() {
  notice(ui.error, '');
  await Promise.all([loadEstate(), loadTrends()]);
}

async function loadEstate() {
  try {
    const summary = await resourceSummary();
    const latest = await Promise.all(Object.entries(summary.drift).map(([provider, d]) => latestAnalysis(provider, d)));
    renderCards(summary, latest);
    renderProviders(summary, latest);
    renderAccounts(summary);
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/**
 * The full summary of a provider's latest analysis (severities and cost are not in the inventory summary).
 * @param {string} provider
 * @param {import('./api.js').ProviderDrift} drift
 * @returns {Promise<LatestAnalysis>}
 */
async function latestAnalysis(provider, drift) {
  const page = await listDrift(new URLSearchParams({ job_id: drift.job_id, limit: '1' }));
  return { provider, job_id: drift.job_id, completed_at: drift.completed_at, summary: page.summary };
}

/**
 * @param {LatestAnalysis[]} latest
 * @param {(s: DriftSummary) => number} value
 */
function total(latest, value) {
  return latest.reduce((n, a) => n + value(a.summary), 0);
}

/**
 * @param {string} label
 * @param {string | Node} figure
 * @param {string} [cls]
 */
function card(label, figure, cls = '') {
  return el(
    'div',
    { class: `card ${cls}` },
    el('span', { class: 'label' }, label),
    el('span', { class: 'figure' }, figure),
  );
}

/**
 * @param {ResourceSummary} summary
 * @param {LatestAnalysis[]} latest
 */
function renderCards(summary, latest) {
  /** @param {(s: DriftSummary) => number} value */
  const sum = (value) => (latest.length ? total(latest, value) : undefined);
  const bySeverity = Object.fromEntries(SEVERITIES.map((sev) => [sev, sum((s) => s.by_severity[sev] ?? 0) ?? 0]));
  ui.cards.replaceChildren(
    card('Resources', fmt.int(summary.total)),
    card('Coverage', fmt.pct(summary.coverage)),
    card('Changed', fmt.int(sum((s) => s.changed)), 'changed'),
    card('Missing', fmt.int(sum((s) => s.missing)), 'missing'),
    card('Unmanaged', fmt.int(sum((s) => s.unmanaged)), 'unmanaged'),
    card('Drift by severity', latest.length ? severityBadges(bySeverity) : '—', 'wide'),
    card('Est. monthly cost delta', fmt.usd(sum((s) => s.cost.monthly_delta_usd)), 'wide'),
  );
}

/** @param {Partial<Record<Severity, number>>} counts */
function severityBadges(counts) {
  const present = SEVERITIES.filter((sev) => (counts[sev] ?? 0) > 0);
  if (!present.length) return el('span', { class: 'muted' }, 'none');
  return el(
    'span',
    { class: 'badges' },
    present.map((sev) => badge(`${counts[sev]} ${sev}`, `sev-${sev}`)),
  );
}

/**
 * @param {ResourceSummary} summary
 * @param {LatestAnalysis[]} latest
 */
function renderProviders(summary, latest) {
  const providers = [...new Set([...summary.by_provider.map((c) => c.key), ...latest.map((a) => a.provider)])];
  const rows = providers.map((provider) => {
    const resources = summary.by_provider.find((c) => c.key === provider)?.count;
    const analysis = latest.find((a) => a.provider === provider);
    const s = analysis?.summary;
    const job = analysis
      ? el(
          'a',
          { class: 'mono', href: `#${new URLSearchParams({ view: 'drift', job: analysis.job_id })}` },
          analysis.job_id,
        )
      : el('span', { class: 'muted' }, 'not analysed yet');
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, provider),
      el('td', { class: 'num' }, fmt.int(resources)),
      el(
        'td',
        { class: 'nowrap' },
        job,
        analysis ? el('div', { class: 'muted' }, fmt.time(analysis.completed_at)) : null,
      ),
      el('td', { class: 'num' }, fmt.int(s?.in_sync)),
      el('td', { class: 'num' }, fmt.int(s?.changed)),
      el('td', { class: 'num' }, fmt.int(s?.missing)),
      el('td', { class: 'num' }, fmt.int(s?.unmanaged)),
      el('td', { class: 'num' }, fmt.pct(s?.coverage)),
      el('td', {}, s ? severityBadges(s.by_severity) : '—'),
      el('td', { class: 'num' }, fmt.usd(s?.cost.monthly_delta_usd)),
    );
  });
  ui.providers.replaceChildren(...(rows.length ? rows : [emptyRow(10, 'Nothing discovered yet.')]));
  labelCells(ui.providers);
}

/** @param {ResourceSummary} summary */
function renderAccounts(summary) {
  const rows = summary.by_account.map(({ key, count }) => {
    const [provider, ...rest] = key.split(':');
    const share = summary.total ? count / summary.total : 0;
    return el(
      'tr',
      {},
      el('td', {}, provider),
      el('th', { scope: 'row', class: 'mono' }, rest.join(':')),
      el('td', { class: 'num' }, fmt.int(count)),
      el('td', { class: 'num' }, fmt.pct(share)),
    );
  });
  ui.accounts.replaceChildren(...(rows.length ? rows : [emptyRow(4, 'No accounts discovered yet.')]));
  labelCells(ui.accounts);
}

async function loadTrends() {
  const since = new Date(Date.now() - Number(ui.range.value) * DAY_MS).toISOString();
  try {
    points = (await listTrends(since)).points;
    renderTrend();
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/**
 * @param {string} value
 * @returns {value is Metric}
 */
function isMetric(value) {
  return Object.hasOwn(METRICS, value);
}

/** How much of a time the x axis shows, by the span of time it covers (from the shortest). */
const TIME_LABELS = [
  { upTo: 3600 * 1000, options: { hour: '2-digit', minute: '2-digit', second: '2-digit' } },
  { upTo: 3 * DAY_MS, options: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' } },
];
const LONG_SPAN_LABEL = { month: 'short', day: 'numeric' };

/**
 * @param {number[]} times
 * @returns {(time: number) => string}
 */
function timeLabel(times) {
  const span = Math.max(...times) - Math.min(...times);
  const options = TIME_LABELS.find((t) => span <= t.upTo)?.options ?? LONG_SPAN_LABEL;
  return (time) => new Date(time).toLocaleString(undefined, /** @type {Intl.DateTimeFormatOptions} */ (options));
}

function renderTrend() {
  const m = METRICS[isMetric(ui.metric.value) ? ui.metric.value : 'drift'];
  const providers = [...new Set(points.map((p) => p.provider))].sort();
  const series = providers.map((provider) => ({
    name: provider,
    cls: `series-${provider}`,
    points: points
      .filter((p) => p.provider === provider)
      .map((p) => ({
        time: Date.parse(p.completed_at),
        value: m.value(p),
        label: `${provider} ${p.job_id}, ${fmt.time(p.completed_at)}: ${m.format(m.value(p))}`,
      })),
  }));
  show(ui.empty, points.length === 0);
  show(ui.chart, points.length > 0);
  ui.chart.setAttribute('aria-label', `${m.label} per analysed job, by provider`);
  if (points.length) {
    const formatTime = timeLabel(points.map((p) => Date.parse(p.completed_at)));
    drawLineChart(ui.chart, { series, format: m.format, formatTime });
  }
  ui.legend.replaceChildren(...legend(series));
  ui.figuresValue.textContent = m.label;
  const rows = [...points]
    .reverse()
    .map((p) =>
      el(
        'tr',
        {},
        el('td', { class: 'nowrap' }, fmt.time(p.completed_at)),
        el('td', {}, p.provider),
        el('td', { class: 'mono' }, p.job_id),
        el('td', { class: 'num' }, m.format(m.value(p))),
      ),
    );
  ui.figures.replaceChildren(...(rows.length ? rows : [emptyRow(4, 'No analysed jobs in this period.')]));
  labelCells(ui.figures);
}

ui.metric.addEventListener('change', renderTrend);
ui.range.addEventListener('change', () => void loadTrends());
$('overview-refresh', HTMLButtonElement).addEventListener('click', () => void openOverview());

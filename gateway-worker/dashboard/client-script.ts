/**
 * The dashboard's browser code: plain JavaScript shipped as a string so no build step is needed.
 * Data from the API only ever reaches the page as text nodes (`el()` and textContent).
 * Kept free of backticks and dollar-brace so it can live inside this template literal.
 */
export const DASHBOARD_SCRIPT = String.raw`
const TOKEN_KEY = 'driftmgr.token';
const REFRESH_MS = 3000;
const ACTIVE_JOB = new Set(['pending', 'running', 'analyzing']);
const REPORT_FILES = { markdown: 'md', html: 'html', sarif: 'sarif', json: 'json' };
const REGION_EXAMPLES = { aws: 'us-east-1, eu-west-1', azure: 'eastus, westeurope', gcp: 'us-central1, europe-west1' };

const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or text, never markup. */
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false || child === '') continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(node, visible) { node.hidden = !visible; }

function notice(node, message, tone) {
  node.textContent = message || '';
  node.className = 'notice' + (tone ? ' ' + tone : '');
  show(node, Boolean(message));
}

const fmt = {
  int: (n) => (typeof n === 'number' ? n.toLocaleString() : '—'),
  time: (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—'),
  usd: (n) => (typeof n === 'number' ? (n < 0 ? '−' : n > 0 ? '+' : '') + '$' + Math.abs(n).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '—'),
  pct: (ratio) => (typeof ratio === 'number' ? (ratio * 100).toFixed(1) + '%' : '—'),
  value: (v) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v, null, 1)),
};

/**
 * Names each cell after its column and gathers its content in one box, so narrow screens can
 * show each row as a stack of label / value lines.
 */
function labelCells(tbody) {
  const headers = Array.from(tbody.closest('table').tHead.rows[0].cells, (th) => th.textContent);
  for (const row of tbody.rows) {
    if (row.cells.length !== headers.length) continue;
    Array.from(row.cells).forEach((cell, i) => {
      if (cell.hasAttribute('data-label')) return;
      cell.setAttribute('data-label', headers[i]);
      if (cell.hasChildNodes()) cell.append(el('div', { class: 'cell' }, Array.from(cell.childNodes)));
    });
  }
}

function badge(text, cls) { return el('span', { class: 'badge ' + cls }, text); }

// ---- token handling -------------------------------------------------------------------------

const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY); },
};

/** A '#token=…' in the URL (for scripted screenshots) is stored once and removed from the address bar. */
function adoptTokenFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (!token) return;
  session.token = token;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Calls the API with the session's token; a refused token signs the tab out. */
async function authorizedFetch(method, path, body) {
  const token = session.token;
  const headers = { authorization: 'Bearer ' + token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    // A late answer for a token already replaced must not sign out the new one.
    if (session.token === token) signOut('The API refused this token. Sign in again.');
    throw new ApiError(401, 'not signed in');
  }
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  return res;
}

async function api(method, path, body) {
  const res = await authorizedFetch(method, path, body);
  return res.status === 204 ? null : res.json();
}

async function errorMessage(res) {
  const text = await res.text();
  try {
    const error = JSON.parse(text).error;
    if (error && error.message) return error.message;
  } catch { /* not our JSON error shape */ }
  return 'HTTP ' + res.status + (text ? ': ' + text.slice(0, 200) : '');
}

function signOut(reason) {
  session.token = null;
  poller.stop();
  show($('app'), false);
  show($('signin'), true);
  notice($('signin-error'), reason, 'error');
  $('signin-token').value = '';
  $('signin-token').focus();
}

function signedIn() {
  show($('signin'), false);
  show($('app'), true);
  route();
}

$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('signin-token').value.trim();
  if (!token) return notice($('signin-error'), 'Enter a token.', 'error');
  const submit = event.submitter;
  submit.disabled = true;
  session.token = token;
  try {
    await api('GET', '/api/v1/jobs?limit=1');
    notice($('signin-error'), '');
    signedIn();
  } catch (err) {
    if (err.status !== 401) notice($('signin-error'), err.message, 'error');
  } finally {
    submit.disabled = false;
  }
});
$('sign-out').addEventListener('click', () => signOut(''));

// ---- views and hash routing -----------------------------------------------------------------

function hashParams() { return new URLSearchParams(location.hash.slice(1)); }

function navigate(params) { location.hash = new URLSearchParams(params).toString(); }

let currentView = null;

function route() {
  if (!session.token) return;
  const params = hashParams();
  const view = ['jobs', 'drift', 'discover'].includes(params.get('view')) ? params.get('view') : 'jobs';
  currentView = view;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  for (const panel of document.querySelectorAll('[data-panel]')) show(panel, panel.dataset.panel === view);
  poller.stop();
  if (view === 'jobs') jobsView.open(params.get('job'));
  if (view === 'drift') driftView.open(params.get('job'));
}
window.addEventListener('hashchange', route);

/** One refresh timer for whatever is on screen; it only runs while a job is still moving. */
const poller = {
  timer: null,
  start(refresh) {
    this.stop();
    this.timer = setTimeout(async () => {
      this.timer = null;
      await refresh();
    }, REFRESH_MS);
  },
  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  },
};

// ---- jobs -----------------------------------------------------------------------------------

function progressBar(counts) {
  const done = counts.shards_succeeded + counts.shards_failed + counts.shards_cancelled;
  const total = counts.shards_total;
  const fill = el('div', { class: 'fill' + (counts.shards_failed ? ' has-failures' : '') });
  fill.style.width = (total ? Math.round((done / total) * 100) : 0) + '%';
  return el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done },
    el('div', { class: 'track' }, fill),
    el('span', {}, done + ' / ' + total));
}

const jobsView = {
  jobs: [],
  cursor: null,
  selected: null,
  detail: null,

  async open(jobId) {
    this.selected = jobId;
    await this.refresh();
    if (jobId && this.detail) $('job-detail').scrollIntoView({ block: 'start', behavior: 'smooth' });
  },

  async refresh() {
    await Promise.all([this.loadList(), this.loadDetail()]);
    const moving = this.jobs.some((j) => ACTIVE_JOB.has(j.status)) || (this.detail && ACTIVE_JOB.has(this.detail.status));
    $('jobs-note').textContent = moving ? 'refreshing every 3 s while a job runs' : '';
    if (moving && currentView === 'jobs') poller.start(() => this.refresh());
  },

  async loadList() {
    try {
      // A refresh keeps as many rows as "load more" has shown (the API's page limit is 200).
      const limit = Math.min(200, Math.max(50, this.jobs.length));
      const page = await api('GET', '/api/v1/jobs?limit=' + limit);
      this.jobs = page.jobs;
      this.cursor = page.next_cursor;
      notice($('jobs-error'), '');
      this.renderList();
    } catch (err) {
      if (err.status !== 401) notice($('jobs-error'), err.message, 'error');
    }
  },

  async loadMore() {
    try {
      const page = await api('GET', '/api/v1/jobs?limit=50&cursor=' + encodeURIComponent(this.cursor));
      this.jobs = this.jobs.concat(page.jobs);
      this.cursor = page.next_cursor;
      this.renderList();
    } catch (err) {
      if (err.status !== 401) notice($('jobs-error'), err.message, 'error');
    }
  },

  renderList() {
    const rows = this.jobs.map((job) => el('tr', { class: job.job_id === this.selected ? 'selected' : '' },
      el('td', { class: 'nowrap' }, el('button', { class: 'link mono', type: 'button', onclick: () => navigate({ view: 'jobs', job: job.job_id }) }, job.job_id)),
      el('td', {}, job.provider),
      el('td', {}, badge(job.status, job.status)),
      el('td', {}, progressBar(job.counts)),
      el('td', { class: 'num' }, fmt.int(job.counts.resources_discovered)),
      el('td', { class: 'nowrap' }, fmt.time(job.created_at))));
    $('jobs-body').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: 6 }, 'No jobs yet. Start one under New discovery.'))]));
    labelCells($('jobs-body'));
    show($('jobs-more'), Boolean(this.cursor));
  },

  async loadDetail() {
    if (!this.selected) {
      this.detail = null;
      show($('job-detail'), false);
      return;
    }
    try {
      this.detail = await api('GET', '/api/v1/jobs/' + encodeURIComponent(this.selected));
      notice($('job-error'), '');
    } catch (err) {
      if (err.status === 401) return;
      this.detail = null;
      $('job-title').textContent = this.selected;
      $('job-status').replaceChildren();
      $('job-meta').replaceChildren();
      $('shards-body').replaceChildren();
      show($('job-cancel'), false);
      show($('job-drift'), false);
      notice($('job-error'), err.message, 'error');
      show($('job-detail'), true);
      return;
    }
    this.renderDetail();
  },

  renderDetail() {
    const job = this.detail;
    $('job-title').textContent = job.job_id;
    $('job-status').replaceChildren(badge(job.status, job.status));
    const meta = [
      ['Provider', job.provider],
      ['Accounts', job.accounts.join(', ') || 'every account with a live agent'],
      ['Regions', job.regions.join(', ')],
      ['Resource types', job.resource_types.length ? job.resource_types.join(', ') : 'all supported'],
      ['Mode', job.mode],
      ['Sharding', job.sharding.type + ', ' + fmt.int(job.sharding.shard_size) + ' resources per shard'],
      ['Resources', fmt.int(job.counts.resources_discovered)],
      ['Created', fmt.time(job.created_at)],
      ['Finished', fmt.time(job.finished_at)],
    ];
    if (job.error) meta.push(['Error', job.error]);
    $('job-meta').replaceChildren(...meta.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
    const rows = job.shards.map((s) => el('tr', {},
      el('td', { class: 'nowrap' }, s.region),
      el('td', { class: 'mono nowrap' }, s.account),
      el('td', { class: 'wrap' }, s.resource_types.join(', ')),
      el('td', {}, badge(s.status, s.status)),
      el('td', { class: 'num' }, s.attempts),
      el('td', { class: 'num' }, fmt.int(s.resources)),
      el('td', { class: 'wrap' }, s.last_error || '')));
    $('shards-body').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: 7 }, 'No shards.'))]));
    labelCells($('shards-body'));
    show($('job-cancel'), ACTIVE_JOB.has(job.status));
    show($('job-drift'), job.status === 'completed');
    show($('job-detail'), true);
  },

  async cancel() {
    const job = this.detail;
    if (!job || !confirm('Cancel job ' + job.job_id + '? Agents holding its shards stop at their next call.')) return;
    try {
      this.detail = await api('POST', '/api/v1/jobs/' + encodeURIComponent(job.job_id) + '/cancel');
      this.renderDetail();
      await this.loadList();
    } catch (err) {
      if (err.status !== 401) notice($('job-error'), err.message, 'error');
    }
  },
};

$('jobs-refresh').addEventListener('click', () => jobsView.refresh());
$('jobs-more').addEventListener('click', () => jobsView.loadMore());
$('job-close').addEventListener('click', () => navigate({ view: 'jobs' }));
$('job-cancel').addEventListener('click', () => jobsView.cancel());
$('job-drift').addEventListener('click', () => navigate({ view: 'drift', job: jobsView.selected }));

// ---- drift ----------------------------------------------------------------------------------

const SUMMARY_CARDS = [
  { label: 'In sync', cls: 'in-sync', value: (s) => fmt.int(s.in_sync) },
  { label: 'Changed', cls: 'changed', value: (s) => fmt.int(s.changed) },
  { label: 'Missing', cls: 'missing', value: (s) => fmt.int(s.missing) },
  { label: 'Unmanaged', cls: 'unmanaged', value: (s) => fmt.int(s.unmanaged) },
  { label: 'Coverage', cls: '', value: (s) => fmt.pct(s.coverage) },
  { label: 'Noise filtered', cls: '', value: (s) => fmt.int(s.noise_filtered) },
  { label: 'Est. monthly cost delta', cls: '', value: (s) => fmt.usd(s.cost && s.cost.monthly_delta_usd) },
];

const driftView = {
  jobId: null,
  cursor: null,
  shown: 0,

  query(cursor) {
    const params = new URLSearchParams({ limit: '100' });
    const requested = $('drift-job-id').value.trim();
    if (requested) params.set('job_id', requested);
    if ($('drift-kind').value) params.set('kind', $('drift-kind').value);
    if ($('drift-severity').value) params.set('severity', $('drift-severity').value);
    if (cursor) params.set('cursor', cursor);
    return '/api/v1/drift?' + params.toString();
  },

  async open(jobId) {
    if (jobId) $('drift-job-id').value = jobId;
    await this.load();
  },

  async load() {
    notice($('drift-error'), '');
    try {
      const page = await api('GET', this.query(null));
      this.jobId = page.job_id;
      $('drift-job').textContent = page.job_id;
      this.renderSummary(page.summary);
      $('drift-body').replaceChildren();
      this.shown = 0;
      this.append(page);
    } catch (err) {
      if (err.status === 401) return;
      this.jobId = null;
      $('drift-job').textContent = '';
      $('drift-cards').replaceChildren();
      $('drift-body').replaceChildren(el('tr', {}, el('td', { class: 'empty', colspan: 7 }, 'No drift to show.')));
      $('drift-count').textContent = '';
      show($('drift-more'), false);
      notice($('drift-error'), err.message, 'error');
    }
    for (const button of document.querySelectorAll('[data-report]')) button.disabled = !this.jobId;
  },

  async loadMore() {
    try {
      this.append(await api('GET', this.query(this.cursor)));
    } catch (err) {
      if (err.status !== 401) notice($('drift-error'), err.message, 'error');
    }
  },

  append(page) {
    const body = $('drift-body');
    for (const item of page.items) body.append(...this.itemRows(item));
    labelCells(body);
    this.shown += page.items.length;
    this.cursor = page.next_cursor;
    if (!this.shown) body.replaceChildren(el('tr', {}, el('td', { class: 'empty', colspan: 7 }, 'No drift matches these filters.')));
    $('drift-count').textContent = this.shown + (this.cursor ? '+ items' : this.shown === 1 ? ' item' : ' items');
    show($('drift-more'), Boolean(this.cursor));
  },

  renderSummary(summary) {
    $('drift-cards').replaceChildren(...SUMMARY_CARDS.map((card) => el('div', { class: 'card ' + card.cls },
      el('span', { class: 'label' }, card.label),
      el('span', { class: 'figure' }, card.value(summary)))));
  },

  /** An item's row, plus a hidden row with its attribute changes that the address toggles. */
  itemRows(item) {
    const where = [item.account, item.region].filter(Boolean).join(' / ');
    const expandable = item.kind === 'changed' && item.changes.length > 0;
    const changesRow = expandable ? this.changesRow(item.changes) : null;
    const address = expandable
      ? el('button', { class: 'link mono expander', type: 'button', 'aria-expanded': 'false', title: 'Show attribute changes',
          onclick: (event) => {
            const open = changesRow.hidden;
            show(changesRow, open);
            event.currentTarget.setAttribute('aria-expanded', String(open));
          } }, item.address, el('span', { class: 'count' }, item.changes.length + (item.changes.length === 1 ? ' change' : ' changes')))
      : el('span', { class: 'mono' }, item.address);
    const row = el('tr', {},
      el('td', {}, badge(item.severity, 'sev-' + item.severity)),
      el('td', {}, badge(item.kind, 'kind-' + item.kind)),
      el('td', { class: 'wrap' }, address),
      el('td', { class: 'nowrap' }, el('div', {}, item.cloud_type), el('div', { class: 'mono muted' }, item.id)),
      el('td', { class: 'nowrap' }, where),
      el('td', { class: 'num' }, item.score),
      el('td', { class: 'num', title: item.cost ? item.cost.basis : '' }, item.cost ? fmt.usd(item.cost.monthly_usd) : '—'));
    return changesRow ? [row, changesRow] : [row];
  },

  changesRow(changes) {
    const rows = changes.map((c) => el('tr', {},
      el('td', { class: 'mono wrap' }, c.path, c.noise_rule ? [' ', badge('noise: ' + c.noise_rule, 'noise')] : null),
      el('td', {}, el('div', { class: 'value mono' }, fmt.value(c.expected))),
      el('td', {}, el('div', { class: 'value mono' }, fmt.value(c.actual)))));
    const tbody = el('tbody', {}, rows);
    const table = el('table', { class: 'stack' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Attribute'), el('th', {}, 'Expected (Terraform)'), el('th', {}, 'Actual (cloud)'))),
      tbody);
    labelCells(tbody);
    const row = el('tr', { class: 'changes' }, el('td', { colspan: 7 }, table));
    row.hidden = true;
    return row;
  },

  async download(format) {
    if (!this.jobId) return;
    const path = '/api/v1/drift/report?job_id=' + encodeURIComponent(this.jobId) + '&format=' + format;
    try {
      const res = await authorizedFetch('GET', path);
      const url = URL.createObjectURL(await res.blob());
      const link = el('a', { href: url, download: 'driftmgr-' + this.jobId + '.' + REPORT_FILES[format] });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (err) {
      if (err.status !== 401) notice($('drift-error'), 'Report download failed: ' + err.message, 'error');
    }
  },
};

$('drift-form').addEventListener('submit', (event) => {
  event.preventDefault();
  driftView.load();
});
$('drift-kind').addEventListener('change', () => driftView.load());
$('drift-severity').addEventListener('change', () => driftView.load());
$('drift-more').addEventListener('click', () => driftView.loadMore());
for (const button of document.querySelectorAll('[data-report]')) {
  button.addEventListener('click', () => driftView.download(button.dataset.report));
}

// ---- discovery form -------------------------------------------------------------------------

const discoverForm = $('discover-form');
const listField = (value) => value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

function discoveryRequest(form) {
  const data = new FormData(form);
  const accounts = listField(String(data.get('accounts')));
  const shardSize = String(data.get('shard_size')).trim();
  return {
    provider: data.get('provider'),
    regions: listField(String(data.get('regions'))),
    ...(accounts.length ? { accounts } : {}),
    sharding: { type: data.get('sharding'), ...(shardSize ? { shard_size: Number(shardSize) } : {}) },
  };
}

function updateRegionExample() {
  discoverForm.elements.regions.placeholder = REGION_EXAMPLES[discoverForm.elements.provider.value];
}

discoverForm.elements.provider.addEventListener('change', updateRegionExample);
discoverForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const result = $('discover-result');
  const submit = discoverForm.querySelector('button[type=submit]');
  submit.disabled = true;
  try {
    const accepted = await api('POST', '/api/v1/discovery', discoveryRequest(discoverForm));
    result.replaceChildren('Job ', el('a', { href: '#' + new URLSearchParams({ view: 'jobs', job: accepted.job_id }) , class: 'mono' }, accepted.job_id),
      ' started with ' + accepted.shards + (accepted.shards === 1 ? ' shard.' : ' shards.'));
    result.className = 'notice ok';
    show(result, true);
  } catch (err) {
    if (err.status !== 401) notice(result, err.message, 'error');
  } finally {
    submit.disabled = false;
  }
});
updateRegionExample();

// ---- start ----------------------------------------------------------------------------------

adoptTokenFromHash();
if (session.token) signedIn();
else signOut('');
`;

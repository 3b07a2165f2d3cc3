import { DASHBOARD_SCRIPT } from './client-script.js';
import { DASHBOARD_CSS } from './styles.js';

/** The static skeleton; the client script fills every data-bearing element with textContent. */
const BODY = String.raw`
<section id="signin" class="panel signin" hidden>
  <h1>DriftMgr</h1>
  <p class="muted">Enter an API token. It is kept in this browser tab only and forgotten on sign-out.</p>
  <form id="signin-form">
    <label>API token <input id="signin-token" type="password" autocomplete="current-password"></label>
    <div id="signin-error" class="notice error" role="alert" hidden></div>
    <button class="primary" type="submit">Sign in</button>
  </form>
</section>

<div id="app" hidden>
  <header class="top">
    <h1>DriftMgr</h1>
    <nav aria-label="Views">
      <a href="#view=jobs" data-view="jobs">Jobs</a>
      <a href="#view=drift" data-view="drift">Drift</a>
      <a href="#view=discover" data-view="discover">New discovery</a>
    </nav>
    <button id="sign-out" type="button">Sign out</button>
  </header>

  <main>
    <div class="view" data-panel="jobs" hidden>
      <section class="panel">
        <div class="bar">
          <h2>Jobs</h2>
          <span id="jobs-note" class="muted" aria-live="polite"></span>
          <span class="grow"></span>
          <button id="jobs-refresh" type="button">Refresh</button>
        </div>
        <div id="jobs-error" class="notice error" role="alert" hidden></div>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th>Job</th><th>Provider</th><th>Status</th><th>Shards</th><th class="num">Resources</th><th>Created</th></tr></thead>
            <tbody id="jobs-body"></tbody>
          </table>
        </div>
        <div class="bar"><button id="jobs-more" type="button" hidden>Load more</button></div>
      </section>

      <section id="job-detail" class="panel" hidden>
        <div class="bar">
          <h2 id="job-title" class="mono"></h2>
          <span id="job-status"></span>
          <span class="grow"></span>
          <button id="job-drift" type="button" hidden>View drift</button>
          <button id="job-cancel" class="danger" type="button" hidden>Cancel job</button>
          <button id="job-close" type="button">Close</button>
        </div>
        <div id="job-error" class="notice error" role="alert" hidden></div>
        <dl id="job-meta" class="meta"></dl>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th>Region</th><th>Account</th><th>Types</th><th>Status</th><th class="num">Attempts</th><th class="num">Resources</th><th>Last error</th></tr></thead>
            <tbody id="shards-body"></tbody>
          </table>
        </div>
      </section>
    </div>

    <div class="view" data-panel="drift" hidden>
      <section class="panel">
        <div class="bar"><h2>Drift</h2><span id="drift-job" class="muted mono"></span></div>
        <form id="drift-form" class="grid">
          <label>Job <input id="drift-job-id" placeholder="newest analysed job" autocomplete="off" spellcheck="false"></label>
          <label>Kind
            <select id="drift-kind">
              <option value="">all kinds</option><option value="changed">changed</option>
              <option value="missing">missing</option><option value="unmanaged">unmanaged</option>
            </select>
          </label>
          <label>Severity
            <select id="drift-severity">
              <option value="">all severities</option><option value="critical">critical</option>
              <option value="high">high</option><option value="medium">medium</option><option value="low">low</option>
            </select>
          </label>
          <div class="actions">
            <button class="primary" type="submit">Show</button>
            <span class="grow"></span>
            <span class="muted">Reports:</span>
            <button type="button" data-report="markdown" disabled>Markdown</button>
            <button type="button" data-report="html" disabled>HTML</button>
            <button type="button" data-report="sarif" disabled>SARIF</button>
            <button type="button" data-report="json" disabled>JSON</button>
          </div>
        </form>
        <div id="drift-error" class="notice error" role="alert" hidden></div>
        <div id="drift-cards" class="cards"></div>
      </section>

      <section class="panel">
        <div class="bar"><h2>Items</h2><span id="drift-count" class="muted"></span></div>
        <div class="table-wrap">
          <table class="stack">
            <thead><tr><th>Severity</th><th>Kind</th><th>Address</th><th>Resource</th><th>Where</th><th class="num">Score</th><th class="num">Cost / month</th></tr></thead>
            <tbody id="drift-body"></tbody>
          </table>
        </div>
        <div class="bar"><button id="drift-more" type="button" hidden>Load more</button></div>
      </section>
    </div>

    <div class="view" data-panel="discover" hidden>
      <section class="panel">
        <h2>New discovery job</h2>
        <form id="discover-form" class="grid top" novalidate>
          <label>Provider
            <select name="provider"><option value="aws">AWS</option><option value="azure">Azure</option><option value="gcp">GCP</option></select>
          </label>
          <label>Regions <input name="regions" autocomplete="off" spellcheck="false"><small>comma-separated</small></label>
          <label>Accounts <input name="accounts" autocomplete="off" spellcheck="false"><small>optional; default: every account with a live agent</small></label>
          <label>Sharding
            <select name="sharding">
              <option value="region">per account and region</option>
              <option value="resource-type">per resource type and region</option>
              <option value="account">per account</option>
            </select>
          </label>
          <label>Shard size <input name="shard_size" type="number" min="1" max="100000" value="1000"><small>resources per shard before it is split</small></label>
          <div class="actions"><button class="primary" type="submit">Start discovery</button></div>
        </form>
        <div id="discover-result" role="status" hidden></div>
      </section>
    </div>
  </main>
</div>
`;

/** The whole dashboard document; `nonce` must be the one named in the response's CSP. */
export function renderDashboard(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>DriftMgr</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${DASHBOARD_CSS}</style>
</head>
<body>${BODY}<script type="module" nonce="${nonce}">${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

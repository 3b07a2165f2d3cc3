/** The dashboard's stylesheet, inlined under the response's CSP nonce. */
export const DASHBOARD_CSS = String.raw`
:root {
  --bg: #f5f6f8; --panel: #fff; --text: #1d2330; --muted: #5f6b7d; --line: #dde1e8;
  --accent: #2454d6; --accent-text: #fff; --focus: #7aa2ff;
  --ok: #1d7a46; --ok-bg: #e3f5ea; --info: #1f5fbf; --info-bg: #e4eefc;
  --warn: #8a5a00; --warn-bg: #fdf1d8; --bad: #b3261e; --bad-bg: #fde7e5;
  --purple: #6b3fb8; --purple-bg: #efe7fb; --grey: #535c69; --grey-bg: #eceef2;
  --critical: #fff; --critical-bg: #9b1c1c;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151b; --panel: #1b2029; --text: #e6e9ef; --muted: #9aa4b4; --line: #2d3440;
    --accent: #5b84f0; --ok: #6fd39b; --ok-bg: #173425; --info: #8fb4f5; --info-bg: #1a2a45;
    --warn: #f0c46a; --warn-bg: #3a2e12; --bad: #f49a93; --bad-bg: #45201d;
    --purple: #c4a6f5; --purple-bg: #2e2245; --grey: #b7bfcc; --grey-bg: #2a303a;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; }
body {
  background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
h1, h2, h3 { margin: 0; line-height: 1.2; }
h1 { font-size: 18px; }
h2 { font-size: 17px; }
h3 { font-size: 15px; }
h2.mono { font-size: 15px; }
button, input, select { font: inherit; color: inherit; }
input, select { font-weight: 400; }
button {
  cursor: pointer; border: 1px solid var(--line); background: var(--panel);
  border-radius: 6px; padding: 6px 12px;
}
button:hover { border-color: var(--muted); }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.danger { color: var(--bad); border-color: var(--bad); }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-align: left; }
button:disabled { opacity: .5; cursor: default; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
input, select {
  border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px;
  background: var(--panel); min-width: 0; width: 100%;
}
label { display: grid; gap: 4px; font-weight: 600; font-size: 13px; }
label small { font-weight: 400; color: var(--muted); }

header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px;
  padding: 10px 20px; background: var(--panel); border-bottom: 1px solid var(--line);
}
header.top nav { display: flex; gap: 4px; flex: 1; flex-wrap: wrap; }
header.top nav a {
  text-decoration: none; color: var(--muted); padding: 6px 10px; border-radius: 6px; font-weight: 600;
}
header.top nav a[aria-current="page"] { color: var(--accent); background: var(--info-bg); }
main { max-width: 1240px; margin: 0 auto; padding: 16px 20px 40px; display: grid; gap: 16px; }
.view { display: grid; gap: 16px; min-width: 0; }
section.panel {
  background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px;
  display: grid; gap: 12px; min-width: 0;
}
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; }
.bar .grow { flex: 1; }
.muted { color: var(--muted); }
.notice { padding: 8px 12px; border-radius: 6px; background: var(--info-bg); color: var(--info); }
.notice.error { background: var(--bad-bg); color: var(--bad); }
.notice.ok { background: var(--ok-bg); color: var(--ok); }

.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 7px 10px; text-align: left; vertical-align: middle; border-bottom: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); white-space: nowrap; background: var(--bg); }
tbody tr:last-child td { border-bottom: 0; }
tr.selected td { background: var(--info-bg); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
td.wrap { word-break: break-word; min-width: 160px; }
td.empty { text-align: center; color: var(--muted); padding: 20px; }
tr.changes > td { background: var(--bg); padding: 8px 10px 12px 28px; }
tr.changes table { background: var(--panel); border: 1px solid var(--line); }
.value { white-space: pre-wrap; word-break: break-word; max-width: 420px; }

.badge {
  display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  white-space: nowrap; background: var(--grey-bg); color: var(--grey);
}
.badge.running, .badge.leased { background: var(--info-bg); color: var(--info); }
.badge.analyzing { background: var(--purple-bg); color: var(--purple); }
.badge.completed, .badge.succeeded { background: var(--ok-bg); color: var(--ok); }
.badge.failed { background: var(--bad-bg); color: var(--bad); }
.badge.sev-critical { background: var(--critical-bg); color: var(--critical); }
.badge.sev-high { background: var(--bad-bg); color: var(--bad); }
.badge.sev-medium { background: var(--warn-bg); color: var(--warn); }
.badge.sev-low { background: var(--grey-bg); color: var(--grey); }
.badge.kind-changed { background: var(--warn-bg); color: var(--warn); }
.badge.kind-missing { background: var(--bad-bg); color: var(--bad); }
.badge.kind-unmanaged { background: var(--purple-bg); color: var(--purple); }
button.expander { position: relative; padding-left: 1.2em; }
button.expander::before { content: "▸"; position: absolute; left: 0; transition: transform .15s; }
button.expander[aria-expanded="true"]::before { transform: rotate(90deg); }
button.expander .count { margin-left: 8px; font-family: system-ui, sans-serif; font-size: 12px; color: var(--muted); white-space: nowrap; }
.badge.noise { background: var(--grey-bg); color: var(--grey); font-weight: 400; }

.progress { display: flex; align-items: center; gap: 8px; min-width: 140px; }
.progress .track { flex: 1; height: 8px; border-radius: 4px; background: var(--grey-bg); overflow: hidden; }
.progress .fill { height: 100%; background: var(--ok); width: 0; }
.progress .fill.has-failures { background: var(--warn); }
.progress span { font-size: 12px; color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; display: grid; gap: 2px; }
.card .label { font-size: 12px; color: var(--muted); }
.card .figure { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.card.changed .figure { color: var(--warn); }
.card.missing .figure { color: var(--bad); }
.card.unmanaged .figure { color: var(--purple); }
.card.in-sync .figure { color: var(--ok); }

dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; word-break: break-word; }
form.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px 16px; align-items: end; }
form.grid.top { align-items: start; }
form.grid .actions { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 8px 10px; align-items: center; }
form.grid .actions .grow { flex: 1; }
.signin { width: min(420px, calc(100% - 24px)); margin: 10vh auto 0; }
.signin form { display: grid; gap: 12px; }

@media (max-width: 600px) {
  header.top { padding: 8px 12px; }
  header.top nav { order: 3; flex-basis: 100%; }
  header.top h1 { flex: 1; }
  .table-wrap { border: 0; overflow: visible; }
  table.stack thead { display: none; }
  table.stack tr { display: block; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px; padding: 4px 0; }
  table.stack td { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; border: 0; padding: 3px 10px; text-align: right; min-width: 0; }
  table.stack td > .cell { min-width: 0; }
  table.stack td::before { content: attr(data-label); flex: none; text-align: left; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
  table.stack td:empty, table.stack td.empty::before { display: none; }
  table.stack td.empty { justify-content: center; }
  table.stack tr.selected { border-color: var(--accent); }
  table.stack tr.changes { border: 0; padding: 0; margin-top: -6px; }
  table.stack tr.changes > td { display: block; padding: 0 0 4px 12px; text-align: left; background: none; }
  table.stack tr.changes table { border: 0; background: none; }
  table.stack .value { max-width: none; text-align: right; }
  td.nowrap, td.wrap { white-space: normal; word-break: break-word; min-width: 0; }
  main { padding: 12px 10px 32px; }
  .view { display: grid; gap: 16px; min-width: 0; }
section.panel { padding: 12px; }
  .card .figure { font-size: 19px; }
  dl.meta { grid-template-columns: 1fr; gap: 0; }
  dl.meta dd { margin-bottom: 6px; }
}
`;

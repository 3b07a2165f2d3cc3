// @ts-check
/**
 * One drift item in a dialog: what and where it is, why it got its severity, its attribute
 * changes side by side (Terraform's value against the cloud's, differing lines marked), and the
 * Terraform that fixes it (the item's `fix`, which the drift view asks the API for).
 */
import { changedLines } from './diff.js';
import { $, badge, copyOnClick, el, emptyRow, fmt, labelCells, notice, show } from './dom.js';

/** @typedef {import('./api.js').DriftPage['items'][number]} DriftItem */

const ui = {
  dialog: $('item-dialog', HTMLDialogElement),
  title: $('item-title', HTMLElement),
  badges: $('item-badges', HTMLElement),
  meta: $('item-meta', HTMLElement),
  rules: $('item-rules', HTMLElement),
  rulesSection: $('item-rules-section', HTMLElement),
  diffSection: $('item-diff-section', HTMLElement),
  diff: $('item-diff', HTMLTableSectionElement),
  fixNote: $('item-fix-note', HTMLElement),
  fix: $('item-fix', HTMLElement),
  copy: $('item-copy', HTMLButtonElement),
};

/** @type {(() => void) | null} */
let onClose = null;

/** @param {DriftItem} item */
export function itemKey(item) {
  return item.resource_key ?? `${item.state_source ?? ''}:${item.address}`;
}

/**
 * Shows the item; `closed` runs when the user closes the dialog.
 * @param {DriftItem} item
 * @param {() => void} closed
 */
export function openItem(item, closed) {
  onClose = closed;
  ui.title.textContent = item.address;
  ui.badges.replaceChildren(...itemBadges(item));
  ui.meta.replaceChildren(...itemFacts(item));
  ui.rules.replaceChildren(
    ...item.rules.map((r) =>
      el(
        'li',
        {},
        badge(r.severity, `sev-${r.severity}`),
        ` ${r.title}`,
        r.path ? el('span', { class: 'mono muted' }, ` (${r.path})`) : null,
      ),
    ),
  );
  show(ui.rulesSection, item.rules.length > 0);
  renderDiff(item);
  renderFix(item);
  if (!ui.dialog.open) ui.dialog.showModal();
}

export function closeItem() {
  onClose = null;
  if (ui.dialog.open) ui.dialog.close();
}

/** @param {DriftItem} item */
function itemBadges(item) {
  return [
    badge(item.severity, `sev-${item.severity}`),
    badge(item.kind, `kind-${item.kind}`),
    item.status ? badge(item.status, `status-${item.status}`) : null,
    item.tainted ? badge('tainted', 'failed') : null,
    item.acknowledged ? badge('acknowledged', 'noise') : null,
  ].filter((b) => b !== null);
}

/** @param {DriftItem} item */
function itemFacts(item) {
  /** @type {[string, string][]} */
  const facts = [
    ['Terraform type', item.tf_type],
    ['Cloud type', item.cloud_type],
    ['ID', item.id],
    ['Provider', item.provider],
    ['Account', item.account ?? '—'],
    ['Region', item.region ?? '—'],
    ['Score', String(item.score)],
    ['Est. monthly cost', item.cost ? `${fmt.usd(item.cost.monthly_usd)} (${item.cost.basis})` : '—'],
  ];
  if (item.state_source) facts.push(['State', item.state_source]);
  if (item.first_seen_at)
    facts.push(['First seen', `${fmt.time(item.first_seen_at)} in ${item.first_seen_job ?? '—'}`]);
  if (item.acknowledged)
    facts.push(['Acknowledged', `${item.acknowledged.reason} (until ${fmt.time(item.acknowledged.until)})`]);
  return facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', { class: 'mono' }, value)]);
}

/**
 * A value as lines, each marked when the other side does not share it.
 * @param {string[]} lines
 * @param {boolean[]} changed
 * @param {'del' | 'ins'} mark
 */
function markedValue(lines, changed, mark) {
  return el(
    'div',
    { class: 'value mono' },
    lines.map((line, i) => el('span', { class: changed[i] ? `line ${mark}` : 'line' }, line || ' ')),
  );
}

/** @param {DriftItem} item */
function renderDiff(item) {
  show(ui.diffSection, item.kind === 'changed');
  const rows = item.changes.map((c) => {
    const before = fmt.value(c.expected).split('\n');
    const after = fmt.value(c.actual).split('\n');
    const { removed, added } = changedLines(before, after);
    return el(
      'tr',
      {},
      el(
        'th',
        { scope: 'row', class: 'mono wrap' },
        c.path,
        c.noise_rule ? [' ', badge(`noise: ${c.noise_rule}`, 'noise')] : null,
      ),
      el('td', {}, markedValue(before, removed, 'del')),
      el('td', {}, markedValue(after, added, 'ins')),
    );
  });
  ui.diff.replaceChildren(...(rows.length ? rows : [emptyRow(3, 'No attribute changes.')]));
  labelCells(ui.diff);
}

/** @param {DriftItem} item */
function renderFix(item) {
  const fix = item.fix ?? '';
  notice(ui.fixNote, fix ? '' : 'No fix was loaded for this item.');
  ui.fix.textContent = fix;
  show(ui.fix, fix !== '');
  show(ui.copy, fix !== '');
}

copyOnClick(ui.copy, () => ui.fix.textContent ?? '');
$('item-close', HTMLButtonElement).addEventListener('click', () => ui.dialog.close());
ui.dialog.addEventListener('close', () => {
  const closed = onClose;
  onClose = null;
  closed?.();
});

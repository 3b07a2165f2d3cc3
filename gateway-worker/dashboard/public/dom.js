// @ts-check
/**
 * Page helpers. Data from the API only ever reaches the page as text nodes: `el()` appends
 * strings as text and sets attributes, and nothing here parses markup.
 */

/**
 * An element of the page's static skeleton, checked to be of the expected kind.
 * @template {Element} T
 * @param {string} id
 * @param {new (...args: never[]) => T} type
 * @returns {T}
 */
export function $(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return node;
}

/** @typedef {string | number | boolean | null | undefined | ((event: Event) => void)} Prop */
/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * Builds an element; `on…` props become listeners, other props attributes; children are
 * nodes or text, never markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, Prop>} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'class') node.className = String(value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false || child === '') continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * @param {Element} node an HTML or SVG element
 * @param {boolean} visible
 */
export function show(node, visible) {
  node.toggleAttribute('hidden', !visible);
}

/**
 * Shows `message` in a notice box, or hides the box when there is none.
 * @param {HTMLElement} node
 * @param {string} message
 * @param {'error' | 'ok'} [tone]
 */
export function notice(node, message, tone) {
  node.textContent = message;
  node.className = tone ? `notice ${tone}` : 'notice';
  show(node, Boolean(message));
}

/**
 * @param {string} text
 * @param {string} cls
 */
export function badge(text, cls) {
  return el('span', { class: `badge ${cls}` }, text);
}

/**
 * A one-cell row saying why a table is empty.
 * @param {number} columns
 * @param {string} text
 */
export function emptyRow(columns, text) {
  return el('tr', {}, el('td', { class: 'empty', colspan: columns }, text));
}

/**
 * Names each cell after its column and gathers its content in one box, so narrow screens can
 * show each row as a stack of label / value lines.
 * @param {HTMLTableSectionElement} tbody
 */
export function labelCells(tbody) {
  const head = tbody.closest('table')?.tHead?.rows[0];
  if (!head) return;
  const headers = Array.from(head.cells, (th) => th.textContent ?? '');
  for (const row of tbody.rows) {
    if (row.cells.length !== headers.length) continue;
    Array.from(row.cells).forEach((cell, i) => {
      if (cell.hasAttribute('data-label')) return;
      cell.setAttribute('data-label', headers[i] ?? '');
      if (cell.hasChildNodes()) cell.append(el('div', { class: 'cell' }, Array.from(cell.childNodes)));
    });
  }
}

const DASH = '—';

/** How numbers, times and attribute values read on the page; absent values read as a dash. */
export const fmt = {
  /** @param {unknown} n */
  int: (n) => (typeof n === 'number' ? n.toLocaleString() : DASH),
  /** @param {string | null | undefined} iso */
  time: (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : DASH),
  /** @param {unknown} n */
  usd: (n) => {
    if (typeof n !== 'number') return DASH;
    const sign = n < 0 ? '−' : n > 0 ? '+' : '';
    return `${sign}$${Math.abs(n).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  },
  /** @param {unknown} ratio */
  pct: (ratio) => (typeof ratio === 'number' ? `${(ratio * 100).toFixed(1)}%` : DASH),
  /** @param {unknown} v */
  value: (v) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v, null, 1)),
};

/**
 * Makes `button` copy the text `text()` gives to the clipboard, saying on itself for a moment
 * whether that worked.
 * @param {HTMLButtonElement} button
 * @param {() => string} text
 */
export function copyOnClick(button, text) {
  const label = button.textContent;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed: select the text instead';
    }
    setTimeout(() => (button.textContent = label), 2000);
  });
}

/**
 * Hands `blob` to the browser as a download named `filename`.
 * @param {Blob} blob
 * @param {string} filename
 */
export function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

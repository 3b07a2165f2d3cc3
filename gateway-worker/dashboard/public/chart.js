// @ts-check
/**
 * A small line chart drawn as inline SVG: one line per series over time and a point per value
 * with its reading as a tooltip (the page shows the same figures as a table for keyboards and
 * screen readers). Colours come from the stylesheet, a class per series, so nothing needs inline
 * styles. It draws into an <svg> of the page's markup, whose namespace its elements take.
 */
import { el } from './dom.js';

/** @typedef {{ time: number, value: number, label: string }} ChartPoint */
/** @typedef {{ name: string, cls: string, points: ChartPoint[] }} ChartSeries */
/**
 * @typedef {object} Chart
 * @property {ChartSeries[]} series
 * @property {(value: number) => string} format how a value reads on the y axis
 * @property {(time: number) => string} formatTime how a time reads on the x axis
 */

const WIDTH = 760;
const HEIGHT = 240;
const PAD = { top: 12, right: 16, bottom: 28, left: 72 };
const Y_TICKS = 4;
const X_TICKS = 4;

/**
 * A round step near `span / ticks`: 1, 2 or 5 times a power of ten.
 * @param {number} span
 * @param {number} ticks
 */
export function niceStep(span, ticks) {
  const raw = span / ticks;
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5].find((m) => m * power >= raw) ?? 10) * power;
}

/**
 * The y range: from zero (or below, for negative values) to a round value at or above the highest.
 * @param {number[]} values
 */
function yRange(values) {
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const step = niceStep(high - low || 1, Y_TICKS);
  return { low: Math.floor(low / step) * step, high: Math.ceil(high / step) * step || step, step };
}

/**
 * @param {number} first
 * @param {number} last
 */
function timeTicks(first, last) {
  if (last === first) return [first];
  return Array.from({ length: X_TICKS }, (_, i) => first + ((last - first) * i) / (X_TICKS - 1));
}

/**
 * Replaces what `root` shows with the chart.
 * @param {SVGSVGElement} root
 * @param {Chart} chart
 */
export function drawLineChart(root, { series, format, formatTime }) {
  /**
   * @param {string} tag
   * @param {Record<string, string | number>} attrs
   * @param {...(Element | string)} children
   */
  const svg = (tag, attrs, ...children) => {
    const node = document.createElementNS(root.namespaceURI, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    node.append(...children);
    return node;
  };
  const points = series.flatMap((s) => s.points);
  const times = points.map((p) => p.time);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const y = yRange(points.map((p) => p.value));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  /** @param {number} time */
  const xOf = (time) => PAD.left + (last === first ? plotWidth / 2 : ((time - first) / (last - first)) * plotWidth);
  /** @param {number} value */
  const yOf = (value) => PAD.top + plotHeight - ((value - y.low) / (y.high - y.low)) * plotHeight;

  const axes = [];
  for (let v = y.low; v <= y.high + y.step / 2; v += y.step) {
    axes.push(
      svg('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: yOf(v), y2: yOf(v) }),
      svg('text', { class: 'axis', x: PAD.left - 8, y: yOf(v) + 4, 'text-anchor': 'end' }, format(v)),
    );
  }
  const ticks = timeTicks(first, last);
  for (const [i, time] of ticks.entries()) {
    const anchor = ticks.length === 1 ? 'middle' : i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
    axes.push(svg('text', { class: 'axis', x: xOf(time), y: HEIGHT - 8, 'text-anchor': anchor }, formatTime(time)));
  }
  const lines = series.map((s) => {
    const sorted = [...s.points].sort((a, b) => a.time - b.time);
    const d = sorted.map((p, i) => `${i ? 'L' : 'M'}${xOf(p.time).toFixed(1)},${yOf(p.value).toFixed(1)}`).join(' ');
    const dots = sorted.map((p) =>
      svg('circle', { class: 'dot', cx: xOf(p.time), cy: yOf(p.value), r: 4 }, svg('title', {}, p.label)),
    );
    return svg('g', { class: `series ${s.cls}` }, svg('path', { class: 'stroke', d }), ...dots);
  });
  root.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  root.replaceChildren(...axes, ...lines);
}

/** @param {ChartSeries[]} series */
export function legend(series) {
  return series.map((s) => el('li', { class: s.cls }, el('span', { class: 'swatch', 'aria-hidden': 'true' }), s.name));
}

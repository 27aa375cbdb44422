// Small charts in plain SVG: labelled bars (a rate per unit or per
// indicator) and lines across periods. Every chart comes with its numbers
// as text, so it reads without the picture too.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) el.setAttribute(k, String(v));
  for (const k of kids.flat()) if (k != null) el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
}

// pct shows a fraction as a percentage: 0.875 → "87.5%".
export const pct = (x, digits = 1) => (x == null || !isFinite(x) ? '—' : `${Number((x * 100).toFixed(digits))}%`);

// bars draws one bar per item: {label, value (0–1, or null for none),
// text (the number shown), href (optional)}. low marks a bar below it.
export function bars(caption, items, { low = null } = {}) {
  return h('figure', { class: 'bars' },
    h('figcaption', null, caption),
    h('ul', null, items.map((it) => {
      const v = it.value == null || !isFinite(it.value) ? 0 : Math.max(0, Math.min(1, it.value));
      const bar = s('svg', { class: 'meter', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' },
        s('rect', { class: 'track', width: 100, height: 10 }),
        s('rect', { class: low != null && it.value != null && it.value < low ? 'fill low' : 'fill', width: (v * 100).toFixed(2), height: 10 }));
      const label = it.href ? h('a', { href: it.href, class: 'bar-label' }, it.label) : h('span', { class: 'bar-label' }, it.label);
      return h('li', null, label, bar, h('span', { class: 'bar-value' }, it.text));
    })));
}

// lines draws series across periods at the width of its container: x the
// periods (named by label), y from 0 to the largest value (or 0–100% for
// rates); a null value leaves a gap. The legend names each series.
export function lines(box, { labels, series, percent }) {
  const width = Math.max(300, Math.min(960, box.clientWidth || 600));
  const height = 260;
  const m = { l: 48, r: 12, t: 12, b: 44 };
  const all = series.flatMap((x) => x.values).filter((v) => v != null);
  const top = percent ? 1 : niceTop(Math.max(1, ...all));
  const xs = (i) => m.l + (labels.length < 2 ? (width - m.l - m.r) / 2 : (i * (width - m.l - m.r)) / (labels.length - 1));
  const ys = (v) => m.t + (1 - v / top) * (height - m.t - m.b);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => s('g', { class: 'grid' },
    s('line', { x1: m.l, x2: width - m.r, y1: ys(f * top), y2: ys(f * top) }),
    s('text', { x: m.l - 6, y: ys(f * top) + 4, 'text-anchor': 'end' }, percent ? `${f * 100}%` : String(+(f * top).toFixed(1)))));
  const every = Math.max(1, Math.ceil(labels.length / Math.floor((width - m.l - m.r) / 72)));
  const xlabels = labels.map((l, i) => (i % every ? null : s('text', { x: xs(i), y: height - m.b + 18, 'text-anchor': 'middle' }, l)));
  const paths = series.map((x, k) => {
    let d = '';
    x.values.forEach((v, i) => { if (v != null) d += `${d && x.values[i - 1] != null ? 'L' : 'M'}${xs(i).toFixed(1)},${ys(v).toFixed(1)}`; });
    return s('g', { class: 'series s' + (k % 8) },
      s('path', { d }),
      x.values.map((v, i) => (v == null ? null : s('circle', { cx: xs(i), cy: ys(v), r: 3 }))));
  });
  return h('figure', { class: 'lines' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-hidden': 'true' }, grid, xlabels, paths),
    h('ul', { class: 'legend' }, series.map((x, k) => h('li', { class: 's' + (k % 8) },
      s('svg', { viewBox: '0 0 10 10', width: 10, height: 10, 'aria-hidden': 'true' }, s('rect', { width: 10, height: 10 })), ' ', x.name))));
}

// niceTop rounds a maximum up to 1, 2 or 5 times a power of ten.
function niceTop(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= x);
}

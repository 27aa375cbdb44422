// The trend report picked in a form — indicator, figure, from, to — shown
// as a chart and a table in the page, and as a workbook to download.
import { h, clear } from './dom.js';
import { t, tx } from './i18n.js';
import { get } from './api.js';
import { periodLabel, frequencyLabel } from './period.js';
import { head, problem, indicators, field, form, select, download } from './ui.js';
import { lines, pct } from './chart.js';
import { unitText } from './form.js';

const NUMERIC = ['integer', 'decimal', 'computed'];

export default async function trendPage(view, _id, query) {
  head(view, t('m_trend'), '#/');
  let inds;
  try {
    inds = await indicators();
  } catch (e) {
    return view.append(problem(e));
  }
  const now = new Date();
  const list = [...inds.values()];
  const f = {
    indicator: field(t('indicator'), select(list.map((i) => [i.code, tx(i.name)]), query.get('indicator') || list[0]?.code, { id: 'trend-indicator' })),
    field: field(t('figure'), select([], '', { id: 'trend-field' })),
    frequency: field(t('frequency'), select(['monthly', 'termly', 'yearly', 'weekly'].map((x) => [x, frequencyLabel(x)]), 'monthly', { id: 'trend-frequency' })),
    from: field(t('from'), select([], '', { id: 'trend-from' })),
    to: field(t('to'), select([], '', { id: 'trend-to' })),
  };
  const setFields = () => {
    const ind = inds.get(f.indicator.control.value);
    clear(f.field.control, h('option', { value: '' }, t('complianceRate')),
      (ind?.fields || []).filter((x) => NUMERIC.includes(x.type)).map((x) => h('option', { value: x.id }, tx(x.label) + t('sumSuffix'))));
    f.frequency.control.value = ind?.frequency || 'monthly';
    setPeriods();
  };
  // The periods are chosen by name (2026年11月, 2026年秋季学期), the
  // latest first; the first choice goes back about a year.
  const setPeriods = () => {
    const keys = periodsBack(f.frequency.control.value, now);
    const back = { monthly: 11, weekly: 12, termly: 2, yearly: 2 }[f.frequency.control.value];
    for (const [k, pick] of [['from', Math.min(back, keys.length - 1)], ['to', 0]]) {
      clear(f[k].control, keys.map((key, i) => h('option', { value: key, selected: i === pick }, periodLabel(key))));
    }
  };
  f.indicator.control.addEventListener('change', setFields);
  f.frequency.control.addEventListener('change', setPeriods);
  setFields();
  const params = () => new URLSearchParams({ indicator: f.indicator.control.value, from: f.from.control.value, to: f.to.control.value,
    ...(f.field.control.value ? { field: f.field.control.value } : {}) });
  const xlsx = h('button', { type: 'button', class: 'btn secondary', id: 'trend-xlsx', onclick: async () => {
    xlsx.disabled = true;
    try { await download('/reports/trend.xlsx?' + params()); } catch (e) { clear(out.out, problem(e)); } finally { xlsx.disabled = false; }
  } }, t('downloadXlsx'));
  const out = form({ id: 'trend-form', card: true, fields: f, submit: t('showTrend'), send: async () => {
    const tr = (await get('/reports/trend?' + params())).data;
    const sel = f.field.control.selectedOptions[0];
    return result(tr, `${f.indicator.control.selectedOptions[0].textContent} · ${sel ? sel.textContent : t('complianceRate')}`);
  } });
  out.el.querySelector('.actions').append(xlsx);
  view.append(out.el);
  if (query.get('indicator')) out.el.requestSubmit();
}

// result is the chart and the table of a trend.
function result(tr, title) {
  const series = [...tr.series, ...(tr.total ? [{ ...tr.total, name: t('total') }] : [])];
  const labels = tr.periods.map((p) => periodLabel(p));
  const fmt = (v) => (v == null ? '—' : tr.percent ? pct(v) : `${+v.toFixed(tr.precision || 0)}${tr.unit ? ' ' + unitText(tr.unit) : ''}`);
  const fig = h('div', { class: 'chart-box' });
  const out = h('section', { class: 'card trend-result', id: 'trend-result' },
    h('h2', null, title),
    series.length && series.some((x) => x.values.some((v) => v != null)) ? fig : h('p', { class: 'empty' }, t('noData')),
    h('details', { class: 'unit-table' }, h('summary', null, t('trendTable')),
      h('div', { class: 'scroll' }, h('table', { class: 'table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('period')), series.map((x) => h('th', { scope: 'col' }, x.name)))),
        h('tbody', null, labels.map((l, i) => h('tr', null, h('th', { scope: 'row' }, l), series.map((x) => h('td', null, fmt(x.values[i]))))))))));
  // The chart takes its box's width, known once the box is in the page.
  requestAnimationFrame(() => fig.isConnected && fig.append(lines(fig, { labels, series, percent: tr.percent })));
  return out;
}

// periodsBack lists the keys of the periods of a frequency from the one
// of now back five years, the latest first.
function periodsBack(freq, now) {
  const y = now.getFullYear(), m = now.getMonth() + 1;
  const out = [];
  for (let i = 0; i < 60 && freq === 'monthly'; i++) {
    const mm = ((m - 1 - i) % 12 + 12) % 12 + 1;
    out.push(`${y + Math.floor((m - 1 - i) / 12)}-${String(mm).padStart(2, '0')}`);
  }
  for (let i = 0, term = m <= 7 ? 1 : 2, yy = y; i < 10 && freq === 'termly'; i++) {
    out.push(`${yy}-T${term}`);
    [yy, term] = term === 1 ? [yy - 1, 2] : [yy, 1];
  }
  for (let i = 0; i < 5 && freq === 'yearly'; i++) out.push(String(y - i));
  for (let i = 0; i < 53 && freq === 'weekly'; i++) {
    const d = new Date(now.getTime() - i * 7 * 864e5);
    const w = isoWeek(d);
    out.push(`${isoYear(d)}-W${String(w).padStart(2, '0')}`);
  }
  return out;
}

function isoYear(d) {
  const x = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  x.setUTCDate(x.getUTCDate() + 4 - (x.getUTCDay() || 7));
  return x.getUTCFullYear();
}

function isoWeek(d) {
  const x = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  x.setUTCDate(x.getUTCDate() + 4 - (x.getUTCDay() || 7));
  return Math.ceil(((x - Date.UTC(x.getUTCFullYear(), 0, 1)) / 864e5 + 1) / 7);
}

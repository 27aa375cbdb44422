// Plans and indicators: the year's plan built from the catalog (choose the
// indicators, how often, override their targets) or from the plan's text
// (paste it, pick among the candidates found), the schedules a plan needs
// made in one action, and the catalog itself.
import { h, append, clear, toast } from './dom.js';
import { t, tx } from './i18n.js';
import { get, post, errorText } from './api.js';
import { frequencyLabel } from './period.js';
import { head, problem, indicators, indicatorName, field, form, input, select } from './ui.js';
import { fromPlanResult } from './schedules.js';

const FREQS = ['weekly', 'monthly', 'termly', 'yearly'];

export default async function plansPage(view) {
  head(view, t('m_plans'), '#/');
  let plans, inds;
  try {
    [plans, inds] = await Promise.all([get('/plans').then((r) => r.data.plans || []), indicators()]);
  } catch (e) {
    return view.append(problem(e));
  }
  append(view,
    h('section', { class: 'card', id: 'plans' }, h('h2', null, t('plans')),
      plans.length ? h('ul', { class: 'list rows' }, plans.map((p) => planRow(p, inds))) : h('p', { class: 'empty' }, t('noPlans'))),
    newPlan(plans, inds, () => plansPage(view)),
    catalog(inds));
}

function planRow(p, inds) {
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn secondary', onclick: async () => {
    btn.disabled = true;
    try {
      clear(out, fromPlanResult((await post('/schedules/from-plan', { plan: p.id })).data));
    } catch (e) {
      clear(out, problem(e));
    } finally {
      btn.disabled = false;
    }
  } }, t('schedulesFromPlan'));
  return h('li', { class: 'row-item plan', 'data-plan': p.id },
    h('div', { class: 'row-main' }, h('strong', null, p.name),
      h('span', { class: 'meta' }, t('yearN', p.year), ' · ', p.items.map((it) => `${indicatorName(inds, it.indicator)}（${frequencyLabel(it.frequency || inds.get(it.indicator)?.frequency)}）`).join('、'))),
    h('div', { class: 'row-acts' }, btn), out);
}

// targetLabel names a target of an indicator by the field it bounds
// (desk_lux and sample_grams by the fields desk_lux and sample_grams_min;
// cct_min as the lower bound of cct), or by its own name.
export function targetLabel(ind, key) {
  const find = (fields, id) => {
    for (const f of fields || []) {
      if (f.id === id) return tx(f.label);
      const inner = find(f.fields, id);
      if (inner) return inner;
    }
    return '';
  };
  const direct = find(ind.fields, key) || find(ind.fields, key + '_min') || find(ind.fields, key + '_max');
  if (direct) return direct;
  const m = /^(.*)_(min|max)$/.exec(key);
  const base = m && find(ind.fields, m[1]);
  return base ? base + t(m[2] === 'min' ? 'lowerBound' : 'upperBound') : t('target_' + key);
}

// newPlan makes a plan from catalog indicators, from a pasted text's
// candidates, or both.
function newPlan(plans, inds, done) {
  const year = new Date().getFullYear() + (new Date().getMonth() >= 10 ? 1 : 0);
  const taken = new Set(plans.map((p) => p.id));
  let id = `plan-${year}`;
  for (let i = 2; taken.has(id); i++) id = `plan-${year}-${i}`;
  const f = {
    name: field(t('planName'), input({ id: 'plan-name', value: t('planNameDefault', year) })),
    year: field(t('year'), input({ id: 'plan-year', inputmode: 'numeric', value: String(year) })),
    id: field(t('planCode'), input({ id: 'plan-id', value: id, autocapitalize: 'off' }), t('planCodeHint')),
    fromText: field(t('fromText'), h('div', { id: 'plan-text', tabindex: '-1' }, textPart())),
    items: field(t('fromCatalog'), h('details', { id: 'plan-items', tabindex: '-1', class: 'pick-list' },
      h('summary', null, t('fromCatalogHelp')), [...inds.values()].map(pickIndicator))),
  };
  const made = form({ id: 'plan-form', fields: f, submit: t('createPlan'), send: async () => {
    const items = [...f.items.control.querySelectorAll('.pick')].filter((el) => el.querySelector('input[type=checkbox]').checked).map(itemOf);
    const text = f.fromText.control.querySelector('textarea').value;
    const selected = [...f.fromText.control.querySelectorAll('.cand input:checked')].map((x) => +x.value);
    const body = { id: f.id.control.value.trim(), name: f.name.control.value.trim(), year: +f.year.control.value, items,
      ...(selected.length ? { fromText: { text, selected } } : {}) };
    const p = (await post('/plans', body)).data;
    toast(t('planCreated', p.name), 'ok');
    return h('div', { class: 'note', id: 'plan-created' }, t('planCreatedNext', p.name), ' ',
      fromPlanButton(p.id), h('button', { type: 'button', class: 'btn link', onclick: done }, t('refresh')));
  } });
  return h('section', { class: 'card new-plan', id: 'new-plan' }, h('h2', null, t('newPlan')), h('p', { class: 'help' }, t('newPlanHelp')), made.el);
}

function fromPlanButton(plan) {
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn primary', id: 'from-plan', onclick: async () => {
    btn.disabled = true;
    try { clear(out, fromPlanResult((await post('/schedules/from-plan', { plan })).data)); } catch (e) { clear(out, problem(e)); btn.disabled = false; }
  } }, t('schedulesFromPlan'));
  return h('div', null, btn, out);
}

// pickIndicator is one catalog indicator to choose, with its frequency
// and targets to override.
function pickIndicator(ind) {
  const on = h('input', { type: 'checkbox', value: ind.code });
  const freq = select(FREQS.map((x) => [x, frequencyLabel(x)]), ind.frequency, { 'aria-label': t('frequency') });
  const targets = Object.entries(ind.targets || {}).map(([k, v]) => {
    const c = input({ inputmode: 'decimal', value: String(v), 'data-key': k, 'data-default': String(v) });
    return h('label', { class: 'target' }, h('span', null, targetLabel(ind, k)), c);
  });
  return h('div', { class: 'pick', 'data-indicator': ind.code },
    h('label', { class: 'check' }, on, h('strong', null, tx(ind.name))),
    h('div', { class: 'pick-more' }, h('label', { class: 'inline' }, t('frequency'), ' ', freq),
      targets.length ? h('details', null, h('summary', null, t('adjustTargets')), h('div', { class: 'targets' }, targets)) : null));
}

function itemOf(el) {
  const item = { indicator: el.dataset.indicator };
  const ind = el.querySelector('select').value;
  item.frequency = ind;
  for (const c of el.querySelectorAll('input[data-key]')) {
    if (c.value.trim() !== c.dataset.default) (item.targets ||= {})[c.dataset.key] = Number(c.value);
  }
  return item;
}

// textPart reads a pasted plan and offers its candidates to choose.
function textPart() {
  const text = h('textarea', { rows: 6, id: 'plan-paste', placeholder: t('pastePlan'), 'aria-label': t('pastePlan') });
  const out = h('div', { class: 'cands', id: 'plan-cands', 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn secondary', id: 'plan-extract', onclick: async () => {
    if (!text.value.trim()) return clear(out, h('p', { class: 'err' }, t('pasteFirst')));
    btn.disabled = true;
    try {
      const [res, inds] = await Promise.all([post('/plans/extract', { text: text.value }).then((r) => r.data), indicators()]);
      clear(out, candidates(res.candidates, inds));
    } catch (e) {
      clear(out, h('p', { class: 'err' }, errorText(e, t)));
    } finally {
      btn.disabled = false;
    }
  } }, t('extract'));
  return [text, h('div', { class: 'actions inline' }, btn), out];
}

function candidates(list, inds) {
  if (!list.length) return h('p', { class: 'empty' }, t('noCandidates'));
  return [h('p', { class: 'meta' }, t('candidatesFound', list.length)),
    h('ul', { class: 'list' }, list.map((c, i) => {
      const match = c.indicators[0];
      const ind = match && inds.get(match.code);
      const usable = !!ind;
      const box = h('input', { type: 'checkbox', value: String(i), checked: usable && c.level === 'school', disabled: !usable });
      return h('li', { class: 'cand' + (usable ? '' : ' none') },
        h('label', { class: 'check' }, box, h('span', null, c.phrase || c.sentence)),
        h('p', { class: 'meta' }, usable
          ? [tx(ind.name), c.frequency && FREQS.includes(c.frequency) ? ' · ' + frequencyLabel(c.frequency) : '',
            match.target && match.value != null ? ` · ${targetLabel(ind, match.target)} ${match.value}` : '',
            c.level === 'bureau' ? ' · ' + t('bureauWork') : '']
          : t('noIndicator')));
    }))];
}

// catalog lists the indicators schools can report.
function catalog(inds) {
  return h('details', { class: 'card', id: 'catalog' }, h('summary', null, h('strong', null, t('catalog')), ` (${inds.size})`),
    h('ul', { class: 'list rows' }, [...inds.values()].map((ind) => h('li', { class: 'row-item' },
      h('div', { class: 'row-main' }, h('strong', null, tx(ind.name)),
        h('span', { class: 'meta' }, frequencyLabel(ind.frequency), ' · ', (ind.stages || []).map((s) => t('stage_' + s)).join('、')),
        tx(ind.help) ? h('span', { class: 'meta' }, tx(ind.help)) : null,
        Object.keys(ind.targets || {}).length ? h('span', { class: 'meta' }, Object.entries(ind.targets).map(([k, v]) => `${targetLabel(ind, k)} ${v}`).join('；')) : null)))));
}

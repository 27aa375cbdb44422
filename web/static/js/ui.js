// Pieces the bureau's screens share: page heads, labelled fields that show
// the server's field errors, long lists shown a page at a time, downloads,
// and the lookups (indicators, the org tree) read once per sign-in.
import { h, clear, uid } from './dom.js';
import { t, tx } from './i18n.js';
import { get, request, ApiError, errorText } from './api.js';
import { session } from './session.js';
import './words.js';

export const enc = encodeURIComponent;

// head clears a view and titles it, with a link back when given.
export function head(view, title, back) {
  clear(view,
    back ? h('a', { href: back, class: 'back' }, '‹ ' + t('back')) : null,
    h('h1', { class: 'page-title' }, title));
  return view;
}

// problem is a failure as a paragraph that screen readers announce.
export const problem = (e) => h('p', { class: 'error-box', role: 'alert' }, errorText(e, t));

// field is a labelled control with a place for its error. Its show and
// reset mark the control invalid and valid again.
export function field(label, control, hint) {
  const id = control.id || (control.id = uid('c'));
  const err = h('p', { class: 'err', id: id + '-err', hidden: true, role: 'alert' });
  const hintEl = hint ? h('p', { class: 'hint', id: id + '-hint' }, hint) : null;
  control.setAttribute('aria-describedby', [hintEl && id + '-hint', id + '-err'].filter(Boolean).join(' '));
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), hintEl, control, err);
  return {
    el, control, err,
    show(msg) { err.hidden = false; err.textContent = msg; control.setAttribute('aria-invalid', 'true'); },
    reset() { err.hidden = true; err.textContent = ''; control.removeAttribute('aria-invalid'); },
  };
}

// form builds a form of fields (by name) that calls send() on submit and
// puts the field errors of a refusal on the fields they name; the others,
// and any other failure, go in the form's own error box. send returns
// nothing or a node to show under the form. A form on its own is a card;
// one inside a card is not.
export function form({ id, fields, submit, send, extra, card = false }) {
  const box = h('div', { class: 'err-box', role: 'alert', hidden: true });
  const out = h('div', { class: 'form-out', 'aria-live': 'polite' });
  const btn = h('button', { type: 'submit', class: 'btn primary' }, submit);
  const el = h('form', { class: card ? 'card form-card' : 'form-card', id, novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    for (const f of Object.values(fields)) f.reset();
    box.hidden = true;
    btn.disabled = true;
    try {
      const shown = await send();
      clear(out, shown || null);
    } catch (err) {
      refusal(err, fields, box);
    } finally {
      btn.disabled = false;
    }
  } }, Object.values(fields).map((f) => f.el), extra || null, box, h('div', { class: 'actions inline' }, btn), out);
  return { el, box, out, btn };
}

// refusal shows an error: field errors on their fields (by the first part
// of their path), the rest listed in box.
export function refusal(err, fields, box) {
  const rest = [];
  for (const fe of err instanceof ApiError ? err.fieldErrors : []) {
    const f = fields[String(fe.field || '').split(/[.[]/)[0]];
    if (f) f.show(fe.message);
    else rest.push(fe.message);
  }
  if (!(err instanceof ApiError) || !err.fieldErrors.length || rest.length) {
    box.hidden = false;
    clear(box, errorText(err, t), rest.length ? h('ul', null, rest.map((m) => h('li', null, m))) : null);
  }
}

// input and select make controls for form fields.
export const input = (attrs = {}) => h('input', { autocomplete: 'off', ...attrs });
export const select = (options, value, attrs = {}) => h('select', attrs,
  options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));

// paged shows a long list a page at a time: items already filtered, each
// drawn by draw, with a button for the next page.
export function paged(items, draw, { size = 50, empty } = {}) {
  const list = h('ul', { class: 'list rows' });
  const more = h('button', { type: 'button', class: 'btn secondary wide' });
  let shown = 0;
  const next = () => {
    const add = items.slice(shown, shown + size);
    list.append(...add.map(draw));
    shown += add.length;
    more.hidden = shown >= items.length;
    more.textContent = t('showMore', items.length - shown);
  };
  more.addEventListener('click', next);
  next();
  return h('div', null, items.length ? list : h('p', { class: 'empty' }, empty || t('nothing')), more);
}

// download fetches a file from the API and saves it under the name the
// server gives it.
export async function download(path, opts = {}) {
  const res = await request(opts.method || 'GET', path, { raw: true, body: opts.body });
  save(res.data, fileName(res.headers) || 'tianbao.xlsx');
  return res;
}

function fileName(headers) {
  const cd = headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : '';
}

export function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

// once shows a password made for someone, this one time.
export function once(username, password) {
  return h('section', { class: 'card once-card' },
    h('p', null, t('oncePassword', username)),
    h('p', { class: 'once' }, password),
    h('p', { class: 'note' }, t('onceNote')));
}

// Lookups read once per sign-in.
const memo = new Map();
function cached(key, load) {
  const k = (session()?.token || '') + '|' + key;
  if (!memo.has(k)) memo.set(k, load().catch((e) => { memo.delete(k); throw e; }));
  return memo.get(k);
}

// forget drops a lookup after a change to what it holds.
export const forget = (key) => { for (const k of memo.keys()) if (k.endsWith('|' + key)) memo.delete(k); };

// indicators maps each indicator's code to its definition.
export const indicators = () => cached('indicators', async () =>
  new Map(((await get('/indicators')).data.indicators || []).map((i) => [i.code, i])));

// indicatorName names an indicator from the map, never by its code.
export const indicatorName = (inds, code) => tx(inds.get(code)?.name) || t('indicator');

// orgs reads the caller's part of the tree, every page of it, by code.
export const orgs = () => cached('orgs', async () => {
  const all = new Map();
  let after = '';
  do {
    const res = (await get('/orgs?limit=5000' + (after ? '&after=' + enc(after) : ''))).data;
    for (const o of res.orgs || []) all.set(o.id, o);
    after = res.next;
  } while (after);
  return all;
});

// STAGES are the school stages in the order people list them.
export const STAGES = ['kindergarten', 'primary', 'junior', 'senior'];
export const stagesText = (list) => (list || []).map((s) => t('stage_' + s)).join('、');

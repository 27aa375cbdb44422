// Small DOM helpers. Text always goes in as text nodes, never as markup.

export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'readOnly') el[k] = true;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, kids);
  return el;
}

function add(el, kids) {
  for (const k of kids) {
    if (k == null || k === false) continue;
    if (Array.isArray(k)) add(el, k);
    else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

// append adds children as h does: arrays flattened, null and false left out.
export function append(el, ...kids) {
  add(el, kids);
  return el;
}

export function clear(el, ...kids) {
  el.replaceChildren();
  add(el, kids);
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

let seq = 0;
export const uid = (p = 'e') => p + '-' + (++seq);

export function debounce(fn, ms) {
  let t;
  const d = (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
  d.flush = (...a) => { clearTimeout(t); return fn(...a); };
  return d;
}

// toast shows a short status message, announced to screen readers.
export function toast(text, kind = 'info') {
  const box = $('#toast');
  if (!box) return;
  const el = h('div', { class: 'toast ' + kind, role: 'status' }, text);
  box.append(el);
  setTimeout(() => el.remove(), 4000);
}

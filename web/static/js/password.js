// The password change a one-time password requires: until it is done the
// server answers nothing else (403 password_change_required).
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { post, ApiError, errorText } from './api.js';

// passwordView asks for the one-time password and a new one twice; done()
// runs once the server has taken it.
export function passwordView(main, done) {
  const input = (id, label, auto) => {
    const el = h('input', { id, name: id, type: 'password', autocomplete: auto, required: true, 'aria-describedby': id + '-err' });
    const err = h('p', { class: 'err', id: id + '-err', hidden: true, role: 'alert' });
    return { el, err, nodes: [h('label', { for: id }, label), el, err] };
  };
  const old = input('pw-old', t('pwOld'), 'current-password');
  const next = input('pw-new', t('pwNew'), 'new-password');
  const again = input('pw-again', t('pwAgain'), 'new-password');
  const err = h('p', { class: 'err', hidden: true, role: 'alert' });
  const btn = h('button', { type: 'submit', class: 'btn primary wide' }, t('pwSave'));
  const show = (x, message) => { x.err.hidden = false; x.err.textContent = message; x.el.setAttribute('aria-invalid', 'true'); };
  const form = h('form', { class: 'card login', id: 'password-change', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    for (const x of [old, next, again]) { x.err.hidden = true; x.el.removeAttribute('aria-invalid'); }
    err.hidden = true;
    if (!old.el.value) return show(old, t('required'));
    if (next.el.value.length < 8) return show(next, t('pwShort'));
    if (next.el.value === old.el.value) return show(next, t('pwSame'));
    if (next.el.value !== again.el.value) return show(again, t('pwMismatch'));
    btn.disabled = true;
    try {
      await post('/me/password', { old: old.el.value, new: next.el.value });
      done();
    } catch (e2) {
      const fields = e2 instanceof ApiError ? e2.fieldErrors : [];
      for (const fe of fields) show(fe.field === 'old' ? old : next, fe.message);
      if (!fields.length) { err.hidden = false; err.textContent = errorText(e2, t); }
    } finally {
      btn.disabled = false;
    }
  } },
  h('h1', null, t('pwTitle')),
  h('p', { class: 'note' }, t('pwIntro')),
  old.nodes, next.nodes, again.nodes, err, btn);
  clear(main, form);
  old.el.focus();
}

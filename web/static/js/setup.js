// The first-run page, offered while the database has no bureau: the setup
// token from the server's start-up log, the bureau and its first admin.
// The admin's one-time password is shown once, then the sign-in follows.
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { get, post, ApiError, errorText } from './api.js';

let needed = null; // asked once per page load

// setupNeeded asks the server whether the first run is still to be done;
// offline it says no (the sign-in is what a phone needs then).
export async function setupNeeded() {
  if (needed === null) {
    try {
      needed = !!(await get('/setup')).data?.needed;
    } catch {
      needed = false;
    }
  }
  return needed;
}

// field is a labelled input with the place for its error.
function field(id, label, input) {
  input.id = id;
  input.name = id;
  const err = h('p', { class: 'err', id: id + '-err', hidden: true, role: 'alert' });
  input.setAttribute('aria-describedby', err.id);
  return { input, err, nodes: [h('label', { for: id }, label), input, err] };
}

// setupView shows the form; done(admin) is called once the admin has seen
// the password.
export function setupView(main, done) {
  const f = {
    token: field('setup-token', t('setupToken'), h('input', { autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', required: true })),
    code: field('setup-code', t('bureauCode'), h('input', { inputmode: 'numeric', placeholder: '420222', required: true })),
    name: field('setup-name', t('bureauName'), h('input', { placeholder: t('bureauNameHint'), required: true })),
    level: field('setup-level', t('bureauLevel'), h('select', { required: true },
      ['county', 'city', 'province'].map((l) => h('option', { value: l }, t('lv_' + l))))),
    admin: field('setup-admin', t('adminUser'), h('input', { autocomplete: 'off', autocapitalize: 'off', placeholder: 'admin', required: true })),
  };
  const err = h('p', { class: 'err', hidden: true, role: 'alert' });
  const btn = h('button', { type: 'submit', class: 'btn primary wide' }, t('setupSubmit'));
  const form = h('form', { class: 'card login', id: 'setup', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    for (const x of Object.values(f)) x.err.hidden = true;
    err.hidden = true;
    const body = Object.fromEntries(Object.entries(f).map(([k, x]) => [k, x.input.value.trim()]));
    const empty = Object.entries(body).filter(([, v]) => !v);
    if (empty.length) {
      for (const [k] of empty) show(f[k], t('required'));
      f[empty[0][0]].input.focus();
      return;
    }
    btn.disabled = true;
    try {
      const res = await post('/setup', body);
      needed = false;
      shown(main, res.data, done);
    } catch (e2) {
      const fields = e2 instanceof ApiError ? e2.fieldErrors : [];
      for (const fe of fields) if (f[fe.field]) show(f[fe.field], fe.message);
      if (!fields.some((fe) => f[fe.field])) {
        err.hidden = false;
        err.textContent = e2 instanceof ApiError && e2.status === 429 ? t('locked', e2.headers.get('Retry-After') || '600') : errorText(e2, t);
      }
      if (e2 instanceof ApiError && e2.status === 409) {
        needed = false;
        form.append(h('button', { type: 'button', class: 'btn secondary wide', onclick: () => done('') }, t('login')));
      }
    } finally {
      btn.disabled = false;
    }
  } },
  h('h1', null, t('setupTitle')),
  h('p', { class: 'note' }, t('setupIntro')),
  Object.values(f).map((x) => x.nodes),
  err, btn);
  clear(main, form);
  f.token.input.focus();
}

function show(x, message) {
  x.err.hidden = false;
  x.err.textContent = message;
  x.input.setAttribute('aria-invalid', 'true');
}

// shown displays the admin's one-time password, this once.
function shown(main, res, done) {
  clear(main, h('section', { class: 'card login', id: 'setup-done' },
    h('h1', null, t('setupDone')),
    h('p', null, res.bureau.code, ' ', res.bureau.name),
    h('p', null, t('oncePassword', res.admin)),
    h('p', { class: 'once', id: 'once-password' }, res.password),
    h('p', { class: 'note' }, t('onceNote')),
    h('button', { type: 'button', class: 'btn primary wide', onclick: () => done(res.admin) }, t('toLogin'))));
}

// The phone client: sign-in, routing, the outbox bar and the service worker.
import { h, clear, $, toast } from './dom.js';
import { t, lang, setLang, when } from './i18n.js';
import { post, onUnauthorized, onPasswordChange, ApiError, errorText } from './api.js';
import { session, saveSession, clearSession, isBureau } from './session.js';
import { entries, onOutbox, onSent, flush, discard, pause, resume, whenIdle } from './outbox.js';
import { taskList, formPage, forgetDraft, dropLocal } from './school.js';
import { setupNeeded, setupView } from './setup.js';
import { passwordView } from './password.js';

const main = $('#main');
let expired = false;

// SCREENS are the bureau's pages, each loaded when first opened: the
// school's phone never downloads them. Each module's default export draws
// the page into a view: (view, id, query).
const SCREENS = {
  '': () => import('./bureau.js'),
  drive: () => import('./drive.js'),
  sub: () => import('./review.js'),
  trend: () => import('./trend.js'),
  orgs: () => import('./orgs.js'),
  users: () => import('./users.js'),
  plans: () => import('./plans.js'),
  schedules: () => import('./schedules.js'),
  channels: () => import('./channels.js'),
  audit: () => import('./audit.js'),
  password: () => import('./account.js'),
};

// MENU lists the bureau's screens with the roles that use them.
const MENU = [
  ['', 'home', ['admin', 'district', 'viewer']],
  ['trend', 'm_trend', ['admin', 'district', 'viewer']],
  ['orgs', 'm_orgs', ['admin', 'district', 'viewer']],
  ['users', 'm_users', ['admin', 'district']],
  ['plans', 'm_plans', ['admin']],
  ['schedules', 'm_schedules', ['admin', 'district']],
  ['channels', 'm_channels', ['admin', 'district']],
  ['audit', 'm_audit', ['admin']],
  ['password', 'changePassword', ['admin', 'district', 'viewer']],
];

function header() {
  const s = session();
  const bureau = s && !s.user.mustChangePassword && isBureau(s.user);
  const nav = $('#nav');
  nav.hidden = true;
  const menuBtn = bureau ? h('button', { type: 'button', class: 'btn link menu', id: 'menu', 'aria-expanded': 'false', 'aria-controls': 'nav', onclick: () => {
    nav.hidden = !nav.hidden;
    menuBtn.setAttribute('aria-expanded', String(!nav.hidden));
  } }, '☰ ' + t('menu')) : null;
  clear($('#bar'),
    h('a', { href: '#/', class: 'brand' }, t('app')),
    s ? h('span', { class: 'who' }, s.user.name) : h('span', { class: 'who' }),
    menuBtn,
    h('button', { type: 'button', class: 'btn link', id: 'lang', lang: lang() === 'en' ? 'zh-CN' : 'en', onclick: () => { setLang(lang() === 'en' ? 'zh' : 'en'); render(); } }, lang() === 'en' ? '中文' : 'EN'),
    s ? h('button', { type: 'button', class: 'btn link', id: 'logout', onclick: logout }, t('logout')) : null);
  document.body.classList.toggle('desk', !!bureau);
  if (!bureau) return clear(nav);
  const here = route().page;
  clear(nav, h('ul', null, MENU.filter(([, , roles]) => roles.includes(s.user.role)).map(([page, key]) =>
    h('li', null, h('a', { href: '#/' + page, 'aria-current': page === here ? 'page' : null, onclick: () => { nav.hidden = true; } }, t(key))))));
}

// route reads the address: #/page/id?query.
function route() {
  const [path, query] = (location.hash || '#/').replace(/^#\/?/, '').split('?');
  const [page = '', arg] = path.split('/');
  return { page, id: arg ? decodeURIComponent(arg) : '', query: new URLSearchParams(query || '') };
}

function loginView(note, username) {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'off', required: true, value: username || null });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'err', hidden: true, role: 'alert' });
  const btn = h('button', { type: 'submit', class: 'btn primary wide' }, t('login'));
  const form = h('form', { class: 'card login', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    err.hidden = true;
    btn.disabled = true;
    try {
      const res = await post('/auth/login', { username: user.value.trim(), password: pass.value });
      const prev = session();
      if (prev && prev.user.id !== res.data.user.id) await dropLocal(prev.user.id);
      saveSession({ token: res.data.token, user: res.data.user });
      expired = false;
      if (!res.data.user.mustChangePassword) resume();
      location.hash = '#/';
      render();
    } catch (e2) {
      err.hidden = false;
      if (e2 instanceof ApiError && e2.status === 401) err.textContent = t('badLogin');
      else if (e2 instanceof ApiError && e2.status === 429) err.textContent = t('locked', e2.headers.get('Retry-After') || '60');
      else err.textContent = errorText(e2, t);
    } finally {
      btn.disabled = false;
    }
  } },
  h('h1', null, t('login')),
  note ? h('p', { class: 'note' }, note) : null,
  h('label', { for: 'username' }, t('username')), user,
  h('label', { for: 'password' }, t('password')), pass,
  err, btn);
  clear(main, form);
  (username ? pass : user).focus();
}

async function logout() {
  const s = session();
  if (!s) return;
  const unsent = await entries(s.user.id);
  if (unsent.length && !confirm(t('confirmLogout', unsent.length))) return;
  await whenIdle();
  try { await post('/auth/logout'); } catch { /* signed out locally anyway */ }
  for (const e of unsent) await discard(e.key);
  await dropLocal(s.user.id);
  if (window.caches) await caches.delete('tianbao-api');
  clearSession();
  location.hash = '#/';
  render();
}

// render shows the page the address names: the first run while there is
// no bureau, the password change a one-time password requires, then the
// user's pages.
async function render() {
  main.dispatchEvent(new Event('leave'));
  header();
  const s = session();
  if (s && !expired && s.user.mustChangePassword) {
    pause(); // nothing is sent before the password is changed
    return passwordView(main, () => {
      saveSession({ ...s, user: { ...s.user, mustChangePassword: false } });
      toast(t('pwChanged'), 'ok');
      resume();
      location.hash = '#/';
      render();
    });
  }
  if (!s && await setupNeeded()) return setupView(main, (admin) => loginView('', admin));
  if (!s || expired) return loginView(expired ? t('reloginToSend') : '');
  const { page, id, query } = route();
  document.title = t('app');
  // Each page draws into a view of its own: a page still loading when the
  // user moves on draws into a view no longer shown.
  const view = h('div', { class: 'view' });
  clear(main, view);
  if (page === 'password' || isBureau(s.user)) {
    const load = SCREENS[page] || SCREENS[''];
    clear(view, h('p', { class: 'loading' }, '…'));
    try {
      const screen = await load();
      return await screen.default(view, id, query);
    } catch (e) {
      return clear(view, h('p', { class: 'error-box' }, errorText(e, t)), h('a', { href: '#/', class: 'btn secondary' }, t('home')));
    }
  }
  if (page === 'form' && id) return formPage(view, id);
  return taskList(view);
}

// outboxBar always shows what is waiting to be sent.
async function outboxBar() {
  const box = $('#outbox');
  const s = session();
  const list = s ? await entries(s.user.id) : [];
  box.hidden = !list.length;
  if (!list.length) return clear(box);
  const next = Math.min(...list.filter((e) => e.state === 'pending').map((e) => e.nextAt || 0));
  const refused = list.filter((e) => e.state === 'error').length;
  const waiting = list.length - refused;
  clear(box,
    h('details', { open: list.some((e) => e.state === 'error') },
      h('summary', null, [waiting ? t('pendingN', waiting) : '', refused ? t('needsActionN', refused) : ''].filter(Boolean).join(' · '),
        list.some((e) => e.state === 'sending') ? ' · ' + t('sending') : '',
        isFinite(next) && next > Date.now() ? ' · ' + t('retryAt', when(new Date(next).toISOString(), { year: undefined, month: undefined, day: undefined, second: '2-digit' })) : ''),
      h('ul', null, list.map((e) => {
        // Answers to fix are opened; anything else the server refused
        // (locked, approved, gone) will never be taken: it is discarded.
        const fix = e.state === 'error' && e.error?.status === 422;
        const refused = e.state === 'error' && !fix;
        return h('li', { class: 'entry ' + e.state, 'data-state': e.state },
          h('span', null, e.label || t('st_pending'), ' · ', e.draft ? t('st_draft') : t('submit')),
          fix ? h('span', { class: 'err' }, t('toFix')) : null,
          refused ? h('span', { class: 'err' }, t('refused', e.error?.title || '')) : null,
          h('a', { href: '#/form/' + encodeURIComponent(e.drive), class: 'btn link' }, t('open')),
          e.state === 'error' ? h('button', { type: 'button', class: refused ? 'btn danger' : 'btn link', onclick: async () => { if (confirm(t('confirmDiscard'))) await discard(e.key); } }, t('discard')) : null);
      })),
      list.some((e) => e.state !== 'error') ? h('button', { type: 'button', class: 'btn secondary', onclick: () => flush(true) }, t('retryNow')) : null));
}

function netBanner() {
  const el = $('#net');
  el.hidden = navigator.onLine;
  el.textContent = t('offline');
}

onUnauthorized(() => {
  pause();
  if (!expired) {
    expired = true;
    render();
  }
});
onPasswordChange(() => {
  const s = session();
  if (s && !s.user.mustChangePassword) {
    saveSession({ ...s, user: { ...s.user, mustChangePassword: true } });
    render();
  }
});
onOutbox(outboxBar);
onSent(async (d) => {
  await forgetDraft(d);
  toast(d.entry.draft ? t('draftSent') : t('sent'), 'ok');
  if (/^#\/?(tasks)?$/.test(location.hash || '#/')) render();
});
addEventListener('hashchange', render);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && session() && /^#\/?(tasks|drives)?$/.test(location.hash || '#/')) render();
});
addEventListener('online', netBanner);
addEventListener('offline', netBanner);

// The worker caches the shell and forms; a new version waits until the
// user agrees and no send is in flight, then takes over.
async function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  const offer = (w) => {
    const bar = $('#update');
    bar.hidden = false;
    clear(bar, h('button', { type: 'button', class: 'btn link', onclick: async () => {
      await whenIdle();
      w.postMessage('skip-waiting');
    } }, t('update')));
  };
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const w = reg.installing;
    w?.addEventListener('statechange', () => {
      if (w.state === 'installed' && navigator.serviceWorker.controller) offer(w);
    });
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (document.body.dataset.updating === '1' && !reloading) {
      reloading = true;
      location.reload();
    } else if (session() && /^#\/?(tasks)?$/.test(location.hash || '#/')) {
      render(); // first visit: now the worker can keep the forms
    }
  });
  document.getElementById('update').addEventListener('click', () => { document.body.dataset.updating = '1'; });
}

setLang(lang());
netBanner();
render();
outboxBar();
flush(true);
registerWorker().catch(() => {});
setInterval(outboxBar, 15000);

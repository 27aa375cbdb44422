// The phone client: sign-in, routing, the outbox bar and the service worker.
import { h, clear, $, toast } from './dom.js';
import { t, lang, setLang, when } from './i18n.js';
import { post, onUnauthorized, onPasswordChange, ApiError, errorText } from './api.js';
import { session, saveSession, clearSession, isBureau } from './session.js';
import { entries, onOutbox, onSent, flush, discard, pause, resume, whenIdle } from './outbox.js';
import { taskList, formPage, forgetDraft, dropLocal } from './school.js';
import { driveList, drivePage, submissionPage } from './bureau.js';
import { setupNeeded, setupView } from './setup.js';
import { passwordView } from './password.js';

const main = $('#main');
let expired = false;

function header() {
  const s = session();
  clear($('#bar'),
    h('a', { href: '#/', class: 'brand' }, t('app')),
    s ? h('span', { class: 'who' }, s.user.name) : null,
    h('button', { type: 'button', class: 'btn link', id: 'lang', lang: lang() === 'en' ? 'zh-CN' : 'en', onclick: () => { setLang(lang() === 'en' ? 'zh' : 'en'); render(); } }, lang() === 'en' ? '中文' : 'EN'),
    s ? h('button', { type: 'button', class: 'btn link', id: 'logout', onclick: logout }, t('logout')) : null);
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
  const [, page, arg] = location.hash.replace(/^#\/?/, '#/').split('/');
  const id = arg && decodeURIComponent(arg);
  document.title = t('app');
  if (isBureau(s.user)) {
    if (page === 'drive' && id) return drivePage(main, id);
    if (page === 'sub' && id) return submissionPage(main, id);
    return driveList(main);
  }
  if (page === 'form' && id) return formPage(main, id);
  return taskList(main);
}

// outboxBar always shows what is waiting to be sent.
async function outboxBar() {
  const box = $('#outbox');
  const s = session();
  const list = s ? await entries(s.user.id) : [];
  box.hidden = !list.length;
  if (!list.length) return clear(box);
  const next = Math.min(...list.filter((e) => e.state === 'pending').map((e) => e.nextAt || 0));
  clear(box,
    h('details', null,
      h('summary', null, t('pendingN', list.length),
        list.some((e) => e.state === 'sending') ? ' · ' + t('sending') : '',
        isFinite(next) && next > Date.now() ? ' · ' + t('retryAt', when(new Date(next).toISOString(), { year: undefined, month: undefined, day: undefined, second: '2-digit' })) : ''),
      h('ul', null, list.map((e) => h('li', { class: 'entry ' + e.state, 'data-state': e.state },
        h('span', null, e.label || e.drive, ' · ', e.draft ? t('st_draft') : t('submit')),
        e.state === 'error' ? h('span', { class: 'err' }, t('needsAction'), ': ', e.error?.title || '') : null,
        h('a', { href: '#/form/' + encodeURIComponent(e.drive), class: 'btn link' }, t('open')),
        e.state === 'error' ? h('button', { type: 'button', class: 'btn link', onclick: async () => { if (confirm(t('confirmDiscard'))) await discard(e.key); } }, t('discard')) : null))),
      h('button', { type: 'button', class: 'btn secondary', onclick: () => flush(true) }, t('retryNow'))));
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

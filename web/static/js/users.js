// Accounts in the caller's scope: find one by name, create one (its
// one-time password shown once), disable, enable, reset the password
// (the new one shown once), and the distribution sheet for every school
// without an account.
import { h, append, clear, toast, debounce } from './dom.js';
import { t } from './i18n.js';
import { get, post, errorText } from './api.js';
import { session } from './session.js';
import { head, problem, enc, orgs, paged, field, form, input, select, once, download } from './ui.js';

// MAKES lists the roles each role may create.
const MAKES = { admin: ['school', 'district', 'viewer', 'admin'], district: ['school', 'district', 'viewer'] };

export default async function usersPage(view) {
  const u = session().user;
  head(view, t('m_users'), '#/');
  let users, tree;
  try {
    [users, tree] = await Promise.all([get('/users').then((r) => r.data.users || []), orgs()]);
  } catch (e) {
    return view.append(problem(e));
  }
  const orgName = (id) => tree.get(id)?.name || '';
  const search = input({ type: 'search', id: 'user-search', placeholder: t('searchUser'), 'aria-label': t('searchUser') });
  const role = select([['', t('allRoles')], ...['school', 'district', 'viewer', 'admin'].map((r) => [r, t('role_' + r)])], '', { id: 'user-role', 'aria-label': t('role') });
  const out = h('div', { id: 'user-out', 'aria-live': 'polite' });
  const box = h('div');
  const draw = () => {
    const q = search.value.trim();
    const items = users.filter((x) => (!role.value || x.role === role.value) &&
      (!q || x.username.includes(q) || x.name.includes(q) || orgName(x.org).includes(q)));
    clear(box, h('p', { class: 'meta' }, t('shownOf', items.length, users.length)), paged(items, (x) => userRow(x, orgName, out), { empty: t('noMatch') }));
  };
  search.addEventListener('input', debounce(draw, 200));
  role.addEventListener('change', draw);
  draw();
  append(view,
    newUser(u, tree, (made) => { users.unshift(made); draw(); }),
    sheetButton(),
    out,
    h('section', { class: 'card', id: 'users' }, h('h2', null, t('accounts')), h('div', { class: 'filters' }, search, role), box));
}

function userRow(x, orgName, out) {
  const state = h('span', { class: 'badge' + (x.disabled ? ' late' : '') }, x.disabled ? t('disabled') : t('active'));
  const toggle = h('button', { type: 'button', class: 'btn link', onclick: async () => {
    toggle.disabled = true;
    try {
      const res = (await post(`/users/${enc(x.id)}/${x.disabled ? 'enable' : 'disable'}`, {})).data.user;
      Object.assign(x, res);
      state.className = 'badge' + (x.disabled ? ' late' : '');
      state.textContent = x.disabled ? t('disabled') : t('active');
      toggle.textContent = x.disabled ? t('enable') : t('disable');
      toast(x.disabled ? t('disabledToast', x.username) : t('enabledToast', x.username), 'ok');
    } catch (e) {
      toast(errorText(e, t), 'error');
    } finally {
      toggle.disabled = false;
    }
  } }, x.disabled ? t('enable') : t('disable'));
  const reset = h('button', { type: 'button', class: 'btn link', onclick: async () => {
    if (!confirm(t('confirmReset', x.username))) return;
    try {
      const res = (await post(`/users/${enc(x.id)}/reset-password`, {})).data;
      clear(out, once(res.user.username, res.password));
      out.scrollIntoView({ block: 'center' });
    } catch (e) {
      toast(errorText(e, t), 'error');
    }
  } }, t('resetPassword'));
  return h('li', { class: 'row-item', 'data-user': x.username },
    h('div', { class: 'row-main' }, h('strong', null, x.name), h('span', { class: 'meta' }, [x.username, t('role_' + x.role), orgName(x.org)].filter(Boolean).join(' · '))),
    h('div', { class: 'row-acts' }, state, x.id === session().user.id ? null : [toggle, reset]));
}

// newUser makes one account at an org of the caller's part of the tree.
function newUser(u, tree, added) {
  const roles = MAKES[u.role] || [];
  const list = h('datalist', { id: 'org-options' }, [...tree.values()].filter((o) => !o.closed).map((o) => h('option', { value: `${o.name} (${o.id})` })));
  const f = {
    username: field(t('username'), input({ id: 'new-username', autocapitalize: 'off' }), t('usernameHint')),
    name: field(t('displayName'), input({ id: 'new-name' })),
    role: field(t('role'), select(roles.map((r) => [r, t('role_' + r)]), 'school', { id: 'new-role' })),
    org: field(t('org'), input({ id: 'new-org', list: 'org-options', placeholder: t('orgHint') })),
  };
  const orgOf = (text) => {
    const code = /\(([^()]+)\)\s*$/.exec(text)?.[1] || text.trim();
    if (tree.has(code)) return code;
    return [...tree.values()].find((o) => o.name === text.trim())?.id || code;
  };
  const made = form({ id: 'user-form', fields: f, submit: t('create'), extra: list, send: async () => {
    const res = (await post('/users', { username: f.username.control.value.trim(), name: f.name.control.value.trim(), role: f.role.control.value, org: orgOf(f.org.control.value) })).data;
    added(res.user);
    for (const x of Object.values(f)) if (x.control.tagName === 'INPUT') x.control.value = '';
    return once(res.user.username, res.password);
  } });
  return h('details', { class: 'card', id: 'new-user' }, h('summary', null, h('strong', null, t('newAccount'))), made.el);
}

function sheetButton() {
  const btn = h('button', { type: 'button', class: 'btn secondary', id: 'users-sheet', onclick: async () => {
    if (!confirm(t('accountsConfirm'))) return;
    btn.disabled = true;
    try {
      const res = await download('/users/bulk', { method: 'POST', body: {} });
      toast(t('accountsMade', res.headers.get('X-Accounts-Created') || '0'), 'ok');
    } catch (e) {
      toast(errorText(e, t), 'error');
    } finally {
      btn.disabled = false;
    }
  } }, t('accountsSheet'));
  return h('div', { class: 'tools' }, btn, h('p', { class: 'help' }, t('accountsSheetHelp')));
}

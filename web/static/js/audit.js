// The audit log: who changed what and when, newest first.
import { h, clear, debounce } from './dom.js';
import { t, when } from './i18n.js';
import { get } from './api.js';
import { head, problem, paged, input } from './ui.js';

export default async function auditPage(view) {
  head(view, t('m_audit'), '#/');
  let entries;
  try {
    entries = (await get('/audit?limit=1000')).data.entries || [];
  } catch (e) {
    return view.append(problem(e));
  }
  const search = input({ type: 'search', id: 'audit-search', placeholder: t('searchAudit'), 'aria-label': t('searchAudit') });
  const box = h('div');
  const draw = () => {
    const q = search.value.trim();
    const items = entries.filter((e) => !q || e.by.includes(q) || e.object.includes(q) || actionText(e.action).includes(q));
    clear(box, paged(items, (e) => h('li', { class: 'row-item' },
      h('div', { class: 'row-main' },
        h('strong', null, actionText(e.action)),
        h('span', { class: 'meta' }, `${when(e.at)} · ${e.by}`),
        h('span', { class: 'meta' }, t('auditObject'), h('code', null, e.object))),
      e.changes?.length ? h('div', { class: 'changes' }, e.changes.map((c) => h('code', null, c))) : null), { empty: t('noMatch') }));
  };
  search.addEventListener('input', debounce(draw, 200));
  draw();
  view.append(h('section', { class: 'card', id: 'audit' }, h('div', { class: 'filters' }, search), box));
}

// actionText names an action in words: user.create → 新建账号.
function actionText(action) {
  const key = 'audit_' + String(action).replace(/\./g, '_');
  const text = t(key);
  return text === key ? t('auditOther') : text;
}

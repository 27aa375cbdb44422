// The school list's import: a dry run first, which shows the schools it
// would add and change, the units it would create and every row at fault,
// then the import itself.
import { h, clear, toast } from './dom.js';
import { t } from './i18n.js';
import { post, ApiError, errorText } from './api.js';
import { input, problem } from './ui.js';

export function importPanel(done) {
  const file = input({ type: 'file', id: 'import-file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const units = input({ type: 'checkbox', id: 'import-units', checked: true });
  const out = h('div', { class: 'import-out', id: 'import-out', 'aria-live': 'polite' });
  const check = h('button', { type: 'button', class: 'btn primary', id: 'import-check', onclick: async () => {
    const f = file.files[0];
    if (!f) return clear(out, h('p', { class: 'err' }, t('chooseFile')));
    check.disabled = true;
    clear(out, h('p', { class: 'loading' }, t('checking')));
    try {
      const res = (await post(`/orgs/import?dryRun=1&createUnits=${units.checked ? 1 : 0}`, f)).data;
      clear(out, summary(res, true), h('button', { type: 'button', class: 'btn primary', id: 'import-apply', onclick: (e) => apply(f, units.checked, e.target) }, t('importApply')));
    } catch (e) {
      clear(out, rowErrors(e));
    } finally {
      check.disabled = false;
    }
  } }, t('importCheck'));
  const apply = async (f, createUnits, btn) => {
    btn.disabled = true;
    try {
      const res = (await post(`/orgs/import?createUnits=${createUnits ? 1 : 0}`, f)).data;
      clear(out, summary(res, false));
      toast(t('importDone'), 'ok');
      setTimeout(done, 1500);
    } catch (e) {
      btn.disabled = false;
      out.append(rowErrors(e));
    }
  };
  return h('section', { class: 'card import', id: 'import' },
    h('h2', null, t('importSchools')),
    h('p', { class: 'help' }, t('importHelp')),
    h('label', { for: 'import-file' }, t('importFile')), file,
    h('label', { class: 'check' }, units, t('importUnits')),
    h('div', { class: 'actions inline' }, check),
    out);
}

// summary says what an import does (dry run) or did.
function summary(res, dry) {
  const list = (items, draw) => (items.length ? h('ul', null, items.slice(0, 20).map(draw), items.length > 20 ? h('li', null, t('andMore', items.length - 20)) : null) : null);
  return h('div', { class: 'note', id: dry ? 'import-preview' : 'import-result' },
    h('p', null, h('strong', null, t(dry ? 'importWould' : 'importDid', res.created.length, res.updated.length, res.unchanged))),
    res.units.length ? [h('p', null, t(dry ? 'unitsWould' : 'unitsDid', res.units.length)), list(res.units, (x) => h('li', null, `${x.path} · ${t('kind_' + x.kind)}`))] : null,
    res.updated.length ? [h('p', null, t('updatedSchools')), list(res.updated, (x) => h('li', null, `${x.code}: ${x.fields.join('、')}`))] : null);
}

// rowErrors lists the rows at fault: row, column, what is wrong.
function rowErrors(e) {
  const rows = e instanceof ApiError ? e.fieldErrors : [];
  if (!rows.length) return problem(e);
  return h('div', { class: 'error-box', id: 'import-errors', role: 'alert' },
    h('p', null, h('strong', null, errorText(e, t))),
    h('table', { class: 'table folding' },
      h('thead', null, h('tr', null, [t('row_'), t('column'), t('problem')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => {
        const m = /^rows\[(\d+)\](?:\.(.+))?$/.exec(r.field || '');
        return h('tr', null, h('td', { 'data-label': t('row_') }, m ? t('rowN', m[1]) : ''), h('td', { 'data-label': t('column') }, m?.[2] || ''), h('td', { 'data-label': t('problem'), class: 'wide' }, r.message));
      }))));
}

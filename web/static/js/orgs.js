// Units and schools at any depth of the tree: the units below the one
// shown (tap to go down), its schools with a search over the whole
// subtree, creating and editing units and schools, closing them, the
// school list's import and export, and the account distribution sheet.
import { h, append, clear, toast, debounce } from './dom.js';
import { t } from './i18n.js';
import { post, put } from './api.js';
import { session, canReview } from './session.js';
import { head, problem, enc, orgs, forget, paged, field, form, input, select, download, STAGES, stagesText } from './ui.js';
import { importPanel } from './orgs-import.js';

const UNIT_KINDS = ['district', 'county', 'town', 'area'];

export default async function orgsPage(view, _id, query) {
  const u = session().user;
  head(view, t('m_orgs'), '#/');
  let all;
  try {
    all = await orgs();
  } catch (e) {
    return view.append(problem(e));
  }
  const here = all.get(query.get('under')) || all.get(u.org);
  if (!here) return view.append(problem(new Error(t('nothing'))));
  const manage = canReview(u);
  const below = [...all.values()].filter((o) => o.path.includes(here.id) && o.id !== here.id);
  const units = below.filter((o) => o.parent === here.id && o.kind !== 'school');
  const schools = below.filter((o) => o.kind === 'school');
  const reload = () => { forget('orgs'); orgsPage(view, '', query); };
  const editor = h('div', { class: 'editor' });
  append(view,
    crumbs(here, all, u.org),
    manage ? tools(here, editor, reload, query.get('import') === '1') : h('div', { class: 'tools' }, exportButton()),
    editor,
    h('section', { class: 'card', id: 'units' }, h('h2', null, t('unitsBelow'), ` (${units.length})`),
      units.length ? h('ul', { class: 'list rows' }, units.map((o) => unitRow(o, below, manage, editor, reload))) : h('p', { class: 'empty' }, t('noUnits'))),
    schoolList(here, schools, manage, editor, reload));
}

// crumbs is the path from the caller's org down to the one shown.
function crumbs(here, all, top) {
  const path = here.path.slice(here.path.indexOf(top));
  return h('nav', { class: 'crumbs', 'aria-label': t('unitPath') }, path.map((id, i) => {
    const o = all.get(id);
    const name = o ? o.name : '';
    return [i ? ' › ' : '', i === path.length - 1 ? h('strong', null, name) : h('a', { href: '#/orgs?under=' + enc(id) }, name)];
  }));
}

const exportButton = () => {
  const btn = h('button', { type: 'button', class: 'btn secondary', id: 'orgs-export', onclick: async () => {
    btn.disabled = true;
    try { await download('/orgs/export.xlsx'); } catch (e) { toast(e.message, 'error'); } finally { btn.disabled = false; }
  } }, t('exportSchools'));
  return btn;
};

function tools(here, editor, reload, importing) {
  const units = input({ type: 'checkbox', id: 'accounts-units' });
  const sheet = h('button', { type: 'button', class: 'btn secondary', id: 'accounts-sheet', onclick: async () => {
    if (!confirm(t('accountsConfirm'))) return;
    sheet.disabled = true;
    try {
      const res = await download('/users/bulk', { method: 'POST', body: { units: units.checked } });
      toast(t('accountsMade', res.headers.get('X-Accounts-Created') || '0'), 'ok');
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      sheet.disabled = false;
    }
  } }, t('accountsSheet'));
  const open = (panel) => () => { clear(editor, panel()); editor.scrollIntoView({ block: 'start' }); };
  const bar = h('div', { class: 'tools' },
    h('button', { type: 'button', class: 'btn primary', id: 'orgs-import', onclick: open(() => importPanel(reload)) }, t('importSchools')),
    exportButton(),
    h('button', { type: 'button', class: 'btn secondary', id: 'unit-new', onclick: open(() => unitForm(null, here, reload)) }, t('newUnit')),
    h('button', { type: 'button', class: 'btn secondary', id: 'school-new', onclick: open(() => schoolForm(null, here, reload)) }, t('newSchool')),
    h('span', { class: 'sheet' }, sheet, h('label', { class: 'check' }, units, t('accountsForUnits'))));
  if (importing) queueMicrotask(open(() => importPanel(reload)));
  return bar;
}

function unitRow(o, below, manage, editor, reload) {
  const n = below.filter((x) => x.kind === 'school' && x.path.includes(o.id) && !x.closed).length;
  return h('li', { class: 'row-item', 'data-org': o.id },
    h('a', { href: '#/orgs?under=' + enc(o.id), class: 'row-main' }, h('strong', null, o.name),
      h('span', { class: 'meta' }, `${t('kind_' + o.kind)} · ${t('nSchools', n)}`)),
    h('div', { class: 'row-acts' },
      o.closed ? h('span', { class: 'badge' }, t('closedOrg')) : null,
      manage ? h('button', { type: 'button', class: 'btn link', onclick: () => { clear(editor, unitForm(o, null, reload)); editor.scrollIntoView(); } }, t('edit')) : null));
}

function schoolList(here, schools, manage, editor, reload) {
  const search = input({ type: 'search', id: 'school-search', placeholder: t('searchSchool'), 'aria-label': t('searchSchool') });
  const box = h('div');
  const draw = () => {
    const q = search.value.trim();
    const items = q ? schools.filter((o) => o.name.includes(q) || o.id.includes(q)) : schools.filter((o) => o.parent === here.id);
    clear(box, paged(items, (o) => h('li', { class: 'row-item', 'data-org': o.id },
      h('div', { class: 'row-main' }, h('strong', null, o.name),
        h('span', { class: 'meta' }, [o.id, stagesText(o.stages), o.contact && `${o.contact} ${o.phone || ''}`].filter(Boolean).join(' · '))),
      h('div', { class: 'row-acts' },
        o.closed ? h('span', { class: 'badge' }, t('closedOrg')) : null,
        manage ? h('button', { type: 'button', class: 'btn link', onclick: () => { clear(editor, schoolForm(o, null, reload)); editor.scrollIntoView(); } }, t('edit')) : null)),
    { empty: q ? t('noMatch') : t('noSchoolsHere') }));
  };
  search.addEventListener('input', debounce(draw, 200));
  draw();
  return h('section', { class: 'card', id: 'schools' }, h('h2', null, t('schoolsHere'), ` (${schools.length})`),
    h('div', { class: 'filters' }, search), box);
}

// unitForm creates a unit below parent, or edits one: name, kind, closed.
function unitForm(o, parent, reload) {
  const f = {
    id: field(t('unitCode'), input({ id: 'unit-id', value: o ? o.id : '', readOnly: !!o, inputmode: 'numeric' }), t('unitCodeHint')),
    name: field(t('unitName'), input({ id: 'unit-name', value: o ? o.name : '' })),
    kind: field(t('unitKind'), select(UNIT_KINDS.map((k) => [k, t('kind_' + k)]), o ? o.kind : 'town', { id: 'unit-kind' })),
  };
  const closed = input({ type: 'checkbox', id: 'unit-closed', checked: !!(o && o.closed) });
  return form({ id: 'unit-form', card: true, fields: f, submit: o ? t('save') : t('create'),
    extra: [h('h2', null, o ? t('editUnit', o.name) : t('newUnitIn', parent.name)), o ? h('label', { class: 'check' }, closed, t('closeUnit')) : null],
    send: async () => {
      const body = { id: f.id.control.value.trim(), name: f.name.control.value.trim(), kind: f.kind.control.value, closed: closed.checked };
      if (o) await put('/units/' + enc(o.id), { ...body, parent: o.parent });
      else await post('/units', { ...body, parent: parent.id });
      toast(t('saved'), 'ok');
      reload();
    } }).el;
}

// schoolForm creates a school below parent, or edits one.
function schoolForm(o, parent, reload) {
  o = o || { id: '', name: '', stages: [], public: true, urban: true, parent: parent.id };
  const isNew = !o.updatedAt;
  const num = (id, v) => input({ id, inputmode: 'numeric', value: v ? String(v) : '' });
  const f = {
    id: field(t('schoolCode'), input({ id: 'school-id', value: o.id, readOnly: !isNew, inputmode: 'numeric' })),
    name: field(t('schoolName'), input({ id: 'school-name', value: o.name })),
    stages: field(t('stages'), h('div', { class: 'choices', id: 'school-stages', tabindex: '-1' }, STAGES.map((s) =>
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', value: s, checked: (o.stages || []).includes(s) }), t('stage_' + s))))),
    students: field(t('students'), num('school-students', o.students)),
    classrooms: field(t('classrooms'), num('school-classrooms', o.classrooms)),
    contact: field(t('contact'), input({ id: 'school-contact', value: o.contact || '' })),
    phone: field(t('phone'), input({ id: 'school-phone', type: 'tel', value: o.phone || '' })),
  };
  const flags = { public: input({ type: 'checkbox', checked: !!o.public }), urban: input({ type: 'checkbox', checked: !!o.urban }), closed: input({ type: 'checkbox', checked: !!o.closed }) };
  return form({ id: 'school-form', card: true, fields: f, submit: isNew ? t('create') : t('save'),
    extra: [h('h2', null, isNew ? t('newSchoolIn', parent.name) : t('editSchool', o.name)),
      h('label', { class: 'check' }, flags.public, t('publicSchool')), h('label', { class: 'check' }, flags.urban, t('urbanSchool')),
      isNew ? null : h('label', { class: 'check' }, flags.closed, t('closeSchool'))],
    send: async () => {
      const body = {
        id: f.id.control.value.trim(), name: f.name.control.value.trim(), parent: o.parent,
        stages: [...f.stages.control.querySelectorAll('input:checked')].map((x) => x.value),
        students: +f.students.control.value || 0, classrooms: +f.classrooms.control.value || 0,
        contact: f.contact.control.value.trim(), phone: f.phone.control.value.trim(),
        public: flags.public.checked, urban: flags.urban.checked, closed: flags.closed.checked,
      };
      if (isNew) await post('/orgs', body);
      else await put('/orgs/' + enc(o.id), body);
      toast(t('saved'), 'ok');
      reload();
    } }).el;
}

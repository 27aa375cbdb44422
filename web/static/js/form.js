// The form editor: renders a form definition, keeps the raw answers, and
// re-checks everything (computed fields, skip logic, errors) on each change.
import { h, clear } from './dom.js';
import { t, tx } from './i18n.js';
import { unitText, formatValue, toRaw } from './values.js';
import { check } from './rules.js';
import { anomalies, problem } from './anomaly.js';

const idOf = (path) => 'f-' + path.replace(/[^a-zA-Z0-9_-]/g, '-');

export { unitText, formatValue, toRaw } from './values.js';

// past is the school's earlier values the rules read (GET …/context);
// explanations the 说明 already given, by field path.
export function formEditor(form, initial, { school, past = {}, explanations = {}, readOnly = false, onChange = () => {} }) {
  const raw = structuredClone(initial || {});
  const explained = { ...explanations };
  let anoms = [];
  const reg = new Map(); // path → {wrap, err, out, field, inputs}
  const touched = new Set();
  let serverErrs = new Map();
  let submitted = false;
  let last = null;
  const summary = h('div', { class: 'summary', role: 'alert', hidden: true });
  const root = h('fieldset', { class: 'form', disabled: readOnly });

  const sectionObj = (code) => (raw[code] ||= {});

  function register(path, entry) {
    reg.set(path, entry);
    return entry.wrap;
  }

  function edited(path) {
    touched.add(path);
    serverErrs.delete(path);
    refresh();
    onChange(raw, given());
  }

  // given is the explanations of the values that need one now.
  function given() {
    const out = {};
    for (const a of anoms) if ((explained[a.field] || '').trim()) out[a.field] = explained[a.field].trim();
    return out;
  }

  // withExplain adds to a check's result the values handed in without the
  // explanation their change needs.
  function withExplain(res, draft) {
    if (draft || readOnly) return res;
    for (const a of anomalies(form, res.values, school, past)) {
      if (!(explained[a.field] || '').trim()) res.errors.push({ field: a.field, code: 'explain', message: problem(a) });
    }
    return res;
  }

  // explainBox asks for the 说明 of a value outside its usual range.
  function explainBox(path) {
    const id = idOf(path) + '-why';
    const msg = h('p', { class: 'explain-msg', id: id + '-msg' });
    const area = h('textarea', { id, rows: 2, maxlength: 200, 'aria-describedby': id + '-msg', oninput: (e) => {
      explained[path] = e.target.value;
      serverErrs.delete(path);
      refresh();
      onChange(raw, given());
    } });
    area.value = explained[path] || '';
    const box = h('div', { class: 'explain', hidden: true }, msg, h('label', { for: id }, t('explain')), area, h('p', { class: 'hint' }, t('explainHint')));
    return { box, msg };
  }

  // context is what the rules read besides the answers: the earlier
  // periods and the fields explained.
  const context = () => ({ ...past, explained: Object.fromEntries(Object.entries(explained).filter(([, v]) => (v || '').trim()).map(([k]) => [k, true])) });

  // prevNote shows a top-level answer's value last period.
  const prevNote = (path) => (/^[^.[]+\.[^.[]+$/.test(path) ? h('p', { class: 'prev', hidden: true }) : null);

  function errBox(path) {
    return h('p', { class: 'err', id: idOf(path) + '-err', hidden: true });
  }

  function field(f, obj, path) {
    const id = idOf(path);
    const err = errBox(path);
    const hint = f.hint ? h('p', { class: 'hint', id: id + '-hint' }, tx(f.hint)) : null;
    const described = [hint && id + '-hint', id + '-err'].filter(Boolean).join(' ');
    const req = f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null;
    const set = (v) => { obj[f.id] = v; edited(path); };
    let control, group = false;
    switch (f.type) {
      case 'integer': case 'decimal': case 'percent': {
        const numeric = f.type === 'integer' && !(f.min < 0);
        control = h('div', { class: 'with-unit' },
          h('input', {
            id, type: 'text', inputmode: numeric ? 'numeric' : 'decimal', autocomplete: 'off',
            value: obj[f.id] ?? '', 'aria-describedby': described, 'aria-required': f.required ? 'true' : null,
            oninput: (e) => set(e.target.value),
          }),
          (unitText(f.unit) || f.type === 'percent') && h('span', { class: 'unit' }, unitText(f.unit) || '%'));
        break;
      }
      case 'boolean':
        group = true;
        control = choices([[true, t('yes')], [false, t('no')]], obj[f.id], id, 'radio', (v) => set(v));
        break;
      case 'choice':
        if ((f.options || []).length > 6) {
          control = h('select', { id, 'aria-describedby': described, onchange: (e) => set(e.target.value) },
            h('option', { value: '' }, t('choose')),
            f.options.map((o) => h('option', { value: o.value, selected: obj[f.id] === o.value }, tx(o.label))));
        } else {
          group = true;
          control = choices(f.options.map((o) => [o.value, tx(o.label)]), obj[f.id], id, 'radio', (v) => set(v));
        }
        break;
      case 'multi': {
        group = true;
        const cur = () => (Array.isArray(obj[f.id]) ? obj[f.id] : []);
        control = choices(f.options.map((o) => [o.value, tx(o.label)]), cur(), id, 'checkbox', (v, on) => {
          set(on ? [...cur().filter((x) => x !== v), v] : cur().filter((x) => x !== v));
        });
        break;
      }
      case 'date':
        control = h('input', { id, type: 'date', value: obj[f.id] ?? '', 'aria-describedby': described, oninput: (e) => set(e.target.value) });
        break;
      case 'text': {
        const max = f.maxLength > 0 ? f.maxLength : 500;
        const count = h('span', { class: 'count' });
        const show = (s) => { count.textContent = `${[...(s || '')].length}/${max}`; };
        const attrs = { id, maxlength: max, value: obj[f.id] ?? '', 'aria-describedby': described, oninput: (e) => { show(e.target.value); set(e.target.value); } };
        control = h('div', { class: 'text' }, max > 100 ? h('textarea', { ...attrs, rows: 3 }) : h('input', { ...attrs, type: 'text' }), count);
        if (max > 100) control.firstChild.value = obj[f.id] ?? '';
        show(obj[f.id]);
        break;
      }
      case 'computed': {
        const out = h('output', { id, class: 'computed', 'aria-live': 'polite' }, '—');
        const wrap = h('div', { class: 'field computed-field' },
          h('span', { class: 'label' }, tx(f.label), h('small', null, ' · ' + t('computed'))), out, err);
        return register(path, { wrap, err, out, field: f });
      }
      case 'repeat':
        return repeat(f, obj, path, err, hint, req);
    }
    const title = group
      ? h('legend', null, tx(f.label), req)
      : h('label', { for: id }, tx(f.label), req);
    const note = prevNote(path);
    const explain = f.change ? explainBox(path) : null;
    const wrap = group
      ? h('fieldset', { class: 'field group', 'aria-describedby': described }, title, hint, control, note, err, explain && explain.box)
      : h('div', { class: 'field' }, title, hint, control, note, err, explain && explain.box);
    return register(path, { wrap, err, field: f, note, explain });
  }

  function choices(opts, cur, id, type, on) {
    return h('div', { class: 'choices ' + type },
      opts.map(([v, label], i) => {
        const checked = type === 'checkbox' ? cur.includes(v) : cur === v;
        return h('label', { class: 'choice' },
          h('input', { type, name: id, id: i === 0 ? id : null, checked, onchange: (e) => on(v, e.target.checked) }),
          h('span', null, label));
      }));
  }

  // repeat renders a repeat group: finished rows fold to one line with
  // their verdict, a row may be copied from the one before, and a removed
  // row can be brought back.
  function repeat(f, obj, path, err, hint, req) {
    const list = h('div', { class: 'rows' });
    const open = new WeakSet(); // rows shown whole
    const undo = h('p', { class: 'undo', role: 'status', hidden: true });
    const rowsOf = () => obj[f.id] || [];
    const nameOf = (row) => {
      const rf = (f.fields || []).find((x) => x.type === 'text');
      return rf && row[rf.id] ? String(row[rf.id]) : '';
    };
    const append = (row) => {
      const res = last || check(form, raw, school, false, context());
      rowsOf().forEach((r, i) => { if (finished(res, `${path}[${i}]`)) open.delete(r); });
      open.add(row);
      obj[f.id] = [...rowsOf(), row];
      undo.hidden = true;
      draw();
      edited(path);
      const rows = list.querySelectorAll('.row');
      rows[rows.length - 1]?.querySelector('input,select,textarea')?.focus();
    };
    const addBtn = h('button', { type: 'button', class: 'btn secondary add', onclick: () => append({}) }, '+ ' + t('addRow'));
    const copyBtn = h('button', { type: 'button', class: 'btn secondary copy', onclick: () => {
      const prev = structuredClone(rowsOf()[rowsOf().length - 1] || {});
      const named = (f.fields || []).find((x) => x.type === 'text');
      if (named) delete prev[named.id];
      append(prev);
    } }, t('copyRow'));
    const remove = (i) => {
      const rows = rowsOf();
      const gone = rows[i];
      obj[f.id] = rows.filter((_, j) => j !== i);
      clear(undo, t('rowRemoved', i + 1, nameOf(gone)), ' ', h('button', { type: 'button', class: 'btn link', onclick: () => {
        const now = rowsOf();
        obj[f.id] = [...now.slice(0, i), gone, ...now.slice(i)];
        undo.hidden = true;
        draw();
        edited(path);
      } }, t('undo')));
      undo.hidden = false;
      draw();
      edited(path);
    };
    const draw = () => {
      for (const p of [...reg.keys()]) if (p.startsWith(path + '[')) reg.delete(p);
      const rows = rowsOf();
      const res = last || check(form, raw, school, false, context());
      clear(list, rows.map((row, i) => {
        const rp = `${path}[${i}]`;
        if (!finished(res, rp)) open.add(row);
        const rowErr = errBox(rp);
        const label = h('span', { class: 'row-name' });
        const verdict = h('span', { class: 'row-verdict' });
        const body = h('div', { class: 'row-body' }, (f.fields || []).map((rf) => field(rf, row, `${rp}.${rf.id}`)));
        const card = h('div', { class: 'row' });
        const toggle = h('button', { type: 'button', class: 'btn link toggle', 'aria-expanded': 'true', onclick: () => {
          if (open.has(row)) open.delete(row); else open.add(row);
          fold();
          if (open.has(row)) body.querySelector('input,select,textarea')?.focus();
        } });
        const fold = () => {
          const shut = !open.has(row);
          body.hidden = shut;
          card.classList.toggle('folded', shut);
          toggle.textContent = shut ? t('expandRow') : t('collapseRow');
          toggle.setAttribute('aria-expanded', String(!shut));
        };
        card.append(h('div', { class: 'row-head' }, h('h4', null, t('row', i + 1), ' ', label), verdict, toggle,
          h('button', { type: 'button', class: 'btn link', 'aria-label': `${t('removeRow')} ${i + 1}`, onclick: () => remove(i) }, t('removeRow'))),
        rowErr, body);
        fold();
        register(rp, { wrap: card, err: rowErr, field: f, row: { label, verdict, fold, obj: row, open } });
        return card;
      }));
      addBtn.hidden = f.maxRows > 0 && rows.length >= f.maxRows;
      copyBtn.hidden = addBtn.hidden || !rows.length;
    };
    draw();
    const explain = f.rooms ? explainBox(path) : null;
    const wrap = h('div', { class: 'field repeat' }, h('h3', null, tx(f.label), req), hint, err, list, undo,
      h('div', { class: 'row-actions' }, copyBtn, addBtn), explain && explain.box);
    return register(path, { wrap, err, field: f, redraw: draw, explain });
  }

  // finished reports whether a row has every answer it needs.
  const finished = (res, rp) => !res.errors.some((e) => e.field.startsWith(rp + '.') || e.field === rp);

  // markRow shows a row's name and verdict on its head, and opens a row
  // with errors to show.
  function markRow(rp, r, shown) {
    const { label, verdict, fold, obj, open } = r.row;
    const ok = last.computed[rp + '.compliant'];
    const done = finished(last, rp);
    const named = (r.field.fields || []).find((x) => x.type === 'text');
    label.textContent = named && obj[named.id] ? String(obj[named.id]) : '';
    verdict.className = 'row-verdict ' + (!done ? 'open' : ok === false ? 'bad' : 'ok');
    verdict.textContent = !done ? t('rowOpen') : ok === false ? t('rowBad') : ok === true ? t('rowOk') : t('rowDone');
    if ([...shown.keys()].some((p) => p.startsWith(rp + '.')) && !open.has(obj)) {
      open.add(obj);
      fold();
    }
  }

  const earlier = (code) => (past.previous && past.previous[code]) || null;

  // buildSection renders a section from the answers in raw.
  function buildSection(sec) {
    for (const p of [...reg.keys()]) if (p === sec.indicator || p.startsWith(sec.indicator + '.')) reg.delete(p);
    const obj = sectionObj(sec.indicator);
    const err = errBox(sec.indicator);
    const prev = earlier(sec.indicator);
    const same = prev && !readOnly ? h('button', { type: 'button', class: 'btn secondary same-prev', title: t('samePrevHint'), onclick: () => {
      raw[sec.indicator] = toRaw({ sections: [sec] }, { [sec.indicator]: prev })[sec.indicator];
      const fresh = buildSection(sec);
      el.replaceWith(fresh);
      edited(sec.indicator);
      fresh.querySelector('input,select,textarea')?.focus();
    } }, t('samePrev')) : null;
    const el = h('section', { class: 'sec', id: idOf(sec.indicator) },
      h('div', { class: 'sec-head' }, h('h2', null, tx(sec.title)), same),
      sec.help && h('p', { class: 'help' }, tx(sec.help)),
      err,
      sec.fields.map((f) => field(f, obj, `${sec.indicator}.${f.id}`)));
    register(sec.indicator, { wrap: el, err, field: null });
    return el;
  }

  for (const sec of form.sections) root.append(buildSection(sec));
  const jump = form.sections.length > 1 ? h('nav', { class: 'jump', 'aria-label': t('sections') },
    form.sections.map((sec) => h('a', { href: '#' + idOf(sec.indicator), onclick: (e) => {
      e.preventDefault();
      root.querySelector('#' + idOf(sec.indicator))?.scrollIntoView({ block: 'start' });
    } }, tx(sec.title)))) : null;

  // owner finds the element a server error path belongs to.
  function owner(path) {
    let p = path;
    while (p) {
      if (reg.has(p)) return p;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    return null;
  }

  function refresh() {
    last = withExplain(check(form, raw, school, false, context()), false);
    anoms = readOnly ? [] : anomalies(form, last.values, school, past);
    const shown = new Map();
    for (const e of last.errors) {
      const visible = submitted || (touched.has(e.field) && e.code !== 'required' && e.code !== 'explain');
      if (visible && !shown.has(e.field)) shown.set(e.field, tx(e.message));
    }
    const orphans = [];
    for (const [p, msg] of serverErrs) {
      const o = owner(p);
      if (o) shown.set(o, shown.has(o) ? shown.get(o) : msg);
      else orphans.push(msg);
    }
    for (const [path, r] of reg) {
      r.wrap.hidden = !!last.hidden[path];
      if (r.explain) {
        const a = anoms.find((x) => x.field === path);
        r.explain.box.hidden = !a;
        r.explain.msg.textContent = a ? tx(problem(a)) : '';
      }
      if (r.note) markPrevious(path, r);
      if (r.row) markRow(path, r, shown);
      if (r.out) r.out.textContent = formatValue(r.field, last.computed[path]);
      const msg = shown.get(path);
      r.err.hidden = !msg;
      r.err.textContent = msg || '';
      r.wrap.classList.toggle('invalid', !!msg);
      r.wrap.querySelectorAll(':scope > input, :scope > .with-unit > input, :scope > select, :scope > .text > *').forEach((i) => {
        if (msg) i.setAttribute('aria-invalid', 'true'); else i.removeAttribute('aria-invalid');
      });
    }
    const faults = [...shown].filter(([p]) => !last.hidden[p] && reg.has(p));
    const n = faults.length + orphans.length;
    summary.hidden = !(submitted && n);
    clear(summary, h('strong', null, t('fixErrors', n)),
      h('ul', null,
        faults.map(([p, msg]) => h('li', null, h('a', { href: '#' + idOf(p), onclick: (e) => { e.preventDefault(); goTo(reg.get(p).wrap); } }, msg))),
        orphans.map((m) => h('li', null, m))));
  }

  // markPrevious tells whether an answer is last period's or changed.
  function markPrevious(path, r) {
    const [code, id] = path.split('.');
    const was = earlier(code) ? earlier(code)[id] : null;
    const now = last.values[code] ? last.values[code][id] : undefined;
    r.note.hidden = was == null || r.field.type === 'computed';
    if (r.note.hidden) return;
    const same = now !== undefined && JSON.stringify(now) === JSON.stringify(was);
    r.note.className = 'prev ' + (same ? 'same' : now === undefined ? 'was' : 'changed');
    r.note.textContent = same ? t('prevSame') : t(now === undefined ? 'prevWas' : 'prevChanged', formatValue(r.field, was));
  }

  // goTo brings a field at fault into view with its first input focused.
  function goTo(wrap) {
    wrap.scrollIntoView({ block: 'center' });
    wrap.querySelector('input,select,textarea,button')?.focus({ preventScroll: true });
  }

  refresh();

  return {
    el: h('div', null, jump, summary, root),
    raw: () => raw,
    // explanations are the 说明 of the values that need one.
    explanations: given,
    // result checks the answers; draft checks only what a draft needs.
    result: (draft) => withExplain(check(form, raw, school, draft, context()), draft),
    attempt() {
      submitted = true;
      refresh();
      return last;
    },
    // serverErrors shows a 422's field errors on the fields they name.
    serverErrors(errors) {
      serverErrs = new Map((errors || []).map((e) => [e.field || '', e.message]));
      submitted = true;
      refresh();
    },
    focusFirstError() {
      const bad = root.querySelector('.invalid:not([hidden])') || summary;
      bad.scrollIntoView({ block: 'center' });
      bad.querySelector?.('input,select,textarea')?.focus({ preventScroll: true });
    },
  };
}

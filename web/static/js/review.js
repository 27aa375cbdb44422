// One submission for review, readable on a phone and at a desk: each
// section's compliance verdict and its reason first, then the answers —
// label above value on a phone, side by side on a wide screen — with what
// changed since the previous version and the school's previous period,
// the history in words, approve or return with a comment, and the next
// submission waiting one tap away.
import { h, append, clear, toast } from './dom.js';
import { t, tx, when } from './i18n.js';
import { get, post, errorText } from './api.js';
import { session, canReview } from './session.js';
import { driveLabel } from './period.js';
import { formatValue, toRaw } from './form.js';
import { check } from './rules.js';
import { head, problem, enc } from './ui.js';

export default async function reviewPage(view, id) {
  head(view, '…', '#/');
  let sub, form, revs, drives;
  try {
    sub = (await get(`/submissions/${enc(id)}`)).data;
    [form, revs, drives] = await Promise.all([
      get(`/drives/${enc(sub.drive)}/form?school=${enc(sub.school)}`).then((r) => r.data),
      get(`/submissions/${enc(id)}/revisions`).then((r) => r.data.revisions || []).catch(() => []),
      get('/drives?all=1').then((r) => r.data.drives || []).catch(() => []),
    ]);
  } catch (e) {
    return view.append(problem(e));
  }
  const d = drives.find((x) => x.id === sub.drive) || { period: '', name: '' };
  const [last, next] = await Promise.all([previousPeriod(sub, d, drives), nextToReview(sub)]);
  const before = previousVersion(revs, sub);
  // Answers the rules skip (nothing found, nothing to fix) are not shown.
  const hidden = check(form, toRaw(form, sub.values), {}, true).hidden;
  view.querySelector('.back').href = '#/drive/' + enc(sub.drive);
  view.querySelector('h1').textContent = sub.schoolName || t('school');
  const failing = (sub.compliance || []).some((c) => c.status === 'noncompliant');
  append(view,
    h('p', { class: 'meta' }, driveLabel(d), ` · ${t('versionN', sub.version)} `,
      h('span', { class: 'badge s-' + sub.status }, t('st_' + sub.status)),
      sub.late ? h('span', { class: 'badge late' }, t('lateBadge')) : null,
      sub.locks && sub.locks.length ? h('span', { class: 'badge lv-signed', id: 'locked' }, t('lockedBySignoff')) : null,
      sub.submittedAt ? ` ${t('submittedAt', when(sub.submittedAt))}` : ''),
    h('p', { class: 'review-summary' + (failing ? ' bad' : '') }, failing ? [t('failingSections'), failingLinks(sub, form)] : t('allCompliant'),
      before ? ' · ' + t('changedSince', before.version) : '', next ? ' · ' : '', nextLink(next)),
    sub.review ? h('p', { class: 'comment' }, `${t('a_' + sub.review.action)} · ${when(sub.review.at)} · `, sub.review.comment || '') : null,
    h('div', { class: 'review-layout' },
      h('div', { class: 'review-main' },
        form.sections.map((sec) => section(sec, sub, before, last, hidden)),
        h('h2', null, t('history')),
        h('ol', { class: 'list history', reversed: true }, [...revs].sort((a, b) => b.version - a.version).map((r) => revision(r, form)))),
      reviewBox(sub, view, next)));
}

// failingLinks names the sections below target, each a link to its card.
function failingLinks(sub, form) {
  return (sub.compliance || []).filter((c) => c.status === 'noncompliant').map((c, i) => {
    const sec = form.sections.find((x) => x.indicator === c.indicator);
    return [i ? '、' : '', h('a', { href: '#', onclick: (e) => {
      e.preventDefault();
      document.querySelector(`[data-indicator="${CSS.escape(c.indicator)}"]`)?.scrollIntoView({ block: 'start' });
    } }, sec ? tx(sec.title) : t('answer'))];
  });
}

// section shows one indicator: verdict and reason first, then the answers.
function section(sec, sub, before, last, hidden) {
  const verdict = (sub.compliance || []).find((c) => c.indicator === sec.indicator);
  const vals = (sub.values || {})[sec.indicator] || {};
  const ctx = { old: before && (before.values || {})[sec.indicator], last: last && last[sec.indicator] };
  return h('section', { class: 'card values' + (verdict ? ' c-' + verdict.status : ''), 'data-indicator': sec.indicator },
    h('div', { class: 'task-head' }, h('h3', null, tx(sec.title)),
      verdict ? h('span', { class: 'badge c-' + verdict.status }, t('c_' + verdict.status)) : null),
    verdict && verdict.reason && tx(verdict.reason) ? h('p', { class: 'reason' }, tx(verdict.reason)) : null,
    anomalyList(sub, sec),
    h('dl', { class: 'kv-list' }, sec.fields.filter((f) => vals[f.id] != null || !hidden[`${sec.indicator}.${f.id}`])
      .map((f) => pair(f, vals[f.id], ctx.old ? ctx.old[f.id] : undefined, ctx.last ? ctx.last[f.id] : undefined, !!before,
        (sub.samePrevious || []).includes(`${sec.indicator}.${f.id}`)))));
}

// anomalyList shows a section's values outside their usual range with the
// earlier values and the school's 说明.
function anomalyList(sub, sec) {
  const mine = (sub.anomalies || []).filter((a) => a.field.startsWith(sec.indicator + '.'));
  if (!mine.length) return null;
  const n = (v) => String(Math.round(v * 100) / 100);
  return h('ul', { class: 'anomalies' }, mine.map((a) => h('li', { class: 'explain' },
    a.kind === 'rooms'
      ? t('roomsLine', tx(a.label), n(a.value), n(a.low))
      : t('anomalyLine', tx(a.label), n(a.value), n(a.low), n(a.high), (a.previous || []).map(n).join('、')),
    h('br'), h('strong', null, t('explainedAs')), a.explanation || t('notExplained'))));
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// pair is one answer; a repeat's rows are nested lists of their own.
function pair(f, v, old, last, compared, samePrev = false) {
  if (f.type === 'repeat') {
    const rows = Array.isArray(v) ? v : [];
    const oldRows = Array.isArray(old) ? old : [];
    const lastRows = Array.isArray(last) ? last : [];
    return h('div', { class: 'kv wide' + (compared && !same(v, old) ? ' changed' : '') },
      h('dt', null, tx(f.label), ` (${rows.length})`),
      h('dd', null, rows.map((r, i) => h('div', { class: 'row' }, h('h4', null, t('row', i + 1), rowName(f, r)),
        h('dl', { class: 'kv-list' }, (f.fields || []).map((rf) => pair(rf, r[rf.id], (oldRows[i] || {})[rf.id], (lastRows[i] || {})[rf.id], compared)))))));
  }
  const changed = compared && !same(v, old);
  const moved = last !== undefined && last !== null && !same(v, last);
  return h('div', { class: 'kv' + (changed ? ' changed' : '') },
    h('dt', null, tx(f.label)),
    h('dd', null, v == null ? t('empty') : formatValue(f, v),
      changed ? h('small', { class: 'was' }, t('was', old == null ? t('empty') : formatValue(f, old))) : null,
      moved ? h('small', { class: 'last' }, t('lastPeriod', formatValue(f, last))) : null,
      samePrev ? h('small', { class: 'prev same' }, t('prevSame')) : null));
}

// rowName is a row's first text answer (the classroom's name), if any.
function rowName(f, r) {
  const named = (f.fields || []).find((x) => x.type === 'text' && typeof r[x.id] === 'string' && r[x.id]);
  return named ? ' · ' + r[named.id] : '';
}

// previousVersion is the last version before the current answers that
// held answers of its own, if any.
function previousVersion(revs, sub) {
  const withValues = revs.filter((r) => r.values).sort((a, b) => a.version - b.version);
  const cur = withValues.filter((r) => same(r.values, sub.values)).pop();
  const i = cur ? withValues.indexOf(cur) : withValues.length;
  return i > 0 ? withValues[i - 1] : null;
}

// previousPeriod reads the school's answers to the drive of the period
// before of the same plan and frequency (its own schedule's first).
async function previousPeriod(sub, d, drives) {
  const prev = drives.filter((x) => x.plan === d.plan && x.frequency === d.frequency && x.period < d.period)
    .sort((a, b) => b.period.localeCompare(a.period) || (b.schedule === d.schedule) - (a.schedule === d.schedule))[0];
  if (!prev) return null;
  try {
    const page = (await get(`/drives/${enc(prev.id)}/submissions?values=1&limit=5&search=${enc(sub.school)}`)).data;
    return page.submissions.find((s) => s.school === sub.school)?.values || null;
  } catch {
    return null;
  }
}

// nextToReview finds the next submitted submission of the drive, by
// school, after this one (or the first, at the end).
async function nextToReview(sub) {
  if (!canReview(session().user)) return null;
  try {
    const list = (await get(`/drives/${enc(sub.drive)}/submissions?status=submitted&limit=200`)).data.submissions;
    const others = list.filter((s) => s.id !== sub.id);
    return others.find((s) => s.school > sub.school) || others[0] || null;
  } catch {
    return null;
  }
}

const nextLink = (next, cls) => (next ? h('a', { href: '#/sub/' + enc(next.id), class: cls || 'next', id: cls ? 'next-after' : null }, t('nextToReview', next.schoolName), ' ›') : null);

function reviewBox(sub, view, next) {
  if (!canReview(session().user) || !(sub.status === 'submitted' || sub.status === 'approved') || sub.locks?.length) return null;
  const comment = h('textarea', { id: 'review-comment', rows: 3, maxlength: 500 });
  const err = h('p', { class: 'err', hidden: true, id: 'review-err', role: 'alert' });
  const box = h('section', { class: 'card review', id: 'review' });
  const act = async (action) => {
    const text = comment.value.trim();
    if (action === 'return' && !text) {
      err.hidden = false;
      err.textContent = t('needComment');
      comment.setAttribute('aria-invalid', 'true');
      comment.focus();
      return;
    }
    try {
      await post(`/submissions/${enc(sub.id)}/review`, { action, comment: text });
      toast(t(action === 'approve' ? 'approvedToast' : 'returnedToast'), 'ok');
      clear(box, h('h2', null, t('review')), h('p', { class: 'done', id: 'review-done' }, t(action === 'approve' ? 'approvedToast' : 'returnedToast')),
        next ? nextLink(next, 'btn primary') : h('p', { class: 'meta' }, t('noneToReview')),
        h('a', { href: '#/drive/' + enc(sub.drive), class: 'btn secondary' }, t('backToDrive')));
      box.querySelector('a')?.focus();
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e, t);
    }
  };
  return clear(box, h('h2', null, t('review')),
    h('label', { for: 'review-comment' }, t('comment')), comment, err,
    h('div', { class: 'actions inline' },
      sub.status === 'submitted' ? h('button', { type: 'button', class: 'btn primary', onclick: () => act('approve') }, t('approve')) : null,
      h('button', { type: 'button', class: 'btn danger', onclick: () => act('return') }, t('returnIt'))),
    next ? h('p', { class: 'meta' }, nextLink(next)) : null);
}

function revision(r, form) {
  return h('li', { class: 'card' },
    h('div', { class: 'task-head' }, h('strong', null, `${t('versionN', r.version)} · ${t('a_' + r.action)}`), h('span', { class: 'badge s-' + r.status }, t('st_' + r.status))),
    h('div', { class: 'meta' }, `${r.by || ''} · ${when(r.at)}`),
    r.comment ? h('p', { class: 'comment' }, r.comment) : null,
    r.changed && r.changed.length ? h('p', { class: 'meta' }, t('changedFields'), r.changed.map((p) => labelOf(form, p)).join('、')) : null);
}

// labelOf names a field path (lighting.classrooms[1].desk_lux) by its
// section, field and row: 教室照明 · 教室 第 2 行 · 课桌面照度.
export function labelOf(form, path) {
  const parts = String(path).split('.');
  const sec = form.sections.find((s) => s.indicator === parts[0]);
  if (!sec) return t('answer');
  const out = [tx(sec.title)];
  let fields = sec.fields;
  for (const part of parts.slice(1)) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(part);
    const f = m && (fields || []).find((x) => x.id === m[1]);
    if (!f) break;
    out.push(tx(f.label) + (m[2] != null ? ' ' + t('row', +m[2] + 1) : ''));
    fields = f.fields;
  }
  return out.join(' · ');
}

// Bureau staff: drives, completeness, submissions, review and export.
import { h, clear, toast } from './dom.js';
import { t, tx, when, dueText } from './i18n.js';
import { get, post, request, ApiError, errorText } from './api.js';
import { session, canReview } from './session.js';
import { formatValue } from './form.js';

const enc = encodeURIComponent;
const fail = (main, e) => clear(main, h('a', { href: '#/drives', class: 'back' }, '‹ ' + t('back')), h('p', { class: 'error-box' }, errorText(e, t)));

export async function driveList(main) {
  clear(main, h('h1', { class: 'page-title' }, t('drives')), h('p', { class: 'loading' }, '…'));
  let res;
  try {
    res = await get('/drives');
  } catch (e) {
    return fail(main, e);
  }
  const drives = (res.data.drives || []).slice().sort((a, b) => (b.opensAt || '').localeCompare(a.opensAt || ''));
  clear(main, h('h1', { class: 'page-title' }, t('drives')),
    res.cached ? h('p', { class: 'note' }, t('fromCache')) : null,
    h('ul', { class: 'list' }, drives.map((d) => h('li', { class: 'card' },
      h('a', { href: '#/drive/' + enc(d.id), class: 'task-link' },
        h('div', { class: 'task-head' }, h('strong', null, d.name), h('span', { class: 'badge d-' + d.state }, t('state_' + d.state))),
        h('div', { class: 'meta' }, `${t('period')} ${d.period} · ${t('due')} ${dueText(d.dueAt)}`))))));
}

const COLS = ['expected', 'submitted', 'onTime', 'late', 'missing', 'returned', 'approved', 'drafts'];
const colLabel = { expected: 'expected', submitted: 'submittedN', onTime: 'onTime', late: 'late', missing: 'missing', returned: 'returned', approved: 'approved', drafts: 'drafts' };

export async function drivePage(main, drive) {
  clear(main, h('p', { class: 'loading' }, '…'));
  let prog, subs, name = drive;
  try {
    [prog, subs] = await Promise.all([get(`/drives/${enc(drive)}/progress`), get(`/drives/${enc(drive)}/submissions`)]);
    name = (await get('/drives').catch(() => ({ data: {} }))).data.drives?.find((d) => d.id === drive)?.name || drive;
  } catch (e) {
    return fail(main, e);
  }
  const p = prog.data;
  const total = p.total || {};
  const rows = [...(p.districts || []), { ...total, districtName: t('total') }];
  const status = h('p', { class: 'export-status', 'aria-live': 'polite' });
  const bar = h('progress', { max: 100, value: 0, hidden: true });
  const exportBtn = h('button', { type: 'button', class: 'btn primary', onclick: () => exportDrive(drive, exportBtn, bar, status) }, t('export'));
  const names = new Map((p.missing || []).map((m) => [m.code, m.name]));
  clear(main,
    h('a', { href: '#/drives', class: 'back' }, '‹ ' + t('back')),
    h('h1', { class: 'page-title' }, name),
    h('div', { class: 'stats' }, ['expected', 'submitted', 'late', 'missing'].map((c) =>
      h('div', { class: 'stat' }, h('b', null, String(total[c] ?? 0)), h('span', null, t(colLabel[c]))))),
    h('div', { class: 'export' }, exportBtn, bar, status),
    h('h2', null, t('district')),
    h('div', { class: 'scroll' }, h('table', { class: 'table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('district')), COLS.map((c) => h('th', { scope: 'col' }, t(colLabel[c]))))),
      h('tbody', null, rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.districtName || r.district || ''), COLS.map((c) => h('td', null, String(r[c] ?? 0)))))))),
    h('h2', null, t('missingSchools'), ` (${(p.missing || []).length})`),
    (p.missing || []).length
      ? h('ul', { class: 'list' }, p.missing.map((m) => h('li', { class: 'card missing' },
        h('strong', null, m.name), h('div', { class: 'meta' }, `${m.districtName || m.district} · ${m.code}`),
        m.phone ? h('a', { class: 'btn tel', href: 'tel:' + m.phone.replace(/[^0-9+]/g, '') }, `☎ ${m.contact || ''} ${m.phone}`) : null)))
      : h('p', { class: 'empty' }, t('noneMissing')),
    h('h2', null, t('submissions'), ` (${(subs.data.submissions || []).length})`),
    h('ul', { class: 'list' }, (subs.data.submissions || []).map((s) => h('li', { class: 'card' },
      h('a', { href: '#/sub/' + enc(s.id), class: 'task-link' },
        h('div', { class: 'task-head' }, h('strong', null, s.schoolName || names.get(s.school) || s.school), h('span', { class: 'badge s-' + s.status }, t('st_' + s.status))),
        h('div', { class: 'meta' }, when(s.submittedAt || s.updatedAt), s.late ? h('span', { class: 'badge late' }, t('lateBadge')) : null))))));
}

// exportDrive runs an export job with progress when the server has them,
// and falls back to the direct download.
async function exportDrive(drive, btn, bar, status) {
  btn.disabled = true;
  status.textContent = t('exporting', 0);
  try {
    let file;
    try {
      let job = (await post(`/drives/${enc(drive)}/exports`, {})).data;
      bar.hidden = false;
      while (job.status !== 'done') {
        if (job.status === 'failed') throw new Error(t('exportFailed'));
        bar.value = job.percent || 0;
        status.textContent = t('exporting', job.percent || 0);
        await new Promise((r) => setTimeout(r, 800));
        job = (await get(`/exports/${enc(job.id)}`)).data;
      }
      bar.value = 100;
      file = await request('GET', job.url.replace(/^\/api\/v1/, ''), { raw: true });
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 405))) throw e;
      file = await request('GET', `/drives/${enc(drive)}/export.xlsx`, { raw: true });
    }
    saveBlob(file.data, fileName(file.headers) || drive + '.xlsx');
    status.textContent = t('exportDone');
  } catch (e) {
    status.textContent = e instanceof ApiError || e.name === 'NetError' ? errorText(e, t) : e.message;
  } finally {
    btn.disabled = false;
    bar.hidden = true;
  }
}

function fileName(headers) {
  const cd = headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : '';
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

export async function submissionPage(main, id) {
  clear(main, h('p', { class: 'loading' }, '…'));
  let sub, form, revs;
  try {
    sub = (await get(`/submissions/${enc(id)}`)).data;
    [form, revs] = await Promise.all([
      get(`/drives/${enc(sub.drive)}/form?school=${enc(sub.school)}`).then((r) => r.data),
      get(`/submissions/${enc(id)}/revisions`).then((r) => r.data.revisions || []).catch(() => []),
    ]);
  } catch (e) {
    return fail(main, e);
  }
  const back = h('a', { href: '#/drive/' + enc(sub.drive), class: 'back' }, '‹ ' + t('back'));
  clear(main, back,
    h('h1', { class: 'page-title' }, sub.school),
    h('p', { class: 'meta' }, `${sub.drive} · ${t('version')} ${sub.version} `, h('span', { class: 'badge s-' + sub.status }, t('st_' + sub.status)),
      sub.late ? h('span', { class: 'badge late' }, t('lateBadge')) : null),
    sub.review ? h('p', { class: 'comment' }, `${t('a_' + sub.review.action)} · ${when(sub.review.at)} · `, sub.review.comment || '') : null,
    reviewBox(sub, main),
    h('h2', null, t('compliance')),
    h('ul', { class: 'list' }, (sub.compliance || []).map((c) => {
      const sec = form.sections.find((s) => s.indicator === c.indicator);
      return h('li', { class: 'card comp c-' + c.status },
        h('div', { class: 'task-head' }, h('strong', null, sec ? tx(sec.title) : c.indicator), h('span', { class: 'badge c-' + c.status }, t('c_' + c.status))),
        c.reason && tx(c.reason) ? h('p', { class: 'meta' }, tx(c.reason)) : null);
    })),
    h('h2', null, t('values')),
    form.sections.map((sec) => valuesCard(sec, (sub.values || {})[sec.indicator] || {})),
    h('h2', null, t('history')),
    h('ol', { class: 'list history' }, revs.map((r) => h('li', { class: 'card' },
      h('div', { class: 'task-head' }, h('strong', null, `${t('version')} ${r.version} · ${t('a_' + r.action) || r.action}`), h('span', { class: 'badge s-' + r.status }, t('st_' + r.status))),
      h('div', { class: 'meta' }, `${r.by || ''} · ${when(r.at)}`),
      r.comment ? h('p', { class: 'comment' }, r.comment) : null,
      r.changed && r.changed.length ? h('p', { class: 'meta' }, r.changed.join(', ')) : null))));
}

function valuesCard(sec, vals) {
  return h('section', { class: 'card values' }, h('h3', null, tx(sec.title)), h('dl', null, sec.fields.map((f) => valueRow(f, vals[f.id]))));
}

function valueRow(f, v) {
  if (f.type === 'repeat') {
    const rows = Array.isArray(v) ? v : [];
    return [h('dt', { class: 'wide' }, tx(f.label), ` (${rows.length})`),
      h('dd', { class: 'wide' }, rows.map((r, i) => h('div', { class: 'row' }, h('h4', null, t('row', i + 1)),
        h('dl', null, (f.fields || []).map((rf) => valueRow(rf, r[rf.id]))))))];
  }
  return [h('dt', null, tx(f.label)), h('dd', null, v == null ? t('empty') : formatValue(f, v))];
}

function reviewBox(sub, main) {
  const u = session().user;
  if (!canReview(u) || !(sub.status === 'submitted' || sub.status === 'approved')) return null;
  const comment = h('textarea', { id: 'review-comment', rows: 3, maxlength: 500 });
  const err = h('p', { class: 'err', hidden: true, id: 'review-err' });
  const act = async (action) => {
    const text = comment.value.trim();
    if (action === 'return' && !text) {
      err.hidden = false;
      err.textContent = t('needComment');
      comment.focus();
      return;
    }
    try {
      await post(`/submissions/${enc(sub.id)}/review`, { action, comment: text });
      toast(t('reviewed'), 'ok');
      submissionPage(main, sub.id);
    } catch (e) {
      err.hidden = false;
      err.textContent = errorText(e, t);
    }
  };
  return h('section', { class: 'card review' }, h('h2', null, t('review')),
    h('label', { for: 'review-comment' }, t('comment')), comment, err,
    h('div', { class: 'actions inline' },
      sub.status === 'submitted' ? h('button', { type: 'button', class: 'btn primary', onclick: () => act('approve') }, t('approve')) : null,
      h('button', { type: 'button', class: 'btn danger', onclick: () => act('return') }, t('returnIt'))));
}

// A drive for the bureau, at any size of city: its numbers, progress by
// unit (a unit opens its own units), compliance by indicator, the missing
// schools as a searchable list with their phone numbers, the received
// submissions a page at a time, 一键催报, reopening for a school, and
// the export.
import { h, append, clear, toast, debounce } from './dom.js';
import { t, when, dueText } from './i18n.js';
import { get, post, ApiError, errorText } from './api.js';
import { session, canReview } from './session.js';
import { driveLabel } from './period.js';
import { head, problem, enc, indicators, paged, input, select, download, STAGES, stagesText } from './ui.js';
import { bars, pct } from './chart.js';
import { complianceBars } from './bureau.js';
import { levelsCard, levelBadge } from './levels.js';

export default async function drivePage(view, id, query) {
  const under = query.get('under') || '';
  const u = session().user;
  head(view, '…', under ? '#/drive/' + enc(id) : '#/');
  let d, p, inds;
  try {
    [d, p, inds] = await Promise.all([
      findDrive(id),
      get(`/drives/${enc(id)}/progress${under ? '?under=' + enc(under) : ''}`).then((r) => r.data),
      indicators(),
    ]);
  } catch (e) {
    return view.append(problem(e));
  }
  const tot = p.total || {};
  const reviewer = canReview(u);
  const closed = d.state === 'closed' || d.state === 'reopened';
  const ctx = { d, p, id, under, reviewer, closed, reopened: new Set(d.reopened || []), groups: (p.districts || []).length > 1 };
  view.querySelector('h1').textContent = driveLabel(d) + (under ? ' · ' + p.underName : '');
  // After a bulk approval or a sign-off the figures and the received list
  // show what it changed.
  ctx.refresh = async () => {
    try {
      const fresh = (await get(`/drives/${enc(id)}/progress${under ? '?under=' + enc(under) : ''}`)).data;
      view.querySelector('#figures')?.replaceWith(figures(fresh.total || {}));
    } catch {
      // the action's own answer stands; the figures catch up at the next visit
    }
    if (ctx.reloadReceived) ctx.reloadReceived();
  };
  append(view,
    h('p', { class: 'meta' }, h('span', { class: 'badge d-' + d.state }, t('state_' + d.state)), ` ${t('due')} ${dueText(d.dueAt)} · ${t('locks')} ${dueText(d.closesAt)}`),
    figures(tot),
    actions(ctx),
    levelsCard(ctx),
    h('div', { class: 'pair' },
      h('section', { class: 'card', id: 'units' }, h('h2', null, t('byUnit')), unitTable(ctx)),
      h('section', { class: 'card', id: 'compliance' }, h('h2', null, t('compliance')), complianceBars(tot, inds))),
    h('div', { class: 'pair' }, missingList(ctx), received(ctx)));
}

// figures are the drive's counts in a row of boxes.
function figures(tot) {
  return h('dl', { class: 'figures', id: 'figures' },
    [['expected', tot.expected], ['submittedN', `${tot.submitted ?? 0} (${pct(tot.expected ? tot.submitted / tot.expected : null, 0)})`],
      ['missing', tot.missing], ['late', tot.late], ['returned', tot.returned], ['approved', tot.approved],
      ['lv_signed', tot.signedOff], ['lv_accepted', tot.accepted],
      ['anomalies', tot.unexplained ? t('anomaliesN', tot.anomalies, tot.unexplained) : tot.anomalies], ['quality', tot.quality]]
      .map(([k, v]) => h('div', null, h('dt', null, t(k)), h('dd', null, String(v ?? 0)))));
}

// findDrive reads a drive from the list of the last year, or of all time.
async function findDrive(id) {
  for (const q of ['', '?all=1']) {
    const d = ((await get('/drives' + q)).data.drives || []).find((x) => x.id === id);
    if (d) return d;
  }
  throw new ApiError(404, { title: t('noSuchDrive') });
}

function actions({ id, reviewer }) {
  const out = h('div', { class: 'chase-out', 'aria-live': 'polite' });
  const status = h('p', { class: 'export-status', 'aria-live': 'polite' });
  const bar = h('progress', { max: 100, value: 0, hidden: true });
  const chaseBtn = reviewer ? h('button', { type: 'button', class: 'btn primary', id: 'chase', onclick: async () => {
    chaseBtn.disabled = true;
    try {
      clear(out, chaseResult((await post(`/drives/${enc(id)}/chase`, {})).data));
    } catch (e) {
      clear(out, problem(e));
    } finally {
      chaseBtn.disabled = false;
    }
  } }, t('chase')) : null;
  const exportBtn = h('button', { type: 'button', class: 'btn secondary', id: 'export', onclick: () => exportDrive(id, exportBtn, bar, status) }, t('export'));
  return h('section', { class: 'card drive-actions' }, h('div', { class: 'export' }, chaseBtn, exportBtn, bar, status), out);
}

const OUTCOME = { sent: 'o_sent', failed: 'o_failed', none_missing: 'o_none_missing', already_sent: 'o_already_sent', not_covered: 'o_not_covered' };

// chaseResult says whom a chase reminded through which channel, or that
// no channel is set up and where to add one.
function chaseResult(res) {
  if (!res.channels.length) {
    return h('div', { class: 'note', id: 'chase-result' }, t('noChannel'), ' ',
      canReview(session().user) ? h('a', { href: '#/channels' }, t('addChannel')) : null);
  }
  return h('div', { id: 'chase-result' },
    h('p', null, h('strong', null, t('chaseSummary', res.sent, res.channels.length))),
    h('ul', { class: 'list rows' }, res.channels.map((c) => h('li', { class: 'row-item o-' + c.outcome },
      h('div', null, h('strong', null, c.name), ` (${t('fmt_' + c.format)})`),
      h('div', { class: 'meta' }, c.orgName ? t('missingIn', c.orgName, c.missing) : '',
        h('span', { class: 'badge ' + (c.outcome === 'sent' ? 's-approved' : c.outcome === 'failed' ? 's-returned' : '') }, t(OUTCOME[c.outcome]))),
      c.failure ? h('p', { class: 'err' }, c.failure.message) : null))));
}

// unitTable lists the units below: a rate bar each (tap to open the unit),
// and every count in a table that folds into rows on a phone.
function unitTable({ p, id }) {
  const rows = p.districts || [];
  const link = (r) => (r.district && r.district !== p.under ? `#/drive/${enc(id)}?under=${enc(r.district)}` : null);
  const cols = ['expected', 'submittedN', 'onTime', 'late', 'missing', 'returned', 'approved', 'anomalies', 'quality'];
  const keys = { submittedN: 'submitted' };
  const cell = (r, c) => h('td', { 'data-label': t(c) }, String(r[keys[c] || c] ?? 0));
  return [
    bars(t('rateByUnit'), rows.map((r) => ({ label: r.districtName, value: r.expected ? r.submitted / r.expected : null, text: `${r.submitted}/${r.expected}`, href: link(r) }))),
    h('details', { class: 'unit-table' }, h('summary', null, t('unitDetails')),
      h('table', { class: 'table folding' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('unit')), cols.map((c) => h('th', { scope: 'col' }, t(c))), h('th', { scope: 'col' }, t('level')))),
        h('tbody', null, [...rows, { ...p.total, districtName: t('total') }].map((r) => h('tr', null,
          h('th', { scope: 'row' }, link(r) ? h('a', { href: link(r) }, r.districtName) : r.districtName),
          cols.map((c) => cell(r, c)), h('td', { 'data-label': t('level') }, r.level ? levelBadge(r.level) : '')))))),
  ];
}

// missingList: the schools yet to report, found by name or code and
// narrowed by unit and stage, each with its contact's number to call.
function missingList(ctx) {
  const all = ctx.p.missing || [];
  const search = input({ type: 'search', id: 'missing-search', placeholder: t('searchSchool'), 'aria-label': t('searchSchool') });
  const unit = select([['', t('allUnits')], ...(ctx.p.districts || []).map((r) => [r.district, r.districtName])], '', { id: 'missing-unit', 'aria-label': t('unit') });
  const stage = select([['', t('allStages')], ...STAGES.map((s) => [s, t('stage_' + s)])], '', { id: 'missing-stage', 'aria-label': t('stage') });
  const box = h('div', { class: 'missing-list' });
  const draw = () => {
    const q = search.value.trim();
    const items = all.filter((m) => (!q || m.name.includes(q) || m.code.includes(q)) && (!unit.value || m.district === unit.value) &&
      (!stage.value || (m.stages || []).includes(stage.value)));
    clear(box, h('p', { class: 'meta' }, t('shownOf', items.length, all.length)), paged(items, (m) => missingRow(m, ctx), { empty: t('noneMissing') }));
  };
  for (const el of [unit, stage]) el.addEventListener('change', draw);
  search.addEventListener('input', debounce(draw, 200));
  draw();
  return h('section', { class: 'card', id: 'missing' }, h('h2', null, t('missingSchools'), ` (${all.length})`),
    all.length ? h('div', { class: 'filters' }, search, unit, stage) : null, box);
}

function missingRow(m, ctx) {
  const tel = (m.phone || '').replace(/[^0-9+]/g, '');
  return h('li', { class: 'row-item missing', 'data-school': m.code },
    h('div', { class: 'row-main' }, h('strong', null, m.name),
      h('span', { class: 'meta' }, [ctx.groups && m.districtName, stagesText(m.stages), [m.contact, m.phone].filter(Boolean).join(' ')].filter(Boolean).join(' · '))),
    h('div', { class: 'row-acts' },
      tel ? h('a', { class: 'btn tel', href: 'tel:' + tel, 'aria-label': t('callN', m.contact || m.name, m.phone) }, '☎ ' + t('call')) : null,
      reopenButton(m.code, m.name, ctx)));
}

// reopenButton lets a reviewer open a closed drive again for one school.
function reopenButton(school, name, ctx) {
  if (!ctx.reviewer || !ctx.closed) return null;
  if (ctx.reopened.has(school)) return h('span', { class: 'badge d-reopened' }, t('state_reopened'));
  const btn = h('button', { type: 'button', class: 'btn link', onclick: async () => {
    if (!confirm(t('confirmReopen', name))) return;
    btn.disabled = true;
    try {
      await post(`/drives/${enc(ctx.id)}/reopen`, { school });
      ctx.reopened.add(school);
      btn.replaceWith(h('span', { class: 'badge d-reopened' }, t('state_reopened')));
      toast(t('reopenedFor', name), 'ok');
    } catch (e) {
      btn.disabled = false;
      toast(errorText(e, t), 'error');
    }
  } }, t('reopen'));
  return btn;
}

// received lists the submissions in pages the server cuts, with filters
// and an order.
function received(ctx) {
  const status = select([['', t('allStatuses')], ...['submitted', 'returned', 'approved', 'draft'].map((s) => [s, t('st_' + s)])], '', { id: 'sub-status', 'aria-label': t('status') });
  const sort = select([['school', t('sortSchool')], ['updated', t('sortUpdated')], ['failures', t('sortFailures')]], 'school', { id: 'sub-sort', 'aria-label': t('sort') });
  const late = input({ type: 'checkbox', id: 'sub-late' });
  const failing = input({ type: 'checkbox', id: 'sub-failing' });
  const search = input({ type: 'search', id: 'sub-search', placeholder: t('searchSchool'), 'aria-label': t('searchSchool') });
  const list = h('ul', { class: 'list rows', id: 'received' });
  const count = h('p', { class: 'meta' });
  const more = h('button', { type: 'button', class: 'btn secondary wide', hidden: true }, t('loadMore'));
  let next = '', seq = 0;
  const load = async (fresh) => {
    const mine = fresh ? ++seq : seq;
    const q = new URLSearchParams({ limit: '50', sort: sort.value });
    if (ctx.under) q.set('under', ctx.under);
    if (status.value) q.set('status', status.value);
    if (late.checked) q.set('late', '1');
    if (failing.checked) q.set('failing', '1');
    if (search.value.trim()) q.set('search', search.value.trim());
    if (!fresh && next) q.set('after', next);
    try {
      const page = (await get(`/drives/${enc(ctx.id)}/submissions?${q}`)).data;
      if (mine !== seq) return;
      if (fresh) list.replaceChildren();
      list.append(...page.submissions.map((s) => receivedRow(s, ctx)));
      next = page.next;
      more.hidden = !next;
      count.textContent = t('receivedCount', page.total);
    } catch (e) {
      clear(list, problem(e));
    }
  };
  ctx.reloadReceived = () => load(true);
  for (const el of [status, sort, late, failing]) el.addEventListener('change', () => load(true));
  search.addEventListener('input', debounce(() => load(true), 300));
  more.addEventListener('click', () => load(false));
  load(true);
  return h('section', { class: 'card', id: 'submissions' }, h('h2', null, t('submissions')),
    h('div', { class: 'filters' }, search, status, sort,
      h('label', { class: 'check' }, late, t('lateOnly')), h('label', { class: 'check' }, failing, t('failingOnly'))),
    count, list, more);
}

function receivedRow(s, ctx) {
  return h('li', { class: 'row-item', 'data-school': s.school },
    h('a', { href: '#/sub/' + enc(s.id), class: 'row-main' },
      h('strong', null, s.schoolName),
      h('span', { class: 'meta' }, [ctx.groups && s.groupName, when(s.submittedAt || s.updatedAt)].filter(Boolean).join(' · '))),
    h('div', { class: 'row-acts' },
      h('span', { class: 'badge s-' + s.status }, t('st_' + s.status)),
      s.late ? h('span', { class: 'badge late' }, t('lateBadge')) : null,
      s.failures ? h('span', { class: 'badge c-noncompliant', title: t('failuresN', s.failures) }, '✗ ' + s.failures) : null,
      reopenButton(s.school, s.schoolName, ctx)));
}

// exportDrive runs an export job with progress when the server has them,
// and falls back to the direct download.
async function exportDrive(drive, btn, bar, status) {
  btn.disabled = true;
  status.textContent = t('exporting', 0);
  try {
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
      await download(job.url.replace(/^\/api\/v1/, ''));
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 405))) throw e;
      await download(`/drives/${enc(drive)}/export.xlsx`);
    }
    status.textContent = t('exportDone');
  } catch (e) {
    status.textContent = e instanceof ApiError || e.name === 'NetError' ? errorText(e, t) : e.message;
  } finally {
    btn.disabled = false;
    bar.hidden = true;
  }
}

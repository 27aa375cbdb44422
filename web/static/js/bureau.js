// The bureau's home: the setup checklist while the year is being set up,
// then the open and recent drives of the caller's scope, each with its
// numbers and two small charts (reporting by unit, compliance by
// indicator).
import { h, clear } from './dom.js';
import { t, dueText } from './i18n.js';
import { get } from './api.js';
import { session, canReview } from './session.js';
import { driveLabel, frequencyLabel } from './period.js';
import { head, problem, enc, indicators, indicatorName } from './ui.js';
import { bars, pct } from './chart.js';

// SHOWN is how many drives the home shows: every open one first, then the
// most recent closed ones.
const SHOWN = 6;

export default async function home(view) {
  const u = session().user;
  head(view, t('homeTitle'));
  const body = h('div', { class: 'home' }, h('p', { class: 'loading' }, '…'));
  view.append(body);
  let drives, inds, list;
  try {
    [drives, inds, list] = await Promise.all([
      get('/drives').then((r) => r.data.drives || []),
      indicators(),
      canReview(u) ? get('/checklist').then((r) => r.data).catch(() => null) : null,
    ]);
  } catch (e) {
    return clear(body, problem(e));
  }
  const open = drives.filter((d) => d.state !== 'closed' && d.state !== 'scheduled').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const closed = drives.filter((d) => d.state === 'closed').sort((a, b) => b.opensAt.localeCompare(a.opensAt));
  const shown = [...open, ...closed].slice(0, Math.max(SHOWN, open.length));
  const progress = await Promise.all(shown.map((d) => get(`/drives/${enc(d.id)}/progress`).then((r) => r.data).catch((e) => e)));
  clear(body,
    list ? checklist(list) : null,
    shown.length ? null : h('p', { class: 'empty' }, t('noDrives')),
    shown.map((d, i) => driveCard(d, progress[i], inds, d.state === 'closed')));
}

function driveCard(d, p, inds, folded) {
  const link = '#/drive/' + enc(d.id);
  const title = h('div', { class: 'task-head' }, h('h2', null, h('a', { href: link }, driveLabel(d))), h('span', { class: 'badge d-' + d.state }, t('state_' + d.state)));
  const meta = h('p', { class: 'meta' }, `${frequencyLabel(d.frequency)} · ${t('due')} ${dueText(d.dueAt)}`);
  if (p instanceof Error) return h('article', { class: 'card drive-card' }, title, meta, problem(p));
  const tot = p.total || {};
  const charts = [
    bars(t('rateByUnit'), (p.districts || []).map((r) => ({
      label: r.districtName + (r.level ? ' · ' + t('lv_' + r.level) : ''), value: r.expected ? r.submitted / r.expected : null, text: `${r.submitted}/${r.expected}`,
      href: r.district && r.district !== p.under ? `${link}?under=${enc(r.district)}` : null,
    }))),
    complianceBars(tot, inds),
  ];
  return h('article', { class: 'card drive-card', 'data-drive': d.id },
    title, meta,
    h('dl', { class: 'figures' },
      figure(t('submittedN'), `${tot.submitted ?? 0}/${tot.expected ?? 0}`, tot.expected ? pct(tot.submitted / tot.expected, 0) : ''),
      figure(t('missing'), tot.missing ?? 0),
      figure(t('late'), tot.late ?? 0),
      figure(t('returned'), tot.returned ?? 0),
      tot.signedOff ? figure(t('lv_signed'), tot.signedOff) : null,
      tot.accepted ? figure(t('lv_accepted'), tot.accepted) : null),
    folded ? h('details', { class: 'charts' }, h('summary', null, t('showCharts')), charts) : h('div', { class: 'charts' }, charts),
    h('a', { href: link, class: 'btn secondary' }, t('openDrive')));
}

function figure(label, value, note) {
  return h('div', null, h('dt', null, label), h('dd', null, String(value), note ? h('small', null, ' ' + note) : null));
}

// complianceBars shows each indicator's compliance rate among the
// submissions that were scored on it.
export function complianceBars(counts, inds) {
  const codes = Object.keys(counts.scored || {}).filter((c) => counts.scored[c] > 0);
  if (!codes.length) return h('p', { class: 'meta' }, t('noCompliance'));
  return bars(t('complianceByIndicator'), codes.map((c) => ({
    label: indicatorName(inds, c), value: (counts.compliant?.[c] || 0) / counts.scored[c],
    text: `${pct((counts.compliant?.[c] || 0) / counts.scored[c])} (${counts.compliant?.[c] || 0}/${counts.scored[c]})`,
  })), { low: 0.9 });
}

// STEPS link each step of the setup to the screen where it is done.
const STEPS = {
  bureau: '#/orgs', units: '#/orgs', schools: '#/orgs?import=1', accounts: '#/users', plan: '#/plans',
  schedules: '#/schedules', channels: '#/channels', drive: '#/',
};

function checklist(c) {
  const all = c.steps.filter((s) => s.state !== 'optional').length;
  const done = c.steps.filter((s) => s.state === 'done').length;
  const items = h('ol', { class: 'steps' }, c.steps.map((s, i) => h('li', { class: 'step ' + s.state, 'data-step': s.key },
    h('span', { class: 'mark', 'aria-hidden': 'true' }, s.state === 'done' ? '✓' : String(i + 1)),
    h('div', null,
      h('a', { href: STEPS[s.key] }, t('step_' + s.key)),
      h('span', { class: 'badge st-' + s.state }, t('stepState_' + s.state)),
      h('p', { class: 'meta' }, stepDetail(s, c))))));
  const title = h('h2', null, t('gettingStarted'), ` ${done}/${all}`);
  return done >= all
    ? h('details', { class: 'card checklist', id: 'checklist' }, h('summary', null, title, ' ', t('allDone')), items)
    : h('section', { class: 'card checklist', id: 'checklist' }, title, h('p', { class: 'help' }, t('checklistHelp')), items);
}

function stepDetail(s, c) {
  switch (s.key) {
    case 'bureau': return c.orgName;
    case 'units': return s.count ? t('nUnits', s.count) : t('unitsOptional');
    case 'schools': return s.count ? t('nSchools', s.count) : t('importSchools');
    case 'accounts': return s.of ? t('nAccounts', s.count, s.of) : t('accountsAfterSchools');
    case 'plan': return c.planName || t('planHow');
    case 'schedules': return s.missing?.length ? t('schedulesMissing', s.missing.map(frequencyLabel).join('、')) : s.count ? t('nSchedules', s.count) : t('schedulesHow');
    case 'channels': return s.count ? t('nChannels', s.count) : t('channelsHow');
    case 'drive': return s.count ? t('nDrives', s.count) : t('driveHow');
  }
  return '';
}

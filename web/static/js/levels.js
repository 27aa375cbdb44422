// Levels of approval on a drive's page: a reviewer approves every clean
// submission at once, the unit signs itself off (naming the missing
// schools as gaps with a reason) or withdraws, and the unit above accepts
// or returns the units below it. Each answer is shown where it was asked.
import { h, clear, toast } from './dom.js';
import { t } from './i18n.js';
import { get, post, errorText } from './api.js';
import { session } from './session.js';
import { enc, problem, input } from './ui.js';

const SKIP = { stale: 'r_stale', locked: 'r_locked', not_submitted: 'r_not_submitted', not_found: 'r_not_found', noncompliant: 'r_noncompliant' };

// levelBadge names a unit's sign-off state.
export function levelBadge(level) {
  return h('span', { class: 'badge lv-' + (level || 'none') }, t('lv_' + (level || 'none')));
}

export function levelsCard(ctx) {
  if (!ctx.reviewer) return null;
  const u = session().user;
  const out = h('div', { id: 'levels-out', 'aria-live': 'polite' });
  const comment = input({ type: 'text', id: 'level-comment', maxlength: 500, placeholder: t('levelComment'), 'aria-label': t('levelComment') });
  const approve = h('button', { type: 'button', class: 'btn primary', id: 'bulk-approve', onclick: async () => {
    approve.disabled = true;
    try {
      const body = { all: true };
      if (ctx.under) body.under = ctx.under;
      clear(out, bulkResult((await post(`/drives/${enc(ctx.id)}/approvals`, body)).data));
      ctx.refresh();
    } catch (e) {
      clear(out, problem(e));
    } finally {
      approve.disabled = false;
    }
  } }, t('bulkApprove'));
  const own = !ctx.under && ctx.d.scope && ctx.d.scope.org !== u.org ? ownUnit(ctx, u.org, comment, out) : null;
  const below = (ctx.p.districts || []).filter((r) => r.level === 'signed' || r.level === 'accepted')
    .filter(() => ctx.p.under === u.org);
  return h('section', { class: 'card', id: 'levels' }, h('h2', null, t('levelTitle')),
    h('div', { class: 'export' }, approve), own,
    below.length ? h('ul', { class: 'list rows', id: 'units-signed' }, below.map((r) => belowRow(ctx, r, comment, out))) : null,
    own || below.length ? comment : null, out);
}

// bulkResult counts what a bulk approval did and lists what it skipped.
function bulkResult(res) {
  return h('div', { id: 'bulk-result' },
    h('p', null, h('strong', null, t('bulkResult', res.approved.length, res.skipped.length))),
    res.skipped.length ? h('ul', { class: 'list rows' }, res.skipped.map((s) => h('li', { class: 'row-item' },
      h('strong', null, s.schoolName || ''), h('span', { class: 'meta' }, t(SKIP[s.reason] || 'r_not_found'))))) : null);
}

// refused says why a step was refused, with each field's reason.
const refused = (e) => h('div', { class: 'error-box', role: 'alert' }, errorText(e, t),
  (e.fieldErrors || []).map((f) => h('p', null, f.message)));

// ownUnit shows the caller's unit's sign-off with its buttons.
function ownUnit(ctx, unit, comment, out) {
  const box = h('div', { class: 'own-level', id: 'own-level' });
  const gaps = input({ type: 'checkbox', id: 'level-gaps' });
  const missing = ctx.p.missing || [];
  const act = (action) => async (ev) => {
    ev.target.disabled = true;
    const body = { action, comment: comment.value.trim() };
    if (action === 'signoff' && gaps.checked) body.gaps = missing.map((m) => m.code);
    try {
      const so = (await post(`/drives/${enc(ctx.id)}/signoffs/${enc(unit)}`, body)).data;
      toast(t('lv_' + (so.state || 'none')), 'ok');
      out.replaceChildren();
      draw(so);
      ctx.refresh();
    } catch (e) {
      clear(out, refused(e));
      ev.target.disabled = false;
    }
  };
  const draw = (so) => {
    const locked = so.state === 'signed' || so.state === 'accepted';
    clear(box, h('p', null, t('ownLevel'), ' ', levelBadge(so.state)),
      !locked && missing.length ? h('label', { class: 'check' }, gaps, t('gapsMissing', missing.length)) : null,
      h('div', { class: 'export' },
        !locked ? h('button', { type: 'button', class: 'btn primary', id: 'signoff', onclick: act('signoff') }, t('signoff')) : null,
        so.state === 'signed' ? h('button', { type: 'button', class: 'btn secondary', id: 'withdraw', onclick: act('withdraw') }, t('withdraw')) : null));
  };
  get(`/drives/${enc(ctx.id)}/signoffs/${enc(unit)}`).then((r) => draw(r.data), (e) => clear(box, problem(e)));
  return box;
}

// belowRow lets the unit above accept or return a unit's sign-off.
function belowRow(ctx, r, comment, out) {
  const badge = levelBadge(r.level);
  const act = (action) => async (ev) => {
    ev.target.disabled = true;
    try {
      const so = (await post(`/drives/${enc(ctx.id)}/signoffs/${enc(r.district)}`, { action, comment: comment.value.trim() })).data;
      badge.replaceWith(levelBadge(so.state));
      row.querySelectorAll('button').forEach((b) => b.remove());
      out.replaceChildren();
      toast(t('lv_' + so.state), 'ok');
      ctx.refresh();
    } catch (e) {
      clear(out, refused(e));
      ev.target.disabled = false;
    }
  };
  const row = h('li', { class: 'row-item', 'data-unit': r.district },
    h('div', { class: 'row-main' }, h('strong', null, r.districtName), badge),
    h('div', { class: 'row-acts' },
      r.level === 'signed' ? h('button', { type: 'button', class: 'btn secondary', onclick: act('accept') }, t('acceptUnit')) : null,
      h('button', { type: 'button', class: 'btn link', onclick: act('return') }, t('returnUnit'))));
  return row;
}

// Schedules: which plan is reported how often, when each period's drive is
// due and locked, when reminders go out; a new one by hand, or every one a
// plan needs in one action.
import { h, append, clear, toast } from './dom.js';
import { t } from './i18n.js';
import { get, post } from './api.js';
import { session } from './session.js';
import { frequencyLabel } from './period.js';
import { head, problem, field, form, input, select } from './ui.js';

const REMINDERS = [-72, -24, 24, 72];

export default async function schedulesPage(view) {
  head(view, t('m_schedules'), '#/');
  let list, plans;
  try {
    [list, plans] = await Promise.all([get('/schedules').then((r) => r.data.schedules || []), get('/plans').then((r) => r.data.plans || [])]);
  } catch (e) {
    return view.append(problem(e));
  }
  const planName = (id) => plans.find((p) => p.id === id)?.name || t('plan');
  append(view,
    plans.length ? fromPlan(plans, () => schedulesPage(view)) : h('p', { class: 'note' }, t('planFirst'), ' ', session().user.role === 'admin' ? h('a', { href: '#/plans' }, t('m_plans')) : null),
    h('section', { class: 'card', id: 'schedules' }, h('h2', null, t('m_schedules'), ` (${list.length})`),
      list.length ? h('ul', { class: 'list rows' }, list.map((sc) => h('li', { class: 'row-item', 'data-schedule': sc.id },
        h('div', { class: 'row-main' }, h('strong', null, sc.name),
          h('span', { class: 'meta' }, `${planName(sc.plan)} · ${frequencyLabel(sc.frequency)}`),
          h('span', { class: 'meta' }, ruleText(sc))),
        h('div', { class: 'row-acts' }, h('span', { class: 'badge ' + (sc.active ? 'd-open' : '') }, t(sc.active ? 'active' : 'inactive')))))) : h('p', { class: 'empty' }, t('noSchedules'))),
    plans.length ? newSchedule(plans, () => schedulesPage(view)) : null);
}

// ruleText says when a schedule's drives are due and locked and when it
// reminds: 期末后第 10 天截止，第 20 天锁定；截止前 3 天、1 天提醒.
export function ruleText(sc) {
  const when = (hrs) => {
    const n = Math.abs(hrs);
    const span = n % 24 ? t('nHours', n) : t('nDays', n / 24);
    return hrs < 0 ? t('beforeDue', span) : t('afterDue', span);
  };
  return t('dueRule', sc.dueDay, sc.closeDay) + (sc.reminders?.length ? t('remindRule', sc.reminders.map(when).join('、')) : '');
}

// fromPlanResult says which schedules a plan got and which it had.
export function fromPlanResult(res) {
  const line = (sc) => h('li', null, `${sc.name} · ${frequencyLabel(sc.frequency)} · ${ruleText(sc)}`);
  return h('div', { class: 'note', id: 'from-plan-result' },
    res.created.length ? [h('p', null, h('strong', null, t('schedulesMade', res.created.length))), h('ul', null, res.created.map(line))] : h('p', null, t('schedulesNoneNeeded')),
    res.existing.length ? [h('p', null, t('schedulesHad')), h('ul', null, res.existing.map(line))] : null);
}

function fromPlan(plans, done) {
  const plan = select(plans.map((p) => [p.id, p.name]), plans[0].id, { id: 'from-plan-plan', 'aria-label': t('plan') });
  const out = h('div', { 'aria-live': 'polite' });
  const btn = h('button', { type: 'button', class: 'btn primary', id: 'from-plan', onclick: async () => {
    btn.disabled = true;
    try {
      const res = (await post('/schedules/from-plan', { plan: plan.value })).data;
      clear(out, fromPlanResult(res));
      if (res.created.length) {
        toast(t('schedulesMade', res.created.length), 'ok');
        setTimeout(done, 1500);
      }
    } catch (e) {
      clear(out, problem(e));
    } finally {
      btn.disabled = false;
    }
  } }, t('schedulesFromPlan'));
  return h('section', { class: 'card', id: 'schedules-from-plan' }, h('h2', null, t('schedulesFromPlan')),
    h('p', { class: 'help' }, t('fromPlanHelp')), h('div', { class: 'filters' }, plan, btn), out);
}

function newSchedule(plans, done) {
  const f = {
    name: field(t('scheduleName'), input({ id: 'schedule-name', placeholder: t('scheduleNameHint') })),
    plan: field(t('plan'), select(plans.map((p) => [p.id, p.name]), plans[0].id, { id: 'schedule-plan' })),
    frequency: field(t('frequency'), select(['monthly', 'termly', 'yearly', 'weekly'].map((x) => [x, frequencyLabel(x)]), 'monthly', { id: 'schedule-frequency' })),
    dueDay: field(t('dueDay'), input({ id: 'schedule-due', inputmode: 'numeric', value: '10' }), t('dueDayHint')),
    closeDay: field(t('closeDay'), input({ id: 'schedule-close', inputmode: 'numeric', value: '20' }), t('closeDayHint')),
    reminders: field(t('reminders'), h('div', { class: 'choices', id: 'schedule-reminders', tabindex: '-1' }, REMINDERS.map((hrs) =>
      h('label', { class: 'choice' }, h('input', { type: 'checkbox', value: String(hrs), checked: hrs !== 72 }),
        hrs < 0 ? t('beforeDue', t('nDays', -hrs / 24)) : t('afterDue', t('nDays', hrs / 24)))))),
  };
  const made = form({ id: 'schedule-form', fields: f, submit: t('create'), send: async () => {
    const sc = (await post('/schedules', {
      name: f.name.control.value.trim(), plan: f.plan.control.value, frequency: f.frequency.control.value,
      dueDay: +f.dueDay.control.value || 0, closeDay: +f.closeDay.control.value || 0,
      reminders: [...f.reminders.control.querySelectorAll('input:checked')].map((x) => +x.value),
    })).data;
    toast(t('scheduleMade', sc.name), 'ok');
    setTimeout(done, 1200);
    return h('p', { class: 'note', id: 'schedule-made' }, t('scheduleMade', sc.name), ' · ', ruleText(sc));
  } });
  return h('details', { class: 'card', id: 'new-schedule' }, h('summary', null, h('strong', null, t('newSchedule'))), made.el);
}

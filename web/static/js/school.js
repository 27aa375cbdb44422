// School staff: the task list and the form page.
import { h, clear, debounce, toast } from './dom.js';
import { t, tx, when, dueText } from './i18n.js';
import { get, ApiError, NetError, errorText } from './api.js';
import { kvGet, kvSet, kvDel, kvKeys } from './db.js';
import { session } from './session.js';
import { enqueue, entries, known, setKnown, onSent } from './outbox.js';
import { formEditor, toRaw } from './form.js';
import { schoolData } from './rules.js';
import { driveLabel } from './period.js';

const enc = encodeURIComponent;
const draftKey = (user, drive) => `draft:${user}:${drive}`;

// me returns GET /me, from the network or the worker's copy.
export async function me() {
  return (await get('/me')).data;
}

async function loadTasks() {
  const res = await get('/tasks');
  const user = session().user.id;
  if (!res.cached) {
    for (const task of res.data.tasks) {
      if (task.submission) await setKnown(user, task.drive.id, { id: task.submission, version: task.version, status: task.status });
    }
  }
  return res;
}

// prefetch warms the worker's cache with every form and saved answers, so
// the tasks can be filled in offline. It marks the body when done.
export async function prefetch(tasks) {
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
  await Promise.all(tasks.map(async (task) => {
    try {
      await get(`/drives/${enc(task.drive.id)}/form`);
      await get(`/drives/${enc(task.drive.id)}/context`);
      if (task.submission) await get(`/submissions/${enc(task.submission)}`);
      document.querySelector(`[data-drive="${CSS.escape(task.drive.id)}"] .ready`)?.removeAttribute('hidden');
    } catch { /* offline: try again next time */ }
  }));
  document.body.dataset.offlineReady = '1';
}

function statusBadge(status) {
  return h('span', { class: 'badge s-' + status }, t('st_' + status));
}

export async function taskList(main) {
  clear(main, h('h1', { class: 'page-title' }, t('tasks')), h('p', { class: 'loading' }, '…'));
  const user = session().user.id;
  let res;
  try {
    res = await loadTasks();
  } catch (e) {
    clear(main, h('h1', { class: 'page-title' }, t('tasks')), h('p', { class: 'error-box' }, errorText(e, t)));
    return;
  }
  const pending = new Map((await entries(user)).map((e) => [e.drive, e]));
  const tasks = res.data.tasks || [];
  const cards = await Promise.all(tasks.map(async (task) => {
    const d = task.drive;
    const k = await known(user, d.id);
    const status = k && k.version > (task.version || 0) ? k.status : task.status;
    const p = pending.get(d.id);
    return h('li', { class: 'card task', 'data-drive': d.id },
      h('a', { href: '#/form/' + enc(d.id), class: 'task-link' },
        h('div', { class: 'task-head' }, h('strong', null, driveLabel(d)), statusBadge(p && p.state !== 'error' ? 'pending' : status)),
        h('div', { class: 'meta' },
          h('span', null, `${t('due')} ${dueText(task.dueAt)}`),
          task.late && status !== 'approved' ? h('span', { class: 'badge late' }, t('late')) : null,
          task.state !== 'open' ? h('span', { class: 'badge' }, t('state_' + task.state)) : null,
          h('span', { class: 'ready', hidden: true }, '✓ ' + t('offlineReady'))),
        task.comment ? h('p', { class: 'comment' }, t('returnedBy'), task.comment) : null,
        p && p.state === 'error' ? h('p', { class: 'err' }, t('needsAction'), ': ', p.error?.title || '') : null));
  }));
  clear(main,
    h('h1', { class: 'page-title' }, t('tasks')),
    res.cached ? h('p', { class: 'note' }, t('fromCache')) : null,
    tasks.length ? h('ul', { class: 'list' }, cards) : h('p', { class: 'empty' }, t('noTasks')),
    h('p', { class: 'foot' }, h('a', { href: '#/password' }, t('changePassword'))));
  prefetch(tasks);
}

// formPage edits one drive's answers: local autosave, draft, submit.
export async function formPage(main, drive) {
  const s = session();
  const user = s.user.id;
  clear(main, h('p', { class: 'loading' }, '…'));
  let form, task, org, serverSub = null, context = {};
  try {
    const [f, tasks, m, c] = await Promise.all([get(`/drives/${enc(drive)}/form`), get('/tasks'), me(),
      get(`/drives/${enc(drive)}/context`).catch(() => null)]);
    form = f.data;
    context = (c && c.data) || {};
    org = m.org;
    task = (tasks.data.tasks || []).find((x) => x.drive.id === drive);
    const k = await known(user, drive);
    const subId = (k && k.id) || (task && task.submission);
    if (subId) {
      try {
        serverSub = (await get(`/submissions/${enc(subId)}`)).data;
      } catch (e) {
        if (!(e instanceof NetError || (e instanceof ApiError && e.status === 404))) throw e;
      }
    }
  } catch (e) {
    clear(main, backLink(), h('p', { class: 'error-box' }, errorText(e, t)));
    return;
  }
  const k = await known(user, drive);
  const status = (k && k.version > ((task && task.version) || 0) ? k.status : task && task.status) || 'not_started';
  const closed = task && task.state === 'closed';
  const readOnly = status === 'approved' || closed;
  const pendingEntry = (await entries(user)).find((e) => e.drive === drive);
  const local = await kvGet(draftKey(user, drive));
  // A new report starts with last period's answers to the fields carried
  // over and with the hazards still open in the school's ledger.
  const carried = !serverSub ? { ...(context.carried || {}) } : null;
  if (carried && (context.hazards || []).length) carried.hazards = { items: context.hazards };
  let initial = toRaw(form, (serverSub && serverSub.values) || carried);
  let explanations = explanationsOf(serverSub);
  let restored = false;
  if (!readOnly && local && local.raw) {
    initial = local.raw;
    explanations = local.explanations || explanations;
    restored = true;
  } else if (!readOnly && pendingEntry) {
    initial = toRaw(form, pendingEntry.values);
    explanations = pendingEntry.explanations || explanations;
  }

  const saved = h('p', { class: 'saved', 'aria-live': 'polite' });
  const autosave = debounce(async (raw, why) => {
    await kvSet(draftKey(user, drive), { raw, explanations: why, at: Date.now(), formVersion: form.version });
    saved.textContent = t('savedLocal', when(new Date().toISOString(), { year: undefined, month: undefined, day: undefined }));
  }, 400);
  const editor = formEditor(form, initial, { school: schoolData(org), past: context, explanations, readOnly, onChange: autosave });

  if (pendingEntry && pendingEntry.state === 'error' && pendingEntry.error) editor.serverErrors(pendingEntry.error.errors);

  const submitting = { busy: false };
  async function save(draft) {
    if (submitting.busy) return;
    const r = draft ? editor.result(true) : editor.attempt();
    const blocking = r.errors.filter((e) => !draft || e.code !== 'required');
    if (blocking.length) {
      if (!draft) editor.focusFirstError();
      else toast(t('fixErrors', blocking.length), 'error');
      if (!draft) return;
    }
    submitting.busy = true;
    await autosave.flush(editor.raw(), editor.explanations());
    await enqueue(drive, r.values, draft, task ? driveLabel(task.drive) : '', editor.explanations());
    submitting.busy = false;
    badge.replaceWith(badge = statusBadge('pending'));
    if (!navigator.onLine) toast(t('queued'));
    if (!draft) location.hash = '#/tasks';
  }

  const canDraft = !readOnly && (status === 'not_started' || status === 'draft' || status === 'returned');
  const actions = readOnly ? null : h('div', { class: 'actions' },
    canDraft ? h('button', { type: 'button', class: 'btn secondary', onclick: () => save(true) }, t('saveDraft')) : null,
    h('button', { type: 'button', class: 'btn primary', onclick: () => save(false) }, status === 'not_started' || status === 'draft' ? t('submit') : t('resubmit')));

  // The badge follows what the outbox delivers while the page is open.
  let badge = statusBadge(pendingEntry ? 'pending' : status);
  const off = onSent(({ entry, submission }) => {
    if (entry.drive !== drive || entry.user !== user) return;
    badge.replaceWith(badge = statusBadge(submission.status));
  });
  main.addEventListener('leave', off, { once: true });

  clear(main,
    backLink(),
    h('h1', { class: 'page-title' }, tx(form.title)),
    task ? h('p', { class: 'meta' }, driveLabel(task.drive), ' · ', `${t('due')} ${dueText(task.dueAt)} `, badge) : null,
    serverSub ? receipt(serverSub, form) : task && task.comment && status === 'returned' ? h('p', { class: 'comment' }, t('returnedBy'), task.comment) : null,
    readOnly ? h('p', { class: 'note' }, t('readOnly')) : null,
    restored ? h('p', { class: 'note' }, t('restored'), ' ', h('button', { type: 'button', class: 'btn link', onclick: async () => {
      await kvDel(draftKey(user, drive));
      formPage(main, drive);
    } }, t('discardLocal'))) : null,
    editor.el,
    saved,
    actions);
}

// explanationsOf is a stored submission's 说明 by field path.
function explanationsOf(sub) {
  const out = {};
  for (const a of (sub && sub.anomalies) || []) if (a.explanation) out[a.field] = a.explanation;
  return out;
}

// forgetDraft drops the phone's copy of answers once they reached the
// server, unless they were edited after being queued.
export async function forgetDraft({ entry }) {
  const cur = await kvGet(draftKey(entry.user, entry.drive));
  if (cur && cur.at <= entry.createdAt) await kvDel(draftKey(entry.user, entry.drive));
}

// dropLocal forgets everything a user left on this phone.
export async function dropLocal(user) {
  for (const key of await kvKeys(`draft:${user}:`)) await kvDel(key);
  for (const key of await kvKeys(`sub:${user}:`)) await kvDel(key);
}

// receipt is what the school has on record: when it submitted and which
// version, the reviewer's comment, and the verdict on each section with
// its reason.
function receipt(sub, form) {
  const handed = !!sub.submittedAt;
  const review = sub.review && sub.review.comment
    ? h('p', { class: 'comment' }, sub.review.action === 'return' ? t('returnedBy') : t('approvedBy'), sub.review.comment)
    : null;
  const verdicts = handed ? (sub.compliance || []).map((c) => {
    const sec = form.sections.find((x) => x.indicator === c.indicator);
    return h('li', { class: 'verdict c-' + c.status },
      h('div', { class: 'task-head' }, h('span', null, sec ? tx(sec.title) : ''), h('span', { class: 'badge c-' + c.status }, t('c_' + c.status))),
      c.reason && tx(c.reason) ? h('p', { class: 'reason' }, tx(c.reason)) : null);
  }) : [];
  return h('section', { class: 'card receipt', id: 'receipt' },
    h('h2', null, t('receipt')),
    h('p', null, handed ? t('receiptLine', when(sub.submittedAt), sub.version) : t('draftLine', when(sub.updatedAt))),
    review,
    verdicts.length ? [h('h3', null, t('verdicts')), h('ul', { class: 'list verdicts' }, verdicts)] : null);
}

function backLink() {
  return h('a', { href: '#/tasks', class: 'back' }, '‹ ' + t('back'));
}

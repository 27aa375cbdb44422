// The outbox: every save and submission goes through it, so nothing typed is
// lost to a bad connection. Entries live in IndexedDB (not in the service
// worker) and the page sends them, one at a time, retrying with backoff.
import { boxAll, boxPut, boxDel, kvGet, kvSet } from './db.js';
import { get, post, put, ApiError, NetError, retryable } from './api.js';
import { session } from './session.js';

const events = new EventTarget();
export const onOutbox = (fn) => events.addEventListener('change', () => fn());
const changed = () => events.dispatchEvent(new Event('change'));
// onSent hears every submission the outbox delivers; it returns the way
// to stop hearing.
export function onSent(fn) {
  const hear = (e) => fn(e.detail);
  events.addEventListener('sent', hear);
  return () => events.removeEventListener('sent', hear);
}

let busy = false;
let paused = false; // signed out or sign-in expired
let timer = null;
export const inFlight = () => busy;

const knownKey = (user, drive) => `sub:${user}:${drive}`;

// known is what this phone knows of the school's submission to a drive:
// {id, version, status}.
export const known = (user, drive) => kvGet(knownKey(user, drive));

export async function setKnown(user, drive, k) {
  const old = await known(user, drive);
  if (!old || !k.version || k.version >= (old.version || 0)) await kvSet(knownKey(user, drive), k);
}

export async function entries(user) {
  const all = await boxAll();
  return all.filter((e) => !user || e.user === user).sort((a, b) => a.key - b.key);
}

// enqueue stores a full snapshot of a drive's answers; it replaces older
// unsent snapshots of the same drive, which it supersedes. explanations
// are the 说明 of values outside their usual range, by field path.
export async function enqueue(drive, values, draft, label, explanations = {}) {
  const user = session().user.id;
  for (const e of await entries(user)) {
    if (e.drive === drive && e.state !== 'sending') await boxDel(e.key);
  }
  const entry = {
    user, drive, label, values, draft, explanations, id: crypto.randomUUID(),
    createdAt: Date.now(), attempts: 0, nextAt: 0, state: 'pending',
  };
  entry.key = await boxPut(entry);
  changed();
  flush();
  return entry;
}

export async function discard(key) {
  await boxDel(key);
  changed();
}

// flush sends what is due now; resume() restarts after a sign-in.
export function flush(force = false) {
  if (force) retryAllNow().then(() => run());
  else run();
}

async function retryAllNow() {
  for (const e of await entries()) {
    if (e.state === 'pending') { e.nextAt = 0; await boxPut(e); }
  }
}

export function pause() { paused = true; }
export function resume() { paused = false; flush(true); }

async function run() {
  if (busy || paused || !session()) return;
  busy = true;
  try {
    const lock = navigator.locks ? (fn) => navigator.locks.request('tianbao-outbox', fn) : (fn) => fn();
    await lock(sendDue);
  } finally {
    busy = false;
    schedule();
  }
}

async function sendDue() {
  const s = session();
  if (!s) return;
  for (const e of await entries(s.user.id)) {
    if (paused) return;
    // a "sending" entry here was cut off by a closed page: we hold the lock
    if (e.state === 'error' || e.nextAt > Date.now()) continue;
    e.state = 'sending';
    await boxPut(e);
    changed();
    const outcome = await send(e);
    if (outcome === 'stop') return;
  }
}

async function schedule() {
  clearTimeout(timer);
  const s = session();
  if (!s || paused) return;
  const due = (await entries(s.user.id)).filter((e) => e.state === 'pending').map((e) => e.nextAt);
  if (due.length) timer = setTimeout(run, Math.max(500, Math.min(...due) - Date.now()));
}

async function send(e) {
  try {
    const sub = await deliver(e);
    await setKnown(e.user, e.drive, { id: sub.id, version: sub.version, status: sub.status });
    await boxDel(e.key);
    changed();
    events.dispatchEvent(new CustomEvent('sent', { detail: { entry: e, submission: sub } }));
    return 'ok';
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.problem.code === 'password_change_required')) {
      e.state = 'pending';
      await boxPut(e);
      paused = true;
      changed();
      return 'stop';
    }
    if (retryable(err)) {
      e.attempts++;
      const wait = Math.min(60000, 1000 * 2 ** Math.min(e.attempts, 6)) * (0.75 + Math.random() / 2);
      e.nextAt = Date.now() + wait;
      e.state = 'pending';
      e.error = err instanceof NetError ? null : { status: err.status, title: err.message };
    } else {
      e.state = 'error';
      e.error = { status: err.status, title: err.message, errors: err.fieldErrors || [] };
    }
    await boxPut(e);
    changed();
    return err instanceof NetError ? 'stop' : 'next';
  }
}

// deliver creates or revises the submission; on a conflict it learns the
// server's current version once and tries again.
async function deliver(e, again = true) {
  const k = await known(e.user, e.drive);
  try {
    const explanations = e.explanations || {};
    if (!k) return (await post(`/drives/${enc(e.drive)}/submissions`, { id: e.id, values: e.values, draft: e.draft, explanations })).data;
    return (await put(`/submissions/${enc(k.id)}`, { values: e.values, draft: e.draft, explanations }, { headers: { 'If-Match': `"${k.version}"` } })).data;
  } catch (err) {
    if (again && err instanceof ApiError && err.status === 409 && (await relearn(e, k))) return deliver(e, false);
    throw err;
  }
}

// relearn asks the server which submission and version the school has.
async function relearn(e, k) {
  if (!k) {
    try {
      const sub = (await get(`/submissions/${enc(e.id)}`)).data;
      await kvSet(knownKey(e.user, e.drive), { id: sub.id, version: sub.version, status: sub.status });
      return true;
    } catch { /* not ours: another submission exists */ }
  }
  const res = await get('/tasks');
  if (res.cached) return false;
  const task = (res.data.tasks || []).find((t) => t.drive.id === e.drive);
  if (!task || !task.submission) return false;
  await kvSet(knownKey(e.user, e.drive), { id: task.submission, version: task.version, status: task.status });
  return !k || task.version !== k.version || task.submission !== k.id;
}

const enc = encodeURIComponent;

// whenIdle resolves once no send is in flight.
export async function whenIdle() {
  while (busy) await new Promise((r) => setTimeout(r, 200));
}

addEventListener('online', () => flush(true));
document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && flush());

// The form engine on the phone: the same JSON Logic rules and the same
// checks as the server (forms/validate.go), with the same messages, so a
// form that passes here passes there.

import { logic, hasOwn } from './engine.js';

const ITERATORS = { map: 1, filter: 1, all: 1, some: 1, none: 1, reduce: 1 };

// needs lists the variables a rule reads without a default outside
// iteration bodies: when one is empty the rule is not evaluated.
export function needs(rule) {
  const out = new Set();
  const walk = (n, top) => {
    if (Array.isArray(n)) return n.forEach(e => walk(e, top));
    if (!n || typeof n !== 'object') return;
    const op = Object.keys(n)[0];
    const args = Array.isArray(n[op]) ? n[op] : [n[op]];
    if (op === 'var') {
      if (top && args.length === 1 && typeof args[0] === 'string' && args[0] !== '') out.add(args[0]);
    } else if (op === 'missing') {
      args.forEach(a => typeof a !== 'string' && walk(a, top));
    } else if (ITERATORS[op]) {
      walk(args[0], top);
      walk(args[1], false);
    } else {
      walk(n[op], top);
    }
  };
  walk(rule, true);
  return [...out];
}

const cache = new WeakMap();
const needsOf = rule => {
  if (!cache.has(rule)) cache.set(rule, needs(rule));
  return cache.get(rule);
};

export function lookup(data, path) {
  let cur = data;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) || !hasOwn(cur, part)) return null;
    cur = cur[part];
  }
  return cur ?? null;
}

// evalRule returns {ok, value}; ok is false when a needed variable is empty
// or evaluation fails.
export function evalRule(rule, data) {
  if (rule && typeof rule === 'object') {
    for (const p of needsOf(rule)) if (lookup(data, p) == null) return { ok: false };
  }
  try {
    return { ok: true, value: logic().apply(rule, data) };
  } catch {
    return { ok: false };
  }
}

export const truthy = v => globalThis.jsonLogic.truthy(v) && !(typeof v === 'number' && isNaN(v));

// Messages, as the server words them.
const TYPE = {
  integer: ['整数', 'a whole number'], decimal: ['数字', 'a number'], percent: ['0–100 的百分数', 'a percentage from 0 to 100'],
  boolean: ['是或否', 'yes or no'], choice: ['选项之一', 'one of the options'], multi: ['选项列表', 'a list of options'],
  date: ['日期（YYYY-MM-DD）', 'a date (YYYY-MM-DD)'], text: ['文字', 'text'], repeat: ['行的列表', 'a list of rows'],
  computed: ['计算值', 'a computed value'],
};
const zl = f => (f.label && f.label.zh) || f.id;
const el = f => (f.label && (f.label.en || f.label.zh)) || f.id;

// fmtNum formats a limit as the validator's translators do (1,000.5).
export function fmtNum(n) {
  const [i, d] = String(n).split('.');
  const g = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return d ? g + '.' + d : g;
}

export const messages = {
  type: f => ({ zh: `${zl(f)}须为${TYPE[f.type][0]}`, en: `${el(f)} must be ${TYPE[f.type][1]}` }),
  required: f => ({ zh: `${zl(f)}为必填字段`, en: `${el(f)} is a required field` }),
  min: (f, n) => ({ zh: `${zl(f)}最小只能为${fmtNum(n)}`, en: `${el(f)} must be ${fmtNum(n)} or greater` }),
  max: (f, n) => ({ zh: `${zl(f)}必须小于或等于${fmtNum(n)}`, en: `${el(f)} must be ${fmtNum(n)} or less` }),
  max_length: (f, n) => ({ zh: `${zl(f)}长度不能超过${fmtNum(n)}个字符`, en: `${el(f)} must be a maximum of ${fmtNum(n)} ${n === 1 ? 'character' : 'characters'} in length` }),
  option: f => {
    const vals = (f.options || []).map(o => o.value).join(' ');
    return { zh: `${zl(f)}必须是[${vals}]中的一个`, en: `${el(f)} must be one of [${vals}]` };
  },
  precision: f => ({ zh: `${zl(f)}最多保留 ${f.precision} 位小数`, en: `${el(f)} allows at most ${f.precision} decimal places` }),
  pattern: f => ({ zh: zl(f) + '格式不正确', en: el(f) + ' is not in the expected format' }),
  rows_min: (f, n) => ({ zh: `${zl(f)}至少需要 ${n} 行`, en: `${el(f)} needs at least ${n} rows` }),
  rows_max: (f, n) => ({ zh: `${zl(f)}最多 ${n} 行`, en: `${el(f)} allows at most ${n} rows` }),
};

const WIDE = /[\uff10-\uff19\uff0e\uff0d\uff0b]/g;
const narrow = s => s.replace(WIDE, c => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

function decimals(n) {
  const s = String(n);
  if (s.includes('e')) return s.includes('e-') ? 99 : 0;
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

function limits(f) {
  let lo = f.min, hi = f.max;
  if (f.type === 'percent') {
    lo = lo != null && lo > 0 ? lo : 0;
    hi = hi != null && hi < 100 ? hi : 100;
  }
  return [lo, hi];
}

// shiftDay moves a "YYYY-MM-DD" day by n days.
const shiftDay = (d, n) => new Date(Date.parse(d + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);

// outside is the problem of a date held within the period (forms/within.go).
function outside(f, d, span) {
  const label = f.label || {};
  if (span.today && d > span.today) {
    return { code: 'future', message: { zh: `${label.zh}不能晚于今天（${span.today}）`, en: `${label.en || label.zh} cannot be after today (${span.today})` } };
  }
  if (!span.start || !span.end) return null;
  const lo = shiftDay(span.start, -(f.within.grace || 0)), hi = shiftDay(span.end, f.within.grace || 0);
  if (d < lo || d > hi) {
    return { code: 'period', message: { zh: `${label.zh}须在本期 ${lo} 至 ${hi} 之间`, en: `${label.en || label.zh} must be between ${lo} and ${hi}, within this period` } };
  }
  return null;
}

// localDay is today on this device, "YYYY-MM-DD".
const localDay = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

// parse turns what the user entered into the value sent to the server. It
// returns {value} (undefined when empty) or {error: {code, message}}; span
// is the period ({start, end, today}) dates held within it are checked in.
export function parse(f, raw, span = {}) {
  const bad = code => ({ error: { code, message: messages[code === 'date' ? 'type' : code](f) } });
  if (raw == null) return {};
  switch (f.type) {
    case 'integer': case 'decimal': case 'percent': {
      const s = narrow(String(raw)).trim();
      if (s === '') return {};
      const re = f.type === 'integer' ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)$/;
      if (!re.test(s)) return bad('type');
      const n = Number(s) + 0;
      if (!isFinite(n) || (f.type === 'integer' && Math.abs(n) > 2 ** 53)) return bad('type');
      if (f.type !== 'integer' && f.precision > 0 && decimals(n) > f.precision) return bad('precision');
      const [lo, hi] = limits(f);
      if (lo != null && n < lo) return { error: { code: 'min', message: messages.min(f, lo) } };
      if (hi != null && n > hi) return { error: { code: 'max', message: messages.max(f, hi) } };
      return { value: n };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : raw === '' ? {} : bad('type');
    case 'choice':
      if (raw === '') return {};
      return (f.options || []).some(o => o.value === raw) ? { value: raw } : bad('option');
    case 'multi': {
      if (!Array.isArray(raw) || raw.length === 0) return {};
      if (raw.some(v => !(f.options || []).some(o => o.value === v))) return bad('option');
      return { value: f.options.map(o => o.value).filter(v => raw.includes(v)) };
    }
    case 'date': {
      const s = String(raw).trim();
      if (s === '') return {};
      const d = new Date(s + 'T00:00:00Z');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || isNaN(d) || d.toISOString().slice(0, 10) !== s) return bad('date');
      const out = f.within && outside(f, s, span);
      return out ? { error: out } : { value: s };
    }
    case 'text': {
      const s = String(raw).trim();
      if (s === '') return {};
      const max = f.maxLength > 0 ? f.maxLength : 500;
      if ([...s].length > max) return { error: { code: 'max_length', message: messages.max_length(f, max) } };
      if (f.pattern) {
        try {
          if (!new RegExp(f.pattern, 'u').test(s)) return bad('pattern');
        } catch { /* a pattern JavaScript cannot read is left to the server */ }
      }
      return { value: s };
    }
  }
  return {};
}

function computedValue(f, res) {
  if (!res.ok) return undefined;
  let x = res.value;
  if (typeof x === 'number') {
    if (!isFinite(x)) return undefined;
    if (f.precision > 0) {
      const p = 10 ** f.precision;
      x = Math.sign(x) * Math.round(Math.abs(x) * p) / p;
    }
    return x + 0;
  }
  return typeof x === 'boolean' || typeof x === 'string' ? x : undefined;
}

// computeOrder puts computed fields after the computed fields they read.
function computeOrder(fields) {
  const byId = Object.fromEntries(fields.filter(f => f.type === 'computed').map(f => [f.id, f]));
  const order = [], state = {};
  const deps = f => {
    const ids = [];
    const walk = n => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      for (const [op, a] of Object.entries(n)) {
        const args = Array.isArray(a) ? a : [a];
        if (op === 'var' || op === 'missing') {
          args.forEach((p, i) => {
            if (typeof p === 'string' && (op === 'missing' || i === 0)) ids.push(p.replace(/^row\./, '').split('.')[0]);
          });
        }
        walk(a);
      }
    };
    walk(f.compute);
    return ids;
  };
  const visit = f => {
    if (state[f.id]) return;
    state[f.id] = 1;
    deps(f).forEach(d => byId[d] && !state[d] && visit(byId[d]));
    state[f.id] = 2;
    order.push(f);
  };
  Object.values(byId).forEach(visit);
  return order;
}

const orders = new WeakMap();
const orderOf = fields => {
  if (!orders.has(fields)) orders.set(fields, computeOrder(fields));
  return orders.get(fields);
};

function runComputes(fields, vals, data) {
  for (const f of orderOf(fields)) {
    delete vals[f.id];
    if (!f.compute) continue;
    const v = computedValue(f, evalRule(f.compute, data));
    if (v !== undefined) vals[f.id] = v;
  }
}

// relevance is 'shown', 'hidden', or 'unknown' when the relevant rule reads
// an empty field: an unknown field is shown but optional.
function relevance(f, data) {
  if (f.relevant == null) return 'shown';
  const r = evalRule(f.relevant, data);
  if (!r.ok) return 'unknown';
  return truthy(r.value) ? 'shown' : 'hidden';
}

// check validates the raw answers of a whole form. school is the rule data
// "school" object; past holds the school's values in the previous period
// and in the same period of the previous year ({previous, previousYear},
// as GET /drives/{drive}/context gives them), read as prev.* and
// prevYear.*, and the fields explained ({explained: {path: true}}), read as
// explained.*. It returns {values, computed, hidden, errors}: values ready
// to send (no computed or hidden fields, invalid ones left out); computed
// and hidden keyed by path; errors as [{field, code, message}].
export function check(form, raw, school, draft = false, past = {}) {
  const out = { values: {}, computed: {}, hidden: {}, errors: [] };
  const earlier = (vals, code) => (vals && hasOwn(vals, code) && vals[code]) || {};
  const span = { today: localDay(), ...(past.period || {}) };
  for (const sec of form.sections) {
    const obj = (raw && raw[sec.indicator]) || {};
    const targets = sec.targets || {};
    const explained = {};
    for (const f of sec.fields) explained[f.id] = !!(past.explained && past.explained[sec.indicator + '.' + f.id]);
    const data = { target: targets, school, prev: earlier(past.previous, sec.indicator), prevYear: earlier(past.previousYear, sec.indicator), explained };
    const vals = {};
    for (const f of sec.fields) {
      const path = sec.indicator + '.' + f.id;
      if (f.type === 'computed') continue;
      if (f.type === 'repeat') {
        const rows = checkRows(f, obj[f.id], path, targets, school, draft, out, span);
        if (rows.length) vals[f.id] = rows;
        continue;
      }
      const p = parse(f, obj[f.id], span);
      if (p.error) out.errors.push({ field: path, ...p.error });
      else if (p.value !== undefined) vals[f.id] = p.value;
    }
    Object.assign(data, vals);
    runComputes(sec.fields, data, data);
    finish(sec.fields, data, data, sec.indicator + '.', draft, out);
    const send = {};
    for (const f of sec.fields) {
      const v = data[f.id];
      if (v === undefined) continue;
      if (f.type === 'computed') out.computed[sec.indicator + '.' + f.id] = v;
      else if (f.type === 'repeat') send[f.id] = v.map(row => stripComputed(f, row));
      else send[f.id] = v;
    }
    if (Object.keys(send).length) out.values[sec.indicator] = send;
  }
  return out;
}

function checkRows(f, list, path, targets, school, draft, out, span) {
  const rows = [];
  if (!Array.isArray(list)) return rows;
  if (f.maxRows && list.length > f.maxRows) out.errors.push({ field: path, code: 'rows_max', message: messages.rows_max(f, f.maxRows) });
  list.forEach((r, i) => {
    const rp = `${path}[${i}]`;
    const row = {};
    for (const rf of f.fields || []) {
      if (rf.type === 'computed' || rf.type === 'repeat') continue;
      const p = parse(rf, (r || {})[rf.id], span);
      if (p.error) out.errors.push({ field: rp + '.' + rf.id, ...p.error });
      else if (p.value !== undefined) row[rf.id] = p.value;
    }
    const data = { target: targets, school, row };
    runComputes(f.fields || [], row, data);
    finish(f.fields || [], row, data, rp + '.', draft, out);
    for (const rf of f.fields || []) {
      if (rf.type === 'computed' && row[rf.id] !== undefined) out.computed[rp + '.' + rf.id] = row[rf.id];
    }
    rows.push(row);
  });
  return rows;
}

function stripComputed(f, row) {
  const out = {};
  for (const rf of f.fields || []) if (rf.type !== 'computed' && row[rf.id] !== undefined) out[rf.id] = row[rf.id];
  return out;
}

function finish(fields, vals, data, prefix, draft, out) {
  for (const f of fields) {
    const path = prefix + f.id;
    const rel = relevance(f, data);
    if (rel === 'hidden') {
      out.hidden[path] = true;
      delete vals[f.id];
      out.errors = out.errors.filter(e => e.field !== path && !e.field.startsWith(path + '['));
      continue;
    }
    if (draft) continue;
    const v = vals[f.id];
    if (v === undefined) {
      if (rel !== 'shown' || out.errors.some(e => e.field === path)) continue;
      if (f.required) out.errors.push({ field: path, code: 'required', message: messages.required(f) });
      else if (f.type === 'repeat' && f.minRows > 0) out.errors.push({ field: path, code: 'rows_min', message: messages.rows_min(f, f.minRows) });
      continue;
    }
    if (f.type === 'repeat' && v.length < (f.minRows || 0)) out.errors.push({ field: path, code: 'rows_min', message: messages.rows_min(f, f.minRows) });
    for (const k of f.constraints || []) {
      const r = evalRule(k.rule, data);
      if (r.ok && !truthy(r.value)) out.errors.push({ field: path, code: 'constraint', message: k.message });
    }
  }
}

// schoolData is the "school" object rules read, from GET /me's org.
export function schoolData(org) {
  org = org || {};
  return {
    code: org.id || '', stages: org.stages || [], classrooms: org.classrooms || 0,
    students: org.students || 0, public: !!org.public, urban: !!org.urban,
  };
}

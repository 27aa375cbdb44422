// Values outside their usual range, as the server finds them
// (forms/change.go): the same arithmetic in the same order, so the phone
// asks for an explanation exactly when the server would.

const MAD_SCALE = 1.4826;

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// usualRange returns {lo, hi, used} for a resolved change and a field's
// history (previous period first, NaN where none), or null.
export function usualRange(c, hist) {
  let limit = c.limit || 0;
  if (c.method === 'robust') {
    const used = hist.slice(0, c.periods).filter((v) => !Number.isNaN(v));
    if (used.length >= c.minHistory && used.length > 0) {
      const med = median(used);
      const dev = used.map((v) => Math.abs(v - med));
      const half = Math.max(limit * MAD_SCALE * median(dev), c.floor || 0);
      return { lo: med - half, hi: med + half, used };
    }
    limit = c.fallback || 0;
  }
  if (!hist.length || Number.isNaN(hist[0])) return null;
  const prev = hist[0];
  let half = limit;
  if (c.method !== 'absolute') half = limit * Math.abs(prev);
  half = Math.max(half, c.floor || 0);
  return { lo: prev - half, hi: prev + half, used: [prev] };
}

const own = (o, k) => o != null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

// history is a field's number in each earlier period, NaN where none.
function history(past, code, id) {
  return (past.history || []).map((vals) => {
    const v = own(vals, code) && own(vals[code], id) ? vals[code][id] : null;
    return typeof v === 'number' ? v : NaN;
  });
}

// anomalies lists, in form order, the values (as check returns them) that
// need an explanation: {field, kind, label, value, low, high, previous}.
export function anomalies(form, values, school, past = {}) {
  const out = [];
  for (const sec of form.sections) {
    const vals = (values && values[sec.indicator]) || {};
    for (const f of sec.fields) {
      const path = sec.indicator + '.' + f.id;
      if (f.rooms) {
        const rows = Array.isArray(vals[f.id]) ? vals[f.id].length : 0;
        const n = (school && school.classrooms) || 0;
        if (n > 0 && rows < n) out.push({ field: path, kind: 'rooms', label: f.label, value: rows, low: n, high: n, previous: [] });
        continue;
      }
      const v = vals[f.id];
      if (!f.change || typeof v !== 'number') continue;
      const r = usualRange(f.change, history(past, sec.indicator, f.id));
      if (r && (v < r.lo || v > r.hi)) out.push({ field: path, kind: 'change', label: f.label, value: v, low: r.lo, high: r.hi, previous: r.used });
    }
  }
  return out;
}

const num = (v) => String((Math.sign(v) * Math.round(Math.abs(v) * 100)) / 100);

// problem words an anomaly as the server's refusal does.
export function problem(a) {
  if (a.kind === 'rooms') {
    return {
      zh: `${a.label.zh}填了 ${num(a.value)} 行，少于学校登记的 ${num(a.low)} 间教室，请填写说明（未说明时达标率按登记教室数计算）`,
      en: `${a.label.en || a.label.zh} has ${num(a.value)} rows, fewer than the school's ${num(a.low)} registered classrooms; add an explanation (without one the rate counts every registered classroom)`,
    };
  }
  return {
    zh: `${a.label.zh}为 ${num(a.value)}，超出本校往期的常见范围 ${num(a.low)}–${num(a.high)}（往期：${a.previous.map(num).join('、')}），请填写说明`,
    en: `${a.label.en || a.label.zh} is ${num(a.value)}, outside the school's usual range ${num(a.low)}–${num(a.high)} (earlier: ${a.previous.map(num).join(', ')}); add an explanation`,
  };
}

// The JSON Logic engine of the phone: json-logic-js (vendor/logic.js, loaded
// by the page), with the operations it reads otherwise than the server
// (jsonlogic/v3, copied by forms/logic*.go) replaced by the server's reading.
// Together with the grammar the server accepts (forms/RULES.md) this gives
// the same answers on both sides; forms/phone_diff_test.go checks it.

export const hasOwn = (o, k) => o != null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

// White space as Go's unicode.IsSpace has it (not JavaScript's trim: no
// U+FEFF, but U+0085).
const SPACE = '[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const EDGE_SPACE = new RegExp(`^${SPACE}|${SPACE}$`, 'g');

// unit moves a UTF-16 unit so that units compare in code point order, as
// Go compares strings: surrogates above every other unit.
const unit = c => (c >= 0xd800 && c < 0xe000 ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);
function textBefore(a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return unit(a.charCodeAt(i)) < unit(b.charCodeAt(i));
  }
  return a.length < b.length;
}
const texts = (a, b) => typeof a === 'string' && typeof b === 'string';
const lt = (a, b) => (texts(a, b) ? textBefore(a, b) : a < b);
const le = (a, b) => (texts(a, b) ? !textBefore(b, a) : a <= b);

// extreme keeps the first of equal or unordered values (0 and -0, NaN after
// the first), as the server's min and max do.
const extreme = more => (...a) => a.reduce((m, x) => (more(x, m) ? x : m), a.length ? a[0] : null);

const SERVER_READING = {
  // A variable is an own key of the data (a field named "constructor" is
  // not Object's), and null gives the default.
  var(path, dflt) {
    const notFound = dflt === undefined ? null : dflt;
    if (path == null || path === '') return this;
    let cur = this;
    for (const part of String(path).split('.')) {
      if (!hasOwn(cur, part)) return notFound;
      cur = cur[part];
    }
    return cur ?? notFound;
  },
  // Missing means absent or null, not "".
  missing(...keys) {
    return keys.filter(k => globalThis.jsonLogic.apply({ var: k }, this) == null);
  },
  '<': (a, b, c) => (c === undefined ? lt(a, b) : lt(a, b) && lt(b, c)),
  '<=': (a, b, c) => (c === undefined ? le(a, b) : le(a, b) && le(b, c)),
  '>': (a, b) => lt(b, a),
  '>=': (a, b) => le(b, a),
  // No parseFloat, which loses the sign of zero: a lone operand as it is,
  // more added from 0 or multiplied from 1.
  '+': (...a) => (a.length === 1 ? a[0] : a.reduce((s, x) => s + x, 0)),
  '*': (...a) => a.reduce((p, x) => p * x, 1),
  min: extreme((x, m) => m > x),
  max: extreme((x, m) => x > m),
  // "" is in every text, "" included.
  in: (a, b) => (typeof b === 'string' ? b.includes(a) : Array.isArray(b) && b.indexOf(a) !== -1),
  cat: (...a) => a.join('').replace(EDGE_SPACE, ''),
  // Counts characters (code points); a start beyond either end gives the
  // whole text; a negative length ends that many characters before the end.
  substr(source, start, length) {
    const chars = Array.from(source == null ? '' : String(source));
    const n = chars.length;
    let from = Math.trunc(start);
    if (from < 0) from += n;
    if (from < 0 || from > n) return chars.join('');
    const len = length === undefined ? n : Math.trunc(length);
    const to = Math.min(len < 0 ? n + len : from + len, n);
    if (to < from) throw new RangeError('substr: the end is before the start');
    return chars.slice(from, to).join('');
  },
};

let engine;

// logic returns the page's json-logic-js, reading as the server.
export function logic() {
  if (engine !== globalThis.jsonLogic) {
    engine = globalThis.jsonLogic;
    for (const [name, fn] of Object.entries(SERVER_READING)) engine.add_operation(name, fn);
  }
  return engine;
}

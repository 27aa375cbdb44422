// How answers read: units as people write them, stored values with their
// unit, and stored values as the form's inputs hold them.
import { t, tx, lang } from './i18n.js';

// UNITS are the units of the catalog as people write them, in Chinese and
// in English.
const UNITS = {
  h: ['小时', 'h'], g: ['克', 'g'], 天: ['天', 'days'], 人: ['人', 'people'], 个: ['个', ''], 间: ['间', 'rooms'],
  盏: ['盏', 'lamps'], 条: ['条', 'items'], 次: ['次', 'times'], 分钟: ['分钟', 'min'], 学时: ['学时', 'class hours'],
  份: ['份', 'copies'], 处: ['处', 'places'],
};

// unitText shows a field's unit as people write it.
export const unitText = (u) => (UNITS[u] ? UNITS[u][lang() === 'en' ? 1 : 0] : u || '');

// formatValue shows a stored or computed value with its unit.
export function formatValue(f, v) {
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return '—';
  if (typeof v === 'boolean') return v ? '✓ ' + t('yes') : '✗ ' + t('no');
  if (f.type === 'choice' || f.type === 'multi') {
    const label = (x) => tx((f.options || []).find((o) => o.value === x)?.label) || x;
    return Array.isArray(v) ? v.map(label).join('、') : label(v);
  }
  if (typeof v === 'number' && f.precision > 0) v = Number(v.toFixed(f.precision));
  const u = unitText(f.unit);
  return u ? `${v} ${u}` : String(v);
}

// toRaw turns stored values into what the inputs hold (numbers as text).
export function toRaw(form, values) {
  const raw = {};
  const conv = (fields, obj) => {
    const out = {};
    for (const f of fields) {
      const v = obj && obj[f.id];
      if (v == null || f.type === 'computed') continue;
      if (f.type === 'repeat') out[f.id] = Array.isArray(v) ? v.map((r) => conv(f.fields || [], r)) : [];
      else out[f.id] = typeof v === 'number' ? String(v) : v;
    }
    return out;
  };
  for (const s of form.sections) raw[s.indicator] = conv(s.fields, values && values[s.indicator]);
  return raw;
}

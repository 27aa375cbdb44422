// Periods and drives named as people say them: 2026年12月, 2026年秋季学期,
// never 2026-12 or 2026-T2, and never a drive's id.
import { lang } from './i18n.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// periodLabel names a period key (2026-11, 2026-T1, 2026-T2, 2026-W47,
// 2026) in the given language, the current one by default.
export function periodLabel(key, l = lang()) {
  const en = l === 'en';
  const s = String(key || '');
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(s))) return en ? `${MONTHS[+m[2] - 1]} ${m[1]}` : `${m[1]}年${+m[2]}月`;
  if ((m = /^(\d{4})-T([12])$/.exec(s))) {
    const spring = m[2] === '1'; // January–July; T2 is August–December
    return en ? `${spring ? 'Spring' : 'Autumn'} term ${m[1]}` : `${m[1]}年${spring ? '春季' : '秋季'}学期`;
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(s))) return en ? `Week ${+m[2]}, ${m[1]}` : `${m[1]}年第${+m[2]}周`;
  if (/^\d{4}$/.test(s)) return en ? s : `${s}年`;
  return s;
}

// driveLabel names a drive by its period and what it collects: "2026年12月
// 月度填报" for a schedule's drive named "月度填报 2026-12".
export function driveLabel(d) {
  if (!d) return '';
  const p = d.period || '';
  let what = String(d.name || '').trim();
  if (p && what.includes(p)) what = what.replace(p, '').replace(/\s+/g, ' ').trim();
  for (const l of ['zh', 'en']) {
    const named = periodLabel(p, l);
    if (p && what.startsWith(named)) what = what.slice(named.length).trim();
  }
  return p ? `${periodLabel(p)} ${what}`.trim() : what;
}

// frequencyLabel names a frequency: 每月, 每学期 …
export function frequencyLabel(f) {
  const zh = { weekly: '每周', monthly: '每月', termly: '每学期', yearly: '每年' };
  const en = { weekly: 'Weekly', monthly: 'Monthly', termly: 'Each term', yearly: 'Yearly' };
  return (lang() === 'en' ? en : zh)[f] || f;
}

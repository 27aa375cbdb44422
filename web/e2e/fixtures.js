// Data for the bureau's browser tests, made through the API as the demo
// city's schools and admin would: monthly answers (some below target), a
// drive of the month before that is past due but still open, and one that
// is closed and locked.
import { login } from './server.js';

// monthly answers the demo's monthly form; dim lights one of the two
// classrooms below 300 lx, so lighting is not compliant.
export function monthly({ dim = false, meals = 20 } = {}) {
  const room = (name, lux) => ({ name, desk_lux: lux, desk_uniformity: 0.75, board_lamps: true, board_lux: 520, board_uniformity: 0.85, cct: 4500, ra: 85, ugr: 17, lpd: 9 });
  return {
    canteen: {
      meal_days: meals, meals: ['lunch'], accompany_days: meals, sample_days: meals, sample_grams_min: 130, sample_hours_min: 48, canteen_staff: 6, staff_certified: 6,
      purchase_checked: true, stock_records: true, cost_accounted: true, camera_online: true, self_inspected: true, problems_found: 0,
      notes: '本月食堂运行正常，陪餐记录、留样记录齐全，发现的问题均已当场整改完毕，并在校务公开栏公示。',
    },
    bullying: { screening_done: true, students_covered: 150, classes_covered: 6, found_physical: 0, found_verbal: 0, found_property: 0, found_online: 0, zero_report: true },
    lighting: { classrooms: [room('三年级1班', 320), room('三年级2班', dim ? 280 : 310)] },
    activity: { school_days: 21, pe_days: 21, daily_minutes: 120 },
    hazards: { inspections: 4, items: [] },
  };
}

// PRIMARY are demo schools with the primary stage only, three per district.
export const PRIMARY = ['0999901003', '0999901004', '0999901005', '0999902003', '0999902004', '0999902005', '0999903003', '0999903004', '0999903005'];

// submit sends a school's answers to a drive and returns the submission;
// its two classrooms of the school's registered ones come with a 说明.
export async function submit(server, school, drive, values) {
  const api = await login(server.url, 'school-' + school, server.password);
  const explanations = { 'lighting.classrooms': '其余教室下月检测' };
  const res = await api('POST', `/drives/${drive}/submissions`, { id: crypto.randomUUID(), values, draft: false, explanations });
  if (res.status !== 201) throw new Error(`${school} → ${drive}: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data;
}

// olderDrives makes, as the admin, November's monthly drive (past due, still
// open) and October's (closed), both of the demo plan.
export async function olderDrives(server) {
  const admin = await login(server.url, 'admin', server.password);
  const make = async (period, opens, due, closes) => {
    const res = await admin('POST', '/drives', { name: '月度填报', plan: 'plan-2026', period, opensAt: opens, dueAt: due, closesAt: closes });
    if (res.status !== 201) throw new Error(`drive ${period}: ${res.status} ${JSON.stringify(res.data)}`);
    return res.data;
  };
  const november = await make('2026-11', '2026-11-01T00:00:00+08:00', '2026-11-20T00:00:00+08:00', '2027-03-01T00:00:00+08:00');
  const october = await make('2026-10', '2026-10-01T00:00:00+08:00', '2026-10-20T00:00:00+08:00', '2026-10-31T00:00:00+08:00');
  return { november, october, admin };
}

// The phone's checks (static/js/rules.js) against the server's on the same
// answers: the same fields in error, with the same messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, login } from './server.js';

const m = { exports: {} };
new Function('module', 'exports', readFileSync(new URL('../static/vendor/logic.js', import.meta.url), 'utf8'))(m, m.exports);
globalThis.jsonLogic = m.exports;
const { check, schoolData } = await import('../static/js/rules.js');

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// wire turns typed answers into JSON as a careless client would send them:
// numbers where the text is a number, the text itself otherwise.
function wire(raw) {
  if (Array.isArray(raw)) return raw.map(wire);
  if (raw && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, wire(v)]));
  return typeof raw === 'string' && raw.trim() !== '' && !isNaN(Number(raw)) ? Number(raw) : raw;
}

function drop(values, path) {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  const last = parts.pop();
  const parent = parts.reduce((o, k) => (o == null ? o : o[k]), values);
  if (parent) delete parent[last];
}

const cases = {
  'constraints, limits, lengths, skip logic': {
    canteen: { meal_days: '20', meals: ['lunch'], accompany_days: '25', sample_days: '20', sample_grams_min: '1300', notes: '长'.repeat(201), problems_found: '2' },
    bullying: { screening_done: true, students_covered: '5000', found_physical: '1', found_verbal: '0', found_property: '0', found_online: '0', handled: '3' },
    activity: { school_days: '20', pe_days: '22', daily_minutes: '60' },
  },
  'repeat rows and decimals': {
    lighting: { classrooms: [
      { name: '一年级1班', desk_lux: '300.25', desk_uniformity: '1.5', board_lamps: true, cct: '4000', ra: '85', ugr: '1.25', lpd: '9' },
      { desk_lux: '320', desk_uniformity: '0.8', board_lamps: false, cct: '999', ra: '85', ugr: '17', lpd: '9' },
    ] },
    canteen: { meal_days: '20', meals: ['breakfast', 'lunch', 'supper'], breakfast_served: '21', breakfast_accompanied: '20', lunch_served: '20', lunch_accompanied: '21', accompany_days: '20' },
    hazards: { inspections: '2', items: [
      { category: 'fire', place: '教学楼', description: '灭火器过期', found_on: '2026-11-02', level: 'general', status: 'closed', closed_on: '2026-11-01' },
      { category: 'traffic', place: '校门', description: '减速带损坏', found_on: '2026-11-02', level: 'major', status: 'open', deadline: '2026-10-30' },
    ] },
  },
  'counts of meals not ticked': {
    canteen: { meal_days: '20', breakfast_served: '20', lunch_served: '40', supper_accompanied: 'abc' },
  },
  'wrong types': {
    canteen: { meal_days: '3.5', accompany_days: 'abc', canteen_staff: '-1' },
    hazards: { items: [{ found_on: '2026-02-30', hazard_id: '编号' }] },
  },
};

test('the phone and the server find the same errors', async () => {
  const api = await login(server.url, 'school-0999901004', server.password);
  const me = (await api('GET', '/me')).data;
  const drive = (await api('GET', '/tasks')).data.tasks.find((x) => x.drive.frequency === 'monthly').drive.id;
  const form = (await api('GET', `/drives/${drive}/form`)).data;
  for (const [name, raw] of Object.entries(cases)) {
    const result = check(form, raw, schoolData(me.org), false);
    const mine = result.errors;
    const values = wire(raw);
    for (const path of Object.keys(result.hidden)) drop(values, path); // the phone never sends hidden answers
    const res = await api('POST', `/drives/${drive}/submissions`, { id: crypto.randomUUID(), values, draft: false });
    assert.equal(res.status, 422, name);
    const theirs = new Map();
    for (const e of res.data.errors) theirs.set(e.field, [...(theirs.get(e.field) || []), e.message]);
    const fields = [...new Set(mine.map((e) => e.field))].sort();
    assert.deepEqual(fields, [...theirs.keys()].sort(), name + ': fields in error');
    for (const e of mine) assert.ok(theirs.get(e.field).includes(e.message.zh), `${name}: ${e.field}: "${e.message.zh}" not in ${theirs.get(e.field)}`);
  }
});

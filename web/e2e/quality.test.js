// Quick entry of long repeat groups and checks at entry, at 360×640: a
// school with 12 registered classrooms fills the lighting section by copying
// rows, finished rows fold to one line with their verdict (the section's
// height is measured folded and unfolded, as every row was shown before),
// a removed row comes back with undo, fewer rows than registered ask for a
// 说明, and a screening date in the future is refused on the phone and by
// the server. With last month on record (the form's context), a new report
// starts with the carried answers, "与上期相同" takes last month's, and a
// jump from 21 to 2 asks for a 说明 before it can be sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from './server.js';
import { launch } from './browser.js';
import { screen } from './screens.js';

const SCHOOL = '0999901003'; // a primary school
let server, browser, lean;

before(async () => {
  server = await startServer();
});

after(async () => {
  await browser?.close();
  await lean?.close();
  await server?.stop();
});

const id = (path) => '#f-' + path.replace(/[^a-zA-Z0-9_-]/g, '-');

const ROOM = { desk_lux: 320.5, desk_uniformity: 0.75, cct: 4500, ra: 85, ugr: 17, lpd: 9 };

test('long repeat groups, rooms against the registry, dates of the period', async (t) => {
  const admin = await login(server.url, 'admin', server.password);
  const org = (await admin('GET', '/orgs/' + SCHOOL)).data;
  const put = await admin('PUT', '/orgs/' + SCHOOL, {
    name: org.name, stages: org.stages, classrooms: 12, students: org.students, contact: org.contact, phone: org.phone,
    public: org.public, urban: org.urban,
  });
  assert.equal(put.status, 200, JSON.stringify(put.data));
  const schoolApi = await login(server.url, 'school-' + SCHOOL, server.password);
  const tasks = (await schoolApi('GET', '/tasks')).data.tasks;
  const monthly = tasks.find((x) => x.drive.frequency === 'monthly').drive.id;
  const termly = tasks.find((x) => x.drive.frequency === 'termly').drive.id;

  browser = await launch();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.setViewportSize({ width: 360, height: 640 });
  await page.goto(server.url + '/');
  await page.locator('#username').fill('school-' + SCHOOL);
  await page.locator('#password').fill(server.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.task').first().waitFor();

  await t.test('12 classrooms: one typed, eleven copied, each folded to a line', async () => {
    await page.goto(`${server.url}/#/form/${monthly}`);
    const section = page.locator(id('lighting'));
    await section.getByRole('button', { name: '+ 添加一行' }).click();
    await page.locator(id('lighting.classrooms[0].name')).fill('一年级1班');
    for (const [k, v] of Object.entries(ROOM)) await page.locator(id(`lighting.classrooms[0].${k}`)).fill(String(v));
    await page.locator(`input[name="${id('lighting.classrooms[0].board_lamps').slice(1)}"]`).nth(1).check();
    // fewer rows than the 12 registered: a 说明 is asked for, the rate counts all 12
    assert.match(await page.locator(id('lighting.classrooms') + '-why-msg').textContent(), /填了 1 行，少于学校登记的 12 间教室/);
    for (let i = 1; i < 12; i++) {
      await section.getByRole('button', { name: '复制上一行' }).click();
      assert.equal(await page.locator(id(`lighting.classrooms[${i}].desk_lux`)).inputValue(), '320.5', 'the copy keeps the measurements');
      assert.equal(await page.locator(id(`lighting.classrooms[${i}].name`)).inputValue(), '', 'the copy asks for a new name');
      await page.locator(id(`lighting.classrooms[${i}].name`)).fill(`一年级${i + 1}班`);
    }
    assert.ok(await page.locator(id('lighting.classrooms') + '-why').isHidden(), 'twelve rows need no 说明');
    assert.equal(await page.locator(id('lighting.classroom_count')).textContent(), '12 间');
    // the last row is still open; fold it like the others
    await section.locator('.row').nth(11).getByRole('button', { name: '收起' }).click();
    assert.equal(await section.locator('.row.folded').count(), 12);
    assert.equal(await section.locator('.row').nth(4).locator('.row-head').innerText().then((s) => s.replace(/\s+/g, ' ')),
      '第 5 行 一年级5班 ✗ 不达标 展开 删除此行');
    const folded = await section.evaluate((el) => el.scrollHeight);
    await screen(page, 'q1-rows-folded', { sizes: [[360, 640]] });
    for (let i = 0; i < 12; i++) await section.locator('.row').nth(i).getByRole('button', { name: '展开' }).click();
    const unfolded = await section.evaluate((el) => el.scrollHeight);
    console.log(`lighting section with 12 classrooms at 360×640: ${unfolded} px with every row open (the layout before), ` +
      `${folded} px folded (${Math.round((100 * folded) / unfolded)} %, ${(unfolded / 640).toFixed(1)} → ${(folded / 640).toFixed(1)} screens)`);
    assert.ok(folded * 4 < unfolded, `folded ${folded} px is not a fraction of ${unfolded} px`);
    for (let i = 0; i < 12; i++) await section.locator('.row').nth(i).getByRole('button', { name: '收起' }).click();
  });

  await t.test('a removed row comes back where it was', async () => {
    const section = page.locator(id('lighting'));
    await section.getByRole('button', { name: '删除此行 3' }).click();
    assert.equal(await section.locator('.row').count(), 11);
    assert.match(await section.locator('.undo').textContent(), /已删除第 3 行 一年级3班/);
    assert.ok(await page.locator(id('lighting.classrooms') + '-why').isVisible(), 'eleven of twelve ask for a 说明 again');
    await section.locator('.undo').getByRole('button', { name: '撤销' }).click();
    assert.equal(await section.locator('.row').count(), 12);
    assert.equal(await page.locator(id('lighting.classrooms[2].name')).inputValue(), '一年级3班');
    assert.ok(await section.locator('.undo').isHidden());
  });

  await t.test('jump to a section', async () => {
    await page.locator('nav.jump a', { hasText: '教室照明达标情况' }).click();
    const top = await page.locator(id('lighting')).evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top < 200, `the lighting section starts at ${top}px`);
  });

  await t.test('a screening date after today is refused on the phone and by the server', async () => {
    await page.goto(`${server.url}/#/form/${termly}`);
    const date = page.locator(id('myopia.screening_date'));
    await date.fill('2027-03-01');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    assert.match(await page.locator(id('myopia.screening_date') + '-err').textContent(), /筛查日期不能晚于今天/);
    const res = await schoolApi('POST', `/drives/${termly}/submissions`, {
      id: crypto.randomUUID(), values: { myopia: { screening_date: '2027-03-01', screened: 100, myopic: 30 } },
    });
    assert.equal(res.status, 422);
    assert.ok(res.data.errors.some((e) => e.field === 'myopia.screening_date' && e.code === 'future'), JSON.stringify(res.data));
  });
});

const LAST_MONTH = {
  meal_days: 21, meals: ['lunch'], accompany_days: 21, sample_days: 21, sample_grams_min: 130, sample_hours_min: 48,
  canteen_staff: 6, staff_certified: 6, purchase_checked: true, stock_records: true, cost_accounted: true,
  camera_online: true, self_inspected: true, problems_found: 0,
};

test('last month on record: carried answers, 与上期相同, a 说明 for a jump', async () => {
  const schoolApi = await login(server.url, 'school-' + SCHOOL, server.password);
  const monthly = (await schoolApi('GET', '/tasks')).data.tasks.find((x) => x.drive.frequency === 'monthly').drive.id;
  const real = (await schoolApi('GET', `/drives/${monthly}/context`)).data;
  // the context as the server gives it after a month on record (no worker: the page sees every request)
  lean = await launch({ serviceWorkers: 'block' });
  const page = lean.context.pages()[0] || (await lean.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.route(`**/api/v1/drives/${monthly}/context*`, (route) => route.fulfill({
    json: { ...real, previous: { canteen: LAST_MONTH }, history: [{ canteen: LAST_MONTH }, null, null, null, null, null],
      carried: { canteen: { canteen_staff: 6, staff_certified: 6 } } },
  }));
  await page.goto(server.url + '/');
  await page.locator('#username').fill('school-' + SCHOOL);
  await page.locator('#password').fill(server.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.task').first().waitFor();
  await page.goto(`${server.url}/#/form/${monthly}`);
  const note = (path) => page.locator('.field', { has: page.locator(id(path)) }).locator('.prev');
  await page.locator(id('canteen.canteen_staff')).waitFor();
  assert.equal(await page.locator(id('canteen.canteen_staff')).inputValue(), '6', 'carried from last month');
  assert.equal(await note('canteen.canteen_staff').textContent(), '与上期相同');
  assert.equal(await page.locator(id('canteen.accompany_days')).inputValue(), '', 'not carried');
  assert.equal(await note('canteen.accompany_days').textContent(), '上期 21 天');

  await page.locator(id('canteen')).getByRole('button', { name: '与上期相同' }).click();
  assert.equal(await page.locator(id('canteen.accompany_days')).inputValue(), '21');
  assert.equal(await page.locator(id('canteen.sample_days')).inputValue(), '21');
  await page.locator(id('canteen.accompany_days')).fill('2');
  assert.equal(await note('canteen.accompany_days').textContent(), '已修改 · 上期 21 天');
  const why = page.locator(id('canteen.accompany_days') + '-why-msg');
  assert.equal(await why.textContent(), '有陪餐记录的天数为 2，超出本校往期的常见范围 10.5–31.5（往期：21），请填写说明');
  await screen(page, 'q2-explain', { sizes: [[360, 640]] });
  await page.getByRole('button', { name: '提交', exact: true }).click();
  assert.match(await page.locator('.summary').textContent(), /有陪餐记录的天数为 2，超出本校往期的常见范围/);
  assert.ok(await page.locator(id('canteen.accompany_days') + '-err').isVisible());
  await page.locator(id('canteen.accompany_days') + '-why').fill('校长外出学习两周');
  assert.ok(await page.locator(id('canteen.accompany_days') + '-err').isHidden(), 'explained: no longer at fault');
  assert.doesNotMatch(await page.locator('.summary').textContent(), /有陪餐记录的天数为 2/);
});

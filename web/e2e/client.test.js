// The phone client end to end at 360×640 (and its screens at 1366×768 too):
// a school fills in and submits the monthly form and reads its receipt,
// submits the termly one offline, the bureau returns the monthly one, the
// school revises it and reads the approval, a saved draft shows as one at
// once, a revision the server will never take (approved meanwhile) is
// discarded, and the bureau exports the drive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, login } from './server.js';
import { launch, shots } from './browser.js';
import { screen } from './screens.js';

const SCHOOL = '0999901003';
let server, school, bureau;

before(async () => {
  server = await startServer();
  console.log(`server ${server.url}; screenshots in ${shots}`);
});

after(async () => {
  await school?.close();
  await bureau?.close();
  await server?.stop();
});

const shot = (page, name) => page.screenshot({ path: join(shots, name + '.png'), fullPage: false });
const id = (path) => '#f-' + path.replace(/[^a-zA-Z0-9_-]/g, '-');

// fill answers a field by its path: text for inputs, true/false for yes/no.
async function fill(page, path, value) {
  if (typeof value === 'boolean') {
    await page.locator(`input[name="${id(path).slice(1)}"]`).nth(value ? 0 : 1).check();
  } else {
    await page.locator(id(path)).fill(String(value));
  }
}

// pick ticks the option at index of a choice or multi field.
async function pick(page, path, index) {
  await page.locator(`input[name="${id(path).slice(1)}"]`).nth(index).check();
}

async function fillAll(page, section, answers) {
  for (const [k, v] of Object.entries(answers)) await fill(page, `${section}.${k}`, v);
}

async function signIn(page, username) {
  await page.goto(server.url + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(server.password);
  await page.getByRole('button', { name: '登录' }).click();
}

async function errorsShown(page) {
  return page.locator('.err:not([hidden]), .summary:not([hidden])').allTextContents();
}

test('phone client: fill, submit, offline outbox, review, revise, export', async (t) => {
  school = await launch();
  const page = school.context.pages()[0] || (await school.context.newPage());
  page.on('pageerror', (e) => console.error('page error:', e));
  const schoolApi = await login(server.url, 'school-' + SCHOOL, server.password);
  const districtApi = await login(server.url, 'district-999901', server.password);
  const tasks = (await schoolApi('GET', '/tasks')).data.tasks;
  const monthly = tasks.find((x) => x.drive.frequency === 'monthly').drive.id;
  const termly = tasks.find((x) => x.drive.frequency === 'termly').drive.id;

  await t.test('the school signs in and sees its tasks', async () => {
    await signIn(page, 'school-' + SCHOOL);
    await page.locator('.task').first().waitFor();
    assert.ok(await page.locator(`[data-drive="${monthly}"]`).isVisible());
    // the worker takes over and keeps every form for offline use
    await page.waitForFunction(() => document.body.dataset.offlineReady === '1', null, { timeout: 30000 });
    assert.match(await page.locator(`[data-drive="${monthly}"] strong`).textContent(), /^\d{4}年\d{1,2}月 月度填报$/);
    await screen(page, '01-tasks');
  });

  await t.test('the monthly form: every section, two classrooms, a fixed error', async () => {
    await page.locator(`a[href="#/form/${monthly}"]`).click();
    await page.locator(id('canteen.meal_days')).waitFor();
    await fill(page, 'canteen.meal_days', 20);
    // each meal's counts show once that meal is ticked, beside another
    const perMeal = (meal) => [`canteen.${meal}_served`, `canteen.${meal}_accompanied`].map((p) => page.locator(id(p)));
    for (const meal of ['breakfast', 'lunch', 'supper']) {
      for (const f of perMeal(meal)) assert.ok(await f.isHidden(), `${meal} counts hidden before any meal is ticked`);
    }
    const meals = page.locator(`input[name="${id('canteen.meals').slice(1)}"]`);
    await meals.first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, '02a-no-meal-ticked');
    await pick(page, 'canteen.meals', 0);
    await pick(page, 'canteen.meals', 1);
    for (const f of [...perMeal('breakfast'), ...perMeal('lunch')]) await f.waitFor();
    await shot(page, '02b-two-meals-ticked');
    for (const f of perMeal('supper')) assert.ok(await f.isHidden(), 'supper counts hidden while supper is not ticked');
    // lunch only: a day school counts days
    await meals.nth(0).uncheck();
    for (const f of [...perMeal('breakfast'), ...perMeal('lunch')]) await f.waitFor({ state: 'hidden' });
    await fill(page, 'canteen.accompany_days', 25);
    const err = page.locator(id('canteen.accompany_days') + '-err');
    await err.waitFor();
    assert.match(await err.textContent(), /陪餐天数不能超过供餐天数/);
    await shot(page, '02-client-error');
    await fill(page, 'canteen.accompany_days', 20);
    await err.waitFor({ state: 'hidden' });
    assert.equal(await page.locator(id('canteen.accompany_rate')).textContent(), '100 %');
    await fillAll(page, 'canteen', {
      sample_days: 20, sample_grams_min: 130, sample_hours_min: 48, canteen_staff: 6, staff_certified: 6,
      purchase_checked: true, stock_records: true, cost_accounted: true, camera_online: true, self_inspected: true,
      problems_found: 2,
    });
    await page.locator(id('canteen.problems_fixed')).waitFor();
    await fillAll(page, 'canteen', { problems_fixed: 2, notes: '本月食堂运行正常' });
    await fillAll(page, 'bullying', {
      screening_done: true, students_covered: 400, classes_covered: 12, found_physical: 0, found_verbal: 0,
      found_property: 0, found_online: 0,
    });
    await fill(page, 'bullying.zero_report', true);
    assert.ok(await page.locator(id('bullying.handled')).isHidden(), 'skip logic hides "handled" when nothing was found');
    const add = page.locator(id('lighting')).getByRole('button', { name: '+ 添加一行' });
    await add.click();
    await add.click();
    const rooms = [
      { name: '三年级1班', desk_lux: 320.5, desk_uniformity: 0.75, board_lamps: true, board_lux: 520, board_uniformity: 0.85, cct: 4500, ra: 85, ugr: 17, lpd: 9 },
      { name: '三年级2班', desk_lux: 280, desk_uniformity: 0.72, board_lamps: false, cct: 4500, ra: 85, ugr: 18, lpd: 9.5 },
    ];
    for (const [i, room] of rooms.entries()) await fillAll(page, `lighting.classrooms[${i}]`, room);
    // two rows of the school's registered classrooms: the rate counts them all until explained
    assert.match(await page.locator(id('lighting.classrooms') + '-why-msg').textContent(), /填了 2 行，少于学校登记的 \d+ 间教室/);
    await page.locator(id('lighting.classrooms') + '-why').fill('其余教室下月检测');
    assert.ok(await page.locator(id('lighting.classrooms[1].board_lux')).isHidden());
    assert.equal(await page.locator(id('lighting.classroom_count')).textContent(), '2 间');
    assert.equal(await page.locator(id('lighting.compliance_rate')).textContent(), '50 %');
    await fillAll(page, 'activity', { school_days: 21, pe_days: 21, daily_minutes: 120 });
    await fill(page, 'hazards.inspections', 4);
    await page.locator(id('hazards')).getByRole('button', { name: '+ 添加一行' }).click();
    await page.locator(id('hazards.items[0].category')).selectOption('fire'); // seven options: a list
    await pick(page, 'hazards.items[0].level', 0);
    await pick(page, 'hazards.items[0].status', 0);
    await fillAll(page, 'hazards.items[0]', {
      place: '教学楼一楼', description: '灭火器过期', found_on: '2026-11-03', measure: '更换灭火器', responsible: '王老师', deadline: '2026-12-15',
    });
    assert.ok(await page.locator(id('hazards.items[0].closed_on')).isHidden(), 'an open hazard has no date closed');
    assert.equal(await page.locator(id('hazards.open_count')).textContent(), '1 处');
    await page.locator(id('hazards.items[0].status')).scrollIntoViewIfNeeded();
    await shot(page, '03b-hazard-ledger');
    await page.locator(id('lighting.classrooms[0].name')).scrollIntoViewIfNeeded();
    await shot(page, '03-repeat-group');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.waitForURL(/#\/tasks$/, { timeout: 10000 }).catch(async () => {
      assert.fail('submit stayed on the form: ' + (await errorsShown(page)).join(' | '));
    });
    await page.locator(`[data-drive="${monthly}"] .s-submitted`).waitFor({ timeout: 20000 });
    await page.locator('#outbox').waitFor({ state: 'hidden' });
    const task = (await schoolApi('GET', '/tasks')).data.tasks.find((x) => x.drive.id === monthly);
    assert.equal(task.status, 'submitted');
    const sub = (await schoolApi('GET', '/submissions/' + task.submission)).data;
    assert.equal(sub.values.lighting.classrooms.length, 2);
    assert.equal(sub.values.lighting.classrooms[1].desk_lux, 280);
    assert.match(sub.values.hazards.items[0].hazard_id, /^2026-\d{2}-[a-z2-9]{4}$/, 'the server numbers the new hazard');
    const ledger = (await districtApi('GET', '/hazards')).data;
    assert.ok(ledger.hazards.some((x) => x.id === sub.values.hazards.items[0].hazard_id), 'the district sees the open hazard');
    await screen(page, '03b-tasks-after-submit');
  });

  await t.test('the school reads its receipt: when, which version, each section\'s verdict and why', async () => {
    await page.locator(`a[href="#/form/${monthly}"]`).click();
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    assert.match(await receipt.textContent(), /已于 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 提交 · 第 1 版/);
    const lighting = receipt.locator('.verdict.c-noncompliant');
    assert.match(await lighting.textContent(), /教室照明达标情况未达标2 间教室中 1 间课桌面照度低于 300 lx/);
    assert.ok(await receipt.locator('.verdict.c-compliant').count() >= 3);
    await screen(page, '03c-receipt');
    await page.goto(server.url + '/#/tasks');
  });

  await t.test('offline: the termly form is queued and sent once when back online', async () => {
    await school.context.setOffline(true);
    await page.locator('#net').waitFor();
    await page.locator(`a[href="#/form/${termly}"]`).click();
    await page.locator(id('myopia.screening_date')).waitFor();
    await fillAll(page, 'myopia', { screening_date: '2026-10-20', screened: 400, myopic: 120 });
    await fillAll(page, 'canteen_term', { survey_held: true, committee_active: true });
    await fillAll(page, 'canteen_term', { survey_date: '2026-10-25', satisfaction_rate: 92.5, committee_visits: 3 });
    await fillAll(page, 'bullying_education', { students_held: true, staff_held: true });
    await fillAll(page, 'bullying_education', { held_date: '2026-09-10', participants: 450 });
    if (await page.locator(id('after_school.participants')).count()) {
      await fillAll(page, 'after_school', { participants: 300, days_per_week: 5, daily_minutes: 90, quality_minutes: 300 });
    }
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.waitForURL(/#\/tasks$/, { timeout: 10000 }).catch(async () => {
      assert.fail('submit stayed on the form: ' + (await errorsShown(page)).join(' | '));
    });
    const box = page.locator('#outbox');
    await box.waitFor();
    assert.match(await box.textContent(), /1 条待发送/);
    await page.locator(`[data-drive="${termly}"] .s-pending`).waitFor();
    await shot(page, '04-offline-outbox');
    const before = (await districtApi('GET', `/drives/${termly}/submissions`)).data.submissions.filter((s) => s.school === SCHOOL);
    assert.equal(before.length, 0, 'nothing reaches the server while offline');

    await school.context.setOffline(false);
    await box.waitFor({ state: 'hidden', timeout: 30000 });
    await page.locator(`[data-drive="${termly}"] .s-submitted`).waitFor({ timeout: 20000 });
    const subs = (await districtApi('GET', `/drives/${termly}/submissions`)).data.submissions.filter((s) => s.school === SCHOOL);
    assert.equal(subs.length, 1, 'the server has the offline submission exactly once');
    assert.equal(subs[0].status, 'submitted');
    const revs = (await districtApi('GET', `/submissions/${subs[0].id}/revisions`)).data.revisions;
    assert.equal(revs.length, 1);
    await shot(page, '05-back-online');
  });

  let monthlySub;
  await t.test('the district returns the monthly report with a comment', async () => {
    bureau = await launch();
    const bp = bureau.context.pages()[0] || (await bureau.context.newPage());
    bp.on('pageerror', (e) => console.error('bureau page error:', e));
    await signIn(bp, 'district-999901');
    await bp.locator(`a[href="#/drive/${monthly}"]`).first().click();
    await bp.locator('.figures').waitFor();
    await bp.locator('#received .row-item').first().waitFor();
    assert.ok(await bp.locator('a[href^="tel:"]').count() > 0, 'missing schools have phone links');
    await shot(bp, '06-progress');
    monthlySub = (await schoolApi('GET', '/tasks')).data.tasks.find((x) => x.drive.id === monthly).submission;
    await bp.locator(`a[href="#/sub/${monthlySub}"]`).click();
    await bp.locator('#review-comment').waitFor();
    await bp.locator('#review-comment').fill('请核对三年级2班的课桌面照度');
    await shot(bp, '07-review');
    await bp.getByRole('button', { name: '退回' }).click();
    await bp.locator('#review-done').waitFor();
    assert.equal((await districtApi('GET', '/submissions/' + monthlySub)).data.status, 'returned');
    await bp.locator('.history').scrollIntoViewIfNeeded();
    await shot(bp, '08-history');
  });

  await t.test('the school sees the comment, revises and resubmits', async () => {
    await page.goto(server.url + '/#/tasks');
    await page.reload();
    const card = page.locator(`[data-drive="${monthly}"]`);
    await card.locator('.comment').waitFor();
    assert.match(await card.locator('.comment').textContent(), /请核对三年级2班/);
    await shot(page, '09-returned');
    await card.locator('a').click();
    // finished rows open folded to one line with their verdict
    const row = page.locator(id('lighting')).locator('.row').nth(1);
    assert.match(await row.locator('.row-head').textContent(), /三年级2班✗ 不达标/);
    await row.getByRole('button', { name: '展开' }).click();
    await page.locator(id('lighting.classrooms[1].desk_lux')).waitFor();
    assert.equal(await page.locator(id('lighting.classrooms[1].desk_lux')).inputValue(), '280');
    await fill(page, 'lighting.classrooms[1].desk_lux', 310);
    await page.getByRole('button', { name: '重新提交' }).click();
    await page.waitForURL(/#\/tasks$/);
    await page.locator(`[data-drive="${monthly}"] .s-submitted`).waitFor({ timeout: 20000 });
    const sub = (await schoolApi('GET', '/submissions/' + monthlySub)).data;
    assert.equal(sub.status, 'submitted');
    assert.equal(sub.values.lighting.classrooms[1].desk_lux, 310);
    assert.ok(sub.version >= 3, 'revised with If-Match: version ' + sub.version);
  });

  await t.test('the school reads the approval and the reviewer\'s comment', async () => {
    const res = await districtApi('POST', `/submissions/${monthlySub}/review`, { action: 'approve', comment: '数据完整，照度已达标' });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    await page.goto(server.url + '/#/form/' + monthly);
    const receipt = page.locator('#receipt');
    await receipt.waitFor();
    assert.match(await receipt.locator('.comment').textContent(), /审核意见：数据完整，照度已达标/);
    assert.match(await receipt.textContent(), /第 \d+ 版/);
    assert.equal(await page.locator('.meta .badge.s-approved').count(), 1);
    await screen(page, '09b-approved');
  });

  await t.test('a saved draft shows as a draft at once', async () => {
    const yearly = (await schoolApi('GET', '/tasks')).data.tasks.find((x) => x.drive.frequency === 'yearly').drive.id;
    await page.goto(server.url + '/#/form/' + yearly);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.locator('.meta .badge.s-draft').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.meta .badge.s-pending').count(), 0);
    await page.locator('#outbox').waitFor({ state: 'hidden' });
  });

  await t.test('a revision the server will never take says so and is discarded', async () => {
    const task = (await schoolApi('GET', '/tasks')).data.tasks.find((x) => x.drive.id === termly);
    await page.goto(server.url + '/#/form/' + termly);
    await page.locator(id('myopia.myopic')).waitFor();
    await school.context.setOffline(true);
    await fill(page, 'myopia.myopic', 118);
    await page.getByRole('button', { name: '重新提交' }).click();
    await page.waitForURL(/#\/tasks$/);
    const res = await districtApi('POST', `/submissions/${task.submission}/review`, { action: 'approve', comment: '' });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    await school.context.setOffline(false);
    const entry = page.locator('#outbox li[data-state="error"]');
    await entry.waitFor({ timeout: 30000 });
    assert.match(await entry.textContent(), /服务器不再接受这条填报：已审核通过的填报不能修改。它不会再发送，请丢弃。/);
    assert.equal(await page.getByRole('button', { name: '立即重试' }).count(), 0, 'nothing to retry');
    await shot(page, '09c-refused');
    page.once('dialog', (d) => d.accept());
    await entry.getByRole('button', { name: '丢弃' }).click();
    await page.locator('#outbox').waitFor({ state: 'hidden' });
    assert.equal((await schoolApi('GET', '/submissions/' + task.submission)).data.values.myopia.myopic, 120, 'the approved answers stand');
  });

  await t.test('the bureau downloads the Excel export', async () => {
    const bp = bureau.context.pages()[0];
    await bp.goto(server.url + '/#/drive/' + monthly);
    const dl = bp.waitForEvent('download', { timeout: 60000 });
    await bp.getByRole('button', { name: '导出 Excel' }).click();
    const file = await dl;
    const bytes = readFileSync(await file.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file');
    assert.match(file.suggestedFilename(), /\.xlsx$/);
    await shot(bp, '10-export');
  });

  await t.test('English switch', async () => {
    await page.goto(server.url + '/#/tasks');
    await page.locator('#lang').click();
    await page.locator('text=My reports').waitFor();
    assert.match(await page.locator(`[data-drive="${monthly}"] strong`).textContent(), /^[A-Z][a-z]+ \d{4} /);
    await screen(page, '11-english', { zh: false });
  });
});

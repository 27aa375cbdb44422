// A bureau's first day on the phone client at 360×640: the first-run page
// with the setup token from the server's log, the admin's one-time
// password shown once, the password change it requires, then a school
// whose account the admin made signs in, must change its password too, and
// reaches its tasks. Then the admin sets the year up from the checklist on
// the home, at a phone and at a desk: the school list imported from an
// xlsx (its errors first, then a dry run, then for real), an account, the
// account sheet, a plan from the plan's pasted text, a schedule by hand
// and the rest from the plan, a reminder channel with its test message —
// and the first drives are open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startServer, api, receiver } from './server.js';
import { launch, shots } from './browser.js';
import { screen } from './screens.js';
import { workbook } from './xlsx.js';

let server, admin, school, robot;

before(async () => {
  server = await startServer({ demo: false, env: { TIANBAO_WEBHOOK_NETWORKS: '127.0.0.1' } });
  robot = await receiver();
});

after(async () => {
  await admin?.close();
  await school?.close();
  await robot?.close();
  await server?.stop();
});

const HEAD = ['学校代码', '学校名称', '所属单位', '学段', '办学性质', '城乡', '教室数', '学生数', '联系人', '联系电话'];
const SCHOOLS = [
  ['0420222101', '兴国镇中心小学', '兴国镇', '小学', '公办', '乡村', '18', '760', '柯老师', '13972000101'],
  ['0420222102', '兴国镇初级中学', '兴国镇', '初中', '公办', '乡村', '15', '620', '石老师', '13972000102'],
  ['0420222201', '富池镇中心小学', '富池镇', '小学', '公办', '乡村', '12', '480', '明老师', '13972000201'],
];
const xlsx = (rows) => ({ name: '学校名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook([HEAD, ...rows]) });
const state = (page, step) => page.locator(`[data-step="${step}"] .badge`).textContent();

const shot = (page, name) => page.screenshot({ path: join(shots, name + '.png'), fullPage: false });

// changePassword fills the password-change screen; it refuses a mismatch first.
async function changePassword(page, once, next) {
  const form = page.locator('#password-change');
  await form.waitFor();
  await page.locator('#pw-old').fill(once);
  await page.locator('#pw-new').fill(next);
  await page.locator('#pw-again').fill(next + 'x');
  await page.getByRole('button', { name: '保存新密码' }).click();
  assert.match(await page.locator('#pw-again-err').textContent(), /不一致/);
  await page.locator('#pw-again').fill(next);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await form.waitFor({ state: 'detached' });
}

async function signIn(page, username, password) {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('first run: setup page, one-time passwords, forced password change', async (t) => {
  const token = /setup token ([0-9a-f]{32})/.exec(server.log())?.[1];
  assert.ok(token, 'the server printed no setup token:\n' + server.log());
  admin = await launch();
  const page = admin.context.pages()[0] || (await admin.context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  let adminOnce;

  await t.test('an empty server offers the first run', async () => {
    await page.goto(server.url + '/');
    await page.locator('#setup').waitFor();
    await page.locator('#setup-token').fill('0'.repeat(32));
    await page.locator('#setup-code').fill('420222');
    await page.locator('#setup-name').fill('阳新县教育局');
    await page.locator('#setup-level').selectOption('county');
    await page.locator('#setup-admin').fill('yx-admin');
    await page.getByRole('button', { name: '完成设置' }).click();
    await page.locator('#setup-token-err').waitFor();
    assert.match(await page.locator('#setup-token-err').textContent(), /设置令牌不正确/);
    await page.locator('#setup-token').fill(token);
    await page.getByRole('button', { name: '完成设置' }).click();
    await page.locator('#once-password').waitFor();
    adminOnce = (await page.locator('#once-password').textContent()).trim();
    assert.match(adminOnce, /^[A-Za-z0-9]{12}$/);
    await shot(page, '10-setup-done');
    await page.getByRole('button', { name: '已记下，去登录' }).click();
    assert.equal(await page.locator('#username').inputValue(), 'yx-admin');
  });

  await t.test('the admin must change the one-time password first', async () => {
    await signIn(page, 'yx-admin', adminOnce);
    await page.locator('#password-change').waitFor();
    await shot(page, '11-password-change');
    await changePassword(page, adminOnce, 'yangxin-admin-2026');
    await page.locator('h1.page-title', { hasText: '工作台' }).waitFor();
    await page.reload();
    await page.locator('h1.page-title', { hasText: '工作台' }).waitFor();
    assert.equal(await page.locator('#password-change').count(), 0, 'the change screen came back after a reload');
  });

  await t.test('a school signs in on its phone and changes its password', async () => {
    const login = await api(server.url)('POST', '/auth/login', { username: 'yx-admin', password: 'yangxin-admin-2026' });
    const as = api(server.url, login.data.token);
    const org = await as('POST', '/orgs', { id: '0420222001', name: '阳新县实验小学', parent: '420222', stages: ['primary'] });
    assert.equal(org.status, 201, JSON.stringify(org.data));
    const user = await as('POST', '/users', { username: 'school-0420222001', name: '阳新县实验小学', role: 'school', org: '0420222001' });
    assert.equal(user.status, 201, JSON.stringify(user.data));
    school = await launch();
    const phone = school.context.pages()[0] || (await school.context.newPage());
    phone.on('pageerror', (e) => errors.push(e));
    await phone.goto(server.url + '/');
    await phone.locator('#username').waitFor();
    assert.equal(await phone.locator('#setup').count(), 0, 'the first-run page is offered after the first run');
    await signIn(phone, 'school-0420222001', user.data.password);
    await changePassword(phone, user.data.password, 'shiyan-xiaoxue-1');
    await phone.locator('h1.page-title', { hasText: '我的填报任务' }).waitFor();
    await shot(phone, '12-school-tasks');
    const check = await api(server.url)('POST', '/auth/login', { username: 'school-0420222001', password: 'shiyan-xiaoxue-1' });
    assert.equal(check.data.user.mustChangePassword, false);
  });

  page.on('dialog', (d) => d.accept());
  await t.test('the admin\'s home lists what is left to set up', async () => {
    await page.reload();
    await page.locator('#checklist').waitFor();
    assert.equal(await state(page, 'bureau'), '已完成');
    assert.equal(await state(page, 'units'), '可选');
    assert.equal(await state(page, 'schools'), '已完成');
    assert.equal(await state(page, 'accounts'), '已完成');
    assert.equal(await state(page, 'plan'), '待完成');
    assert.equal(await state(page, 'drive'), '待完成');
    assert.match(await page.locator('#checklist h2').textContent(), /开始使用 3\/7/);
    await screen(page, 'f01-checklist');
  });

  await t.test('the school list: its errors by row, a dry run, then the import', async () => {
    await page.locator('[data-step="schools"] a').click();
    await page.locator('#import').waitFor();
    await page.locator('#import-file').setInputFiles(xlsx([...SCHOOLS, ['04202223', '坏代码小学', '富池镇', '小学', '公办', '乡村', 'x', '100', '', '']]));
    await page.locator('#import-check').click();
    const errs = page.locator('#import-errors');
    await errs.waitFor();
    assert.match(await errs.textContent(), /表格中有 2 处错误，没有导入任何数据/);
    assert.match(await errs.locator('tbody tr').first().textContent(), /第 5 行学校代码学校代码“04202223”只有 8 位/);
    await screen(page, 'f02-import-errors');
    await page.locator('#import-file').setInputFiles(xlsx(SCHOOLS));
    await page.locator('#import-check').click();
    const preview = page.locator('#import-preview');
    await preview.waitFor();
    assert.match(await preview.textContent(), /将新增 3 所学校、修改 0 所，0 所不变/);
    assert.match(await preview.textContent(), /将新建 2 个单位：.*兴国镇 · 镇街教育办（中心校）/);
    const none = await api(server.url, await adminToken())('GET', '/orgs?kind=school');
    assert.equal(none.data.orgs.length, 1, 'a dry run imports nothing');
    await screen(page, 'f03-import-preview');
    await page.locator('#import-apply').click();
    await page.locator('#import-result').waitFor();
    assert.match(await page.locator('#import-result').textContent(), /已新增 3 所学校/);
    await page.locator('#units .row-item', { hasText: '兴国镇' }).waitFor();
    assert.match(await page.locator('#units').textContent(), /兴国镇镇街教育办（中心校） · 2 所学校/);
  });

  await t.test('an account made by hand shows its password once; the sheet makes the rest', async () => {
    await page.goto(server.url + '/#/users');
    await page.locator('#new-user summary').click();
    await page.locator('#new-username').fill('xingguo-office');
    await page.locator('#new-name').fill('兴国镇教育办');
    await page.locator('#new-role').selectOption('district');
    const xingguo = (await api(server.url, await adminToken())('GET', '/orgs')).data.orgs.find((o) => o.name === '兴国镇');
    await page.locator('#new-org').fill(`兴国镇 (${xingguo.id})`);
    await page.getByRole('button', { name: '新建', exact: true }).click();
    const once = page.locator('#user-form .once');
    await once.waitFor();
    assert.match(await once.textContent(), /^[A-Za-z0-9]{12}$/);
    assert.match(await page.locator('#users').textContent(), /兴国镇教育办xingguo-office · 教育局（可审核） · 兴国镇/);
    await screen(page, 'f04-account');
    const dl = page.waitForEvent('download');
    await page.locator('#users-sheet').click();
    const file = await dl;
    assert.match(file.suggestedFilename(), /账号分发表.*\.xlsx$/);
    assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK');
  });

  await t.test('a plan from the plan\'s pasted text', async () => {
    await page.goto(server.url + '/#/plans');
    await page.locator('#plan-paste').fill(readFileSync(new URL('../../forms/extract/testdata/invented-county.txt', import.meta.url), 'utf8'));
    await page.locator('#plan-extract').click();
    const cands = page.locator('#plan-cands .cand');
    await cands.first().waitFor();
    assert.ok(await cands.count() >= 15);
    assert.match(await cands.filter({ hasText: '陪餐率' }).textContent(), /校园食品安全月报 · 陪餐率 100/);
    assert.ok(await cands.filter({ hasText: '创建省级示范校' }).locator('input').isDisabled(), 'nothing in the catalog for it');
    await screen(page, 'f05-plan-candidates');
    await page.getByRole('button', { name: '建立计划' }).click();
    await page.locator('#plan-created').waitFor();
    const plans = (await api(server.url, await adminToken())('GET', '/plans')).data.plans;
    assert.equal(plans.length, 1);
    assert.ok(plans[0].items.some((it) => it.indicator === 'canteen' && it.targets?.accompany_rate === 100));
  });

  await t.test('a schedule by hand, then the rest the plan needs in one tap', async () => {
    await page.goto(server.url + '/#/schedules');
    await page.locator('#new-schedule summary').click();
    await page.locator('#schedule-name').fill('月度填报');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.locator('#schedule-made').waitFor();
    await page.locator('#schedules .row-item').first().waitFor();
    await page.locator('#from-plan').click();
    const made = page.locator('#from-plan-result');
    await made.waitFor();
    assert.match(await made.textContent(), /已建立 3 个填报周期/);
    assert.match(await made.textContent(), /学期填报 · 每学期/);
    assert.match(await made.textContent(), /已有：月度填报 · 每月 · 期末后第 10 天截止，第 20 天锁定/);
    await screen(page, 'f06-schedules');
  });

  await t.test('a reminder channel, its host allowed, and its test message', async () => {
    await page.goto(server.url + '/#/channels');
    await page.locator('#hosts-card summary').click();
    await page.locator('#hosts').fill('http://127.0.0.1');
    await page.locator('#hosts-form').getByRole('button', { name: '保存' }).click();
    await page.waitForFunction(() => !document.querySelector('#hosts-form button').disabled);
    await page.locator('#channel-name').fill('阳新县校长群');
    await page.locator('#channel-url').fill(robot.url);
    await page.getByRole('button', { name: '添加提醒通道' }).click();
    const row = page.locator('.row-item[data-channel]');
    await row.waitFor();
    await row.getByRole('button', { name: '发送测试消息' }).click();
    await row.locator('.test-ok').waitFor();
    assert.match(robot.got.at(-1).text.content, /【测试消息】阳新县教育局/);
    await screen(page, 'f07-channel');
  });

  await t.test('the checklist is done and the first drives are open', async () => {
    await page.goto(server.url + '/#/');
    await page.reload();
    const list = page.locator('details#checklist');
    await list.waitFor();
    assert.match(await list.locator('summary').textContent(), /开始使用 8\/8 （已全部完成）/);
    await page.locator('.drive-card h2', { hasText: '2026年12月 月度填报' }).waitFor();
    assert.ok(await page.locator('.drive-card h2', { hasText: '2026年秋季学期 学期填报' }).count());
    await screen(page, 'f08-ready');
  });
  assert.deepEqual(errors, []);
});

// adminToken signs the admin in for checks through the API.
async function adminToken() {
  return (await api(server.url)('POST', '/auth/login', { username: 'yx-admin', password: 'yangxin-admin-2026' })).data.token;
}

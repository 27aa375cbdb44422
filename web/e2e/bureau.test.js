// The bureau's workspace at 360×640 and 1366×768: a district official
// reads the home, chases with no channel and then through one she adds,
// finds missing schools, reviews a revised submission and returns it,
// moves to the next, reopens a closed drive for a school and reads a
// trend; the admin's management screens; the words in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, login, receiver } from './server.js';
import { launch } from './browser.js';
import { screen, signIn } from './screens.js';
import { monthly, PRIMARY, submit, olderDrives } from './fixtures.js';

let server, browser, robot, drives;
const DEC = 'monthly-2026-12';
const SCHOOL = '0999901003'; // 城东区实验小学

before(async () => {
  server = await startServer({ env: { TIANBAO_WEBHOOK_NETWORKS: '127.0.0.1' } });
  robot = await receiver();
  drives = await olderDrives(server);
  for (const s of PRIMARY) await submit(server, s, drives.november.id, monthly());
  const first = await submit(server, SCHOOL, DEC, monthly());
  const school = await login(server.url, 'school-' + SCHOOL, server.password);
  const res = await school('PUT', '/submissions/' + first.id, { values: monthly({ dim: true }) }, { 'If-Match': '"1"' });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  await submit(server, '0999901004', DEC, monthly());
  assert.equal((await drives.admin('PUT', '/settings/webhook-hosts', { hosts: [{ host: '127.0.0.1', http: true }] })).status, 200);
});

after(async () => {
  await browser?.close();
  await robot?.close();
  await server?.stop();
});

test('the bureau workspace', async (t) => {
  browser = await launch();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('dialog', (d) => d.accept());

  await t.test('the district home names each drive and shows its numbers and charts', async () => {
    await signIn(page, server.url, 'district-999901', server.password);
    const card = page.locator(`.drive-card[data-drive="${DEC}"]`);
    await card.waitFor();
    assert.equal(await card.locator('h2').textContent(), '2026年12月 月度填报');
    assert.equal(await page.locator(`.drive-card[data-drive="${drives.november.id}"] h2`).textContent(), '2026年11月 月度填报');
    assert.match(await card.locator('.figures').textContent(), /已报2\/9.*未报7/);
    assert.match(await card.locator('.bars').last().textContent(), /教室照明达标情况50%/);
    assert.match(await page.locator('#checklist').textContent(), /提醒通道待完成/);
    await screen(page, 'b01-home');
  });

  await t.test('a chase with no channel says nobody was reminded and where to add one', async () => {
    await page.locator(`.drive-card[data-drive="${DEC}"] h2 a`).click();
    await page.locator('#chase').click();
    const result = page.locator('#chase-result');
    await result.waitFor();
    assert.match(await result.textContent(), /尚未设置提醒通道，没有发出提醒/);
    assert.equal(await result.locator('a[href="#/channels"]').count(), 1);
    await screen(page, 'b02-drive-no-channel');
  });

  await t.test('the district adds a WeCom channel and its test message arrives', async () => {
    await page.locator('#chase-result a[href="#/channels"]').click();
    await page.locator('#channel-form').waitFor();
    await page.locator('#channel-name').fill('城东区校长群');
    await page.locator('#channel-url').fill(robot.url);
    await page.getByRole('button', { name: '添加提醒通道' }).click();
    await page.locator('#channel-added').waitFor();
    const row = page.locator('.row-item[data-channel]');
    await row.waitFor();
    assert.match(await row.textContent(), /城东区校长群企业微信群机器人 · 提醒 城东区教育局 的未报学校/);
    assert.doesNotMatch(await row.textContent(), /e2e-robot-key/, 'the robot key is never shown');
    await row.getByRole('button', { name: '发送测试消息' }).click();
    await row.locator('.test-ok').waitFor();
    assert.match(robot.got.at(-1).text.content, /【测试消息】城东区教育局的填报提醒将发到这里/);
    await screen(page, 'b03-channels');
  });

  await t.test('一键催报 says whom it reminded through which channel', async () => {
    await page.goto(`${server.url}/#/drive/${DEC}`);
    await page.locator('#chase').click();
    const result = page.locator('#chase-result');
    await result.waitFor();
    assert.match(await result.textContent(), /已通过 1 个提醒通道发送/);
    assert.match(await result.textContent(), /城东区校长群 \(企业微信群机器人\)城东区教育局 未报 7 所 已发送/);
    const msg = robot.got.at(-1).text.content;
    assert.match(msg, /【催报】/);
    assert.match(msg, /城东区第一幼儿园/);
    assert.doesNotMatch(msg, /城东区实验小学/, 'a school that submitted is not chased');
    await screen(page, 'b04-chased');
  });

  await t.test('missing schools: found by name and stage, each with a number to call', async () => {
    const missing = page.locator('#missing');
    await page.locator('#missing-stage').selectOption('kindergarten');
    await missing.locator('.row-item').nth(1).waitFor();
    assert.equal(await missing.locator('.row-item').count(), 2);
    await page.locator('#missing-search').fill('阳光');
    await page.waitForFunction(() => document.querySelectorAll('#missing .row-item').length === 1);
    assert.equal(await missing.locator('a[href="tel:13800000102"]').count(), 1);
    await page.locator('#missing-search').fill('');
    await page.locator('#missing-stage').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('#missing .row-item').length === 7);
  });

  let next;
  await t.test('the received list names schools; a failing one is reviewed and returned', async () => {
    const list = page.locator('#received');
    await list.locator('.row-item').nth(1).waitFor();
    assert.deepEqual(await list.locator('.row-main strong').allTextContents(), ['城东区实验小学', '城东区育才小学']);
    await page.locator('#sub-failing').check();
    await page.waitForFunction(() => document.querySelectorAll('#received .row-item').length === 1);
    assert.match(await list.locator('.row-item').textContent(), /已提交✗ 1/);
    await list.locator('a').click();
    const lighting = page.locator('[data-indicator="lighting"]');
    await lighting.waitFor();
    assert.equal(await page.locator('h1').textContent(), '城东区实验小学');
    assert.match(await page.locator('.meta').first().textContent(), /2026年12月 月度填报 · 第 2 版/);
    assert.match(await lighting.locator('.reason').textContent(), /2 间教室中 1 间课桌面照度低于 300 lx/);
    const changed = lighting.locator('.kv.changed .kv.changed').first();
    assert.match(await changed.textContent(), /课桌面维持平均照度280 lx原为 310 lx上期 310 lx/);
    assert.match(await page.locator('.history').textContent(), /^第 2 版 · 提交.*改动：教室照明达标情况 · 教室检测记录/);
    await screen(page, 'b05-review');
    next = await page.locator('#review a.next').getAttribute('href');
    await page.locator('#review-comment').fill('三年级2班课桌面照度不足，请整改后重新检测');
    await page.getByRole('button', { name: '退回' }).click();
    await page.locator('#review-done').waitFor();
    assert.match(await page.locator('#review-done').textContent(), /已退回，学校会看到您的意见/);
    const admin = drives.admin;
    const sub = (await admin('GET', `/drives/${DEC}/submissions?search=${SCHOOL}`)).data.submissions[0];
    assert.equal(sub.status, 'returned');
    await screen(page, 'b06-returned');
  });

  await t.test('the next submission to review is one tap away', async () => {
    await page.locator('#next-after').click();
    await page.waitForURL((u) => u.hash === next);
    await page.locator('[data-indicator="canteen"]').waitFor();
    assert.equal(await page.locator('h1').textContent(), '城东区育才小学');
  });

  await t.test('a closed drive is reopened for one school', async () => {
    await page.goto(`${server.url}/#/drive/${drives.october.id}`);
    const row = page.locator(`#missing .row-item[data-school="${SCHOOL}"]`);
    await row.waitFor();
    assert.match(await page.locator('h1').textContent(), /2026年10月 月度填报/);
    await row.getByRole('button', { name: '重新开放' }).click();
    await row.locator('.badge.d-reopened').waitFor();
    const october = (await drives.admin('GET', '/drives')).data.drives.find((x) => x.id === drives.october.id);
    assert.deepEqual(october.reopened, [SCHOOL]);
    await screen(page, 'b07-reopened');
  });

  await t.test('a trend is picked in a form and drawn in the page', async () => {
    await page.goto(`${server.url}/#/trend`);
    await page.locator('#trend-indicator').selectOption('canteen');
    await page.locator('#trend-from').selectOption('2026-10');
    await page.locator('#trend-to').selectOption('2026-12');
    await page.getByRole('button', { name: '查看趋势' }).click();
    const result = page.locator('#trend-result');
    await result.locator('.lines > svg').waitFor();
    assert.match(await result.locator('h2').textContent(), /校园食品安全月报 · 达标率/);
    assert.deepEqual(await result.locator('tbody th').allTextContents(), ['2026年10月', '2026年11月', '2026年12月']);
    assert.match(await result.locator('tbody tr').nth(1).textContent(), /100%/);
    await screen(page, 'b08-trend');
    const dl = page.waitForEvent('download');
    await page.locator('#trend-xlsx').click();
    const file = await dl;
    assert.equal(readFileSync(await file.path()).subarray(0, 2).toString(), 'PK');
  });

  await t.test('the admin\'s screens', async () => {
    await page.locator('#logout').click();
    await signIn(page, server.url, 'admin', server.password);
    await page.locator('.drive-card').first().waitFor();
    await screen(page, 'b09-admin-home');
    for (const [route, ready, name] of [
      ['orgs', '#units .row-item', 'b10-orgs'], ['orgs?under=999902', '#schools .row-item', 'b11-orgs-district'],
      ['users', '#users .row-item', 'b12-users'], ['plans', '#plans .row-item', 'b13-plans'],
      ['schedules', '#schedules .row-item', 'b14-schedules'], ['channels', '#channels .row-item', 'b15-channels'],
      ['audit', '#audit .row-item', 'b16-audit'], ['password', '#me-password', 'b17-password'],
    ]) {
      await page.goto(`${server.url}/#/${route}`);
      await page.locator(ready).first().waitFor();
      await screen(page, name);
    }
  });

  await t.test('in English', async () => {
    await page.goto(`${server.url}/#/drive/${DEC}`);
    await page.locator('#lang').click();
    await page.getByRole('button', { name: 'Remind them now' }).waitFor();
    assert.equal(await page.locator('h1').textContent(), 'December 2026 月度填报');
    await screen(page, 'b18-english', { zh: false });
    await page.locator('#lang').click();
  });
  assert.deepEqual(errors, []);
});

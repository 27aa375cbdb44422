// Levels of approval on a phone (360×640): a district official approves
// her schools' clean submissions in one tap, signs her district off with
// the missing schools named as gaps and a reason, and the lock holds; the
// city admin accepts the district's sign-off from the drive's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login } from './server.js';
import { launch } from './browser.js';
import { screen, signIn } from './screens.js';
import { monthly, submit } from './fixtures.js';

let server, browser;
const DEC = 'monthly-2026-12';
const SCHOOLS = ['0999901003', '0999901004', '0999901005']; // 城东区's primary schools
const subs = {};

before(async () => {
  server = await startServer();
  for (const s of SCHOOLS) subs[s] = await submit(server, s, DEC, monthly());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a district official bulk-approves and signs off on a phone', async (t) => {
  browser = await launch();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.setViewportSize({ width: 360, height: 640 });

  await t.test('one tap approves every clean submission and says what it did', async () => {
    await signIn(page, server.url, 'district-999901', server.password);
    await page.locator(`.drive-card[data-drive="${DEC}"] h2 a`).click();
    await page.locator('#bulk-approve').click();
    const result = page.locator('#bulk-result');
    await result.waitFor();
    assert.match(await result.textContent(), /已审核通过 3 份，跳过 0 份/);
    const school = await login(server.url, 'school-' + SCHOOLS[0], server.password);
    assert.equal((await school('GET', '/submissions/' + subs[SCHOOLS[0]].id)).data.status, 'approved');
    // The figures and the received list follow without a reload.
    const approvedBox = page.locator('#figures div').filter({ hasText: '通过' }).locator('dd');
    await page.waitForFunction(() => [...document.querySelectorAll('#figures div')].some((d) => d.querySelector('dt').textContent === '通过' && d.querySelector('dd').textContent === '3'));
    assert.equal(await approvedBox.textContent(), '3');
    await page.locator('#received .badge', { hasText: '已通过' }).first().waitFor();
    await screen(page, 'l01-bulk-approved');
  });

  await t.test('signing off without the missing schools is refused with their count', async () => {
    await page.locator('#signoff').click();
    await page.locator('#levels-out .error-box').waitFor();
    assert.match(await page.locator('#levels-out').textContent(), /所学校未审核通过/);
  });

  await t.test('with the missing schools as gaps and a reason the district is signed off and locked', async () => {
    await page.locator('#level-gaps').check();
    await page.locator('#level-comment').fill('其余学校为幼儿园和中学，本月另行报送');
    await page.locator('#signoff').click();
    await page.locator('#withdraw').waitFor();
    assert.match(await page.locator('#own-level').textContent(), /已签收/);
    await screen(page, 'l02-signed-off');
    const school = await login(server.url, 'school-' + SCHOOLS[1], server.password);
    const sub = (await school('GET', '/submissions/' + subs[SCHOOLS[1]].id)).data;
    const res = await school('PUT', '/submissions/' + sub.id, { values: monthly() }, { 'If-Match': `"${sub.version}"` });
    assert.equal(res.status, 423);
  });

  await t.test('the city accepts the district from the drive page', async () => {
    await page.evaluate(() => localStorage.clear());
    await signIn(page, server.url, 'admin', server.password);
    await page.goto(`${server.url}/#/drive/${DEC}`);
    const row = page.locator('#units-signed li[data-unit="999901"]');
    await row.waitFor();
    await row.getByRole('button', { name: '接受' }).click();
    await row.locator('.lv-accepted').waitFor();
    await screen(page, 'l03-accepted');
    await page.goto(`${server.url}/#/`);
    const card = page.locator(`.drive-card[data-drive="${DEC}"]`);
    await card.waitFor();
    assert.match(await card.locator('.figures').textContent(), /上级已接受3/);
    assert.match(await card.locator('.bars').first().textContent(), /城东区教育局 · 上级已接受/);
  });

  assert.deepEqual(errors, []);
});

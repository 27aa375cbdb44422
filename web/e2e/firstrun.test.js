// A bureau's first day on the phone client at 360×640: the first-run page
// with the setup token from the server's log, the admin's one-time
// password shown once, the password change it requires, then a school
// whose account the admin made signs in, must change its password too, and
// reaches its tasks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, api } from './server.js';
import { launch, shots } from './browser.js';

let server, admin, school;

before(async () => {
  server = await startServer({ demo: false });
});

after(async () => {
  await admin?.close();
  await school?.close();
  await server?.stop();
});

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
    await page.locator('h1.page-title', { hasText: '填报任务' }).waitFor();
    await page.reload();
    await page.locator('h1.page-title', { hasText: '填报任务' }).waitFor();
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
  assert.deepEqual(errors, []);
});

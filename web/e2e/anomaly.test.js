// The phone's checks of values outside their usual range, of classrooms
// against the registry and of dates within the period, in the page: every
// case of forms/testdata/anomaly_cases.json (the edges of forms/change.go and
// within.go, with the server's verdicts, kept by go test ./forms) run
// through the client's own anomaly.js and rules.js, with the json-logic-js
// the page loads, must give the same anomalies in the same order, with the
// same numbers and messages, and the same refusals of dates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from './server.js';
import { launch } from './browser.js';

const fixture = JSON.parse(readFileSync(new URL('../../forms/testdata/anomaly_cases.json', import.meta.url), 'utf8'));

let server, browser;

before(async () => { server = await startServer(); });

after(async () => {
  await browser?.close();
  await server?.stop();
});

// verdicts runs in the page: each case's answers checked as the form page
// checks them, and the anomalies of what check keeps, worded by problem.
async function verdicts({ form, cases }) {
  const at = (path) => new URL(path, document.baseURI).href;
  const { anomalies, problem } = await import(at('js/anomaly.js'));
  const { check } = await import(at('js/rules.js'));
  return cases.map(({ raw, school, past }) => {
    const res = check(form, raw, school, false, past);
    return {
      anomalies: anomalies(form, res.values, school, past).map((a) => ({
        field: a.field, kind: a.kind, value: a.value, low: a.low, high: a.high, previous: a.previous, message: problem(a),
      })),
      errors: res.errors.map((e) => ({ field: e.field, code: e.code, message: e.message })),
    };
  });
}

test('the phone in Chromium gives the server\'s verdicts on the anomaly cases', async () => {
  browser = await launch();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  const faults = [];
  page.on('pageerror', (e) => faults.push(e));
  await page.goto(server.url + '/');
  await page.locator('#username').waitFor();
  await page.waitForFunction(() => typeof globalThis.jsonLogic?.apply === 'function');
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  for (const path of ['/vendor/logic.js', '/js/rules.js', '/js/anomaly.js']) assert.ok(loaded.includes(path), `the client loads ${path}`);

  const got = await page.evaluate(verdicts, fixture);
  assert.deepEqual(faults, []);
  assert.ok(fixture.cases.length > 0, 'the fixture has cases');
  assert.equal(got.length, fixture.cases.length, 'a verdict for every case');
  let anomalies = 0, errors = 0;
  fixture.cases.forEach((c, i) => {
    assert.deepStrictEqual(got[i], { anomalies: c.anomalies, errors: c.errors }, c.name);
    anomalies += c.anomalies.length;
    errors += c.errors.length;
  });
  assert.ok(anomalies > 0 && errors > 0, 'the cases include anomalies and refused dates');
  console.log(`compared ${got.length} cases in Chromium: ${anomalies} anomalies and ${errors} date errors, as the server gives them`);
});

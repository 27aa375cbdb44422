// Checks whole forms with the phone's engine, for TestPhoneChecksPast:
// web/static/vendor/logic.js loaded as the page loads it, then
// web/static/js/rules.js's check. Reads one {"form", "raw", "school",
// "draft", "past"} object a line on stdin and writes check's answer a line:
// {"values", "computed", "hidden", "errors"}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runInThisContext } from 'node:vm';

const vendor = new URL('../../web/static/vendor/logic.js', import.meta.url);
runInThisContext(readFileSync(vendor, 'utf8'), { filename: vendor.pathname });
const { check } = await import('../../web/static/js/rules.js');

const out = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line === '') continue;
  const { form, raw, school, draft, past } = JSON.parse(line);
  out.push(JSON.stringify(check(form, raw, school, draft, past)));
}
process.stdout.write(out.join('\n') + '\n');

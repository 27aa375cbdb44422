// Finds anomalies and checks dates with the phone's code, for
// TestChangesAgreeWithPhone: reads one {"form", "values", "school", "past",
// "raw"} object a line on stdin and writes a line {"anomalies", "errors"}:
// web/static/js/anomaly.js's anomalies of values, and the errors of
// rules.js's check of raw (dates within the period).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runInThisContext } from 'node:vm';

const vendor = new URL('../../web/static/vendor/logic.js', import.meta.url);
runInThisContext(readFileSync(vendor, 'utf8'), { filename: vendor.pathname });
const { anomalies } = await import('../../web/static/js/anomaly.js');
const { check } = await import('../../web/static/js/rules.js');

const out = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line === '') continue;
  const { form, values, school, past, raw } = JSON.parse(line);
  const errors = raw ? check(form, raw, school, false, past).errors : [];
  out.push(JSON.stringify({ anomalies: anomalies(form, values, school, past), errors }));
}
process.stdout.write(out.join('\n') + '\n');

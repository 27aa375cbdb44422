// Evaluates form rules with the phone's engine, for TestPhoneAgreesWithServer:
// web/static/vendor/logic.js loaded as the page loads it (a classic script
// that sets globalThis.jsonLogic), then web/static/js/rules.js, which adapts
// it (engine.js) and checks the needed variables before a rule. Reads one
// {"rule": …, "data": …} object a line on stdin and writes {"ok": …, "value": …}
// a line, evalRule's answer. Values JSON cannot hold are tagged:
// {"$num": "NaN" | "+Inf" | "-Inf"}, {"$undefined": true}, {"$function": name}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runInThisContext } from 'node:vm';

const vendor = new URL('../../web/static/vendor/logic.js', import.meta.url);
runInThisContext(readFileSync(vendor, 'utf8'), { filename: vendor.pathname });
const { evalRule } = await import('../../web/static/js/rules.js');

function tag(key, v) {
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf' };
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'function') return { $function: v.name };
  return v;
}

const out = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line === '') continue;
  const { rule, data } = JSON.parse(line);
  const res = evalRule(rule, data);
  out.push(JSON.stringify(res.ok ? { ok: true, value: res.value } : { ok: false }, tag));
}
process.stdout.write(out.join('\n') + '\n');

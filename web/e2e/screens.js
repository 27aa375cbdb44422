// What every screen of the browser tests is held to, at a phone's 360×640
// and a desk's 1366×768: no page wider than the window, no text squeezed
// into a column of a character or two, and none of the machine's words on
// screen — drive ids, period codes (2026-11, 2026-T2), untranslated keys.
// Each size's screenshot is kept in screenshots/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { shots } from './browser.js';

export const SIZES = [[360, 640], [1366, 768]];

// layout measures the page: how wide it is, and every run of text whose
// lines are narrower than 2.5 characters of its font while more than three
// lines tall, or that runs past the window's right edge.
function layout() {
  const vw = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > vw + 1) out.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${vw}px window`);
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) return true;
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('[hidden], svg, option, .toasts')) continue;
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    if (!rects.length) continue;
    const font = parseFloat(cs.fontSize);
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;
    const widest = Math.max(...rects.map((r) => r.width));
    if (lines > 3 && widest < 2.5 * font && [...text].length > 3) out.push(`squeezed (${lines} lines ${Math.round(widest)}px wide): ${text.slice(0, 30)}`);
    const right = Math.max(...rects.map((r) => r.right));
    if (right > vw + 1 && !scrolls(el)) out.push(`past the right edge (${Math.round(right)}px): ${text.slice(0, 30)}`);
  }
  return out;
}

// words lists what the screen shows that people do not say: ids of drives,
// period codes, keys and field paths, raw statuses. Codes people use
// (school codes, usernames), what is set in <code> and one-time passwords
// are fine.
function words() {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('code, script, style, svg, .once').forEach((x) => x.remove());
  const text = clone.innerText;
  const bad = [
    /\b(?:monthly|termly|yearly|weekly|adhoc)-[0-9a-z-]+/g,
    /(?<![\d/:.-])\d{4}-(?:0[1-9]|1[0-2]|T[12]|W\d{2})(?![\d-])/g,
    /\b[a-z]+(?:_[a-z]+)+\b/g,
    /\b[a-z]+[A-Z][A-Za-z]*\b/g,
    /\b[a-z_]+\.[a-z_]+(?:\[\d+\])?/g,
    /\b(?:draft|submitted|returned|approved|not_started|noncompliant|compliant|open|closed|reopened|monthly|termly|yearly)\b/g,
    /\[object |undefined|\bnull\b|NaN/g,
  ];
  return bad.flatMap((re) => text.match(re) || []);
}

// screen checks the page at both sizes (zh: the words too) and keeps a
// screenshot of each; it leaves the page at 360×640.
export async function screen(page, name, { sizes = SIZES, zh = true } = {}) {
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const faults = await page.evaluate(layout);
    assert.deepEqual(faults, [], `${name} at ${w}×${h}: layout`);
    if (zh) assert.deepEqual(await page.evaluate(words), [], `${name} at ${w}×${h}: words on screen`);
    await page.evaluate(() => { document.getElementById('toast').hidden = true; });
    await page.screenshot({ path: join(shots, `${name}-${w}.png`), fullPage: w === 360, scale: 'css' });
    await page.evaluate(() => { document.getElementById('toast').hidden = false; });
  }
  await page.setViewportSize({ width: 360, height: 640 });
}

// signIn signs a user in on the page.
export async function signIn(page, url, username, password) {
  await page.goto(url + '/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('#username').waitFor({ state: 'detached' });
}

// Shared pieces of the browser tests: Chromium at a phone viewport, the place codes
// from `spur qr --format text`, axe-core checks, screenshots, and a plain API client
// for the "other teams" that play alongside the browser.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = process.env.SPUR_URL || 'http://127.0.0.1:8080';
export const HUNT = process.env.SPUR_HUNT || 'browser-test';
const SHOTS = process.env.SPUR_SHOTS || 'build/screenshots';
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// place id → {token, short} from lines "place<TAB>scan URL<TAB>short code".
export function placeCodes() {
  const out = {};
  for (const line of readFileSync(process.env.SPUR_QR, 'utf8').split('\n')) {
    const [place, url, short] = line.split('\t');
    if (!place || !url) continue;
    out[place] = { token: url.trim().split('/s/')[1], short: (short || '').trim() };
  }
  return out;
}

// extra: more Chromium flags (the camera test's fake camera).
export async function launch(extra = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra],
  });
}

// A phone: 360x740, touch, German unless told otherwise. Every page of the context
// records CSP violations, uncaught errors and alert() calls in ctx.problems.
// serviceWorkers: 'block' for a test whose routes must see every request; options:
// more context options (a check-in test's geolocation and permissions).
export async function phone(browser, { locale = 'de-DE', serviceWorkers = 'allow', options = {} } = {}) {
  const ctx = await browser.newContext({
    baseURL: BASE, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 1, locale, serviceWorkers, ...options,
  });
  return watchProblems(ctx);
}

// Makes every page of ctx record CSP violations, uncaught errors and window dialogs
// (dismissed) in ctx.problems; ctx.watch(page) does it for a page made otherwise.
export function watchProblems(ctx) {
  ctx.problems = [];
  ctx.on('page', watch);
  ctx.watch = watch;
  function watch(page) {
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) ctx.problems.push('CSP: ' + m.text());
    });
    page.on('pageerror', (e) => ctx.problems.push('page error: ' + e.message));
    page.on('dialog', (d) => { ctx.problems.push('dialog: ' + d.type() + ' ' + d.message()); d.dismiss().catch(() => {}); });
  }
  return ctx;
}

// A real JPEG of width x height, drawn and encoded by Chromium in page: a blue ground
// with an orange disc. Returns a Buffer.
export async function drawnJpeg(page, width, height) {
  return Buffer.from(await page.evaluate(async ([w, h]) => {
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#2a6f97'; g.fillRect(0, 0, w, h);
    g.fillStyle = '#f4a259'; g.beginPath(); g.arc(w / 2, h / 2, Math.min(w, h) / 3, 0, 7); g.fill();
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.85));
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, [width, height]));
}

export async function newPage(ctx) {
  const page = await ctx.newPage();
  return page;
}

export function noProblems(ctx) {
  assert.deepEqual(ctx.problems, [], 'no CSP violations, page errors or alerts');
}

// axe-core, WCAG 2.x A/AA rules: no serious or critical violation; and no sideways
// scrolling at the phone's width. The source is
// evaluated through the DevTools protocol, which the page's CSP does not block (a
// <script> tag added by page.addScriptTag would be inline and refused by the CSP).
export async function axe(page, name) {
  const has = await page.evaluate(() => typeof window.axe === 'object');
  if (!has) await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  // and usable at 360 px: nothing sticks out sideways
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${name}: page is ${sw}px wide in a ${cw}px viewport`);
  assert.deepEqual(bad.map((v) => `${name}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`), []);
}

export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage });
}

// A team that plays through the API directly (another group in the city).
export async function apiTeam(name, hunt = HUNT) {
  const res = await fetch(`${BASE}/api/hunts/${hunt}/teams`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }),
  });
  assert.equal(res.status, 201, 'team created');
  const body = await res.json();
  const call = async (method, path, data) => {
    const r = await fetch(`${BASE}/api/hunts/${hunt}${path}`, {
      method, headers: { Authorization: 'Bearer ' + body.token, ...(data ? { 'Content-Type': 'application/json' } : {}) },
      body: data ? JSON.stringify(data) : undefined,
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  return { ...body, call };
}

// Waits until the text of the first element matching sel matches re; fails with the
// last text seen.
export async function waitText(page, sel, re, timeout = 10000) {
  const end = Date.now() + timeout;
  let last = '';
  for (;;) {
    last = await page.locator(sel).first().textContent({ timeout: 1000 }).catch(() => '(missing)');
    if (re.test(last || '')) return last;
    if (Date.now() > end) assert.fail(`${sel}: expected ${re}, saw ${JSON.stringify(last)}`);
    await page.waitForTimeout(100);
  }
}

export async function until(fn, what, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

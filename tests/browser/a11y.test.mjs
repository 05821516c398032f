// Every page people use, in real Chromium: no axe violation of any impact (WCAG 2.1 A
// and AA, best practice), and at 200 % zoom on a 360 px phone (a 180 px wide layout)
// still nothing sticks out sideways. Pages: the app's start and play screens, the
// staff console signed in, the public draw page and the big screen.
// Self-contained: its own spurd with a running hunt that has branding and a prize drawn
// in a second hunt that is over.
//   SPUR_BUILD=build node --test tests/browser/a11y.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { iso, startSpurd } from './spurd.mjs';

const TOKEN = 'a11y-test-token';
const HUNT = 'a11y-run';
const OVER = 'a11y-over';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let srv, browser, lib, team;

function hunt(id, startsAt, endsAt, extra = {}) {
  return {
    id, title: 'Rallye für alle', starts_at: iso(startsAt), ends_at: iso(endsAt), late_sync_grace: 0,
    intro: 'Sucht die Spuren der Stadtgeschichte.',
    branding: { organizer: 'Stadt Kaiserslautern', accent: '#8a1c2b', footer: 'Impressum: Stadt Kaiserslautern' },
    places: [{ id: 'rathaus', name: 'Rathaus' }],
    puzzles: [
      { id: 'tor', title: 'Das Tor', kind: 'scan', place: 'rathaus', points: 5 },
      { id: 'stufen', title: 'Stufen', clue: 'Wie viele Stufen hat die Treppe?', points: 8,
        answer: { number: 42, tolerance: 0 }, hints: [{ text: 'Zählt langsam.', cost: 2 }] },
    ],
    prizes: [{ id: 'paket', name: 'Paket', count: 1, reserves: 1, eligible: 'all' }],
    ...extra,
  };
}

before(async () => {
  const now = Date.now();
  srv = await startSpurd({
    hunts: [hunt(HUNT, now - 3600e3, now + 3600e3), hunt(OVER, now - 7200e3, now - 3600e3)],
    name: 'a11y', env: { SPUR_ADMIN_TOKEN: TOKEN },
  });
  process.env.SPUR_URL = srv.base;
  lib = await import('./lib.mjs');
  browser = await lib.launch();
  team = await lib.apiTeam('Füchse', HUNT);
  assert.equal((await team.call('POST', '/puzzles/stufen/answer', { answer: '42' })).status, 200);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Every axe violation, whatever its impact, as "rule: first target".
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function check(page, name) {
  assert.deepEqual(await violations(page), [], name + ': axe');
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  const wide = sw <= cw ? [] : await page.evaluate((w) => [...document.querySelectorAll('body *')]
    .filter((e) => e.getClientRects().length && (e.getBoundingClientRect().right > w + 1 ||
      (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')))
    .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`), cw);
  assert.ok(sw <= cw, `${name}: ${sw} px wide in a ${cw} px window: ${wide.join(', ')}`);
}

// The pages, each at a phone's 360 px and at 200 % zoom (180 CSS px).
const pages = [
  ['app start', `/?hunt=${HUNT}`, '#screen-join:not([hidden])', false],
  ['app playing', `/?hunt=${HUNT}`, '#screen-play:not([hidden])', true],
  ['staff console', `/staff/index.html?hunt=${HUNT}`, '#console:not([hidden])', 'staff'],
  ['draw page', `/draw/index.html?hunt=${OVER}`, 'main', false],
];

for (const width of [360, 180]) {
  for (const [name, path, ready, as] of pages) {
    test(`${name} at ${width} px: no axe violation, nothing sideways`, async () => {
      const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width, height: 740 }, locale: 'de-DE', isMobile: true, hasTouch: true });
      if (as === true) {
        await ctx.addCookies([{ name: 'spur_token', value: team.token, url: srv.base }]);
        await ctx.addInitScript(([h, v]) => { try { localStorage.setItem('spur.team.' + h, v); } catch { /* about:blank */ } },
          [HUNT, JSON.stringify({ team: team.team, token: team.token })]);
      }
      if (as === 'staff') await ctx.addInitScript((t) => { try { sessionStorage.setItem('spur_staff_token', t); localStorage.setItem('spur_staff_name', 'Anna'); } catch { /* about:blank */ } }, TOKEN);
      const page = await ctx.newPage();
      await page.goto(path);
      if (as === 'staff' && await page.isVisible('#login')) {
        await page.fill('#token', TOKEN);
        await page.click('#login-form button[type="submit"]');
      }
      await page.waitForSelector(ready);
      if (as === 'staff' && await page.isVisible('#who')) {
        await page.fill('#who input', 'Anna');
        await page.press('#who input', 'Enter');
      }
      await page.waitForTimeout(500); // live data rendered
      await check(page, `${name} ${width}`);
      await lib.shot(page, `a11y-${name.replace(/ /g, '-')}-${width}`);
      await ctx.close();
    });
  }
}

test('the big screen at 1280×720: no axe violation, the organizer named, announcements shown', async () => {
  const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width: 1280, height: 720 }, locale: 'de-DE' });
  const page = await ctx.newPage();
  await page.goto(`/screen/${HUNT}`);
  await page.waitForSelector('#qr:not([hidden])'); // the join code (the logo, when any, is an img too)
  await page.waitForTimeout(500);
  assert.equal(await page.textContent('.brand'), 'Stadt Kaiserslautern', 'the organizer above the title');
  // an announcement sent meanwhile shows over the board, and goes when it is deleted
  const text = 'Die Siegerehrung beginnt um 18 Uhr\nam Rathaus.';
  const r = await fetch(`${srv.base}/api/admin/hunts/${HUNT}/announcements`, {
    method: 'POST', headers: { Authorization: 'Bearer ' + TOKEN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  assert.equal(r.status, 201);
  const { id } = await r.json();
  await page.waitForSelector('#ann:not([hidden])');
  assert.equal(await page.evaluate(() => document.getElementById('ann-text').innerText), text);
  assert.deepEqual(await violations(page), [], 'big screen: axe');
  await lib.shot(page, 'a11y-screen-announcement', { fullPage: false });
  await fetch(`${srv.base}/api/admin/hunts/${HUNT}/announcements/${id}`, { method: 'DELETE', headers: { Authorization: 'Bearer ' + TOKEN } });
  await page.waitForSelector('#ann', { state: 'hidden' });
  await ctx.close();
});

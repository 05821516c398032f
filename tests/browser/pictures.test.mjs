// Pictures in a hunt (puzzle and place "image", the branding logo) in real Chromium at
// a phone's 360 px: a puzzle's picture shows with its alt text in a box that is there
// before the bytes arrive and does not change when they do; a place's picture shows
// even while its puzzle is locked (whose own picture the server keeps back); the logo
// is in the header and on the big screen; after one visit the service worker has
// every picture the lists name, so the clues show them offline too, and it drops the
// hunt's pictures no list names any more; axe finds nothing on the play screen.
// Self-contained: its own spurd with one running hunt whose pictures are PNGs made
// here (spur import turns them into JPEG, and WebP for the transparent logo).
//   SPUR_BUILD=build node --test tests/browser/pictures.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/pictures-play-360.png, pictures-offline-360.png,
// pictures-screen-1280.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';
import { png } from './png.mjs';

const HUNT = 'bilder';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let srv, lib, browser;

const ALT = {
  brunnen: 'Der Löwenbrunnen von oben, Wasser speit aus dem Maul',
  markt: 'Der Marktplatz mit dem roten Rathaus',
  turm: 'Der Stiftsturm mit seiner grünen Kuppel',
  geheim: 'Die Lösung, gut sichtbar',
  logo: 'Wappen der Stadt Kaiserslautern',
};

before(async () => {
  const now = Date.now();
  // Stripes and a gradient: something a JPEG encoder has to work on, not one colour.
  const photo = (w, hh, tint) => png(w, hh, (x, y) => [(x * 255 / w) | 0, ((x >> 4) + (y >> 4)) % 2 ? 200 : 60, tint]);
  const files = {
    'bilder/brunnen.png': photo(800, 600, 140),
    'bilder/markt.png': photo(640, 480, 30),
    'bilder/turm.png': photo(480, 720, 220),
    'bilder/geheim.png': photo(300, 300, 90),
    // transparent corners: stored as WebP
    'logo.png': png(240, 96, (x, y) => [138, 28, 43, Math.hypot(x - 120, (y - 48) * 2.5) < 118 ? 255 : 0], { alpha: true }),
  };
  const hunt = {
    id: HUNT, title: 'Rallye mit Bildern', starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    branding: { organizer: 'Stadt Kaiserslautern', logo: { file: 'logo.png', alt: ALT.logo } },
    places: [
      { id: 'markt', name: 'Marktplatz', image: { file: 'bilder/markt.png', alt: ALT.markt } },
      { id: 'turm', name: 'Stiftsturm', image: { file: 'bilder/turm.png', alt: ALT.turm } },
    ],
    puzzles: [
      { id: 'brunnen', title: 'Der Brunnen', points: 5, place: 'markt', answer: { accept: ['Löwe'] },
        image: { file: 'bilder/brunnen.png', alt: ALT.brunnen }, clue: 'Welches Tier speit hier Wasser?' },
      { id: 'geheim', title: 'Das Geheimnis', points: 3, kind: 'scan', place: 'turm', requires: ['brunnen'],
        image: { file: 'bilder/geheim.png', alt: ALT.geheim }, clue: 'Erst nach dem Brunnen.' },
      { id: 'ohne', title: 'Ohne Bild', points: 2, answer: { accept: ['ja'] }, clue: 'Ein Rätsel ganz ohne Bild.' },
    ],
  };
  srv = await startSpurd({ hunts: [hunt], files, name: 'pictures' });
  process.env.SPUR_URL = srv.base; // lib.mjs reads these when first imported
  process.env.SPUR_HUNT = HUNT;
  process.env.SPUR_SHOTS ||= join(BUILD, 'screenshots');
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Every axe violation, whatever its impact (as a11y.test.mjs counts them).
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// An <img>'s state as a person would notice it: where it is, how big, whether it
// really decoded.
function imgState(page, sel) {
  return page.$eval(sel, (img) => {
    const r = img.getBoundingClientRect();
    return { top: r.top + scrollY, w: r.width, h: r.height, alt: img.alt, src: img.getAttribute('src'),
      attrW: img.getAttribute('width'), attrH: img.getAttribute('height'), loading: img.getAttribute('loading'),
      natural: img.complete ? img.naturalWidth : 0 };
  });
}

const decoded = (page, sel) => lib.until(() => page.$eval(sel, (img) => img.complete && img.naturalWidth > 0).catch(() => false),
  `${sel} decoded`);

async function createTeam(page, name) {
  await page.goto(`/?hunt=${HUNT}`);
  await page.waitForSelector('#screen-join:not([hidden])');
  await page.fill('#team-name', name);
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector('#screen-play:not([hidden])');
}

const mediaCache = (page) => page.evaluate(async () => {
  if (!(await caches.has('spur-media'))) return [];
  return (await (await caches.open('spur-media')).keys()).map((r) => new URL(r.url).pathname).sort();
});

test('a slow picture has its box before it arrives: nothing below it moves when it does', async () => {
  // Without the service worker, so the page's own route can hold the picture back.
  const ctx = await lib.phone(browser, { serviceWorkers: 'block' });
  let release;
  const held = new Promise((r) => { release = r; });
  let asked = 0;
  await ctx.route('**/api/hunts/*/media/*', async (route) => { asked++; await held; await route.continue(); });
  const page = await ctx.newPage();
  await createTeam(page, 'Die Langsamen');
  const img = '#pz-brunnen img.pz-pic';
  await page.waitForSelector(img);
  await lib.until(() => asked > 0, 'the picture requested');
  const before = await imgState(page, img);
  const clueBefore = await page.$eval('#pz-brunnen .clue', (e) => e.getBoundingClientRect().top + scrollY);
  assert.equal(before.natural, 0, 'not there yet');
  assert.equal(before.alt, ALT.brunnen);
  assert.equal(before.loading, 'lazy');
  assert.deepEqual([before.attrW, before.attrH], ['800', '600']);
  // the card is narrower than 800 px: scaled to its width, in the picture's shape
  assert.ok(before.w > 250 && before.w <= 340, `box ${before.w} px wide`);
  assert.ok(Math.abs(before.h - before.w * 600 / 800) < 2, `box ${before.w}x${before.h} has the picture's 4:3 shape`);
  release();
  await decoded(page, img);
  const afterLoad = await imgState(page, img);
  assert.ok(afterLoad.natural > 0);
  assert.deepEqual([afterLoad.top, afterLoad.w, afterLoad.h], [before.top, before.w, before.h], 'the box did not change');
  const clueAfter = await page.$eval('#pz-brunnen .clue', (e) => e.getBoundingClientRect().top + scrollY);
  assert.equal(clueAfter, clueBefore, 'the clue below did not move');
  lib.noProblems(ctx);
  await ctx.close();
});

test('clues show their pictures with alt text, a locked puzzle only its place; the logo is in the header; axe finds nothing', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await createTeam(page, 'Die Seher');
  await page.waitForSelector('#pz-brunnen img.pz-pic');

  // the puzzle's picture above its clue, the place's below the place line
  const pz = '#pz-brunnen img.pz-pic', pl = '#pz-brunnen img.place-pic';
  await decoded(page, pz);
  await decoded(page, pl);
  const a = await imgState(page, pz), b = await imgState(page, pl);
  assert.equal(a.alt, ALT.brunnen);
  assert.equal(b.alt, ALT.markt);
  assert.match(a.src, /^\/api\/hunts\/bilder\/media\/[0-9a-f]+\.jpg$/);
  assert.ok(a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0);
  assert.equal(a.natural, 800);
  const order = await page.$$eval('#pz-brunnen article > *', (els) => els.map((e) => e.className.split(' ')[0] || e.tagName));
  assert.ok(order.indexOf('pic') < order.indexOf('clue') && order.indexOf('clue') < order.indexOf('place'),
    `picture, clue, place in that order: ${order}`);
  assert.ok(order.lastIndexOf('pic') === order.indexOf('place') + 1, `place picture after the place line: ${order}`);
  // the whole picture is inside the card at 360 px
  const card = await page.$eval('#pz-brunnen', (e) => e.getBoundingClientRect().right);
  assert.ok(await page.$eval(pz, (e, right) => e.getBoundingClientRect().right <= right, card));

  // locked: the place's picture (to find the spot), not the puzzle's own
  await page.waitForSelector('#pz-geheim.status-locked');
  assert.equal(await page.locator('#pz-geheim img.pz-pic').count(), 0);
  assert.equal(await page.getAttribute('#pz-geheim img.place-pic', 'alt'), ALT.turm);
  assert.equal(await page.locator(`#puzzle-list img[alt="${ALT.geheim}"]`).count(), 0);
  // a puzzle without pictures has none
  assert.equal(await page.locator('#pz-ohne img').count(), 0);

  // the organizer's logo in spur's place in the header
  await decoded(page, '#hunt-logo');
  const logo = await imgState(page, '#hunt-logo');
  assert.equal(logo.alt, ALT.logo);
  assert.match(logo.src, /\.webp$/, 'the transparent logo is a WebP');
  assert.ok(logo.w > 0 && logo.h > 0 && logo.h <= 40, `logo ${logo.w}x${logo.h}`);
  assert.ok(Math.abs(logo.w / logo.h - 240 / 96) < 0.3, `logo keeps its shape: ${logo.w}x${logo.h}`);
  assert.equal(await page.isVisible('#brand'), false);
  assert.ok(await page.isVisible('#hunt-title'));

  // answering rebuilds the card; the picture stays the same element (not loaded again)
  await page.$eval(pz, (e) => { e.dataset.mark = '1'; });
  await page.fill('#pz-brunnen [data-role="answer"]', 'Löwe');
  await page.press('#pz-brunnen [data-role="answer"]', 'Enter');
  await page.waitForSelector('#pz-brunnen.status-solved');
  assert.equal(await page.getAttribute(pz, 'data-mark'), '1');
  // solving it opened "geheim": now its own picture shows
  await page.waitForSelector('#pz-geheim.status-open img.pz-pic');
  assert.equal(await page.getAttribute('#pz-geheim img.pz-pic', 'alt'), ALT.geheim);
  await decoded(page, '#pz-geheim img.pz-pic');

  assert.deepEqual(await violations(page), [], 'axe on the play screen with pictures');
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${sw} px wide in a ${cw} px window`);
  await lib.shot(page, 'pictures-play-360');
  lib.noProblems(ctx);
  await ctx.close();
});

test('after one visit the pictures are kept: offline, the clues still show them; pictures no list names are dropped', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await createTeam(page, 'Die Offlinen');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await lib.until(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'service worker in control');
  // The lists the app got name these pictures; the service worker fetches them all,
  // without the page scrolling to them.
  const token = await page.evaluate((h) => JSON.parse(localStorage.getItem('spur.team.' + h)).token, HUNT);
  const get = async (path) => (await fetch(srv.base + path, { headers: { Authorization: 'Bearer ' + token } })).json();
  const info = await get(`/api/hunts/${HUNT}`);
  const list = await get(`/api/hunts/${HUNT}/puzzles`);
  const named = [...new Set([info.branding.logo.url, ...list.flatMap((p) => [p.image?.url, p.place?.image?.url])
    .filter(Boolean)])].sort();
  // the logo, brunnen's and its place's, and the locked puzzle's place (not its own)
  const locked = list.find((p) => p.id === 'geheim');
  assert.equal(locked.status, 'locked');
  assert.equal(locked.image, undefined);
  assert.equal(named.length, 4, String(named));
  assert.ok(named.includes(locked.place.image.url));
  await lib.until(async () => JSON.stringify(await mediaCache(page)) === JSON.stringify(named),
    'the named pictures in the service worker cache', 15000);

  // a picture of this hunt no list names (an older version of one), and one of
  // another hunt: the next lists drop the first and leave the second alone
  const stale = `/api/hunts/${HUNT}/media/00000000000000000000000000000000.jpg`;
  const other = '/api/hunts/andere/media/11111111111111111111111111111111.jpg';
  await page.evaluate(async (urls) => {
    const c = await caches.open('spur-media');
    for (const u of urls) await c.put(u, new Response('x', { headers: { 'Content-Type': 'image/jpeg' } }));
  }, [stale, other]);
  await page.reload();
  await page.waitForSelector('#screen-play:not([hidden])');
  await lib.until(async () => !(await mediaCache(page)).includes(stale), 'the stale picture dropped', 15000);
  assert.deepEqual(await mediaCache(page), [...named, other].sort());

  // offline, with the browser's own HTTP cache emptied: only the service worker has them
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  const fromSw = new Map();
  page.on('response', (r) => { if (r.url().includes('/media/')) fromSw.set(new URL(r.url()).pathname, r.fromServiceWorker()); });
  await ctx.setOffline(true);
  await page.reload();
  await page.waitForSelector('#screen-play:not([hidden])');
  await page.waitForSelector('#offline:not([hidden])');
  const pz = '#pz-brunnen img.pz-pic';
  await page.waitForSelector(pz);
  await decoded(page, pz);
  await decoded(page, '#pz-brunnen img.place-pic');
  await decoded(page, '#hunt-logo');
  const a = await imgState(page, pz);
  assert.equal(a.alt, ALT.brunnen);
  assert.equal(a.natural, 800);
  assert.equal(fromSw.get(a.src), true, 'the puzzle picture came from the service worker');
  // and the locked puzzle's place further down, which the page never scrolled to
  const turm = '#pz-geheim img.place-pic';
  await page.locator(turm).scrollIntoViewIfNeeded();
  await decoded(page, turm);
  assert.equal(fromSw.get(await page.getAttribute(turm, 'src')), true);
  await lib.shot(page, 'pictures-offline-360');
  await ctx.setOffline(false);
  lib.noProblems(ctx);
  await ctx.close();
});

test('the big screen shows the logo with its alt text', async () => {
  const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1, locale: 'de-DE' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text()); });
  await page.goto(`/screen/${HUNT}?every=0`);
  await page.waitForSelector('#logo:not([hidden])');
  await decoded(page, '#logo');
  const logo = await imgState(page, '#logo');
  assert.equal(logo.alt, ALT.logo);
  assert.ok(logo.w > 40 && logo.h > 40, `logo ${logo.w}x${logo.h}`);
  // left of the title, both in the header, the title not pushed off
  const title = await page.$eval('#title', (e) => e.getBoundingClientRect().toJSON());
  const box = await page.$eval('#logo', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(box.right <= title.left, 'logo before the title');
  assert.equal(await page.textContent('#title'), 'Rallye mit Bildern');
  assert.deepEqual(await violations(page), [], 'axe on the big screen');
  await page.screenshot({ path: join(process.env.SPUR_SHOTS, 'pictures-screen-1280.png') });
  assert.deepEqual(errors, []);
  await ctx.close();
});

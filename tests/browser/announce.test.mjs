// Announcements in real Chromium: staff send a text to every team, an open app shows
// it as a banner at the top within seconds without a reload, the player closes it and
// it stays closed after a reload; the staff console sends (after confirming), lists
// and deletes them. Self-contained: its own spurd with its own hunt, so no banner
// shows up in the screenshots of the other test files.
//   SPUR_BUILD=build node --test tests/browser/announce.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/announce-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, phone, noProblems, axe, waitText, until } from './lib.mjs';
import { BUILD, iso, startSpurd } from './spurd.mjs';

const SHOTS = process.env.SPUR_SHOTS || join(BUILD, 'screenshots');
const TOKEN = 'announce-browser-test-token';
const HUNT = 'ann-test';
let srv, browser;

async function staff(method, path, body, who = 'Jana') {
  const headers = { Authorization: 'Bearer ' + TOKEN, 'X-Staff-Name': who };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`${srv.base}/api/admin/hunts/${HUNT}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}
const announce = async (text) => {
  const r = await staff('POST', '/announcements', { text });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

before(async () => {
  const now = Date.now();
  srv = await startSpurd({
    name: 'announce', env: { SPUR_ADMIN_TOKEN: TOKEN },
    hunts: [{
      id: HUNT, title: 'Rallye mit Durchsagen', language: 'de', starts_at: iso(now - 3600e3), ends_at: iso(now + 86400e3),
      places: [{ id: 'brunnen', name: 'Brunnen' }],
      puzzles: [
        { id: 'bank', title: 'Die Bank', kind: 'scan', place: 'brunnen', points: 5 },
        { id: 'stufen', title: 'Stufen', clue: 'Wie viele Stufen?', points: 8, answer: { number: 42, tolerance: 0 } },
      ],
    }],
  });
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const banners = (page) => page.locator('#ann-list li .ann-text').allInnerTexts();

test('an open app shows announcements live, closed ones stay closed, deleted ones go', async () => {
  const first = await announce('Willkommen! Start ist am Rathaus.');
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(`${srv.base}/?hunt=${HUNT}`);
  await page.waitForSelector('#screen-join:not([hidden])');
  // sent before the app was opened: shown at the start
  await waitText(page, '#ann-list li .ann-text', /Willkommen! Start ist am Rathaus\./);
  await page.fill('#team-name', 'Die Füchse');
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#team-line', /^Die Füchse$/);

  // sent while the app is open: there within a few seconds, no reload, newest first,
  // its line breaks kept, as plain text
  const t0 = Date.now();
  const sign = await announce('Das Schild am Brunnen ist abgefallen.\nDer Code klebt jetzt an der Bank. <b>nicht fett</b>');
  await until(async () => (await banners(page)).length === 2, 'the live announcement', 5000);
  assert.ok(Date.now() - t0 < 5000);
  assert.deepEqual(await banners(page), [
    'Das Schild am Brunnen ist abgefallen.\nDer Code klebt jetzt an der Bank. <b>nicht fett</b>',
    'Willkommen! Start ist am Rathaus.']);
  assert.equal(await page.locator('#ann-list b').count(), 0, 'text, never markup');
  assert.equal(await page.getAttribute('#announcements', 'role'), 'status');
  assert.equal(await page.getAttribute('#announcements', 'aria-live'), 'polite');
  assert.match(await page.textContent('#ann-list li:first-child .ann-head'), /^Durchsage · \d\d:\d\d$/);
  await page.screenshot({ path: join(SHOTS, 'announce-phone.png'), fullPage: false });
  await axe(page, 'announcements');
  // at 200 % zoom (a 180 px wide viewport) the banner still fits, nothing cut off
  await page.setViewportSize({ width: 180, height: 370 });
  const fits = await page.evaluate(() => [...document.querySelectorAll('#ann-list, #ann-list li, #ann-list .ann-close')]
    .every((e) => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= 181));
  await page.screenshot({ path: join(SHOTS, 'announce-phone-zoom.png'), fullPage: false });
  assert.ok(fits, 'the banner fits at 200 % zoom');
  await page.setViewportSize({ width: 360, height: 740 });

  // closing one: gone, focus on the next one's button; after a reload still gone
  await page.click('#ann-list li:first-child .ann-close');
  assert.deepEqual(await banners(page), ['Willkommen! Start ist am Rathaus.']);
  assert.equal(await page.evaluate(() => document.activeElement.closest('li')?.dataset.id), String(first.id));
  await page.reload();
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#ann-list li .ann-text', /Willkommen/);
  await page.waitForTimeout(500);
  assert.deepEqual(await banners(page), ['Willkommen! Start ist am Rathaus.']);

  // a second one after the reload appears live again; a deleted one disappears live
  await announce('Zweite Durchsage: Treffpunkt 16 Uhr am Brunnen.');
  await until(async () => (await banners(page))[0] === 'Zweite Durchsage: Treffpunkt 16 Uhr am Brunnen.', 'the second one');
  assert.equal((await staff('DELETE', `/announcements/${first.id}`)).status, 200);
  await until(async () => (await banners(page)).length === 1, 'the deleted one to go');
  assert.equal((await staff('DELETE', `/announcements/${sign.id}`)).status, 200); // closed here anyway

  // more than three: the newest three, and a button for the rest
  for (const n of [3, 4, 5]) await announce(`Durchsage ${n}`);
  await until(async () => (await banners(page))[0] === 'Durchsage 5', 'three more');
  assert.deepEqual(await banners(page), ['Durchsage 5', 'Durchsage 4', 'Durchsage 3']);
  assert.equal(await page.textContent('#ann-more'), '1 weitere Durchsage zeigen');
  await page.click('#ann-more');
  assert.equal((await banners(page)).length, 4);
  assert.equal(await page.isHidden('#ann-more'), true);

  // in English the labels follow
  await page.click('#lang-switch');
  assert.equal(await page.textContent('#ann-list li:first-child .ann-close'), 'Close');
  assert.match(await page.textContent('#ann-list li:first-child .ann-head'), /^Announcement · /);
  await page.click('#lang-switch');
  noProblems(ctx);
  await ctx.close();
});

test('the staff console sends an announcement after confirming, lists it and deletes it', async () => {
  const app = await phone(browser);
  const player = await app.newPage();
  await player.goto(`${srv.base}/?hunt=${HUNT}`);
  await player.waitForSelector('#screen-join:not([hidden])');
  await player.fill('#team-name', 'Eulen');
  await player.click('#form-create button[type="submit"]');
  await player.waitForSelector('#screen-play:not([hidden])');

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  await page.goto(`${srv.base}/staff/index.html?hunt=${HUNT}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#who:not([hidden])');
  await page.fill('#who-name', 'Ute');
  await page.click('#who-form button[type="submit"]');
  await page.waitForSelector('#ann-list li'); // those of the first test
  assert.equal(await page.isHidden('#ann-all'), true); // four: all shown
  for (const n of [6, 7]) await announce(`Durchsage ${n}`);
  await waitText(page, '#ann-list li:first-child .text', /Durchsage 7/);
  assert.equal(await page.locator('#ann-list li').count(), 5);
  assert.equal(await page.textContent('#ann-all'), 'Alle 6 zeigen');
  await page.click('#ann-all');
  assert.equal(await page.locator('#ann-list li').count(), 6);
  assert.equal(await page.evaluate(() => document.activeElement.closest('li') === document.querySelectorAll('#ann-list li')[5]), true);

  // nothing sent without text; too long is said before sending
  await page.click('#ann-send');
  assert.match(await page.textContent('#ann-err'), /Text/);
  await page.fill('#ann-text', 'x'.repeat(1001));
  assert.match(await page.textContent('#ann-count'), /1001 Zeichen: höchstens 1000/);
  await page.fill('#ann-text', 'Regen: die Siegerehrung ist\nim Rathaussaal.');
  assert.equal(await page.textContent('#ann-count'), '43 / 1000 Zeichen');
  await page.click('#ann-send');
  await page.waitForSelector('#ann-card .confirm');
  assert.equal(await page.textContent('#ann-card .confirm p'), 'An alle Teams senden?');
  await page.click('#ann-card .confirm button.ghost'); // cancel: nothing sent
  assert.equal(await page.locator('#ann-card .confirm').count(), 0);
  await page.click('#ann-send');
  await page.click('#ann-card .confirm button.danger');
  await waitText(page, '#ann-out', /Gesendet/);
  await waitText(page, '#ann-list li:first-child .text', /Regen: die Siegerehrung ist\nim Rathaussaal\./);
  assert.equal(await page.inputValue('#ann-text'), '');
  await waitText(player, '#ann-list li:first-child .ann-text', /Regen: die Siegerehrung/);
  await waitText(page, '#log-rows tr:first-child', /Ute.*Durchsage gesendet.*Regen/s);
  await page.locator('#ann-card').screenshot({ path: join(SHOTS, 'announce-staff.png') });
  await axe(page, 'staff announcements');

  // delete, confirmed: gone from the console and from the phone
  await page.click('#ann-list li:first-child button');
  await page.click('#ann-list li:first-child .confirm button.danger');
  await waitText(page, '#ann-out', /gelöscht/);
  await until(async () => !(await page.textContent('#ann-list')).includes('Regen'), 'the console list');
  await until(async () => !(await player.textContent('#ann-list')).includes('Regen'), 'the phone banner');
  await waitText(page, '#log-rows tr:first-child', /Ute.*Durchsage gelöscht/s);

  // at 360 px the section fits
  await page.setViewportSize({ width: 360, height: 740 });
  await page.locator('#ann-card').scrollIntoViewIfNeeded();
  await page.locator('#ann-card').screenshot({ path: join(SHOTS, 'announce-staff-360.png') });
  await axe(page, 'staff announcements at 360 px');
  assert.deepEqual(problems, []);
  noProblems(app);
  await ctx.close();
  await app.close();
});

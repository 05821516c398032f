// The staff console and the public draw page in real Chromium at a projector-sized
// viewport. Self-contained: starts its own spurd on a free port with a fresh
// database and a hunt that ends a few seconds after the start (late_sync_grace 0),
// so the draw can be made while the test runs; teams play through the API.
//   SPUR_BUILD=build node --test tests/browser/staff.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/staff*.png and draw-page.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BUILD, iso, sleep, startSpurd } from './spurd.mjs';

const SHOTS = join(BUILD, 'screenshots');
const TOKEN = 'staff-browser-test-token';
const HUNT = 'staff-test';
const BHUNT = 'beacon-test'; // the same hunt with a draw_beacon (spur-draw-v2)
const SOURCE = 'Lotto 6aus49 vom Samstag nach dem Ende: die sechs Zahlen und die Superzahl';
const BEACON = '3 11 19 27 35 49 Superzahl 7';
const ENDS_IN = 8; // seconds

let srv, base, browser, endsAt;
const tokens = new Map(); // team id -> bearer token

async function call(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

before(async () => {
  const now = Date.now();
  endsAt = Math.ceil((now + ENDS_IN * 1000) / 1000) * 1000;
  const hunt = {
    id: HUNT, title: 'Stadtrallye Kaiserslautern', starts_at: iso(now - 3600e3), ends_at: iso(endsAt),
    late_sync_grace: 0,
    places: [{ id: 'rathaus', name: 'Rathaus' }],
    puzzles: [
      { id: 'tor', title: 'Das Tor', kind: 'scan', place: 'rathaus', points: 5 },
      { id: 'stufen', title: 'Stufen', clue: 'Wie viele?', points: 8, answer: { number: 42, tolerance: 0 } },
      { id: 'farbe', title: 'Farbe', clue: 'Welche?', points: 4, answer: { choices: ['rot', 'gruen'], correct: 1 } },
    ],
    prizes: [
      { id: 'paket', name: 'Kaiserslautern-Paket', count: 1, reserves: 2, eligible: 'all' },
      { id: 'urkunde', name: 'Urkunde', count: 'all', eligible: 'all' },
    ],
  };
  const bhunt = { ...hunt, id: BHUNT, title: 'Rallye mit Zufallswert', draw_beacon: SOURCE };
  srv = await startSpurd({ hunts: [hunt, bhunt], name: 'staff', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  base = srv.base;
  for (const name of ['Adler', 'Biber']) {
    const r = await call('POST', `/api/hunts/${BHUNT}/teams`, { name });
    assert.equal(r.status, 201);
    assert.equal((await call('POST', `/api/hunts/${BHUNT}/puzzles/stufen/answer`, { answer: '42' }, r.body.token)).body.correct, true);
  }
  const teams = [['Die Füchse', [['stufen', '42'], ['farbe', 'gruen']]], ['Eulen aus dem Turm', [['stufen', '42']]],
    ['Barbarossas Erben', [['farbe', 'gruen']]], ['Die Schläfer', []]];
  for (const [name, answers] of teams) {
    const r = await call('POST', `/api/hunts/${HUNT}/teams`, { name });
    assert.equal(r.status, 201);
    tokens.set(r.body.team.id, r.body.token);
    for (const [pid, answer] of answers) {
      const a = await call('POST', `/api/hunts/${HUNT}/puzzles/${pid}/answer`, { answer }, r.body.token);
      assert.equal(a.body.correct, true);
    }
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function projector(locale = 'de-DE') {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1600, height: 1000 }, locale });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  return { ctx, page, problems };
}

test('staff sign in once, watch progress, draw a prize after confirming, and check a claim code', async () => {
  const { ctx, page, problems } = await projector();
  await page.goto(`/staff/index.html?hunt=${HUNT}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', 'wrong-token');
  await page.click('#login-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#login-err').textContent.length > 0);
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#console:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#n-teams').textContent === '4');
  assert.equal(await page.textContent('#n-active'), '3');
  await page.waitForFunction(() => document.querySelectorAll('#board li').length === 4);
  assert.match(await page.textContent('#board li:first-child'), /Die Füchse/);
  assert.match(await page.textContent('#puzzles'), /Stufen/);

  // the token survives a reload of the tab
  await page.reload();
  await page.waitForSelector('#console:not([hidden])');

  // before the deadline the button is off and says from when, in the hunt's time
  // (Europe/Berlin: the hunt names no time zone)
  await page.selectOption('#prize', 'paket');
  assert.equal(await page.isDisabled('#draw-btn'), true);
  const berlin = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .format(new Date(endsAt));
  assert.match(await page.textContent('#draw-btn'), new RegExp(`^Verlosung ab .*${berlin}.* möglich$`));
  assert.equal(await page.isHidden('#beacon-box'), true);

  await page.waitForFunction(() => !document.querySelector('#draw-btn').disabled, null, { timeout: ENDS_IN * 1000 + 5000 });
  assert.equal(await page.textContent('#draw-btn'), 'Verlosen …');
  await page.click('#draw-btn');
  await page.waitForSelector('#confirm:not([hidden])');
  assert.match(await page.textContent('#confirm-q'), /Wirklich „Kaiserslautern-Paket“ verlosen\?/);
  await page.click('#confirm-no');
  assert.equal(await page.isHidden('#confirm'), true);
  await page.click('#draw-btn');
  await page.waitForSelector('#confirm:not([hidden])');
  await page.screenshot({ path: join(SHOTS, 'staff-confirm.png') });
  await page.click('#confirm-yes');
  await page.waitForSelector('#result:not([hidden]) .record.big');
  const winner = await page.textContent('#result .names li .name');
  assert.ok(['Die Füchse', 'Eulen aus dem Turm', 'Barbarossas Erben'].includes(winner), winner);
  await page.waitForFunction(() => document.querySelectorAll('#records .record').length === 1);
  assert.equal(await page.isDisabled('#prize option[value="paket"]'), true);

  // the claim code the winner sees in /me is confirmed by the console
  const draw = await call('GET', `/api/hunts/${HUNT}/draw`);
  const winnerId = draw.body.draws[0].winners[0];
  const me = await call('GET', `/api/hunts/${HUNT}/me`, undefined, tokens.get(winnerId));
  const prize = me.body.prizes.find((p) => p.prize === 'paket');
  assert.equal(prize.status, 'winner');
  await page.fill('#claim-code', prize.claim_code.toLowerCase());
  await page.click('#claim-form button[type="submit"]');
  await page.waitForSelector('#claim-out.ok');
  assert.equal(await page.textContent('#claim-out'), `${winner} hat „Kaiserslautern-Paket“ gewonnen.`);
  await page.fill('#claim-code', 'AAAA-AAAA');
  await page.click('#claim-form button[type="submit"]');
  await page.waitForSelector('#claim-out.bad');
  await page.screenshot({ path: join(SHOTS, 'staff.png'), fullPage: true });

  // English
  await page.click('#lang');
  assert.match(await page.textContent('#draw-h'), /Prize draw/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the public draw page shows the commitment and recomputes the record in the browser', async () => {
  const { ctx, page, problems } = await projector('en-GB');
  const h = await call('GET', `/api/hunts/${HUNT}`);
  const streams = async () => Number(/^spur_event_streams (\d+)$/m.exec(await (await fetch(base + '/metrics')).text())[1]);
  const streamsBefore = await streams();
  await page.goto(`/draw/index.html?hunt=${HUNT}`);
  await page.waitForFunction(() => document.querySelectorAll('#records .record').length >= 1);
  assert.equal(await page.textContent('#commitment'), h.body.draw_commitment);
  await page.waitForSelector('#records .verdict.ok');
  assert.match(await page.textContent('#records .verdict'), /correct/);
  assert.match(await page.textContent('#cmd'), /spur verify-draw draw\.json/);
  // the next prize drawn on stage appears on the open page by itself, verified too
  for (let i = 0; (await streams()) !== streamsBefore + 1; i++) {
    assert.ok(i < 50, 'the draw page opens its event stream');
    await sleep(100);
  }
  const r = await call('POST', `/api/admin/hunts/${HUNT}/draw`, { prize: 'urkunde' }, TOKEN);
  assert.equal(r.status, 200);
  await page.waitForFunction(() => document.querySelectorAll('#records .verdict.ok').length === 2,
    null, { timeout: 5000 });
  await page.screenshot({ path: join(SHOTS, 'draw-page.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a hunt with a draw_beacon: staff enter the public value, and a phone sees how to check it', async () => {
  const { ctx, page, problems } = await projector();
  await page.goto(`/staff/index.html?hunt=${BHUNT}`);
  await page.waitForSelector('#login:not([hidden]), #console:not([hidden])');
  if (await page.isVisible('#login')) {
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type="submit"]');
  }
  await page.waitForSelector('#console:not([hidden])');
  await page.waitForFunction(() => !document.querySelector('#draw-btn').disabled, null, { timeout: ENDS_IN * 1000 + 5000 });
  assert.equal(await page.isVisible('#beacon-box'), true);
  assert.equal(await page.textContent('#beacon-desc'), SOURCE);
  await page.selectOption('#prize', 'paket');
  await page.click('#draw-btn'); // no value yet: the form does not go on
  assert.equal(await page.isHidden('#confirm'), true);
  await page.fill('#beacon', BEACON);
  await page.click('#draw-btn');
  await page.waitForSelector('#confirm:not([hidden])');
  assert.match(await page.textContent('#confirm-beacon'), /3 11 19 27 35 49 Superzahl 7/);
  await page.click('#confirm-yes');
  await page.waitForSelector('#result:not([hidden]) .record.big');
  const doc = await call('GET', `/api/hunts/${BHUNT}/draw`);
  assert.equal(doc.body.draws[0].algorithm, 'spur-draw-v2');
  assert.equal(doc.body.draws[0].beacon, BEACON);
  assert.deepEqual(problems, []);
  await ctx.close();

  // the public page on a small phone: every step, the beacon, no sideways scrolling
  for (const [locale, verified, steps] of [['de-DE', /stimmt/, /Zufallsquelle/], ['en-GB', /correct/, /public source/]]) {
    const phone = await browser.newContext({ baseURL: base, viewport: { width: 360, height: 740 }, locale, deviceScaleFactor: 2 });
    const p = await phone.newPage();
    const errs = [];
    p.on('pageerror', (e) => errs.push(e.message));
    await p.addInitScript((l) => localStorage.setItem('spur_staff_lang', l), locale.slice(0, 2));
    await p.goto(`/draw/index.html?hunt=${BHUNT}`);
    await p.waitForSelector('#records .verdict.ok');
    assert.match(await p.textContent('#records .verdict'), verified);
    assert.match(await p.textContent('.steps'), steps);
    assert.equal(await p.textContent('#beacon-source'), SOURCE);
    assert.match(await p.textContent('#records .beacon'), /3 11 19 27 35 49 Superzahl 7/);
    assert.match(await p.textContent('#records .excluded'), /0 (Teams von der Verlosung ausgeschlossen|teams excluded)/);
    const h = await call('GET', `/api/hunts/${BHUNT}`);
    assert.match(await p.textContent('#eligible-hashes'), new RegExp(h.body.prizes[0].eligible_sha256));
    assert.match(await p.textContent('#cmd'), /--beacon '3 11 19 27 35 49 Superzahl 7'/);
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `the page is ${wide} px wide`);
    await p.screenshot({ path: join(SHOTS, `draw-page-360-${locale}.png`), fullPage: true });
    assert.deepEqual(errs, []);
    await phone.close();
  }
});

// The staff console's "Rätsel im Detail": a row per puzzle with the teams it is open
// for, its solves, the median minutes, hints and the most frequent wrong answers
// with how many teams gave each, in German and English, on a projector and at
// 360 px (each row a block with labelled figures, nothing sticking out sideways,
// no axe violations). Self-contained: its own spurd and hunt; teams play through
// the API, a staff test team too (it must not show up in the figures).
//   SPUR_BUILD=build node --test tests/browser/insight.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/insight-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BUILD, iso, startSpurd } from './spurd.mjs';
import { axe } from './lib.mjs';

const SHOTS = join(BUILD, 'screenshots');
const TOKEN = 'insight-browser-test-token';
const HUNT = 'insight-test';

let srv, base, browser;

async function call(method, path, body, token, headers = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

before(async () => {
  const now = Date.now();
  const hunt = {
    id: HUNT, title: 'Stadtrallye', starts_at: iso(now - 3600e3), ends_at: iso(now + 3600e3),
    guess_limit: 64, guess_window: 1,
    puzzles: [
      { id: 'kaiser', title: 'Der Kaiser', points: 10, answer: { accept: ['Barbarossa'] },
        hints: [{ text: 'Rotbart', cost: 2 }] },
      { id: 'stufen', title: 'Stufen', points: 8, answer: { number: 42 } },
      { id: 'brunnen', title: 'Der Brunnen am Markt', points: 4, requires: ['kaiser'], answer: { accept: ['Schöner Brunnen'] } },
      { id: 'tor', title: 'Am Tor', kind: 'checkin', place: 'tor', points: 2 },
    ],
    places: [{ id: 'tor', name: 'Stadttor', lat: 49.4447, lon: 7.769 }],
  };
  srv = await startSpurd({ hunts: [hunt], name: 'insight', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  base = srv.base;
  const plays = [
    ['Die Füchse', [['kaiser', 'Rotbart'], ['kaiser', 'Barbarossa'], ['stufen', '41'], ['stufen', '42']]],
    ['Eulen', [['kaiser', 'rotbart!'], ['kaiser', 'Friedrich'], ['stufen', '41,0']]],
    ['Biber', [['kaiser', 'Rot Bart'], ['stufen', '40']]],
  ];
  for (const [name, answers] of plays) {
    const r = await call('POST', `/api/hunts/${HUNT}/teams`, { name });
    assert.equal(r.status, 201);
    for (const [pid, answer] of answers)
      assert.equal((await call('POST', `/api/hunts/${HUNT}/puzzles/${pid}/answer`, { answer }, r.body.token)).status, 200);
    if (name === 'Eulen')
      assert.equal((await call('POST', `/api/hunts/${HUNT}/puzzles/kaiser/hints`, {}, r.body.token)).status, 200);
    if (name === 'Biber') // checked in at the gate by the phone's position
      assert.equal((await call('POST', `/api/hunts/${HUNT}/puzzles/tor/checkin`,
        { lat: 49.4447, lon: 7.769, accuracy: 8 }, r.body.token)).body.correct, true);
  }
  const probe = await call('POST', `/api/hunts/${HUNT}/teams`, { name: 'Probe', test: true }, TOKEN, { 'X-Staff-Name': 'Test' });
  assert.equal(probe.status, 201);
  for (const answer of ['Otto', 'Otto der Große', 'Barbarossa'])
    await call('POST', `/api/hunts/${HUNT}/puzzles/kaiser/answer`, { answer }, probe.body.token);
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

async function signedIn(viewport, locale) {
  const ctx = await browser.newContext({ baseURL: base, viewport, locale });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await page.goto(`/staff/index.html?hunt=${HUNT}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#console:not([hidden])');
  await page.waitForFunction(() => document.querySelectorAll('#insight tbody tr').length === 4);
  return { ctx, page, problems };
}

// The table as text: header cells, then per row its header and cells.
const tableText = (page) => page.evaluate(() => ({
  head: [...document.querySelectorAll('#insight thead th')].map((c) => c.textContent),
  rows: [...document.querySelectorAll('#insight tbody tr')].map((r) =>
    [...r.children].map((c) => c.innerText.replace(/\s+/g, ' ').trim())),
}));

test('the console shows each puzzle with opened, solved, median, hints and the top wrong answers', async () => {
  const { ctx, page, problems } = await signedIn({ width: 1600, height: 1000 }, 'de-DE');
  const de = await tableText(page);
  assert.deepEqual(de.head, ['Rätsel', 'geöffnet', 'gelöst', 'Median Minuten', 'Tipps', 'häufigste falsche Antworten']);
  assert.deepEqual(de.rows[0], ['Der Kaiser · Antwort', '3', '1', '0', '1',
    'rotbart (3 Teams) friedrich (1 Team)']); // the test team's "Otto" is not there
  assert.deepEqual(de.rows[1], ['Stufen · Zahl', '3', '1', '0', '0', '41 (2 Teams) 40 (1 Team)']);
  assert.deepEqual(de.rows[2], ['Der Brunnen am Markt · Antwort', '1', '0', '–', '0', '–']);
  assert.deepEqual(de.rows[3].slice(0, 3), ['Am Tor · Check-in · gelöst per Standort 1, per Code 0', '3', '1']);
  await page.screenshot({ path: join(SHOTS, 'insight-projector.png'), fullPage: true });

  await page.click('#lang');
  await page.waitForFunction(() => document.querySelector('#insight thead th').textContent === 'Puzzle');
  const en = await tableText(page);
  assert.deepEqual(en.head, ['Puzzle', 'opened', 'solved', 'median minutes', 'hints', 'most frequent wrong answers']);
  assert.equal(en.rows[0][5], 'rotbart (3 teams) friedrich (1 team)');
  assert.deepEqual(en.rows[3].slice(0, 3), ['Am Tor · check-in · solved by position 1, by code 0', '3', '1']);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('at 360 px each puzzle is a block with labelled figures, and nothing sticks out', async () => {
  const { ctx, page, problems } = await signedIn({ width: 360, height: 780 }, 'de-DE');
  // the labels come from data-label, shown before each figure
  const label = await page.evaluate(() => getComputedStyle(document.querySelector('#insight tbody td'), '::before').content);
  assert.equal(label, '"geöffnet"');
  const box = await page.evaluate(() => {
    const t = document.querySelector('#insight').getBoundingClientRect();
    return { right: t.right, width: document.documentElement.clientWidth };
  });
  assert.ok(box.right <= box.width, `the table ends at ${box.right}px in ${box.width}px`);
  await axe(page, 'staff console at 360 px');
  await page.locator('section.insight').screenshot({ path: join(SHOTS, 'insight-360.png') });
  assert.deepEqual(problems, []);
  await ctx.close();
});

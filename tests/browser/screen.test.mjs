// The big screen (/screen/{h}) on a projector, in real Chromium at 1920x1080 and
// 1280x720: the public top 10 that follows the event stream without a reload (and
// leaves out a team staff hid), the countdown on the server's clock although the
// projector's own is an hour wrong, the join QR code with its address as text, and
// after staff draw a prize the winners revealed one at a time by key, click or timer,
// never the reserves. Self-contained: its own spurd on a free port with a fresh
// database, a running hunt, one that has not started and one that ends a few seconds
// after the start; the teams play through the API.
//   SPUR_BUILD=build node --test tests/browser/screen.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/screen-board-1920.png, screen-board-1280.png,
// screen-draw-1920.png, screen-draw-1280.png, screen-upcoming-1280.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUILD, iso, sleep, startSpurd } from './spurd.mjs';

const TOKEN = 'screen-test-token';
const RUN = 'screen-run';
const SOON = 'screen-soon';
const OVER = 'screen-over';
const ENDS_IN = 8; // seconds after the start, the hunt whose prizes are drawn

let srv, base, lib, browser, overEnds;
const teams = {}; // name -> {id, token} of the running hunt
const over = {};  // name -> {id, token} of the hunt that ends

async function call(method, path, body, token) {
  const h = {};
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}
const board = async (hunt) => (await call('GET', `/api/hunts/${hunt}/leaderboard?limit=10`)).body.teams.map((t) => t.name);
const answer = (hunt, tok, p, a) => call('POST', `/api/hunts/${hunt}/puzzles/${p}/answer`, { answer: a }, tok);

function huntJson(id, title, startsAt, endsAt) {
  return {
    id, title, starts_at: iso(startsAt), ends_at: iso(endsAt), late_sync_grace: 0,
    places: [{ id: 'rathaus', name: 'Rathaus' }],
    puzzles: [
      { id: 'tor', title: 'Das Tor', kind: 'scan', place: 'rathaus', points: 5 },
      { id: 'stufen', title: 'Stufen', clue: 'Wie viele Stufen?', points: 8, answer: { number: 42, tolerance: 0 } },
      { id: 'fenster', title: 'Fenster', clue: 'Wie viele Fenster?', points: 3, answer: { number: 7, tolerance: 0 } },
      { id: 'turm', title: 'Turm', clue: 'Wie hoch ist der Turm?', points: 20, answer: { number: 61, tolerance: 0 } },
      { id: 'foto', title: 'Gruppenfoto am Brunnen', kind: 'photo', points: 0 },
    ],
  };
}

before(async () => {
  const now = Date.now();
  overEnds = Math.ceil((now + ENDS_IN * 1000) / 1000) * 1000;
  const running = huntJson(RUN, 'Stadtrallye Kaiserslautern', now - 3600e3, now + 3 * 3600e3);
  const soon = huntJson(SOON, 'Sommerrallye', now + 2 * 3600e3, now + 5 * 3600e3);
  const ending = {
    ...huntJson(OVER, 'Rallye mit Preisen', now - 3600e3, overEnds),
    prizes: [
      { id: 'paket', name: 'Kaiserslautern-Paket', count: 2, reserves: 1, eligible: 'all' },
      { id: 'buch', name: 'Stadtbuch', count: 1, eligible: 'all' },
      { id: 'urkunde', name: 'Urkunde', count: 'all', eligible: 'all' },
    ],
  };
  srv = await startSpurd({ hunts: [running, soon, ending], name: 'screen', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  base = srv.base;
  // Twelve teams with different scores: the screen shows ten of them.
  const plays = [
    ['Füchse', ['stufen', 'fenster']], ['Eulen', ['stufen']], ['Die unglaublich schnellen Dachse', ['stufen']],
    ['Biber', ['fenster']], ['Adler', ['fenster']], ['Igel', ['stufen', 'fenster']], ['Luchse', ['fenster']],
    ['Otter', []], ['Wiesel', []], ['Hasen', []], ['Marder', []], ['Störche', []],
  ];
  const answers = { stufen: '42', fenster: '7', turm: '61' };
  for (const [name, solve] of plays) {
    const r = await call('POST', `/api/hunts/${RUN}/teams`, { name });
    assert.equal(r.status, 201);
    teams[name] = { id: r.body.team.id, token: r.body.token };
    for (const p of solve) assert.equal((await answer(RUN, r.body.token, p, answers[p])).body.correct, true);
  }
  // staff take a team off the public board: it plays on, the screen never names it
  const hide = await call('PATCH', `/api/admin/hunts/${RUN}/teams/${teams.Igel.id}`, { hidden: true }, TOKEN);
  assert.equal(hide.status, 200);
  for (const name of ['Kraniche', 'Möwen', 'Reiher', 'Schwäne']) {
    const r = await call('POST', `/api/hunts/${OVER}/teams`, { name });
    assert.equal(r.status, 201);
    over[name] = { id: r.body.team.id, token: r.body.token };
    assert.equal((await answer(OVER, r.body.token, 'stufen', '42')).body.correct, true);
  }
  process.env.SPUR_URL = base; // lib.mjs reads these when first imported
  process.env.SPUR_SHOTS ||= join(BUILD, 'screenshots');
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// A projector: a large landscape window, German, no touch. Records CSP violations,
// page errors and dialogs like lib.phone does.
async function projector({ width = 1920, height = 1080, locale = 'de-DE', reducedMotion = 'no-preference' } = {}) {
  return lib.watchProblems(await browser.newContext({ baseURL: base, viewport: { width, height }, deviceScaleFactor: 1, locale, reducedMotion }));
}

const rowNames = (page) => page.locator('#rows .name').allTextContents();
// Nothing cut off: each element lies wholly inside the window.
async function inside(page, sels) {
  const { width, height } = page.viewportSize();
  for (const sel of sels) {
    const b = await page.locator(sel).boundingBox();
    assert.ok(b && b.x >= 0 && b.y >= 0 && b.x + b.width <= width && b.y + b.height <= height,
      `${sel} inside ${width}x${height}: ${JSON.stringify(b)}`);
  }
}
const shot = (page, name) => page.screenshot({ path: join(process.env.SPUR_SHOTS, name + '.png') });

test('the top 10 follow the event stream live, without the hidden team; countdown on the server clock; the join code loads', async () => {
  const ctx = await projector();
  // The projector's clock is an hour slow: the countdown must not show 3:59:xx.
  await ctx.addInitScript(() => { const real = Date.now; Date.now = () => real() - 3600e3; });
  const page = await ctx.newPage();
  await page.goto(`/screen/${RUN}?every=0`);
  await page.waitForFunction(() => document.querySelectorAll('#rows li').length === 10);
  assert.equal(await page.textContent('#title'), 'Stadtrallye Kaiserslautern');
  const api = await board(RUN);
  assert.equal(api.length, 10);
  assert.deepEqual(await rowNames(page), api, 'the public board, in its order');
  assert.ok(!(await rowNames(page)).includes('Igel'), 'the hidden team is not shown');
  assert.equal(await page.textContent('#rows li:first-child .score'), '11 Punkte');
  assert.match(await page.textContent('#board-note'), /^11 Teams sind dabei$/);

  assert.equal(await page.textContent('#clock-label'), 'Noch');
  assert.match(await page.textContent('#clock'), /^2:59:\d\d$/, 'three hours less a moment, by the server clock');
  assert.match(await page.textContent('#clock-sub'), /^Ende: (\S+ \d+\.\d+\., )?\d\d:\d\d Uhr$/);

  // the join code: the image loaded and reads (per the API test) as this address
  await page.waitForFunction(() => { const i = document.querySelector('#qr'); return i.complete && i.naturalWidth > 0; });
  const host = new URL(base).host;
  assert.equal(await page.textContent('#join-url'), `${host}/?hunt=${RUN}`);
  assert.equal(await page.getAttribute('#qr', 'alt'), `QR-Code zum Mitspielen: ${host}/?hunt=${RUN}`);
  const box = await page.locator('#qr').boundingBox();
  assert.ok(box.width >= 500, `the code is large on a 1080p projector (${box.width} px)`);

  // A team answers; the screen follows without reloading.
  await page.evaluate(() => { window.stillHere = true; });
  assert.equal((await answer(RUN, teams.Otter.token, 'turm', '61')).body.correct, true);
  await lib.waitText(page, '#rows li:first-child .name', /^Otter$/, 5000);
  assert.equal(await page.textContent('#rows li:first-child .score'), '20 Punkte');
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload');
  assert.deepEqual(await rowNames(page), await board(RUN));
  assert.deepEqual(await page.locator('#rows li.bump .name').allTextContents(), ['Otter'], 'the team that scored lights up');

  await inside(page, ['#rows li:last-child', '#join-url', '#join-hint', '#clock', '#clock-sub']);
  await lib.axe(page, 'screen board 1920');
  await shot(page, 'screen-board-1920');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(300);
  await lib.axe(page, 'screen board 1280');
  await inside(page, ['#rows li:last-child', '#join-url', '#join-hint', '#clock', '#clock-sub']);
  await shot(page, 'screen-board-1280');

  // English on request, as on the draw page; the buttons hide while the mouse rests
  await page.waitForSelector('#lang', { state: 'hidden', timeout: 6000 }); // no buttons on the projected picture
  await page.mouse.move(100, 100);
  await page.mouse.move(200, 200);
  await page.click('#lang');
  assert.equal(await page.textContent('#clock-label'), 'Time left');
  assert.equal(await page.textContent('#join-h'), 'Join in');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.mouse.move(300, 300);
  await page.click('#lang');
  assert.equal(await page.textContent('#clock-label'), 'Noch');
  lib.noProblems(ctx);
  await ctx.close();
});

test('approved photos their teams allowed are shown under the join code, with who took them', async () => {
  const ctx = await projector({ width: 1280, height: 720 });
  const page = await ctx.newPage();
  await page.goto(`/screen/${RUN}?every=0`);
  await page.waitForFunction(() => document.querySelectorAll('#rows li').length === 10);
  assert.equal(await page.isHidden('#photo'), true, 'no photo yet: nothing there');
  // a real JPEG, 1200 x 900, drawn in the browser
  const jpeg = await lib.drawnJpeg(page, 1200, 900);
  const send = async (name, screen) => {
    const r = await fetch(`${base}/api/hunts/${RUN}/puzzles/foto/photo${screen ? '?screen=1' : ''}`, {
      method: 'POST', body: jpeg,
      headers: { 'Content-Type': 'image/jpeg', Authorization: 'Bearer ' + teams[name].token },
    });
    assert.equal(r.status, 202);
    const id = (await r.json()).id;
    assert.equal((await call('POST', `/api/admin/hunts/${RUN}/photos/${id}/review`, { approve: true }, TOKEN)).status, 200);
  };
  await send('Wiesel', true);
  await send('Hasen', false); // approved, but its team did not allow the screen
  await page.reload();
  await page.waitForSelector('#photo', { state: 'visible', timeout: 10000 });
  await page.waitForFunction(() => { const i = document.querySelector('#photo-img'); return i.complete && i.naturalWidth > 0; });
  assert.equal(await page.textContent('#photo-cap'), 'Wiesel · Gruppenfoto am Brunnen');
  assert.equal(await page.getAttribute('#photo-img', 'alt'), 'Foto von Wiesel: Gruppenfoto am Brunnen');
  await inside(page, ['#photo-img', '#photo-cap', '#join-url']);
  const img = await page.locator('#photo-img').boundingBox();
  assert.ok(img.height >= 150, `the photo has room (${img.height} px high)`);
  const qr = await page.locator('#qr').boundingBox();
  assert.ok(qr.width >= 220, `the join code stays large (${qr.width} px)`);
  await lib.axe(page, 'screen photo 1280');
  await shot(page, 'screen-photo-1280');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(300);
  await inside(page, ['#photo-img', '#photo-cap', '#join-url']);
  await shot(page, 'screen-photo-1920');
  lib.noProblems(ctx);
  await ctx.close();
});

test('before the start the countdown runs to starts_at; /screen/?hunt= is the same page; /screen/ offers the hunts', async () => {
  const ctx = await projector({ width: 1280, height: 720 });
  const page = await ctx.newPage();
  await page.goto(`/screen/?hunt=${SOON}`);
  await lib.waitText(page, '#clock-label', /^Start in$/);
  assert.match(await page.textContent('#clock'), /^1:59:\d\d$/);
  assert.match(await page.textContent('#clock-sub'), /^Start: (\S+ \d+\.\d+\., )?\d\d:\d\d Uhr$/);
  await lib.waitText(page, '#empty', /^Noch keine Teams – scannt den Code und spielt mit!$/);
  assert.equal(await page.textContent('#board-h'), 'Schon angemeldet');
  await inside(page, ['#join-hint', '#clock-sub', '#qr']);
  await shot(page, 'screen-upcoming-1280');
  // no hunt named and several on the server: a choice, each opening its screen
  await page.goto('/screen/');
  await page.waitForSelector('#pick-view:not([hidden])');
  assert.deepEqual((await page.locator('#pick a').allTextContents()).sort(), ['Rallye mit Preisen', 'Sommerrallye', 'Stadtrallye Kaiserslautern']);
  await lib.axe(page, 'screen pick');
  await page.click('#pick a >> text=Sommerrallye');
  await page.waitForURL(`**/screen/${SOON}`);
  await lib.waitText(page, '#clock-label', /^Start in$/);
  // a mistyped hunt says so
  await page.goto('/screen/rallye-gibts-nicht');
  await lib.waitText(page, '#title', /^Keine Rallye gefunden\.$/);
  assert.equal(await page.isHidden('#board-view'), true);
  lib.noProblems(ctx);
  await ctx.close();
});

test('after staff draw a prize its winners are revealed one by one, never the reserves', async () => {
  await sleep(Math.max(0, overEnds - Date.now() + 300));
  const ctx = await projector();
  const page = await ctx.newPage();
  await page.goto(`/screen/${OVER}?every=0`);
  await lib.waitText(page, '#clock', /^Ende$/);
  await lib.waitText(page, '#board-h', /^Endstand · Top 10$/);
  assert.equal(await page.textContent('#join-h'), 'Ergebnisse aufs Handy');
  assert.equal(await page.isHidden('#draw-view'), true, 'no draw yet: the board');

  const d = await call('POST', `/api/admin/hunts/${OVER}/draw`, { prize: 'paket' }, TOKEN);
  assert.equal(d.status, 200, JSON.stringify(d.body));
  const name = (tid) => d.body.names[String(tid)];
  const [w1, w2] = d.body.winners.map(name);
  const reserve = name(d.body.reserve_winners[0]);
  // the stream's draw event brings the ceremony on: the prize, two closed places
  await page.waitForSelector('#draw-view:not([hidden])', { timeout: 5000 });
  assert.equal(await page.textContent('#prize-h'), 'Kaiserslautern-Paket');
  assert.equal(await page.textContent('#prize-meta'), '2 Gewinner · 4 Teams im Lostopf');
  assert.equal(await page.locator('#winners li.pending').count(), 2);
  assert.equal(await page.locator('#winners li.revealed').count(), 0);
  const text = () => page.textContent('#draw-view');
  for (const n of [w1, w2, reserve]) assert.ok(!(await text()).includes(n), `${n} not before its turn`);

  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelectorAll('#winners li.revealed').length === 1);
  assert.equal(await page.textContent('#winners li:nth-child(1) .who'), w1);
  assert.ok(!(await text()).includes(w2), 'the second winner still hidden');
  assert.equal(await page.textContent('#live'), `Kaiserslautern-Paket, Gewinner 1: ${w1}`);
  await page.evaluate(() => document.getSelection().removeAllRanges());
  await lib.axe(page, 'screen draw 1920');
  await page.waitForTimeout(800); // the reveal's animation
  await shot(page, 'screen-draw-1920');
  await page.click('#draw-view');
  await page.waitForFunction(() => document.querySelectorAll('#winners li.revealed').length === 2);
  assert.equal(await page.textContent('#winners li:nth-child(2) .who'), w2);
  assert.equal(await page.textContent('#draw-next'), 'Esc: zurück zur Rangliste');
  // nothing more to reveal: the reserve never appears
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#winners li').count(), 2);
  assert.ok(!(await text()).includes(reserve), 'the reserve is not shown as a winner');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#winners li.revealed')).animationName), 'reveal');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.waitForTimeout(300);
  await lib.axe(page, 'screen draw 1280');
  await shot(page, 'screen-draw-1280');

  // Esc shows the board again; a key brings the ceremony back
  await page.keyboard.press('Escape');
  await page.waitForSelector('#board-view:not([hidden])');
  assert.deepEqual(await rowNames(page), await board(OVER));
  await page.keyboard.press('Escape');
  await page.waitForSelector('#draw-view:not([hidden])');

  // the next prize drawn comes on at once, as the last one is all revealed
  const d2 = await call('POST', `/api/admin/hunts/${OVER}/draw`, { prize: 'buch' }, TOKEN);
  assert.equal(d2.status, 200);
  await lib.waitText(page, '#prize-h', /^Stadtbuch$/);
  assert.equal(await page.locator('#winners li.pending').count(), 1);
  await page.keyboard.press('Enter');
  await lib.waitText(page, '#winners li.revealed .who', new RegExp(`^${d2.body.names[String(d2.body.winners[0])]}$`));
  // back: the paket's winners again, all revealed
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await lib.waitText(page, '#prize-h', /^Kaiserslautern-Paket$/);
  assert.equal(await page.locator('#winners li.revealed').count(), 2);
  lib.noProblems(ctx);
  await ctx.close();
});

test('a timer reveals the winners by itself; with reduced motion nothing moves', async () => {
  const ctx = await projector({ width: 1280, height: 720, reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  await page.goto(`/screen/${OVER}?every=1`);
  // both draws, from the start: paket's two winners, then the book's one
  await lib.waitText(page, '#prize-h', /^Kaiserslautern-Paket$/);
  await page.waitForFunction(() => document.querySelectorAll('#winners li.revealed').length === 1, null, { timeout: 5000 });
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#winners li.revealed')).animationName), 'none');
  await lib.waitText(page, '#prize-h', /^Stadtbuch$/, 8000);
  await page.waitForFunction(() => document.querySelectorAll('#winners li.revealed').length === 1, null, { timeout: 5000 });
  // every team wins the certificate: all names at once, no roll call
  assert.equal((await call('POST', `/api/admin/hunts/${OVER}/draw`, { prize: 'urkunde' }, TOKEN)).status, 200);
  await lib.waitText(page, '#prize-h', /^Urkunde$/);
  assert.equal(await page.isHidden('#winners'), true);
  assert.match(await page.textContent('#all-winners'), /^Alle 4 Teams im Lostopf gewinnen/);
  assert.deepEqual((await page.textContent('#all-winners .names')).split(' · ').sort(), Object.keys(over).sort());
  await lib.axe(page, 'screen draw all');
  lib.noProblems(ctx);
  await ctx.close();
});

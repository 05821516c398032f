// Check-ins and the map in real Chromium at a phone's 360 px, the position set by the
// browser context (geolocation + permission; setGeolocation moves the phone): the
// card explains once why it asks before the first position is sent; too far says
// how far and in which of eight directions; a vague fix gets the advice; at the
// place the puzzle is solved and the score goes up; offline the position of the tap
// waits in the outbox and counts when the network is back; without permission the
// card says to use the place's code, and its code field solves it. The map tab loads
// Leaflet only when opened, shows the open places (tiles from the hunt's own
// https template, answered here by a route: nothing leaves the machine), the
// player's position after a tap, and without network the places as a list with
// distance and direction. A hunt without positions has no map tab. The staff console
// lists a team that checked in twice, far apart, within seconds. axe finds nothing on
// the check-in card and the map.
// Self-contained: its own spurd.
//   SPUR_BUILD=build node --test tests/browser/checkin.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/checkin-*.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';
import { png } from './png.mjs';

const HUNT = 'karte';
const PLAIN = 'ohne-karte';
const TOKEN = 'checkin-browser-test-token';
const TILES = 'https://tiles.example.test/{z}/{x}/{y}.png';
const CREDIT = 'Karte: Testvermessung Lautern';
const BRUNNEN = [49.4447, 7.7690];
const BAHNHOF = [49.4360, 7.7680]; // about 970 m south of the fountain
const MARKT = [49.4440, 7.7700];
const TURM = [49.4452, 7.7725];
const M_PER_DEG = 6371008.8 * Math.PI / 180;
const TILE = png(256, 256, (x, y) => ((x >> 5) + (y >> 5)) % 2 ? [226, 236, 226] : [214, 228, 214]);
let srv, lib, browser, codes;

// pos moved by metres north and east (small distances).
function moved([lat, lon], north = 0, east = 0) {
  return [lat + north / M_PER_DEG, lon + east / (M_PER_DEG * Math.cos(lat * Math.PI / 180))];
}
const geoOf = ([latitude, longitude], accuracy = 8) => ({ latitude, longitude, accuracy });

before(async () => {
  const now = Date.now();
  const hunt = {
    id: HUNT, title: 'Rallye mit Karte', starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    map: { tiles: TILES, attribution: CREDIT },
    places: [
      { id: 'brunnen', name: 'Löwenbrunnen', lat: BRUNNEN[0], lon: BRUNNEN[1], where: 'vor dem Rathaus' },
      { id: 'bahnhof', name: 'Hauptbahnhof', lat: BAHNHOF[0], lon: BAHNHOF[1] },
      { id: 'markt', name: 'Marktplatz', lat: MARKT[0], lon: MARKT[1] },
      { id: 'turm', name: 'Stiftsturm', lat: TURM[0], lon: TURM[1] },
    ],
    puzzles: [
      { id: 'am-brunnen', title: 'Am Brunnen', kind: 'checkin', place: 'brunnen', points: 6,
        clue: 'Geht zum Löwenbrunnen und tippt auf „Ich bin da“.' },
      { id: 'am-bahnhof', title: 'Am Bahnhof', kind: 'checkin', place: 'bahnhof', radius: 50, points: 7,
        clue: 'Geht zum Hauptbahnhof.' },
      { id: 'frage', title: 'Die Marktfrage', place: 'markt', points: 3, answer: { accept: ['Löwe'] },
        clue: 'Welches Tier steht auf dem Markt?' },
      { id: 'spaeter', title: 'Der Turm', place: 'turm', points: 2, requires: ['frage'], answer: { accept: ['ja'] },
        clue: 'Erst nach der Marktfrage.' },
    ],
  };
  const plain = {
    id: PLAIN, title: 'Rallye ohne Karte', starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    puzzles: [{ id: 'eins', title: 'Eins', points: 1, answer: { accept: ['1'] }, clue: 'Eins?' }],
  };
  srv = await startSpurd({ hunts: [hunt, plain], name: 'checkin', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  codes = {};
  for (const line of srv.spur('qr', '--db', srv.db, '--hunt', HUNT, '--format', 'text').split('\n')) {
    const [place, , short] = line.split('\t');
    if (place && short) codes[place] = short.trim();
  }
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

// A phone at pos (null: no permission for the position).
async function phoneAt(pos, opts = {}) {
  const options = pos ? { geolocation: geoOf(pos), permissions: ['geolocation'] } : {};
  const ctx = await lib.phone(browser, { ...opts, options });
  await ctx.route('https://tiles.example.test/**', (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: TILE, headers: { 'Access-Control-Allow-Origin': '*' } }));
  return ctx;
}

async function createTeam(page, name, hunt = HUNT) {
  await page.goto(`/?hunt=${hunt}`);
  await page.waitForSelector('#screen-join:not([hidden])');
  await page.fill('#team-name', name);
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector('#screen-play:not([hidden])');
  await page.waitForSelector('#puzzle-list li');
}

const card = (id) => `#pz-${id}`;
const fb = (id) => `#pz-${id}-fb`;

test('the card explains once, then says how far and where; a vague fix gets advice; at the place it is solved', async () => {
  const ctx = await phoneAt(moved(BRUNNEN, -85, -85)); // south-west of the fountain, about 120 m
  const page = await ctx.newPage();
  await createTeam(page, 'Die Wanderer');
  const go = page.locator(`${card('am-brunnen')} [data-role="checkin"]`);
  assert.match(await go.textContent(), /^Ich bin da/);
  assert.equal(await page.locator(`${card('am-brunnen')} input[data-role="code"]`).count(), 1, 'the code field is there');
  await page.screenshot({ path: join(process.env.SPUR_SHOTS, 'checkin-card-360.png'), fullPage: true });
  // the first tap explains and asks; nothing is sent yet
  let sent = 0;
  page.on('request', (r) => { if (r.url().endsWith('/checkin')) sent++; });
  await go.click();
  const send = page.locator(`${card('am-brunnen')} [data-role="checkin-send"]`);
  await send.waitFor();
  assert.match(await page.locator(`${card('am-brunnen')} .geo-why`).textContent(), /einmal gesendet.*verfolgt wird nichts/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.role), 'checkin-send', 'focus on "Standort senden"');
  assert.equal(sent, 0, 'nothing sent before the player agreed');
  await lib.shot(page, 'checkin-why-360');
  await lib.axe(page, 'check-in card with the explanation');
  await send.click();
  await lib.waitText(page, fb('am-brunnen'), /^Noch etwa 120 m Richtung Nordost\.$/);
  assert.equal(sent, 1);
  assert.equal(await page.getAttribute(fb('am-brunnen'), 'role'), 'status', 'the result is announced');
  await lib.shot(page, 'checkin-far-360');
  await lib.axe(page, 'check-in card, too far');

  // the explanation came once: the next tap sends at once
  await ctx.setGeolocation(geoOf(BRUNNEN, 250));
  await go.click();
  await lib.waitText(page, fb('am-brunnen'), /zu ungenau \(±250 m.*höchstens ±100 m\).*Code vom Ort/);
  assert.equal(await page.locator(`${card('am-brunnen')} .geo-why`).count(), 0, 'no explanation the second time');

  await ctx.setGeolocation(geoOf(moved(BRUNNEN, 10, 5), 12));
  await go.click();
  await lib.waitText(page, fb('am-brunnen'), /^Ihr seid da! \+6 Punkte\.$/);
  await lib.waitText(page, '#my-score', /^6 Punkte$/);
  await lib.waitText(page, `${card('am-brunnen')} .badge`, /gelöst/);
  assert.equal(await page.locator(`${card('am-brunnen')} [data-role="checkin"]`).count(), 0, 'no button once solved');

  // English too
  await page.click('#lang-switch');
  await ctx.setGeolocation(geoOf(moved(BAHNHOF, 0, -300)));
  await page.locator(`${card('am-bahnhof')} [data-role="checkin"]`).click();
  await lib.waitText(page, fb('am-bahnhof'), /^About 300 m to go, to the east\.$/);
  assert.match(await page.locator(`${card('am-bahnhof')} [data-role="checkin"]`).textContent(), /^I’m here/);
  await page.click('#lang-switch');
  lib.noProblems(ctx);
  await ctx.close();
});

test('offline the position of the tap waits and counts when the network is back', async () => {
  const ctx = await phoneAt(moved(BAHNHOF, 20, 0));
  const page = await ctx.newPage();
  await createTeam(page, 'Die Funklöcher');
  await ctx.setOffline(true);
  await page.locator(`${card('am-bahnhof')} [data-role="checkin"]`).click();
  await page.locator(`${card('am-bahnhof')} [data-role="checkin-send"]`).click();
  await lib.waitText(page, fb('am-bahnhof'), /Kein Netz – gespeichert/);
  await lib.waitText(page, `${card('am-bahnhof')} .pending-line`, /Standort von \d\d:\d\d wird gesendet/);
  await lib.waitText(page, '#pending-list', /Am Bahnhof: Standort/);
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox')));
  assert.equal(queued.length, 1);
  assert.equal(queued[0].type, 'checkin');
  assert.ok(queued[0].client_id && queued[0].made_at, 'client_id and made_at');
  await lib.shot(page, 'checkin-offline-360');
  // walked away meanwhile: the position taken at the tap is what counts
  await ctx.setGeolocation(geoOf(BRUNNEN));
  await ctx.setOffline(false);
  await lib.waitText(page, fb('am-bahnhof'), /^Ihr seid da! \+7 Punkte\.$/);
  await lib.waitText(page, '#my-score', /^7 Punkte$/);
  await page.waitForSelector('#pending-box', { state: 'hidden' });
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox')).length), 0);
  lib.noProblems(ctx);
  await ctx.close();
});

test('without permission the card points to the place\'s code, and its code field solves it', async () => {
  const ctx = await phoneAt(null);
  const page = await ctx.newPage();
  await createTeam(page, 'Ohne GPS');
  await page.locator(`${card('am-brunnen')} [data-role="checkin"]`).click();
  await page.locator(`${card('am-brunnen')} [data-role="checkin-send"]`).click();
  await lib.waitText(page, fb('am-brunnen'), /Ohne Erlaubnis.*QR-Code am Ort.*Code unten ein/);
  const input = page.locator(`${card('am-brunnen')} input[data-role="code"]`);
  assert.ok(await input.isEnabled());
  await input.fill(codes.brunnen.toLowerCase());
  await page.locator(`${card('am-brunnen')} [data-role="code-send"]`).click();
  await lib.waitText(page, `${card('am-brunnen')} .badge`, /gelöst/);
  await lib.waitText(page, '#my-score', /^6 Punkte$/);
  lib.noProblems(ctx);
  await ctx.close();
});

test('the map tab loads Leaflet only when opened, shows the open places and, offline, lists them', async () => {
  const ctx = await phoneAt(moved(MARKT, -200, -150));
  const page = await ctx.newPage();
  const asked = [];
  page.on('request', (r) => asked.push(r.url()));
  await createTeam(page, 'Kartenleser');
  await page.waitForSelector('#tab-map:not([hidden])');
  assert.equal(await page.textContent('#tab-map'), 'Karte');
  await page.waitForTimeout(300);
  assert.deepEqual(asked.filter((u) => u.includes('/vendor/leaflet')), [], 'no Leaflet before the tab');
  assert.deepEqual(asked.filter((u) => u.includes('tiles.example.test')), [], 'no tiles before the tab');
  await page.click('#tab-map');
  await page.waitForSelector('#map .leaflet-marker-icon');
  await lib.until(async () => (await page.locator('#map .leaflet-marker-icon').count()) === 3, 'three markers');
  const alts = (await page.$$eval('#map .leaflet-marker-icon', (els) => els.map((e) => e.alt))).sort();
  assert.deepEqual(alts, ['Hauptbahnhof', 'Löwenbrunnen', 'Marktplatz'], 'the open places, not the locked Stiftsturm');
  assert.ok(asked.some((u) => u.endsWith('/vendor/leaflet/leaflet.js')), 'Leaflet loaded with the tab');
  await lib.until(() => page.$$eval('#map img.leaflet-tile', (els) => els.some((e) => e.complete && e.naturalWidth === 256)), 'a tile shown');
  assert.ok(asked.some((u) => /^https:\/\/tiles\.example\.test\/\d+\/\d+\/\d+\.png$/.test(u)), 'tiles from the hunt\'s template');
  assert.match(await page.textContent('#map .leaflet-control-attribution'), /Karte: Testvermessung Lautern/);
  assert.equal(await page.locator('#place-list li').count(), 3, 'the list beside the map');
  await lib.waitText(page, '#places-from', /Zeigt euren Standort/);

  // the own position: after a tap, with the sentence why the first time
  await page.click('#map-me');
  await page.waitForSelector('#map-why:not([hidden])');
  assert.match(await page.textContent('#map-why'), /nur hier auf dem Handy/);
  await page.click('#map-why-ok');
  await lib.waitText(page, '#place-list li:first-child', /Marktplatz.*etwa 250 m Richtung Nordost/);
  await lib.waitText(page, '#places-from', /von eurem Standort um \d\d:\d\d/);
  await page.waitForSelector('#map .me-tip');
  await page.waitForTimeout(400); // the view settles after fitting
  await lib.shot(page, 'checkin-map-360');
  await lib.axe(page, 'map');

  // a solved puzzle's place leaves the map
  const teamTok = await page.evaluate((h) => JSON.parse(localStorage.getItem('spur.team.' + h)).token, HUNT);
  const r = await fetch(`${srv.base}/api/hunts/${HUNT}/puzzles/frage/answer`, {
    method: 'POST', headers: { Authorization: 'Bearer ' + teamTok, 'Content-Type': 'application/json' },
    body: JSON.stringify({ answer: 'Löwe' }) });
  assert.equal((await r.json()).correct, true);
  await lib.until(async () => (await page.locator('#map .leaflet-marker-icon').count()) === 3 &&
    (await page.$$eval('#map .leaflet-marker-icon', (els) => els.map((e) => e.alt))).includes('Stiftsturm'), 'Stiftsturm opened, Marktplatz gone', 15000);

  // offline: no map, the list with distance and direction
  await ctx.setOffline(true);
  await page.waitForSelector('#map', { state: 'hidden' });
  await lib.waitText(page, '#map-msg', /Ohne Netz keine Karte/);
  const items = await page.$$eval('#place-list li', (els) => els.map((e) => e.innerText.replace(/\n+/g, ' | ')));
  assert.equal(items.length, 3);
  for (const it of items) assert.match(it, /etwa [\d.,]+ (m|km) Richtung (Nord|Nordost|Ost|Südost|Süd|Südwest|West|Nordwest) \|/);
  assert.match(items.join('\n'), /Hauptbahnhof \| etwa 690 m Richtung Süd \|/);
  await lib.shot(page, 'checkin-list-offline-360');
  await lib.axe(page, 'place list offline');
  await ctx.setOffline(false);
  await page.waitForSelector('#map:not([hidden])');
  lib.noProblems(ctx);
  await ctx.close();
});

test('at 200 % zoom (180 px) the check-in card and the map fit, nothing sideways', async () => {
  const ctx = await phoneAt(moved(MARKT, -100, 0));
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 180, height: 370 });
  await createTeam(page, 'Lupe');
  await page.locator(`${card('am-brunnen')} [data-role="checkin"]`).click();
  await page.locator(`${card('am-brunnen')} [data-role="checkin-send"]`).waitFor();
  await lib.axe(page, 'check-in card at 180 px');
  await page.locator(card('am-brunnen')).screenshot({ path: join(process.env.SPUR_SHOTS, 'checkin-why-180.png') });
  await page.click('#tab-map');
  await page.waitForSelector('#map .leaflet-marker-icon');
  await lib.axe(page, 'map at 180 px');
  await lib.shot(page, 'checkin-map-180');
  lib.noProblems(ctx);
  await ctx.close();
});

test('a hunt without positions has no map tab', async () => {
  const ctx = await phoneAt(BRUNNEN);
  const page = await ctx.newPage();
  await createTeam(page, 'Ohne Karte', PLAIN);
  await page.waitForTimeout(300);
  assert.equal(await page.isHidden('#tab-map'), true);
  lib.noProblems(ctx);
  await ctx.close();
});

test('staff see a team that checked in twice, far apart, within seconds', async () => {
  const team = await lib.apiTeam('Die Raser');
  for (const [puzzle, [lat, lon]] of [['am-brunnen', BRUNNEN], ['am-bahnhof', BAHNHOF]]) {
    const r = await team.call('POST', `/puzzles/${puzzle}/checkin`, { lat, lon, accuracy: 10 });
    assert.equal(r.body.correct, true, puzzle);
  }
  const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
  const page = await ctx.newPage();
  await page.goto(`/staff/index.html?hunt=${HUNT}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#flags-rows tr');
  const rows = await page.$$eval('#flags-rows tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /Die Raser/);
  assert.match(rows[0], /Am Bahnhof.*nach „Am Brunnen“/);
  const kmh = Number((await page.textContent('#flags-rows td:nth-child(4)')).replace(/\D/g, ''));
  assert.ok(kmh > 50, `${kmh} km/h`);
  await page.locator('#flags-card').scrollIntoViewIfNeeded();
  await page.locator('#flags-card').screenshot({ path: join(process.env.SPUR_SHOTS, 'checkin-staff-flags.png') });
  await ctx.close();
});

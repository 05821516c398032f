// Scanning a poster with the camera inside the app. Chromium's fake camera films a
// real printed poster (`spur posters` → pdftoppm → .y4m, see y4m.mjs) and spurd reads
// the frames (POST /decode, libzbar). Self-contained: its own spurd on a free port with
// a fresh database, a hunt and a second hunt whose poster is a "foreign" QR code.
// Three browsers, because the fake camera is fixed per browser: one films this hunt's
// poster, one the other hunt's, and one has no --use-fake-ui-for-media-stream, so
// its (headless) permission prompt really denies the camera.
//   make BUILD=build-cam all && SPUR_BUILD=build-cam node --test tests/browser/camera.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';
import { posterVideo } from './y4m.mjs';

const HUNT = 'camera-test';
const OTHER = 'camera-other';
let srv, base, lib, token;
let ours, foreign, deny; // browsers

function hunt(id, title, place) {
  const now = Date.now();
  return {
    id, title, starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    places: [place],
    puzzles: [
      { id: 'find-' + place.id, title: 'Der ' + place.name, kind: 'scan', place: place.id, points: 5 },
      { id: 'turm', title: 'Der Turm', clue: 'Wie viele Glocken hat der Turm?', points: 3, answer: { number: 4 } },
    ],
  };
}

// A poster of `id`'s only place, filmed: the .y4m's path.
function filmPoster(id) {
  const dir = join(srv.tmp, id);
  mkdirSync(dir);
  srv.spur('posters', '--db', srv.db, '--hunt', id, '-o', join(dir, 'posters.pdf'), '--base-url', base);
  return posterVideo(join(dir, 'posters.pdf'), dir);
}

const fake = (file) => ['--use-fake-device-for-media-stream', '--use-file-for-fake-video-capture=' + file];

before(async () => {
  srv = await startSpurd({
    hunts: [hunt(HUNT, 'Rallye mit Kamera', { id: 'markt', name: 'Marktplatz' }),
      hunt(OTHER, 'Eine andere Rallye', { id: 'hafen', name: 'Hafen' })],
    name: 'camera', env: { SPUR_ADMIN_TOKEN: 'camera-test-token' },
  });
  base = srv.base;
  const qr = srv.spur('qr', '--db', srv.db, '--hunt', HUNT, '--format', 'text');
  token = qr.trim().split('\t')[1].split('/s/')[1];
  const oursFile = filmPoster(HUNT);
  const foreignFile = filmPoster(OTHER);
  process.env.SPUR_URL = base; // lib.mjs reads these when first imported
  process.env.SPUR_SHOTS ||= join(BUILD, 'screenshots');
  lib = await import('./lib.mjs');
  [ours, foreign, deny] = await Promise.all([
    lib.launch(['--use-fake-ui-for-media-stream', ...fake(oursFile)]),
    lib.launch(['--use-fake-ui-for-media-stream', ...fake(foreignFile)]),
    lib.launch(fake(oursFile)),
  ]);
});

after(async () => {
  await Promise.all([ours, foreign, deny].map((b) => b?.close()));
  await srv?.stop();
});

async function player(browser, name, { camera = true } = {}) {
  const ctx = await lib.phone(browser);
  if (camera) await ctx.grantPermissions(['camera'], { origin: base });
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.fill('#team-name', name);
  await page.click('#form-create button[type="submit"]');
  await lib.waitText(page, '#my-score', /^0 Punkte$/);
  return { ctx, page };
}

// The decode requests of a page: how many, at most how many at once, their bodies,
// and how long the page waited after an answer before sending the next. (Chromium
// reports a blob body to playwright only for a routed request, hence the route that
// lets everything through unchanged.)
async function watchDecodes(page) {
  await page.route(`**/api/hunts/${HUNT}/decode`, (route) => route.continue());
  const w = { sent: [], inFlight: 0, most: 0, gaps: [], lastEnd: 0 };
  const isDecode = (req) => req.method() === 'POST' && new URL(req.url()).pathname === `/api/hunts/${HUNT}/decode`;
  page.on('request', (req) => {
    if (!isDecode(req)) return;
    if (w.lastEnd) w.gaps.push(Date.now() - w.lastEnd);
    w.inFlight++;
    w.most = Math.max(w.most, w.inFlight);
    w.sent.push({ type: req.headers()['content-type'], body: req.postDataBuffer() });
  });
  const end = (req) => { if (isDecode(req)) { w.inFlight--; w.lastEnd = Date.now(); } };
  page.on('requestfinished', end);
  page.on('requestfailed', end);
  return w;
}

// A JPEG's width and height from its start-of-frame segment.
function jpegSize(b) {
  assert.ok(b[0] === 0xff && b[1] === 0xd8, 'a JPEG');
  for (let i = 2; i + 9 < b.length;) {
    const m = b[i + 1];
    if (m >= 0xc0 && m <= 0xc2) return { h: b.readUInt16BE(i + 5), w: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  assert.fail('no SOF segment');
}

// No live camera: the preview holds no stream, or (for a stream kept by the test)
// every track has ended.
const cameraOff = (page) => page.evaluate(() => {
  const v = document.getElementById('camera-video');
  const kept = window.keptStream ? window.keptStream.getTracks() : [];
  return (!v.srcObject || v.srcObject.getTracks().every((t) => t.readyState === 'ended')) &&
    kept.every((t) => t.readyState === 'ended');
});
const cameraLive = (page) => page.evaluate(() => {
  const v = document.getElementById('camera-video');
  return Boolean(v.srcObject && v.srcObject.getVideoTracks().some((t) => t.readyState === 'live') && v.readyState >= 2);
});
const loaded = (page) => page.evaluate(() => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname === '/camera.js'));

test('the camera reads a printed poster: the scan counts like a scanned URL, and the camera stops', async () => {
  const { ctx, page } = await player(ours, 'Kameraleute');
  const decodes = await watchDecodes(page);
  const scans = [];
  page.on('request', (req) => { if (req.method() === 'POST' && req.url().endsWith('/scan')) scans.push(req.postDataJSON()); });

  const btn = page.locator('#btn-camera');
  assert.equal(await btn.isVisible(), true, 'camera button on a secure page with getUserMedia');
  assert.equal((await btn.textContent()).trim(), 'Mit der Kamera scannen');
  assert.equal(await loaded(page), false, 'camera.js is not part of the first load');
  await lib.shot(page, 'camera-00-button');

  await btn.click();
  await lib.waitText(page, '#scan-msg', /Code von „Marktplatz“ erkannt/, 20000);
  await lib.waitText(page, '#scan-msg', /Gelöst: Der Marktplatz/);
  await lib.waitText(page, '#my-score', /^5 Punkte$/);
  await lib.waitText(page, '#pz-find-markt .badge', /gelöst/);
  assert.equal(await loaded(page), true);

  // recorded through the outbox, like /s/<token>: the poster's token, client_id, made_at
  assert.equal(scans.length, 1);
  assert.equal(scans[0].code, token);
  assert.match(scans[0].client_id, /^[A-Za-z0-9_-]{1,64}$/);
  assert.match(scans[0].made_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox') || '[]').length), 0);

  // the camera is off and the panel closed; focus is back on the button
  assert.equal(await cameraOff(page), true, 'no live camera track');
  assert.equal(await page.locator('#camera').isHidden(), true);
  assert.equal(await btn.isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-camera');

  // the frames: one at a time, grey JPEGs of at most 640 px
  assert.ok(decodes.sent.length >= 1);
  assert.equal(decodes.most, 1, 'one frame in flight at a time');
  for (const f of decodes.sent) {
    assert.equal(f.type, 'image/jpeg');
    assert.ok(f.body.length > 1000 && f.body.length < 256 * 1024, `frame of ${f.body.length} bytes`);
    const { w, h } = jpegSize(f.body);
    assert.ok(w <= 640 && h <= 640 && w >= 240 && h >= 240, `frame ${w}x${h}`);
  }
  console.log(`# camera: ${decodes.sent.length} frame(s), ${decodes.sent.map((f) => f.body.length).join(', ')} bytes`);

  // the service worker kept no decode answer
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(r.url);
    return urls;
  });
  assert.equal(cached.filter((u) => u.includes('/decode')).length, 0);

  await lib.shot(page, 'camera-01-scanned');
  await lib.axe(page, 'camera: scan recorded');
  lib.noProblems(ctx);
  await ctx.close();
});

test('another QR code is named as not the hunt\'s and scanning goes on, one frame at a time, until closed; a tab change stops it too', async () => {
  const { ctx, page } = await player(foreign, 'Fremdgänger');
  const decodes = await watchDecodes(page);
  await page.click('#btn-camera');
  // the camera module loads and the camera starts: then focus moves to Close
  await lib.until(async () => (await page.evaluate(() => document.activeElement.id)) === 'btn-camera-stop',
    'focus on the close button');
  await lib.waitText(page, '#camera-msg', /^Dieser QR-Code gehört nicht zur Rallye\.$/, 20000);
  await lib.until(() => cameraLive(page), 'the preview shows the camera');
  await page.evaluate(() => { window.keptStream = document.getElementById('camera-video').srcObject; });
  await lib.shot(page, 'camera-02-foreign-screen', { fullPage: false }); // what the phone shows
  await lib.shot(page, 'camera-02-foreign');
  await lib.axe(page, 'camera panel');
  await lib.until(() => decodes.sent.length >= 4, 'four frames sent', 15000);
  assert.equal(decodes.most, 1, 'one frame in flight at a time');
  assert.ok(Math.min(...decodes.gaps) >= 200, `a pause after each answer: ${decodes.gaps.join(', ')} ms`);
  assert.equal(await page.locator('#my-score').textContent(), '0 Punkte');

  // the language switch relabels the panel
  await page.click('#lang-switch');
  await lib.waitText(page, '#btn-camera-stop', /^Close camera$/);
  await lib.waitText(page, '#camera-msg', /This QR code is not part of the hunt\.|Hold the poster’s QR code/);
  await lib.shot(page, 'camera-02-foreign-en', { fullPage: false });
  await page.click('#lang-switch');

  // closing stops every track
  await page.click('#btn-camera-stop');
  assert.equal(await page.locator('#camera').isHidden(), true);
  await lib.until(() => cameraOff(page), 'camera off after closing');
  await lib.until(async () => (await page.evaluate(() => document.activeElement.id)) === 'btn-camera',
    'focus back on the camera button');
  const n = decodes.sent.length;
  await page.waitForTimeout(1000);
  assert.equal(decodes.sent.length, n, 'no frames after closing');

  // open again, then change to the leaderboard: the camera stops
  await page.click('#btn-camera');
  await lib.until(() => cameraLive(page), 'camera live again');
  await page.evaluate(() => { window.keptStream = document.getElementById('camera-video').srcObject; });
  await page.click('#tab-board');
  await lib.until(() => cameraOff(page), 'camera off after a tab change');
  await page.click('#tab-clues');
  assert.equal(await page.locator('#camera').isHidden(), true);

  // and Escape closes it from the keyboard
  await page.focus('#btn-camera');
  await page.keyboard.press('Enter');
  await lib.until(() => cameraLive(page), 'camera live again');
  await page.evaluate(() => { window.keptStream = document.getElementById('camera-video').srcObject; });
  await page.keyboard.press('Escape');
  await lib.until(() => cameraOff(page), 'camera off after Escape');
  lib.noProblems(ctx);
  await ctx.close();
});

test('a denied camera is explained, with the other ways to scan', async () => {
  // This browser has no --use-fake-ui-for-media-stream and the context was granted
  // nothing: Chromium's own permission prompt answers "denied".
  const { ctx, page } = await player(deny, 'Kamerascheue', { camera: false });
  await page.click('#btn-camera');
  await lib.waitText(page, '#camera-msg', /Kamera ist für diese Seite nicht erlaubt.*Kamera-App.*kurzen Code/, 10000);
  assert.equal(await page.locator('#camera-view').isHidden(), true);
  assert.equal(await page.locator('#btn-camera-retry').isVisible(), true);
  assert.equal(await cameraOff(page), true);
  await lib.shot(page, 'camera-03-denied');
  await lib.axe(page, 'camera denied');
  await page.click('#btn-camera-stop');
  assert.equal(await page.locator('#camera').isHidden(), true);
  lib.noProblems(ctx);
  await ctx.close();
});

test('offline, the camera panel says the server is needed and points to the short code', async () => {
  const { ctx, page } = await player(ours, 'Funkstille');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await lib.until(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'service worker in control');
  await ctx.setOffline(true);
  await page.click('#btn-camera'); // camera.js comes from the service worker's cache
  await lib.waitText(page, '#camera-msg', /^Kein Netz: .*kurzen Code/);
  assert.equal(await cameraOff(page), true);
  await lib.shot(page, 'camera-04-offline');
  await lib.axe(page, 'camera offline');
  lib.noProblems(ctx);
  await ctx.close();
});

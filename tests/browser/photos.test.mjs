// Photo puzzles in real Chromium: the phone app's photo card (at 360 px) and the staff
// console's "Fotos prüfen". The picture is a real JPEG of 2400 x 1800 px made by
// Chromium's own encoder, handed to the card's file input as the phone's camera
// would; the app scales it to 1600 px before it leaves the phone. Before the team's
// first photo the hunt's photo_consent is shown, and only then; the photo is then
// pending; staff approve it with fewer points by keyboard and the phone shows it
// solved with those points without a reload; a rejected photo shows staff's words and
// the button again; offline the photo waits in the outbox and is sent when the
// network is back, and no more than three wait; a photo for an "auto" puzzle counts
// at once; staff revoke an approved photo; a photo someone else decided is skipped.
// axe finds nothing on the photo card or the review section.
// Self-contained: its own spurd.
//   SPUR_BUILD=build node --test tests/browser/photos.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/photos-*.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';

const HUNT = 'fotos';
const TOKEN = 'photos-browser-test-token';
const STAFF = 'Jana';
const CONSENT = 'Wir zeigen freigegebene Fotos nur bei der Siegerehrung und löschen alle vier Wochen danach.';
let srv, lib, browser, JPEG;

before(async () => {
  const now = Date.now();
  const hunt = {
    id: HUNT, title: 'Fotorallye', starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    late_sync_grace: 3600, photo_consent: CONSENT,
    places: [{ id: 'brunnen', name: 'Löwenbrunnen', where: 'vor dem Rathaus' }],
    puzzles: [
      { id: 'gruppenfoto', title: 'Gruppenfoto', kind: 'photo', place: 'brunnen', points: 5,
        clue: 'Ein Foto eures ganzen Teams vor dem Löwenbrunnen.' },
      { id: 'selfie', title: 'Selfie', kind: 'photo', review: 'auto', points: 4, clue: 'Ein Selfie mit dem Rathaus.' },
      { id: 'frage', title: 'Die Frage', points: 2, answer: { accept: ['Löwe'] }, clue: 'Welches Tier?' },
    ],
  };
  srv = await startSpurd({ hunts: [hunt], name: 'photos', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  process.env.SPUR_URL = srv.base; // lib.mjs reads these when first imported
  process.env.SPUR_HUNT = HUNT;
  process.env.SPUR_SHOTS ||= join(BUILD, 'screenshots');
  lib = await import('./lib.mjs');
  browser = await lib.launch();
  // A photo bigger than the app sends: 2400 x 1800, stripes and a gradient, encoded
  // by Chromium as a JPEG.
  const page = await browser.newPage();
  const b64 = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 2400; c.height = 1800;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 2400, 1800);
    grad.addColorStop(0, '#2a6f97'); grad.addColorStop(1, '#f4a259');
    g.fillStyle = grad; g.fillRect(0, 0, 2400, 1800);
    g.fillStyle = '#fff';
    for (let x = 0; x < 2400; x += 160) g.fillRect(x, 0, 40, 1800);
    g.font = 'bold 300px sans-serif'; g.fillStyle = '#14231d'; g.fillText('Brunnen', 300, 1000);
    const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let k = 0; k < bytes.length; k += 0x8000) s += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
    return btoa(s);
  });
  await page.close();
  JPEG = Buffer.from(b64, 'base64');
  assert.deepEqual([...JPEG.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

const card = (id) => `#pz-${id}`;
const photoFile = () => ({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: JPEG });

async function staffApi(method, path, body) {
  const r = await fetch(`${srv.base}/api/admin/hunts/${HUNT}${path}`, {
    method, headers: { Authorization: 'Bearer ' + TOKEN, 'X-Staff-Name': 'Test',
      ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, body: await r.json() };
}

async function photoOf(team) {
  const list = await staffApi('GET', '/photos');
  return list.body.photos.filter((p) => p.team.name === team).at(-1);
}

// A phone with a new team on the clue list; init: a script run before the app.
async function teamPhone(name, init) {
  const ctx = await lib.phone(browser);
  if (init) await ctx.addInitScript(init);
  const page = await ctx.newPage();
  await page.goto(`/?hunt=${HUNT}`);
  await page.waitForSelector('#screen-join:not([hidden])');
  await page.fill('#team-name', name);
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector(`${card('gruppenfoto')} [data-role="photo"]`);
  // set once: a reload would make it undefined again
  await page.evaluate(() => { window.sameDocument = true; });
  return { ctx, page };
}

// The photo through the card's file input, and (asked the first time) agreed to.
async function takePhoto(page, puzzle, { consent }) {
  await page.setInputFiles(`${card(puzzle)} input[type="file"]`, photoFile());
  if (consent) {
    await page.waitForSelector(`${card(puzzle)} [data-role="photo-agree"]`);
    await page.click(`${card(puzzle)} [data-role="photo-agree"]`);
  }
}

// The staff console signed in, at width x height.
async function console_(width = 1280, height = 900) {
  const ctx = await browser.newContext({ baseURL: srv.base, viewport: { width, height }, locale: 'de-DE' });
  await ctx.addInitScript((n) => localStorage.setItem('spur_staff_name', n), STAFF);
  const page = await ctx.newPage();
  ctx.problems = [];
  page.on('pageerror', (e) => ctx.problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) ctx.problems.push('CSP: ' + m.text()); });
  await page.goto(`/staff/index.html?hunt=${HUNT}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#console:not([hidden])');
  return { ctx, page };
}

// Shows the team's photo in the review section (J until its name is on screen).
async function showTeam(page, team) {
  await page.waitForSelector('#photo-view:not([hidden])');
  await lib.until(async () => {
    if ((await page.textContent('#photo-team')) === team) return true;
    await page.focus('#photo-fig');
    if (await page.isDisabled('#photo-next')) await page.keyboard.press('k'); else await page.keyboard.press('j');
    return false;
  }, 'the photo of ' + team, 15000);
  await lib.until(() => page.$eval('#photo-img', (img) => img.complete && img.naturalWidth > 0), 'the photo shown');
}

test('the photo card asks for consent before the first photo only, scales it to 1600 px and shows it pending', async () => {
  const { ctx, page } = await teamPhone('Fotofreunde');
  const go = page.locator(`${card('gruppenfoto')} [data-role="photo"]`);
  assert.match(await go.textContent(), /^Foto aufnehmen: Gruppenfoto$/);
  const input = page.locator(`${card('gruppenfoto')} input[type="file"]`);
  assert.equal(await input.getAttribute('accept'), 'image/jpeg,image/*');
  assert.equal(await input.getAttribute('capture'), 'environment');
  // the button opens the camera (the file chooser)
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), go.click()]);
  assert.equal(chooser.isMultiple(), false);
  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/photo\?/.test(r.url())) sent.push(r); });
  await chooser.setFiles(photoFile());

  // first photo: the hunt's consent text, the picture, nothing sent yet
  const agree = page.locator(`${card('gruppenfoto')} [data-role="photo-agree"]`);
  await agree.waitFor();
  assert.equal(await agree.textContent(), 'Einverstanden, Foto senden');
  assert.equal(await page.textContent(`${card('gruppenfoto')} .photo-consent p`), CONSENT);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.role), 'photo-agree', 'focus on the consent');
  const preview = page.locator(`${card('gruppenfoto')} img.photo-pic`);
  assert.equal(await preview.getAttribute('alt'), 'Euer Foto für Gruppenfoto');
  assert.deepEqual(await preview.evaluate((img) => [img.naturalWidth, img.naturalHeight]), [1600, 1200], 'scaled on the phone');
  assert.equal(sent.length, 0, 'nothing sent before the team agreed');
  await lib.shot(page, 'photos-consent-360');
  await lib.axe(page, 'photo card with the consent');
  // the team may allow its approved photos on the big screen (not ticked unless it says so)
  const screen = page.locator(`${card('gruppenfoto')} [data-role="photo-screen"]`);
  assert.equal(await screen.isChecked(), false);
  assert.equal(await page.textContent(`${card('gruppenfoto')} label[for$="-screen"]`),
    'Unsere freigegebenen Fotos dürfen auf der Leinwand bei der Siegerehrung erscheinen.');
  await screen.check();
  await agree.click();

  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/);
  assert.equal(await page.getAttribute(`${card('gruppenfoto')} .photo-state`, 'role'), 'status', 'announced');
  assert.equal(sent.length, 1);
  const url = new URL(sent[0].url());
  assert.match(url.searchParams.get('client_id'), /^[A-Za-z0-9_-]{1,64}$/);
  assert.match(url.search, /made_at=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ/, 'made_at percent-encoded');
  assert.equal(url.searchParams.get('screen'), '1', 'allowed on the big screen');
  assert.equal(sent[0].headers()['content-type'], 'image/jpeg');
  assert.match(sent[0].headers().authorization, /^Bearer [A-Za-z0-9_-]{43}$/);
  assert.equal(await page.locator(`${card('gruppenfoto')} [data-role="photo"]`).count(), 0, 'no button while it is reviewed');
  // what arrived: at most 1600 px, as the server stored it
  const ph = await photoOf('Fotofreunde');
  assert.equal(ph.status, 'pending');
  assert.deepEqual([ph.width, ph.height], [1600, 1200]);
  assert.equal(ph.screen, true);
  // the team's own photo, fetched with its token (never in an address) into a data: URL
  const thumb = page.locator(`${card('gruppenfoto')} img.photo-pic`);
  await lib.until(() => thumb.evaluate((img) => img.complete && img.naturalWidth === 1600 && img.src.startsWith('data:image/jpeg')), 'the thumbnail');
  assert.equal(await thumb.getAttribute('alt'), 'Euer Foto für Gruppenfoto');
  await lib.shot(page, 'photos-pending-360');
  await lib.axe(page, 'photo card, pending');

  // the next photo, for an "auto" puzzle: no consent again, counted at once
  await takePhoto(page, 'selfie', { consent: false });
  await lib.waitText(page, `${card('selfie')}-fb`, /^Euer Foto zählt! \+4 Punkte\.$/);
  await lib.waitText(page, `${card('selfie')} .badge`, /gelöst/);
  await lib.waitText(page, '#my-score', /^4 Punkte$/);
  await lib.waitText(page, `${card('selfie')} .photo-state`, /^Foto freigegeben\.$/);
  assert.equal(await page.locator('.photo-consent').count(), 0, 'consent asked once');

  // English
  await page.click('#lang-switch');
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Being reviewed …$/);
  assert.equal(await thumb.getAttribute('alt'), 'Your photo for Gruppenfoto');
  await page.click('#lang-switch');
  assert.equal(await page.evaluate(() => window.sameDocument), true);
  lib.noProblems(ctx);
  await ctx.close();
});

test('staff approve with fewer points by keyboard; the phone shows it solved without a reload', async () => {
  const { ctx, page } = await teamPhone('Brunnenbande');
  await takePhoto(page, 'gruppenfoto', { consent: true });
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/);

  const staff = await console_();
  const s = staff.page;
  await showTeam(s, 'Brunnenbande');
  await lib.waitText(s, '#photos-count', /^\d+ warten?$/);
  assert.match(await s.textContent('#photo-puzzle'), /^„Gruppenfoto“ · 5 Punkte$/);
  assert.equal(await s.getAttribute('#photo-img', 'alt'), 'Foto von Brunnenbande für „Gruppenfoto“');
  assert.equal(await s.inputValue('#photo-points'), '5', 'the puzzle\'s points by default');
  assert.match(await s.textContent('#photos-keys'), /A freigeben · R ablehnen · M Nachricht · J oder → nächstes · K oder ← voriges/);
  const section = (name) => s.locator('#photos-card').screenshot({ path: join(process.env.SPUR_SHOTS, name + '.png') });
  await lib.shot(s, 'photos-console-desktop');
  await section('photos-review-desktop');
  await lib.axe(s, 'review section');
  await s.setViewportSize({ width: 360, height: 740 });
  await section('photos-review-360');
  await lib.axe(s, 'review section at 360 px');
  await s.setViewportSize({ width: 1280, height: 900 });

  // typing in the points field is typing, not a shortcut; Esc goes back to the photo
  await s.fill('#photo-points', '3');
  await s.press('#photo-points', 'a');
  assert.equal(await s.textContent('#photo-team'), 'Brunnenbande', 'no decision from a key typed in a field');
  await s.fill('#photo-points', '3');
  await s.press('#photo-points', 'Escape');
  assert.equal(await s.evaluate(() => document.activeElement.id), 'photo-fig');
  await s.keyboard.press('a');
  await lib.waitText(s, '#photos-note', /^Freigegeben: Brunnenbande, 3 Punkte\.$/);

  await lib.waitText(page, `${card('gruppenfoto')} .badge`, /gelöst/, 15000);
  await lib.waitText(page, `${card('gruppenfoto')} .pz-meta`, /^\+3 von 5 Punkten erhalten$/);
  await lib.waitText(page, '#my-score', /^3 Punkte$/);
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Foto freigegeben\.$/);
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
  const log = await staffApi('GET', '/log');
  const entry = log.body.entries.find((e) => e.action === 'review_photo');
  assert.equal(entry.who, STAFF);
  assert.equal(entry.detail.points, 3);
  lib.noProblems(ctx);
  assert.deepEqual(staff.ctx.problems, []);
  await staff.ctx.close();
  await ctx.close();
});

test('a rejected photo shows staff\'s words on the phone, and a new one may be sent', async () => {
  const { ctx, page } = await teamPhone('Die Unscharfen');
  await takePhoto(page, 'gruppenfoto', { consent: true });
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/);
  const staff = await console_();
  const s = staff.page;
  await showTeam(s, 'Die Unscharfen');
  await s.keyboard.press('m');
  assert.equal(await s.evaluate(() => document.activeElement.id), 'photo-msg');
  await s.keyboard.type('Da ist kein Brunnen zu sehen. Versucht es noch einmal!');
  await s.keyboard.press('Escape');
  await s.keyboard.press('r');
  await lib.waitText(s, '#photos-note', /^Abgelehnt: Die Unscharfen\.$/);

  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Foto abgelehnt: Da ist kein Brunnen zu sehen\. Versucht es noch einmal!$/, 15000);
  const again = page.locator(`${card('gruppenfoto')} [data-role="photo"]`);
  await again.waitFor();
  assert.match(await again.textContent(), /^Neues Foto senden/);
  assert.match(await page.textContent(`${card('gruppenfoto')} .photo .help`), /^Noch 4 Fotos möglich\.$/);
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
  await lib.shot(page, 'photos-rejected-360');
  await lib.axe(page, 'photo card, rejected');
  await takePhoto(page, 'gruppenfoto', { consent: false });
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/);
  assert.equal((await photoOf('Die Unscharfen')).status, 'pending');
  lib.noProblems(ctx);
  await staff.ctx.close();
  await ctx.close();
});

test('offline the photo waits in the outbox and is sent when the network is back', async () => {
  const { ctx, page } = await teamPhone('Funkloch');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await ctx.setOffline(true);
  await takePhoto(page, 'gruppenfoto', { consent: true });
  await lib.waitText(page, `${card('gruppenfoto')}-fb`, /Kein Netz – gespeichert/);
  await lib.waitText(page, `${card('gruppenfoto')} .pending-line`, /^Euer Foto wird gesendet, sobald wieder Netz da ist\.$/);
  await lib.waitText(page, '#pending-list', /Gruppenfoto: Foto/);
  const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox')));
  assert.equal(queued.length, 1);
  assert.equal(queued[0].type, 'photo');
  assert.match(queued[0].jpeg, /^data:image\/jpeg;base64,\/9j\//);
  assert.ok(queued[0].client_id && queued[0].made_at);
  assert.equal(await page.locator(`${card('gruppenfoto')} [data-role="photo"]`).count(), 0, 'one photo at a time');
  await lib.shot(page, 'photos-offline-360');
  await lib.axe(page, 'photo card offline');
  await ctx.setOffline(false);
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/, 15000);
  await page.waitForSelector('#pending-box', { state: 'hidden' });
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox')).length), 0);
  const ph = await photoOf('Funkloch');
  assert.equal(ph.status, 'pending');
  lib.noProblems(ctx);
  await ctx.close();
});

test('no more than three photos wait for the network at once', async () => {
  // three photos of another hunt already wait on this phone
  const { ctx, page } = await teamPhone('Speicherknapp', () => {
    if (location.protocol !== 'http:' || localStorage.getItem('spur.outbox')) return;
    const one = (k) => ({ client_id: 'alt-' + k, made_at: '2026-01-01T10:00:00Z', hunt: 'anderswo', type: 'photo',
      puzzle: 'x', jpeg: 'data:image/jpeg;base64,/9j/' });
    localStorage.setItem('spur.outbox', JSON.stringify([one(1), one(2), one(3)]));
  });
  await takePhoto(page, 'gruppenfoto', { consent: true });
  await lib.waitText(page, `${card('gruppenfoto')}-fb`, /^Schon 3 Fotos warten auf Netz\. Ein weiteres geht erst, wenn sie gesendet sind\.$/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox')).length), 3);
  assert.equal(await photoOf('Speicherknapp'), undefined, 'nothing sent');
  lib.noProblems(ctx);
  await ctx.close();
});

test('staff revoke an approved photo, and skip one someone else decided', async () => {
  const { ctx, page } = await teamPhone('Widerruf');
  await takePhoto(page, 'selfie', { consent: true });
  await lib.waitText(page, '#my-score', /^4 Punkte$/);
  await takePhoto(page, 'gruppenfoto', { consent: false });
  await lib.waitText(page, `${card('gruppenfoto')} .photo-state`, /^Wird geprüft …$/);

  const staff = await console_();
  const s = staff.page;
  // someone else decides the photo on screen meanwhile: skipped with a note
  await showTeam(s, 'Widerruf');
  const other = await photoOf('Widerruf');
  assert.equal((await staffApi('POST', `/photos/${other.id}/review`, { approve: true })).status, 200);
  await s.focus('#photo-fig');
  await s.keyboard.press('a');
  await lib.waitText(s, '#photos-note', /^Schon von jemand anderem entschieden – weiter zum nächsten\.$/);

  await s.click('#photos-mode-approved');
  assert.equal(await s.getAttribute('#photos-mode-approved', 'aria-pressed'), 'true');
  await lib.waitText(s, '#photos-keys', /R widerrufen/);
  await showTeam(s, 'Widerruf');
  assert.equal(await s.isHidden('#photo-approve'), true);
  assert.match(await s.textContent('#photo-reject'), /^Widerrufen/);
  await s.locator('#photos-card').screenshot({ path: join(process.env.SPUR_SHOTS, 'photos-approved-desktop.png') });
  await s.keyboard.press('m');
  await s.keyboard.type('Kein Rathaus zu sehen.');
  await s.keyboard.press('Escape');
  const id = (await s.textContent('#photo-puzzle')).includes('Selfie') ? 'selfie' : 'gruppenfoto';
  await s.keyboard.press('r');
  await lib.waitText(s, '#photos-note', /^Widerrufen: Widerruf\.$/);
  await lib.waitText(page, `${card(id)} .photo-state`, /^Foto abgelehnt: Kein Rathaus zu sehen\.$/, 15000);
  await lib.waitText(page, `${card(id)} .badge`, /offen/);
  await page.locator(`${card(id)} [data-role="photo"]`).waitFor();
  assert.deepEqual(staff.ctx.problems, []);
  lib.noProblems(ctx);
  await staff.ctx.close();
  await ctx.close();
});

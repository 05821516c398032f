// The organizer's web editor (/staff/editor/) in real Chromium, as an organizer uses
// it: sign in, create a hunt from nothing, set its start in local time, add a place
// (position typed into the fields), a scan puzzle and a text puzzle with a hint; the
// check as you type points at the empty answer, its link takes focus to the field,
// the fix clears it; save (the dry run's summary in a dialog, then confirm); a team
// plays the hunt in the app in a second browser context and sees the puzzle; the
// organizer edits its clue while the team plays and the team sees the new one; the
// phone preview judges a tried answer with the server's normalisation; a save from a
// second editor in between gives 412 and the offer to re-apply; axe finds nothing;
// and the whole edit–reorder–save round works by keyboard alone.
// Self-contained: its own spurd with one unrelated hunt.
//   SPUR_BUILD=build node --test tests/browser/editor.test.mjs
// Screenshot: $SPUR_BUILD/screenshots/editor.png (1280x800, form and preview).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';

const TOKEN = 'editor-browser-test-token';
const HUNT = 'altstadt';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let srv, lib, browser, editorCtx, ed;

before(async () => {
  const now = Date.now();
  const other = {
    id: 'andere', title: 'Eine andere Rallye', starts_at: iso(now - 3600e3), ends_at: iso(now + 3600e3),
    places: [], puzzles: [{ id: 'q', title: 'Frage', points: 1, answer: { accept: ['ja'] } }],
  };
  srv = await startSpurd({ hunts: [other], name: 'editor', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  process.env.SPUR_URL = srv.base;
  process.env.SPUR_SHOTS ||= join(BUILD, 'screenshots');
  lib = await import('./lib.mjs');
  browser = await lib.launch();
  editorCtx = await desk();
  ed = await editorCtx.newPage();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// A desk browser at 1280x800 that records page errors, CSP refusals and window dialogs.
async function desk() {
  return lib.watchProblems(await browser.newContext({ baseURL: srv.base, viewport: { width: 1280, height: 800 }, locale: 'de-DE' }));
}

async function api(method, path, body) {
  const r = await fetch(srv.base + path, { method, headers: { Authorization: 'Bearer ' + TOKEN,
    ...(body ? { 'Content-Type': 'application/json' } : {}) }, body });
  return { status: r.status, text: await r.text(), etag: r.headers.get('ETag') };
}

const fieldSel = (path) => `#hunt-form [data-path="${path}"]`;

// The value the file holds, as the API serves it now.
async function stored() {
  const r = await api('GET', `/api/admin/hunts/${HUNT}/source`);
  assert.equal(r.status, 200);
  return JSON.parse(r.text);
}

// Waits until the check has run on what the editor holds now.
async function checked(page) {
  await lib.until(() => page.evaluate(() => !document.getElementById('problems').hasAttribute('aria-busy')), 'check idle');
  await page.waitForTimeout(700);
  await lib.until(() => page.evaluate(() => !document.getElementById('problems').hasAttribute('aria-busy')), 'check idle');
}

// "Speichern …": the dialog with the dry run's summary, then "Jetzt speichern".
async function saveWithDialog(page, expect) {
  await page.click('#save');
  await page.waitForSelector('#dlg[open] .dlg-summary');
  const text = await page.textContent('#dlg-body');
  if (expect) assert.match(text, expect);
  await page.click('#dlg-buttons button.primary');
  await page.waitForSelector('#dlg', { state: 'hidden' });
  await lib.waitText(page, '#save-state', /Gespeichert/);
  return text;
}

// Wall-clock time in Europe/Berlin as a datetime-local value.
function berlin(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hourCycle: 'h23', year: 'numeric',
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

let textIdx, scanIdx, placeIdx, textId;

test('sign in, create a hunt from nothing, add a place, a scan and a text puzzle; the check points at the empty answer', async () => {
  await ed.goto('/staff/editor/');
  await ed.waitForSelector('#login:not([hidden])');
  await ed.fill('#token', TOKEN);
  await ed.fill('#who-name', 'Anna');
  await ed.click('#login-form button[type="submit"]');
  await ed.waitForSelector('#hunts:not([hidden])');
  await lib.waitText(ed, '#hunt-list', /Eine andere Rallye/);
  await lib.shot(ed, 'editor-hunts', { fullPage: false });

  await ed.fill('#create-id', 'andere');
  await ed.fill('#create-title', 'Noch eine');
  await ed.click('#create-form button[type="submit"]');
  await lib.waitText(ed, '#create-err', /gibt es schon/);
  await ed.fill('#create-id', 'Mit Umlaut ä');
  await ed.click('#create-form button[type="submit"]');
  await lib.waitText(ed, '#create-err', /Kurzname/);
  assert.equal(await ed.getAttribute('#create-id', 'aria-invalid'), 'true');
  await ed.fill('#create-id', HUNT);
  await ed.fill('#create-title', 'Rallye durch die Altstadt');
  await ed.click('#create-form button[type="submit"]');
  await ed.waitForSelector('#editor:not([hidden])');
  await ed.waitForSelector(fieldSel('title'));
  assert.equal(await ed.inputValue(fieldSel('title')), 'Rallye durch die Altstadt');
  await lib.waitText(ed, '#check-summary', /Keine Probleme|Warnung/);

  // it runs from an hour ago (typed in local time, Europe/Berlin)
  await ed.fill(fieldSel('starts_at'), berlin(Date.now() - 3600e3));
  await ed.dispatchEvent(fieldSel('starts_at'), 'change');

  // a place, its position typed into the fields
  placeIdx = await ed.locator('.place-item').count();
  await ed.click('[data-key="place-add"]');
  await ed.fill(fieldSel(`places[${placeIdx}].id`), 'brunnen');
  await ed.fill(fieldSel(`places[${placeIdx}].name`), 'Marktbrunnen');
  await ed.fill(fieldSel(`places[${placeIdx}].lat`), '49.4431');
  await ed.fill(fieldSel(`places[${placeIdx}].lon`), '7.7712');

  // a scan puzzle at the new place
  scanIdx = await ed.locator('.puzzle-item').count();
  await ed.click('[data-key="puzzle-add"]');
  await ed.fill(fieldSel(`puzzles[${scanIdx}].id`), 'am-brunnen');
  await ed.fill(fieldSel(`puzzles[${scanIdx}].title`), 'Am Brunnen');
  await ed.selectOption(fieldSel(`puzzles[${scanIdx}].kind`), 'scan');
  await ed.selectOption(fieldSel(`puzzles[${scanIdx}].place`), 'brunnen');

  // a text puzzle with a hint; its answer left empty for now
  textIdx = scanIdx + 1;
  textId = 'loewen';
  await ed.click('[data-key="puzzle-add"]');
  await ed.fill(fieldSel(`puzzles[${textIdx}].id`), textId);
  await ed.fill(fieldSel(`puzzles[${textIdx}].title`), 'Die Löwen');
  await ed.fill(fieldSel(`puzzles[${textIdx}].clue`), 'Wie viele **Löwen** sitzen am Brunnen?');
  await ed.click(`[data-key="add:puzzles[${textIdx}].hints"]`);
  await ed.fill(fieldSel(`puzzles[${textIdx}].hints[0].text`), 'Zählt die Köpfe.');
  await ed.fill(fieldSel(`puzzles[${textIdx}].hints[0].cost`), '2');

  // the check's problem at the empty answer, linked to its field
  const path = `puzzles[${textIdx}].answer.accept[0]`;
  await lib.waitText(ed, '#problem-list', new RegExp(path.replace(/[[\].]/g, '\\$&')));
  assert.match(await ed.textContent('#check-summary'), /1 Fehler/);
  assert.match(await ed.textContent('#bar-problems'), /1 Fehler/, 'the count in the sticky bar');
  const link = ed.locator('#problem-list li', { hasText: path }).locator('a');
  await link.click();
  assert.equal(await ed.evaluate(() => document.activeElement.dataset.path), path, 'the link focuses the field');
  assert.equal(await ed.getAttribute(fieldSel(path), 'aria-invalid'), 'true');
  assert.equal(await ed.textContent(`[data-path="puzzles[${textIdx}]"] .item-problems`), '1 Fehler', 'the puzzle\'s head counts it');
  assert.match(await ed.textContent(`#e${(await ed.getAttribute(fieldSel(path), 'id')).slice(1)}`), /\S/, 'the message under the field');
  await ed.keyboard.type('drei');
  await lib.waitText(ed, '#check-summary', /Keine Probleme|^(?!.*Fehler)/);
  assert.equal(await ed.getAttribute(fieldSel(path), 'aria-invalid'), null);
  assert.deepEqual(editorCtx.problems, []);
});

test('save: the dry run summary in a dialog, then the hunt is saved and running', async () => {
  await ed.click('#save');
  await ed.waitForSelector('#dlg[open] .dlg-summary');
  await lib.shot(ed, 'editor-dialog', { fullPage: false });
  await ed.keyboard.press('Escape');
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  assert.equal(await ed.evaluate(() => document.activeElement.id), 'save', 'Esc: back on "Speichern"');
  const text = await saveWithDialog(ed, /Rätsel|neu|hinzugefügt|added/i);
  assert.ok(text.length > 0);
  const h = await stored();
  assert.equal(h.puzzles[textIdx].id, textId);
  assert.deepEqual(h.puzzles[textIdx].answer.accept, ['drei']);
  assert.equal(h.puzzles[scanIdx].kind, 'scan');
  assert.equal(h.places[placeIdx].lat, 49.4431);
  assert.ok(h._comment, 'the starter\'s comments stay');
  await lib.waitText(ed, '#state', /läuft/);
  // everything to hand: the join link and its QR code, the file to download
  assert.match(await ed.textContent('#join-url'), new RegExp(`/\\?hunt=${HUNT}$`));
  await lib.until(() => ed.evaluate(() => document.getElementById('join-qr').naturalWidth > 0), 'the join QR code');
  const [dl] = await Promise.all([ed.waitForEvent('download'), ed.click('#download')]);
  assert.equal(dl.suggestedFilename(), `${HUNT}.json`);
  const got = readFileSync(await dl.path(), 'utf8');
  assert.deepEqual(JSON.parse(got), await stored(), 'the download is the saved file');
  const [pdf] = await Promise.all([ed.waitForEvent('download', { timeout: 60000 }), ed.click('[data-print="posters"]')]);
  assert.equal(pdf.suggestedFilename(), `${HUNT}-posters.pdf`);
  assert.equal(readFileSync(await pdf.path()).subarray(0, 5).toString(), '%PDF-', 'the posters as PDF');
  await lib.waitText(ed, '#print-state', /Fertig/);
  const versions = JSON.parse((await api('GET', `/api/admin/hunts/${HUNT}/versions`)).text).versions;
  assert.ok(versions.length >= 2, 'the starter and the save are versions');
  assert.equal(versions[0].who, 'Anna');
});

let team, tp;

test('a team plays it in the app; the organizer edits the clue while it plays and the team sees the new one', async () => {
  team = await lib.phone(browser);
  tp = await team.newPage();
  await tp.goto(`/?hunt=${HUNT}`);
  await tp.waitForSelector('#screen-join:not([hidden])');
  await tp.fill('#team-name', 'Füchse');
  await tp.click('#form-create button[type="submit"]');
  await tp.waitForSelector(`#pz-${textId} .clue`);
  assert.match(await tp.textContent(`#pz-${textId} .clue`), /Wie viele Löwen sitzen am Brunnen\?/);
  assert.equal(await tp.textContent(`#pz-${textId} .clue strong`), 'Löwen', 'Markdown rendered');

  await ed.fill(fieldSel(`puzzles[${textIdx}].clue`), 'Wie viele Löwen speien Wasser?');
  await checked(ed);
  const text = await saveWithDialog(ed, /loewen|Löwen|geändert|changed/i);
  assert.match(text, /clue/, 'the change names the clue');
  assert.match(text, /Die Rallye läuft/, 'a running hunt warns');
  // no reload: the save's `hunt` event makes the open app fetch its puzzles again
  await lib.waitText(tp, `#pz-${textId} .clue`, /Wie viele Löwen speien Wasser\?/);
  lib.noProblems(team);
});

test('the phone preview shows the card in the app\'s styles and judges a tried answer', async () => {
  await ed.click(fieldSel(`puzzles[${textIdx}].title`));
  await lib.waitText(ed, '#phone h3', /Die Löwen/);
  assert.equal(await ed.evaluate(() => document.getElementById('phone').getBoundingClientRect().width <= 380), true);
  const bg = await ed.evaluate(() => getComputedStyle(document.getElementById('phone').shadowRoot.querySelector('.puzzle')).borderLeftColor);
  assert.equal(bg, 'rgb(29, 84, 67)', 'app.css applies inside the preview');
  await ed.fill('#phone input[name="answer"]', 'DREI!');
  await ed.click('#phone form.answer button[type="submit"]');
  await lib.waitText(ed, '#phone .feedback', /\S/);
  assert.match(await ed.getAttribute('#phone .feedback', 'class'), /\bok\b/);
  assert.match(await ed.textContent('#phone .feedback'), /verglichen als „drei“/, 'the normalised answer');
  await ed.fill('#phone input[name="answer"]', 'vier');
  await ed.click('#phone form.answer button[type="submit"]');
  await lib.until(async () => /\berror\b/.test(await ed.getAttribute('#phone .feedback', 'class')), 'a wrong verdict');
  await ed.click('#phone button.hint');
  await lib.waitText(ed, '#phone .hints', /Zählt die Köpfe/);
  await ed.mouse.move(0, 0);
  await ed.evaluate(() => window.scrollTo(0, 0));
  await ed.click(fieldSel(`puzzles[${textIdx}].clue`));
  await ed.evaluate((i) => document.querySelector(`[data-path="puzzles[${i}]"]`).scrollIntoView({ block: 'start' }), textIdx);
  await ed.evaluate(() => { document.querySelector('.ed-side').scrollTop = 0; });
  await ed.waitForTimeout(300);
  await lib.shot(ed, 'editor', { fullPage: false });
});

test('a picture uploaded in the form, described and saved, shows on the team\'s card', async () => {
  const page = await browser.newPage();
  const jpeg = await lib.drawnJpeg(page, 640, 480);
  await page.close();
  const base = `puzzles[${textIdx}].image`;
  await ed.click(`[data-key="img-add:${base}"]`);
  assert.equal(await ed.evaluate(() => document.activeElement.dataset.path), `${base}.file`, 'focus on the new picture\'s file');
  await ed.setInputFiles(`[data-path="${base}"] input[type="file"]`, { name: 'Brunnen Löwen.JPG', mimeType: 'image/jpeg', buffer: jpeg });
  await lib.waitText(ed, `[data-path="${base}"] [role="status"]`, /Hochgeladen/);
  const file = await ed.inputValue(fieldSel(`${base}.file`));
  assert.equal(file, 'brunnen-loewen.jpg');
  await ed.fill(fieldSel(`${base}.alt`), 'Der Brunnen mit den Löwenköpfen von Süden');
  await checked(ed);
  await ed.evaluate((b) => document.querySelector(`[data-path="${b}"]`).scrollIntoView({ block: 'center' }), base);
  await lib.shot(ed, 'editor-picture', { fullPage: false });
  assert.doesNotMatch(await ed.textContent('#check-summary'), /Fehler/);
  await saveWithDialog(ed, /image|loewen/i);
  await tp.reload();
  await tp.waitForSelector(`#pz-${textId} img.pz-pic`);
  assert.equal(await tp.getAttribute(`#pz-${textId} img.pz-pic`, 'alt'), 'Der Brunnen mit den Löwenköpfen von Süden');
  await lib.until(() => tp.evaluate((id) => document.querySelector(`#pz-${id} img.pz-pic`).naturalWidth > 0, textId), 'the picture loads');
});

test('a save from another editor in between: 412, and re-applying my changes after the dry run', async () => {
  const other = await editorCtx.newPage();
  await other.addInitScript((tk) => sessionStorage.setItem('spur_staff_token', tk), TOKEN);
  await other.goto(`/staff/editor/?hunt=${HUNT}`);
  await other.waitForSelector(fieldSel('title'));
  await checked(other);
  await other.fill(fieldSel('title'), 'Rallye durch die Altstadt 2026');
  await checked(other);
  await saveWithDialog(other);
  await other.close();

  // mine still stands on the older version
  await ed.fill(fieldSel(`puzzles[${textIdx}].points`), '12');
  await checked(ed);
  await ed.click('#save');
  await lib.waitText(ed, '#dlg-h', /jemand anderes/);
  const buttons = await ed.locator('#dlg-buttons button').allTextContents();
  assert.ok(buttons.includes('Neu laden') && buttons.includes('Meine Änderungen erneut anwenden'), buttons.join(' | '));
  await ed.click('#dlg-buttons >> text=Meine Änderungen erneut anwenden');
  await ed.waitForSelector('#dlg[open] .dlg-summary');
  const dry = await ed.textContent('#dlg-body');
  assert.match(dry, /title|Titel|points|Punkte/, 'the dry run against their version shows what mine changes');
  await ed.click('#dlg-buttons button.primary');
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  await lib.waitText(ed, '#save-state', /Gespeichert/);
  const h = await stored();
  assert.equal(h.puzzles[textIdx].points, 12);
  assert.deepEqual(editorCtx.problems, []);
});

test('an error the check knows is not saved (422 shows the problems); the JSON tab edits the same file and links a syntax error to its line', async () => {
  await ed.fill(fieldSel('title'), '');
  await ed.click('#save');
  await lib.waitText(ed, '#save-state', /Nicht gespeichert/);
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  assert.match(await ed.textContent('#problem-list'), /title/);
  assert.equal(await ed.evaluate(() => document.activeElement.classList.contains('problem-link')), true, 'focus on the first problem');
  await ed.keyboard.press('Enter');
  assert.equal(await ed.evaluate(() => document.activeElement.dataset.path), 'title');
  await ed.keyboard.type('Rallye durch die Altstadt 2026');
  await checked(ed);

  await ed.click('#tab-json');
  const json = await ed.inputValue('#json');
  assert.match(json, /"_comment"/, 'comments are in the file');
  await ed.fill('#json', json.replace('"Die Löwen"', '"Die drei Löwen"'));
  await checked(ed);
  await ed.click('#tab-form');
  assert.equal(await ed.inputValue(fieldSel(`puzzles[${textIdx}].title`)), 'Die drei Löwen');
  await ed.click('#tab-json');
  const broken = (await ed.inputValue('#json')).replace('"Die drei Löwen",', '"Die drei Löwen",,');
  await ed.fill('#json', broken);
  await lib.waitText(ed, '#problem-list', /Zeile \d+:\d+/);
  await lib.shot(ed, 'editor-json', { fullPage: false });
  assert.equal(await ed.isVisible('#json-broken'), false, 'the note is in the form tab');
  const line = Number(/Zeile (\d+):/.exec(await ed.textContent('#problem-list'))[1]);
  await ed.click('#problem-list a');
  const caretLine = await ed.evaluate(() => { const a = document.getElementById('json'); return a.value.slice(0, a.selectionStart).split('\n').length; });
  assert.equal(await ed.evaluate(() => document.activeElement.id), 'json');
  assert.equal(caretLine, line, 'the caret is on the problem\'s line');
  await ed.click('#tab-form');
  assert.equal(await ed.isVisible('#json-broken'), true, 'the form says the JSON is broken');
  assert.equal(await ed.evaluate(() => document.getElementById('hunt-form').inert), true, 'and cannot overwrite it');
  await ed.click('#tab-json');
  await ed.fill('#json', broken.replace(',,', ','));
  await ed.click('#tab-form');
  await checked(ed);
  assert.match(await ed.textContent('#check-summary'), /Keine Probleme|Warnung/);
  await saveWithDialog(ed, /title|drei|loewen/i);
  assert.equal((await stored()).title, 'Rallye durch die Altstadt 2026');
});

test('the point of a place picked on the map (Leaflet from /vendor/) lands in its fields', async () => {
  const btn = `[data-key="map:places[${placeIdx}]"]`;
  await ed.click(btn);
  assert.equal(await ed.getAttribute(btn, 'aria-expanded'), 'true');
  const map = ed.locator('.pick-map.leaflet-container');
  await map.waitFor();
  const box = await map.boundingBox();
  await ed.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 - 40);
  const lat = Number(await ed.inputValue(fieldSel(`places[${placeIdx}].lat`)));
  const lon = Number(await ed.inputValue(fieldSel(`places[${placeIdx}].lon`)));
  assert.ok(lat > 49.4431 && lat < 49.46, `lat ${lat} north of the old point`);
  assert.ok(lon > 7.7712 && lon < 7.79, `lon ${lon} east of it`);
  assert.match(await ed.inputValue('#json'), new RegExp(`"lat": ${lat}`));
  await lib.shot(ed, 'editor-map', { fullPage: false });
  await ed.click(btn);
  assert.equal(await ed.isVisible('.pick-map'), false);
  // the starter's choice puzzle, for the eye
  await ed.evaluate(() => document.querySelector('[data-path="puzzles[3]"]').scrollIntoView({ block: 'start' }));
  await lib.shot(ed, 'editor-choice', { fullPage: false });
});

test('an older version loaded into the editor and saved again restores it', async () => {
  await ed.reload();
  await ed.waitForSelector('#version-list li button');
  const versions = JSON.parse((await api('GET', `/api/admin/hunts/${HUNT}/versions`)).text).versions;
  const first = versions[versions.length - 1].version; // the starter
  const second = versions.find((v) => v.version === first + 1).version; // the first save
  await ed.click(`#version-list button[aria-label="Version ${second} in den Editor laden"]`);
  await lib.waitText(ed, '#save-state', new RegExp(`Version ${second} geladen`));
  await checked(ed);
  await saveWithDialog(ed, /clue|points|title/);
  const h = await stored();
  assert.equal(h.puzzles[textIdx].clue, 'Wie viele **Löwen** sitzen am Brunnen?');
  assert.equal(h.title, 'Rallye durch die Altstadt');
});

test('English at the switch, German again', async () => {
  await ed.click('#lang');
  assert.equal(await ed.textContent('#save'), 'Save …');
  assert.equal(await ed.getAttribute('html', 'lang'), 'en');
  await lib.waitText(ed, '#check-summary', /No problems|warning/);
  await lib.waitText(ed, '#h-puzzles', /Puzzles/);
  await ed.click('#lang');
  assert.equal(await ed.textContent('#save'), 'Speichern …');
  await lib.waitText(ed, '#h-puzzles', /Rätsel/);
});

test('drag a puzzle onto another to reorder; "Neu laden" asks before it drops the change', async () => {
  await ed.reload();
  await ed.waitForSelector('.puzzle-item');
  const ids = async () => JSON.parse(await ed.inputValue('#json')).puzzles.map((p) => p.id);
  const before = await ids();
  await ed.dragAndDrop('[data-path="puzzles[0]"] .drag', '[data-path="puzzles[2]"]');
  assert.deepEqual(await ids(), [before[1], before[2], before[0], ...before.slice(3)]);
  await lib.waitText(ed, '#save-state', /Ungespeicherte/);
  await ed.click('#reload');
  await ed.waitForSelector('#dlg[open]');
  await ed.click('#dlg-buttons button.danger');
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  await lib.waitText(ed, '#save-state', /Neu geladen/);
  assert.deepEqual(await ids(), before);
  assert.deepEqual(editorCtx.problems, []);
});

// Every axe violation, whatever its impact.
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no violation on the editor, its save dialog, the list of hunts, and at 200 % zoom nothing sticks out', async () => {
  await ed.evaluate(() => window.scrollTo(0, 0));
  await lib.shot(ed, 'editor-top', { fullPage: false });
  await ed.click('details.more summary');
  assert.equal(await ed.isVisible(fieldSel('contact.privacy')), true, 'the further settings open');
  await ed.click(`[data-key="img-add:branding.logo"]`);
  await ed.click(`[data-key="map:places[0]"]`);
  await ed.locator('.pick-map.leaflet-container').waitFor();
  assert.deepEqual(await violations(ed), [], 'editor');
  await ed.click(`[data-key="map:places[0]"]`);
  await ed.click(`[data-key="img-rm:branding.logo"]`);
  await ed.click('details.more summary');
  await ed.click('#save');
  await ed.waitForSelector('#dlg[open] .dlg-summary');
  assert.deepEqual(await violations(ed), [], 'save dialog');
  await ed.keyboard.press('Escape');
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  const narrow = await browser.newContext({ baseURL: srv.base, viewport: { width: 640, height: 800 }, deviceScaleFactor: 2, locale: 'de-DE' });
  await narrow.addInitScript(([tk]) => { sessionStorage.setItem('spur_staff_token', tk); localStorage.setItem('spur_staff_name', 'Anna'); }, [TOKEN]);
  const p = await narrow.newPage();
  await p.goto(`/staff/editor/?hunt=${HUNT}`);
  await p.waitForSelector(fieldSel('title'));
  await checked(p);
  for (const w of [640, 360, 180]) {
    await p.setViewportSize({ width: w, height: 800 });
    await p.waitForTimeout(200);
    const [sw, cw] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    const wide = sw <= cw ? [] : await p.evaluate((cw_) => [...document.querySelectorAll('body *')]
      .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > cw_ + 1)
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`), cw);
    assert.ok(sw <= cw, `editor at ${w} px: ${sw} px wide: ${wide.join(', ')}`);
    await lib.shot(p, `editor-${w}`, { fullPage: false });
  }
  await p.goto('/staff/editor/');
  await p.waitForSelector('#hunts:not([hidden])');
  assert.deepEqual(await violations(p), [], 'list of hunts');
  await narrow.close();
});

test('by keyboard alone: tab to a puzzle, Alt+↓ moves it, "Nach oben" by Enter, save with Enter in the dialog', async () => {
  await ed.reload();
  await ed.waitForSelector(fieldSel('title'));
  await checked(ed);
  const before = (await stored()).puzzles.map((p) => p.id);
  await ed.focus('#main');
  // a long hunt opens with its puzzles folded: Tab to the first one's "Aufklappen", Space
  let found = false;
  for (let k = 0; k < 200 && !found; k++) {
    await ed.keyboard.press('Tab');
    found = await ed.evaluate(() => document.activeElement && document.activeElement.dataset.key === 'fold:puzzles[0]');
  }
  assert.ok(found, 'reached the first puzzle\'s fold button by Tab');
  assert.equal(await ed.getAttribute('[data-key="fold:puzzles[0]"]', 'aria-expanded'), 'false');
  await ed.keyboard.press('Space');
  assert.equal(await ed.getAttribute('[data-key="fold:puzzles[0]"]', 'aria-expanded'), 'true');
  // then Tab on to its title field
  found = false;
  for (let k = 0; k < 20 && !found; k++) {
    await ed.keyboard.press('Tab');
    found = await ed.evaluate(() => document.activeElement && document.activeElement.dataset.path === 'puzzles[0].title');
  }
  assert.ok(found, 'reached the first puzzle by Tab');
  await ed.keyboard.press('Alt+ArrowDown');
  assert.equal(await ed.evaluate(() => document.activeElement.dataset.path), 'puzzles[1].title', 'focus moves with the puzzle');
  await lib.waitText(ed, '#announce', /jetzt Rätsel 2 von/);
  // the third puzzle up by its button: Tab to it, Enter
  found = false;
  for (let k = 0; k < 200 && !found; k++) {
    await ed.keyboard.press('Tab');
    found = await ed.evaluate(() => document.activeElement && document.activeElement.dataset.key === 'up:puzzles[2]');
  }
  assert.ok(found, 'reached "Nach oben" of the third puzzle');
  await ed.keyboard.press('Enter');
  assert.equal(await ed.evaluate(() => document.activeElement.dataset.key), 'up:puzzles[1]', 'focus stays on its button');
  // back up to the save button
  found = false;
  for (let k = 0; k < 300 && !found; k++) {
    await ed.keyboard.press('Shift+Tab');
    found = await ed.evaluate(() => document.activeElement && document.activeElement.id === 'save');
  }
  assert.ok(found, 'reached "Speichern" by Shift+Tab');
  await ed.keyboard.press('Enter');
  await ed.waitForSelector('#dlg[open] .dlg-summary');
  assert.equal(await ed.evaluate(() => document.activeElement.closest('dialog') !== null), true, 'focus is in the dialog');
  await ed.keyboard.press('Enter');
  await ed.waitForSelector('#dlg', { state: 'hidden' });
  await lib.waitText(ed, '#save-state', /Gespeichert/);
  assert.equal(await ed.evaluate(() => document.activeElement.id), 'save', 'focus back on "Speichern"');
  const after_ = (await stored()).puzzles.map((p) => p.id);
  assert.deepEqual(after_, [before[1], before[2], before[0], ...before.slice(3)]);
  // the JSON tab by arrow keys, and back
  await ed.focus('#tab-form');
  await ed.keyboard.press('ArrowRight');
  assert.equal(await ed.evaluate(() => document.activeElement.id), 'tab-json');
  assert.match(await ed.inputValue('#json'), /"id": "altstadt"/);
  await ed.keyboard.press('ArrowLeft');
  assert.equal(await ed.isVisible(fieldSel('title')), true);
  assert.deepEqual(editorCtx.problems, []);
});

// The participants' web app in real Chromium at a phone viewport, against a real
// spurd with the hunt tests/browser/hunt.json (run through run.sh). Each test is one
// thing a player would notice; each team has its own name so tests do not depend on
// each other's order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, noProblems, axe, shot, apiTeam, placeCodes, waitText, until, HUNT, BASE } from './lib.mjs';

const SOON = 'browser-soon'; // freezes and ends while the tests run (see run.sh)
let browser;
let codes;
let late; // a team in SOON that scored before the freeze
before(async () => {
  browser = await launch();
  codes = placeCodes();
  for (const p of ['rathaus', 'brunnen', 'turm']) assert.ok(codes[p] && codes[p].token, 'qr code for ' + p);
  late = await apiTeam('Spätzünder', SOON);
  const r = await late.call('POST', '/puzzles/stufen/answer', { answer: '42', client_id: 'late-1', made_at: new Date().toISOString() });
  assert.equal(r.body && r.body.correct, true);
});
after(async () => { await browser?.close(); });

const card = (id) => `#pz-${id}`;

async function answer(page, id, text) {
  await page.fill(`${card(id)} input[data-role="answer"]`, text);
  await page.click(`${card(id)} button[data-role="submit"]`);
}

async function createTeam(page, name) {
  await page.fill('#team-name', name);
  await page.click('#form-create button[type="submit"]');
}

async function score(page) {
  const s = await page.locator('#my-score').textContent();
  return parseInt(s, 10);
}

test('a team joins, answers right and wrong, takes a hint, scans by URL and by short code, sees its rank change', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const rivals = await apiTeam('Rivalen ' + Date.now());

  await page.goto('/');
  await page.waitForSelector('#screen-hunts:not([hidden])');
  await waitText(page, '#hunt-list', /Rallye kurz vor Schluss/);
  await shot(page, '00-hunts');
  await axe(page, 'hunt list');
  await page.click('#hunt-list button >> text=Testrallye im Browser');
  await page.waitForSelector('#screen-join:not([hidden])');
  await waitText(page, '#join-h', /Testrallye im Browser/);
  await shot(page, '01-join');
  await axe(page, 'join');

  await createTeam(page, 'Die Füchse');
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#team-line', /^Die Füchse$/);
  await waitText(page, `${card('kaiser')} h3`, /Der Kaiser/);
  await waitText(page, '#my-score', /^0 Punkte$/);
  assert.equal(await page.locator(`${card('wappen')} .badge`).textContent(), 'gesperrt');
  await waitText(page, `${card('zukunft')}`, /Öffnet am .*2099/);
  await shot(page, '02-clues');
  await axe(page, 'clues');

  // wrong, then partial (a keep-going message, not counted wrong)
  await answer(page, 'kaiser', 'Karl der Große');
  await waitText(page, `${card('kaiser')}-fb`, /\S/);
  assert.match(await page.locator(`${card('kaiser')}-fb`).getAttribute('class'), /error/);
  await answer(page, 'kaiser', 'friedrich');
  await waitText(page, `${card('kaiser')}-fb`, /Welcher Friedrich\?/);
  assert.match(await page.locator(`${card('kaiser')}-fb`).getAttribute('class'), /partial/);

  // a hint, confirmed first
  await page.click(`${card('kaiser')} button[data-role="hint"]`);
  await page.waitForSelector('#confirm[open]');
  assert.equal(await page.locator("#confirm-text").textContent(), "Hinweis kostet 3 Punkte – anzeigen?");
  await shot(page, '03-hint-confirm', { fullPage: false });
  await axe(page, 'hint dialog');
  await page.click('#confirm-yes');
  await waitText(page, `${card('kaiser')} .hints`, /Rotbart auf Italienisch/);

  // right: 10 points minus the hint's 3
  await answer(page, 'kaiser', '  BARBAROSSA! ');
  await waitText(page, `${card('kaiser')}-fb`, /Richtig! \+7 Punkte/);
  await waitText(page, '#my-score', /^7 Punkte$/);
  await waitText(page, `${card('kaiser')} .badge`, /gelöst/);

  // number with a decimal comma, a choice as a button
  await answer(page, 'stufen', '42,0');
  await waitText(page, `${card('stufen')}-fb`, /Richtig! \+8 Punkte/);
  await page.click(`${card('farbe')} button.choice >> text=gruen`);
  await waitText(page, `${card('farbe')}-fb`, /Richtig! \+4 Punkte/);
  await waitText(page, '#my-score', /^19 Punkte$/);
  await waitText(page, '#my-rank', /^Platz 1 von \d+ Teams$/);

  // a poster's QR code opens /s/<token>: the scan is recorded, the address cleaned
  await page.goto('/s/' + codes.rathaus.token);
  await waitText(page, '#scan-msg', /Code von „Rathaus“ erkannt/);
  await waitText(page, '#scan-msg', /Gelöst: Das Rathaus/);
  await waitText(page, '#scan-msg', /Das Wappen/); // unlocked
  assert.equal(new URL(page.url()).pathname, '/');
  await waitText(page, `${card('find-rathaus')} .badge`, /gelöst/);
  await waitText(page, `${card('wappen')} .badge`, /offen/);
  await waitText(page, '#my-score', /^24 Punkte$/);

  // the printed short code, typed in lower case without the dash
  await page.fill('#scan-code', codes.brunnen.short.toLowerCase().replace('-', ''));
  await page.click('#form-scan button[type="submit"]');
  await waitText(page, '#scan-msg', /Code von „Brunnen“ erkannt/);
  await waitText(page, '#my-score', /^29 Punkte$/);

  // a forged code
  await page.fill('#scan-code', 'ZZZZ-ZZZZ');
  await page.click('#form-scan button[type="submit"]');
  await waitText(page, '#scan-msg', /kennen wir nicht/);

  // the rivals overtake: the rank changes live, without reloading
  await page.click('#tab-board');
  await waitText(page, '#board-body', /Die Füchse/);
  await waitText(page, '#board-body tr.me', /Die Füchse/);
  // score and rank come on the event stream: no /me request per change
  let meRequests = 0;
  const countMe = (req) => { if (new URL(req.url()).pathname.endsWith('/me')) meRequests++; };
  page.on('request', countMe);
  for (const [p, a] of [['kaiser', 'Barbarossa'], ['stufen', '42'], ['farbe', 'gruen'], ['fluss', 'Lauter']]) {
    const r = await rivals.call('POST', `/puzzles/${p}/answer`, { answer: a, client_id: 'r-' + p, made_at: new Date().toISOString() });
    assert.equal(r.status, 200);
  }
  for (const pl of ['rathaus', 'brunnen', 'turm']) {
    const r = await rivals.call('POST', '/scan', { code: codes[pl].token, client_id: 'r-' + pl, made_at: new Date().toISOString() });
    assert.equal(r.status, 200);
  }
  await waitText(page, '#my-rank', /^Platz 2 von \d+ Teams$/, 15000);
  await waitText(page, '#board-body tr:first-child', /Rivalen/);
  page.off('request', countMe);
  assert.equal(meRequests, 0);
  await shot(page, '04-board');
  await axe(page, 'leaderboard');

  await page.click('#tab-team');
  await waitText(page, '#my-join-code', /^[A-Z0-9]{4}-?[A-Z0-9]{4}$/);
  await until(() => page.evaluate(() => { const i = document.getElementById('join-qr'); return i.complete && i.naturalWidth > 0; }), 'join QR image');
  await shot(page, '05-team');
  await axe(page, 'team');
  noProblems(ctx);
  await ctx.close();
});

test('a second phone joins the same team by QR link and a third by typed code; taken names and bad codes are explained', async () => {
  const a = await phone(browser);
  const pa = await a.newPage();
  await pa.goto('/?hunt=' + HUNT);
  await createTeam(pa, 'Eulen');
  await pa.waitForSelector('#screen-play:not([hidden])');
  await answer(pa, 'stufen', '42');
  await waitText(pa, '#my-score', /^8 Punkte$/);
  await pa.click('#tab-team');
  const code = (await waitText(pa, '#my-join-code', /\S/)).trim();

  // scanning the QR on the first phone opens /?hunt=…&join=CODE
  const b = await phone(browser, { locale: 'en-US' });
  const pb = await b.newPage();
  await pb.goto(`/?hunt=${HUNT}&join=${encodeURIComponent(code)}`);
  await pb.waitForSelector('#screen-play:not([hidden])');
  await waitText(pb, '#team-line', /^Eulen$/);
  await waitText(pb, '#my-score', /^8 points$/); // English phone
  await waitText(pb, `${card('stufen')} .badge`, /solved/);
  assert.ok(!new URL(pb.url()).searchParams.has('join'), 'join code removed from the address');

  // third phone: a taken name, a bad code, then the right code typed
  const c = await phone(browser);
  const pc = await c.newPage();
  await pc.goto('/?hunt=' + HUNT);
  await createTeam(pc, 'eulen');
  await waitText(pc, '#create-msg', /gibt es schon/);
  await pc.fill('#join-code', 'AAAA-AAAA');
  await pc.click('#form-join button[type="submit"]');
  await waitText(pc, '#join-msg', /kennen wir nicht/);
  await shot(pc, '06-join-errors');
  await axe(pc, 'join errors');
  await pc.fill('#join-code', code.toLowerCase());
  await pc.click('#form-join button[type="submit"]');
  await waitText(pc, '#team-line', /^Eulen$/);

  // what one phone solves, the others see
  await answer(pc, 'fluss', 'Lauter');
  await waitText(pc, '#my-score', /^15 Punkte$/);
  await pb.reload();
  await waitText(pb, '#my-score', /^15 points$/);
  for (const x of [a, b, c]) { noProblems(x); await x.close(); }
});

test('a poster scanned by a phone without a team: join first, then the scan counts', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/s/' + codes.turm.token);
  await page.waitForSelector('#screen-join:not([hidden])');
  await waitText(page, '#join-h', /Testrallye im Browser/);
  await waitText(page, '#join-scan-note', /gescannte Code wird gesendet/);
  assert.equal(new URL(page.url()).pathname, '/');
  await shot(page, '07-scan-before-join');
  await axe(page, 'scan before join');
  await createTeam(page, 'Turmfalken');
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#scan-msg', /Code von „Stiftsturm“ erkannt/);
  await waitText(page, `${card('find-turm')} .badge`, /gelöst/);
  await waitText(page, '#my-score', /^5 Punkte$/);
  noProblems(ctx);
  await ctx.close();
});

test('offline: an answer and scans are queued and shown pending, sync when back online, and a replay counts once', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await createTeam(page, 'Funklöcher');
  await page.waitForSelector('#screen-play:not([hidden])');
  // the service worker installs (it fetches the shell); a failed install would leave
  // `ready` pending forever, so say so instead of hanging
  assert.equal(await page.evaluate(() => Promise.race([navigator.serviceWorker.ready.then(() => 'ready'),
    new Promise((r) => setTimeout(() => r('service worker not ready after 20 s'), 20000))])), 'ready');
  await until(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'service worker in control');
  await waitText(page, `${card('fluss')} h3`, /Der Fluss/);
  // the app fetches its data again through the worker once it is in control; the
  // score shown offline below is that copy
  await until(() => page.evaluate((h) => caches.match(`/api/hunts/${h}/me`, { ignoreVary: true })
    .then(Boolean), HUNT), 'the team\'s /me kept by the service worker');

  await ctx.setOffline(true);
  await answer(page, 'fluss', 'Lauter');
  await waitText(page, '#pending-list', /Der Fluss: „Lauter“/);
  await waitText(page, `${card('fluss')} .pending-line`, /Lauter/);
  await page.fill('#scan-code', codes.turm.short);
  await page.click('#form-scan button[type="submit"]');
  await waitText(page, '#scan-msg', /gespeichert/);
  assert.equal(await page.locator('#offline').isVisible(), true, 'offline banner');

  // a poster scanned while offline: the service worker serves the app, which queues it
  await page.goto('/s/' + codes.brunnen.token);
  await page.waitForSelector('#screen-play:not([hidden])');
  await until(async () => (await page.locator('#pending-list li').count()) === 3, 'three pending items');
  await waitText(page, '#my-score', /^0 Punkte$/); // cached
  await shot(page, '08-offline-pending');
  await axe(page, 'offline');
  const queued = await page.evaluate(() => localStorage.getItem('spur.outbox'));
  assert.equal(JSON.parse(queued).length, 3);
  for (const it of JSON.parse(queued)) {
    assert.match(it.client_id, /^[A-Za-z0-9_-]{1,64}$/);
    assert.match(it.made_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }

  await ctx.setOffline(false);
  await page.waitForSelector('#pending-box', { state: 'hidden', timeout: 30000 });
  await waitText(page, '#my-score', /^17 Punkte$/, 15000); // 7 + 5 + 5
  await waitText(page, `${card('fluss')} .badge`, /gelöst/);
  await waitText(page, `${card('find-turm')} .badge`, /gelöst/);
  await waitText(page, `${card('find-brunnen')} .badge`, /gelöst/);

  // the same three items sent again (a response lost on the way): counted once
  await page.evaluate((q) => localStorage.setItem('spur.outbox', q), queued);
  await page.reload();
  await until(() => page.evaluate(() => JSON.parse(localStorage.getItem('spur.outbox') || '[]').length === 0), 'outbox emptied');
  const me = await page.evaluate(async (h) => {
    const tok = JSON.parse(localStorage.getItem('spur.team.' + h)).token;
    const r = await fetch(`/api/hunts/${h}/me`, { headers: { Authorization: 'Bearer ' + tok }, cache: 'no-store' });
    return r.json();
  }, HUNT);
  assert.equal(me.score, 17);
  await waitText(page, '#my-score', /^17 Punkte$/);
  noProblems(ctx);
  await ctx.close();
});

test('too many wrong guesses: a countdown, the button disabled, the guess kept', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await createTeam(page, 'Ratefüchse');
  await page.waitForSelector('#screen-play:not([hidden])');
  const fb = `${card('fluss')}-fb`;
  for (const guess of ['Rhein', 'Main', 'Mosel', 'Saar']) {
    await answer(page, 'fluss', guess);
    await waitText(page, fb, /\S/);
    await page.evaluate((sel) => { document.querySelector(sel).textContent = ''; }, fb);
  }
  await answer(page, 'fluss', 'Nahe'); // over the hunt's guess_limit of 4 a minute
  const first = await waitText(page, fb, /Zu viele Versuche\. Nächster Versuch in \d+ s\./);
  assert.equal(await page.locator(`${card('fluss')} button[data-role="submit"]`).isDisabled(), true);
  assert.equal(await page.inputValue(`${card('fluss')} input[data-role="answer"]`), 'Nahe', 'the guess is kept');
  await page.waitForTimeout(2100);
  const later = await page.locator(fb).textContent();
  assert.ok(parseInt(later.match(/\d+/)[0], 10) < parseInt(first.match(/\d+/)[0], 10), `counts down: ${first} → ${later}`);
  await shot(page, '09-rate-limited');
  await axe(page, 'rate limited');
  noProblems(ctx);
  await ctx.close();
});

test('a team named like HTML shows as text, never as markup', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await createTeam(page, evil);
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#team-line', /^<img src=x onerror=alert\(1\)>$/);
  await page.click('#tab-board');
  await until(async () => (await page.locator('#board-body .tname', { hasText: evil }).count()) === 1, 'evil name on the board');
  assert.equal(await page.locator('#board-body img, #team-line img, main img:not(#join-qr)').count(), 0);
  await shot(page, '10-html-name');
  noProblems(ctx);
  await ctx.close();
});

test('English is chosen from the browser, the switch works and is remembered; another hunt can be chosen', async () => {
  const ctx = await phone(browser, { locale: 'en-GB' });
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await waitText(page, '#form-create h2', /Start a new team/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await createTeam(page, 'Night Owls');
  await waitText(page, '#tab-clues', /^Clues$/);
  await waitText(page, `${card('kaiser')} .badge`, /^open$/);
  await shot(page, '11-clues-en');
  await axe(page, 'clues en');
  await page.click('#lang-switch');
  await waitText(page, '#tab-clues', /^Rätsel$/);
  await waitText(page, `${card('kaiser')} .badge`, /^offen$/);
  await page.reload();
  await waitText(page, '#tab-board', /^Rangliste$/);
  assert.equal(await page.getAttribute('html', 'lang'), 'de');

  await page.click('#tab-team');
  await page.click('#btn-other-hunt-2');
  await page.waitForSelector('#screen-hunts:not([hidden])');
  await waitText(page, '#hunt-list', /Testrallye im Browser/);
  noProblems(ctx);
  await ctx.close();
});

test('the first load is small and the app sends its own CSP-safe markup', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  // Every response of the page and of its service worker (which fetches the app
  // shell at install), headers and body as transferred.
  const sizes = [];
  // (sizes() of a request can stay pending, seen with the service worker's fetches
  // under load: a size not known within 5 s counts as unknown, not as a hang)
  ctx.on('requestfinished', (req) => sizes.push(Promise.race([
    req.sizes().then((z) => ({ url: req.url(), sw: Boolean(req.serviceWorker()), bytes: z.responseHeadersSize + z.responseBodySize })),
    new Promise((r) => setTimeout(() => r({ url: req.url(), sw: Boolean(req.serviceWorker()), bytes: 0, unknown: true }), 5000))])));
  await page.goto('/?hunt=' + HUNT);
  await page.waitForSelector('#screen-join:not([hidden])');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(500);
  const all = await Promise.all(sizes);
  assert.ok(all.filter((x) => x.unknown).length <= 2, 'the sizes of almost every response are known');
  const bytes = all.reduce((n, x) => n + x.bytes, 0);
  const sw = all.filter((x) => x.sw).reduce((n, x) => n + x.bytes, 0);
  if (process.env.SPUR_WEIGHT_DETAIL) for (const x of all) console.log(`# ${x.bytes}\t${x.sw ? "sw " : ""}${x.url}`);
  console.log(`# first load: ${bytes} bytes transferred in ${all.length} responses (${sw} of them by the service worker)`);
  assert.ok(bytes > 0 && bytes < 100 * 1024, `first load ${bytes} bytes < 100 KB`);
  const html = await (await fetch(BASE + '/')).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
  assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');
  noProblems(ctx);
  await ctx.close();
});

test('a scan ahead of time is kept and counts once the puzzle opens; solved cards show the points earned', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await createTeam(page, 'Torwächter');
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, `${card('tor')} .badge`, /gesperrt/);

  // at the gate before its puzzle opened (it needs "Das Wappen"): kept, and said so
  await page.fill('#scan-code', codes.stadttor.short);
  await page.click('#form-scan button[type="submit"]');
  await waitText(page, '#scan-msg', /Code von „Stadttor“ erkannt\. Gespeichert: „Das Stadttor“ zählt, sobald die Aufgabe freigeschaltet ist\./);
  await waitText(page, `${card('tor')} .ahead`, /schon gescannt – zählt, sobald die Aufgabe freigeschaltet ist/);
  assert.equal(await page.locator(`${card('tor')} .badge`).textContent(), 'gesperrt');
  await page.locator(card('tor')).scrollIntoViewIfNeeded();
  await shot(page, '20-scanned-ahead');
  await axe(page, 'scanned ahead');

  // the way there: Rathaus opens Das Wappen; its answer opens the gate, which counts at once
  await page.fill('#scan-code', codes.rathaus.short);
  await page.click('#form-scan button[type="submit"]');
  await waitText(page, `${card('wappen')} .badge`, /offen/);
  await answer(page, 'wappen', 'Fisch');
  await waitText(page, `${card('tor')} .badge`, /gelöst/);
  await waitText(page, `${card('tor')} .pz-meta`, /^\+4 Punkte erhalten$/);
  assert.equal(await page.locator(`${card('tor')} .ahead`).count(), 0);
  await waitText(page, `${card('wappen')} .pz-meta`, /^\+6 Punkte erhalten$/);
  await waitText(page, '#my-score', /^15 Punkte$/); // 5 + 6 + 4
  // after a hint a card says what is left of the points
  await page.click(`${card('kaiser')} button[data-role="hint"]`);
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-yes');
  await waitText(page, `${card('kaiser')} .hints`, /\S/);
  await answer(page, 'kaiser', 'Barbarossa');
  await waitText(page, `${card('kaiser')} .pz-meta`, /^\+7 von 10 Punkten erhalten \(Hinweise abgezogen\)$/);
  await page.locator(card('wappen')).scrollIntoViewIfNeeded();
  await shot(page, '21-solved-cards');
  await axe(page, 'solved cards');
  noProblems(ctx);
  await ctx.close();
});

test("a teammate's solve shows on the other phone's clue list at once", async () => {
  const ctx1 = await phone(browser);
  const ctx2 = await phone(browser);
  const one = await ctx1.newPage();
  const two = await ctx2.newPage();
  await one.goto('/?hunt=' + HUNT);
  await createTeam(one, 'Zwei Handys');
  await one.waitForSelector('#screen-play:not([hidden])');
  const code = await one.evaluate((h) => JSON.parse(localStorage.getItem('spur.team.' + h)).team.join_code, HUNT);
  await two.goto(`/?hunt=${HUNT}&join=${encodeURIComponent(code)}`);
  await two.waitForSelector('#screen-play:not([hidden])');
  await waitText(two, '#team-line', /^Zwei Handys$/);
  await waitText(two, `${card('stufen')} .badge`, /offen/);
  await two.evaluate(() => { window.stillThisPage = true; });

  await answer(one, 'stufen', '42');
  await waitText(one, `${card('stufen')} .badge`, /gelöst/);
  // the other phone: no reload, no tap, well before its one-minute refresh
  await waitText(two, `${card('stufen')} .badge`, /gelöst/, 4000);
  await waitText(two, `${card('stufen')} .pz-meta`, /^\+8 Punkte erhalten$/);
  await waitText(two, '#my-score', /^8 Punkte$/);
  assert.equal(await two.evaluate(() => window.stillThisPage), true, 'the same page, not reloaded');
  noProblems(ctx1);
  noProblems(ctx2);
  await ctx1.close();
  await ctx2.close();
});

test('a team name may have 32 characters as the server counts them, emoji families included', async () => {
  const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // five code points, eight UTF-16 units
  const ok = 'Fam ' + FAMILY.repeat(5) + ' AB'; // 32 code points
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.waitForSelector('#screen-join:not([hidden])');
  assert.equal(await page.locator('#team-name').getAttribute('maxlength'), null, 'no limit in UTF-16 units');
  let created = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/teams')) created++; });
  await page.fill('#team-name', ok + 'C');
  await waitText(page, '#create-msg', /Der Name ist 33 Zeichen lang; erlaubt sind 32\. Ein Emoji zählt oft als 2 oder mehr Zeichen\./);
  await page.click('#form-create button[type="submit"]');
  assert.equal(await page.locator('#team-name').getAttribute('aria-invalid'), 'true');
  assert.equal(created, 0, 'not sent');
  await page.fill('#team-name', ok);
  await until(async () => (await page.locator('#create-msg').textContent()) === '', 'message gone');
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#team-line', new RegExp('^' + ok + '$', 'u'));
  noProblems(ctx);
  await ctx.close();
});

test('deadline: the freeze and the end are explained, answering and scanning stop', async () => {
  const ctx = await phone(browser);
  await ctx.addInitScript(([h, v]) => { try { localStorage.setItem('spur.team.' + h, v); } catch { /* about:blank */ } },
    [SOON, JSON.stringify({ team: late.team, token: late.token })]);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + SOON);
  await page.waitForSelector('#screen-play:not([hidden])');
  await waitText(page, '#team-line', /^Spätzünder$/);
  await waitText(page, '#my-rank', /^Platz 1 von 1 Team$/); // not "1 Teams"
  const info = await (await fetch(`${BASE}/api/hunts/${SOON}`)).json();
  if (Date.now() < Date.parse(info.freeze_at) - 2000) {
    await waitText(page, '#clock', /Rangliste friert in .* ein/);
    await waitText(page, '#state-note', /Endspurt.*eingefroren/, 40000);
    await page.click('#tab-board');
    await waitText(page, '#board-state', /Eingefroren/, 5000);
    await page.click('#tab-clues');
    await shot(page, '12-frozen');
  }
  await waitText(page, '#state-note', /Die Rallye ist vorbei/, 50000);
  assert.equal(await page.locator('#form-scan').isVisible(), false, 'no scanning after the end');
  await until(async () => (await page.locator('#puzzle-list form.answer').count()) === 0, 'answer forms gone');
  await page.click('#tab-board');
  await waitText(page, '#board-state', /Endstand/, 10000);
  await waitText(page, '#board-body tr.me', /Spätzünder/);
  await shot(page, '13-over-board');
  await axe(page, 'over');
  noProblems(ctx);
  await ctx.close();
});

test('at the draw, the winning team with the app open sees its prize and claim code', async () => {
  const ctx = await phone(browser);
  await ctx.addInitScript(([h, v]) => { try { localStorage.setItem('spur.team.' + h, v); } catch { /* about:blank */ } },
    [SOON, JSON.stringify({ team: late.team, token: late.token })]);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + SOON);
  await page.click('#tab-team');
  await waitText(page, '#team-name-show', /Spätzünder/);
  await until(async () => /^spur_event_streams 1$/m.test(await (await fetch(BASE + '/metrics')).text()),
    'the app\'s live stream is open'); // the only page open now
  assert.equal(await page.locator('#prize-box').isVisible(), false);
  // staff draw now, on the stage: the open app hears of it on its event stream
  const r = await fetch(`${BASE}/api/admin/hunts/${SOON}/draw`, {
    method: 'POST', body: JSON.stringify({ prize: 'urkunde' }),
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + process.env.SPUR_ADMIN_TOKEN },
  });
  assert.ok(r.status === 200 || r.status === 201, 'draw: ' + r.status);
  await waitText(page, '#toast', /Ausgelost: Ihr habt „Urkunde“ gewonnen!/, 5000);
  await waitText(page, '#prize-list', /Urkunde – gewonnen!/, 5000);
  await waitText(page, '#prize-list .claim', /Abholcode.*[A-Z0-9]{4}-[A-Z0-9]{4}/);
  assert.equal(await page.locator('#invite').isVisible(), false, 'no invitation after the end');
  await shot(page, '14-over-team');
  await axe(page, 'prizes');
  noProblems(ctx);
  await ctx.close();
});

// The staff console's work for a real event, in real Chromium at a phone's 360 px:
// team moderation (rename, hide, exclude with a reason) with the staff log, a test
// run that opens the participants' app as a new test team, deleting test teams, and
// the prize hand-over desk (claim code typed, "ausgegeben" once, release to the next
// reserve). Self-contained: its own spurd on a free port with a fresh database, a
// running hunt and one that ends a few seconds after the start, whose prizes are
// drawn while the tests run; the other teams play through the API.
//   SPUR_BUILD=build node --test tests/browser/staff-desk.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/staff-teams-360.png, staff-desk-360.png, ...
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUILD, iso, sleep, startSpurd } from './spurd.mjs';

const TOKEN = 'staff-desk-test-token';
const HUNT = 'desk-test';
const OVER = 'desk-over';
const STAFF = 'Jürgen Amt'; // not ASCII: the header must arrive as UTF-8
const ENDS_IN = 6; // seconds, the hunt whose prizes are handed out

let srv, base, lib, browser, overEnds;
const ids = {};    // team name -> id (the running hunt)
const over = {};   // team name -> {id, token} (the hunt that ends)

async function call(method, path, body, token, headers = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
}

const boardNames = async (hunt = HUNT) => (await call('GET', `/api/hunts/${hunt}/leaderboard`)).body.teams.map((t) => t.name);

function huntJson(id, title, startsAt, endsAt) {
  return {
    id, title, starts_at: iso(startsAt), ends_at: iso(endsAt), late_sync_grace: 0,
    places: [{ id: 'rathaus', name: 'Rathaus' }],
    puzzles: [
      { id: 'tor', title: 'Das Tor', kind: 'scan', place: 'rathaus', points: 5 },
      { id: 'stufen', title: 'Stufen', clue: 'Wie viele Stufen hat die Treppe?', points: 8, answer: { number: 42, tolerance: 0 } },
    ],
  };
}

before(async () => {
  const now = Date.now();
  overEnds = Math.ceil((now + ENDS_IN * 1000) / 1000) * 1000;
  const running = huntJson(HUNT, 'Stadtrallye Kaiserslautern', now - 3600e3, now + 3 * 3600e3);
  const ending = {
    ...huntJson(OVER, 'Rallye mit Preisen', now - 3600e3, overEnds),
    contact: { ask: 'optional', label: 'E-Mail oder Telefon für den Gewinnfall', privacy: 'Nur für die Benachrichtigung.' },
    prizes: [
      { id: 'paket', name: 'Kaiserslautern-Paket', count: 1, reserves: 1, eligible: 'all' },
      { id: 'buch', name: 'Stadtbuch', count: 1, reserves: 1, eligible: 'all' },
    ],
  };
  srv = await startSpurd({ hunts: [running, ending], name: 'desk', env: { SPUR_ADMIN_TOKEN: TOKEN } });
  base = srv.base;
  for (const [name, solve] of [['Füchse', true], ['0171 1234567', true], ['Eulen', false]]) {
    const r = await call('POST', `/api/hunts/${HUNT}/teams`, { name });
    assert.equal(r.status, 201);
    ids[name] = r.body.team.id;
    if (solve) assert.equal((await call('POST', `/api/hunts/${HUNT}/puzzles/stufen/answer`, { answer: '42' }, r.body.token)).body.correct, true);
  }
  for (const [name, contact] of [['Adler', 'adler@example.org'], ['Biber', '+49 631 555 0101'], ['Dachse', 'dachse@example.org']]) {
    const r = await call('POST', `/api/hunts/${OVER}/teams`, { name });
    assert.equal(r.status, 201);
    over[name] = { id: r.body.team.id, token: r.body.token, contact };
    assert.equal((await call('POST', `/api/hunts/${OVER}/puzzles/stufen/answer`, { answer: '42' }, r.body.token)).body.correct, true);
    assert.equal((await call('PUT', `/api/hunts/${OVER}/me/contact`, { contact, consent: true }, r.body.token)).status, 200);
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

// A staff phone signed in to the console of `hunt`.
async function console360(ctx, hunt) {
  const page = await ctx.newPage();
  await page.goto(`/staff/index.html?hunt=${hunt}`);
  await page.waitForSelector('#login:not([hidden]), #console:not([hidden])');
  if (await page.isVisible('#login')) {
    await page.fill('#token', TOKEN);
    await page.click('#login-form button[type="submit"]');
  }
  await page.waitForSelector('#console:not([hidden])');
  return page;
}

const row = (page, name) => page.locator('#teams-list li.team', { has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });

let ctx; // one staff phone for the whole file: the name is asked once

test('staff rename, hide and exclude teams; the public board and the staff log follow', async () => {
  ctx = await lib.phone(browser);
  const page = await console360(ctx, HUNT);
  assert.match(await page.textContent('#console-h'), /Staff-Konsole\s+Stadtrallye Kaiserslautern/);
  // asked once who is working: the name box is open after signing in
  await page.waitForSelector('#who:not([hidden])');
  assert.equal(await page.isHidden('#who-cancel'), true, 'a first name cannot be skipped');

  await page.waitForFunction(() => document.querySelectorAll('#teams-list li.team').length === 3);
  assert.match(await page.textContent('#teams-info'), /^3 Teams, 1–3 angezeigt$/);
  await lib.shot(page, 'staff-top-360', { fullPage: false });
  const bad = row(page, '0171 1234567');
  assert.match(await bad.locator('.meta').textContent(), /^8 P\. · 1 gelöst · 1 Handy · angemeldet \d\d\.\d\d\.\d{4}, \d\d:\d\d · #\d+$/);
  assert.ok((await boardNames()).includes('0171 1234567'));

  // rename: a name that is taken gets the server's words; then a free one
  await bad.locator('[data-act="rename"]').click();
  const input = bad.locator('.edit input');
  assert.equal(await input.evaluate((e) => e === document.activeElement), true, 'the name field has the focus');
  await input.fill('füchse');
  await input.press('Enter');
  // no name yet: the change waits for it, then goes on by itself
  await lib.waitText(page, '#who-msg', /^Bitte zuerst deinen Namen eintragen/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'who-name');
  await page.fill('#who-name', STAFF);
  await page.press('#who-name', 'Enter');
  await page.waitForSelector('#who', { state: 'hidden' });
  assert.equal(await page.textContent('#who-shown'), STAFF);
  await lib.waitText(page, `#teams-list li[data-id="${ids['0171 1234567']}"] .err`, /^Ein Team mit diesem Namen gibt es schon\.$/);
  await input.fill('Team Drei');
  await input.press('Enter');
  const drei = row(page, 'Team Drei');
  await drei.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.dataset.act), 'rename', 'focus back on the row\'s rename button');
  assert.deepEqual(await boardNames(), ['Füchse', 'Team Drei', 'Eulen']);
  await lib.waitText(page, '#board', /Team Drei/);

  // hide: off the public board (the console's board too, pushed), badge in the list
  await drei.locator('[data-act="hide"]').click();
  await drei.locator('.badge.hidden').waitFor();
  assert.equal(await drei.locator('[data-act="hide"]').textContent(), 'Wieder zeigen');
  assert.deepEqual(await boardNames(), ['Füchse', 'Eulen']);
  await page.waitForFunction(() => !/Team Drei/.test(document.querySelector('#board').textContent));

  // exclude: a reason is required (an empty one is not sent)
  const eulen = row(page, 'Eulen');
  await eulen.locator('[data-act="exclude"]').click();
  await eulen.locator('.edit button[type="submit"]').click();
  assert.equal(await eulen.locator('.badge.excluded').count(), 0);
  await eulen.locator('.edit input').fill('doppelt angemeldet');
  await eulen.locator('.edit button[type="submit"]').click();
  await eulen.locator('.badge.excluded').waitFor();
  assert.equal(await eulen.locator('.reason').textContent(), 'Grund: doppelt angemeldet');
  const listed = await call('GET', `/api/admin/hunts/${HUNT}/teams`, undefined, TOKEN);
  const e = listed.body.teams.find((t) => t.name === 'Eulen');
  assert.deepEqual([e.excluded, e.reason, e.hidden], [true, 'doppelt angemeldet', false]);
  assert.ok((await boardNames()).includes('Eulen'), 'excluded teams stay on the board');

  // the staff log: who (in UTF-8), what, which team, newest first
  await page.waitForFunction(() => document.querySelectorAll('#log-rows tr').length === 3);
  const first = await page.locator('#log-rows tr').first().locator('td').allTextContents();
  assert.match(first[0], /^\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d/);
  assert.deepEqual(first.slice(1), [STAFF, '127.0.0.1', 'Team geändert', `Eulen (#${ids.Eulen})`, 'sichtbar · ausgeschlossen: doppelt angemeldet']);
  const last = await page.locator('#log-rows tr').last().locator('td').allTextContents();
  assert.equal(last[5], 'umbenannt: „0171 1234567“ → „Team Drei“ · sichtbar · in der Verlosung');
  const log = await call('GET', `/api/admin/hunts/${HUNT}/log`, undefined, TOKEN);
  assert.deepEqual(log.body.entries.map((x) => x.who), [STAFF, STAFF, STAFF]);

  // a search narrows the list
  await page.fill('#teams-q', 'füch');
  await page.press('#teams-q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#teams-list li.team').length === 1);
  assert.equal(await page.textContent('#teams-list .name'), 'Füchse');
  await page.fill('#teams-q', 'niemand');
  await page.press('#teams-q', 'Enter');
  await lib.waitText(page, '#teams-info', /^Kein Team passt zu „niemand“\.$/);
  await page.fill('#teams-q', '');
  await page.press('#teams-q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#teams-list li.team').length === 3);

  await page.locator('#teams-card').scrollIntoViewIfNeeded();
  await lib.axe(page, 'staff teams');
  await page.locator('#teams-card').screenshot({ path: join(process.env.SPUR_SHOTS, 'staff-teams-360.png') });
  await page.locator('.log').screenshot({ path: join(process.env.SPUR_SHOTS, 'staff-log-360.png') });

  // and back in: the reason goes
  await eulen.locator('[data-act="exclude"]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('#teams-list li.team')].every((li) => !li.querySelector('.badge.excluded')));
  lib.noProblems(ctx);
  await page.close();
});

test('Testlauf opens the app as a new test team; "Testteams löschen" removes it', async () => {
  const page = await console360(ctx, HUNT);
  await page.waitForFunction(() => document.querySelectorAll('#teams-list li.team').length === 3);
  const [app] = await Promise.all([ctx.waitForEvent('page'), page.click('#test-run')]);
  await lib.waitText(page, '#test-out', /^Testteam „Test \d\d:\d\d:\d\d“ angelegt/);
  const name = /„(Test [^“]+)“/.exec(await page.textContent('#test-out'))[1];
  await app.waitForLoadState();
  await app.waitForSelector('#screen-play:not([hidden])');
  await lib.waitText(app, '#team-line', new RegExp(`^${name}$`));
  assert.equal(new URL(app.url()).pathname + new URL(app.url()).search, `/?hunt=${HUNT}`, 'no token in the address');
  // the test team plays: an answer counts for it, never on the public board
  const me = await app.evaluate(async (h) => {
    const saved = JSON.parse(localStorage.getItem('spur.team.' + h));
    const r = await fetch(`/api/hunts/${h}/me`, { headers: { Authorization: 'Bearer ' + saved.token } });
    return r.json();
  }, HUNT);
  assert.equal(me.test, true);
  assert.equal(me.team.name, name);
  assert.ok(!(await boardNames()).includes(name));
  await row(page, name).locator('.badge.test').waitFor();

  // delete the test teams, after saying yes
  await page.click('#test-delete');
  const ask = page.locator('.testrun .confirm');
  await ask.waitFor();
  assert.match(await ask.textContent(), /Alle Testteams dieser Rallye samt Spielstand löschen\?/);
  await ask.locator('button', { hasText: 'Abbrechen' }).click();
  assert.equal(await ask.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'test-delete');
  await page.click('#test-delete');
  await ask.locator('button', { hasText: 'Ja, Testteams löschen' }).click();
  await lib.waitText(page, '#test-out', /^1 Testteam gelöscht\.$/);
  await page.waitForFunction(() => document.querySelectorAll('#teams-list li.team').length === 3);
  await lib.waitText(page, '#log-rows tr:first-child', /Testteams gelöscht/);
  assert.match(await page.textContent('#log-rows'), new RegExp(`Testteam angelegt.*${name}`));
  // the app's team is gone: it asks to found or join one again
  await app.reload();
  await app.waitForSelector('#screen-join:not([hidden])');
  await app.close();

  // a browser that plays as a real team is asked before the test run replaces it
  await page.evaluate(([h, id]) => localStorage.setItem('spur.team.' + h,
    JSON.stringify({ team: { id, name: 'Füchse', join_code: 'ABCD-EFGH' }, token: 'not-checked-here' })), [HUNT, ids['Füchse']]);
  await page.click('#test-run');
  await lib.waitText(page, '.testrun .confirm', /Dieser Browser spielt in der App schon als „Füchse“/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.testrun .confirm').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'test-run');
  assert.equal(ctx.pages().length, 1, 'no tab opened');
  lib.noProblems(ctx);
  await page.close();
});

test('the hand-over desk: a winner\'s code is handed out once, an unclaimed prize goes to the reserve', async () => {
  const wait = overEnds + 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  for (const prize of ['paket', 'buch']) {
    const r = await call('POST', `/api/admin/hunts/${OVER}/draw`, { prize }, TOKEN);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  const draws = (await call('GET', `/api/hunts/${OVER}/draw`)).body.draws;
  const byId = Object.fromEntries(Object.entries(over).map(([n, t]) => [t.id, { name: n, ...t }]));
  const codeOf = async (team, prize) => (await call('GET', `/api/hunts/${OVER}/me`, undefined, team.token)).body.prizes.find((p) => p.prize === prize).claim_code;
  const paket = draws.find((d) => d.prize === 'paket');
  const winner = byId[paket.winners[0]];
  const code = await codeOf(winner, 'paket');

  const page = await console360(ctx, OVER);
  assert.equal(await page.isVisible('#who'), false, 'the name is asked only once');
  await page.waitForFunction(() => document.querySelectorAll('#winners .entry').length === 4);
  // the winners list: in order, with codes and contacts (only here)
  const first = await page.locator('#winners .prize-w').first().locator('.entry').first().textContent();
  assert.match(first, new RegExp(`Gewinner 1 ${winner.name}Code ${code} · Kontakt: ${winner.contact.replace('+', '\\+')}wartet auf Abholung`));

  await page.locator('#desk').scrollIntoViewIfNeeded();
  await page.fill('#claim-code', code.toLowerCase());
  await page.press('#claim-code', 'Enter');
  await lib.waitText(page, '#claim-out', new RegExp(`^${winner.name} hat „Kaiserslautern-Paket“ gewonnen\\.$`));
  await page.waitForSelector('#handover:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'handover', 'the big button has the focus');
  await page.click('#handover');
  const handed = await lib.waitText(page, '#handover-out.ok', /^Ausgegeben: \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d \S+$/);
  await lib.waitText(page, '#winners .entry.redeemed .status', new RegExp(`^ausgegeben .* von ${STAFF}$`));
  await lib.axe(page, 'staff desk');
  await page.locator('#desk').screenshot({ path: join(process.env.SPUR_SHOTS, 'staff-desk-360.png') });
  // pressed again (or at the next desk): clearly not a second time
  await page.click('#handover');
  const again = await lib.waitText(page, '#handover-out.warn', /^Schon ausgegeben: .* von Jürgen Amt\. Nicht noch einmal aushändigen!$/);
  assert.equal(again.split(': ')[1].split(' von')[0], handed.split(': ')[1], 'the time of the first hand-over');
  await page.locator('#desk').screenshot({ path: join(process.env.SPUR_SHOTS, 'staff-desk-again-360.png') });
  // checked again later: said at once, no button
  await page.fill('#claim-code', code);
  await page.press('#claim-code', 'Enter');
  await lib.waitText(page, '#claim-state.warn', /^Schon ausgegeben: /);
  assert.equal(await page.isHidden('#handover'), true);

  // "Stadtbuch": its winner does not come; staff release it to the reserve, whose
  // code then works (and before, did not)
  const buch = draws.find((d) => d.prize === 'buch');
  const reserve = byId[buch.reserve_winners[0]];
  const rcode = await codeOf(reserve, 'buch');
  await page.fill('#claim-code', rcode);
  await page.press('#claim-code', 'Enter');
  await lib.waitText(page, '#claim-state.warn', /^Nachrücker, noch nicht dran/);
  assert.equal(await page.isHidden('#handover'), true);
  const buchBox = page.locator('#winners .prize-w', { has: page.locator('h4', { hasText: 'Stadtbuch' }) });
  await buchBox.locator('button', { hasText: 'Freigeben an Nachrücker' }).click();
  await buchBox.locator('.confirm button', { hasText: 'Ja, freigeben' }).click();
  await lib.waitText(page, '#handover-out.ok', /^„Stadtbuch“ freigegeben: der nächste Nachrücker kann abholen\.$/);
  await page.waitForFunction(() => [...document.querySelectorAll('#winners .prize-w')].some((p) =>
    /Stadtbuch/.test(p.textContent) && p.querySelector('.entry.released') && /wartet auf Abholung/.test(p.textContent)));
  await page.fill('#claim-code', rcode);
  await page.press('#claim-code', 'Enter');
  await lib.waitText(page, '#claim-out', new RegExp(`^${reserve.name} ist Nachrücker 1 für „Stadtbuch“\\.$`));
  await page.click('#handover');
  await lib.waitText(page, '#handover-out.ok', /^Ausgegeben: /);
  await page.waitForFunction(() => document.querySelectorAll('#log-rows tr').length === 5);
  const actions = await page.locator('#log-rows tr td:nth-child(4)').allTextContents();
  assert.deepEqual(actions, ['Preis ausgegeben', 'An Nachrücker freigegeben', 'Preis ausgegeben', 'Preis verlost', 'Preis verlost']);
  assert.match(await page.locator('#log-rows tr').first().textContent(), /Stadtbuch \(Nachrücker 1\)/);
  await page.screenshot({ path: join(process.env.SPUR_SHOTS, 'staff-desk-full-360.png'), fullPage: true });

  // English
  await page.click('#lang');
  assert.equal(await page.textContent('#claim-h'), 'Prize hand-over');
  assert.match(await page.textContent('#winners'), /Winner 1/);
  await page.click('#lang');
  lib.noProblems(ctx);
  await ctx.close();
});

test("a winner's phone shows a claim QR; scanned, it opens the staff desk with the code", async () => {
  const draws = (await call('GET', `/api/hunts/${OVER}/draw`)).body.draws;
  const paket = draws.find((d) => d.prize === 'paket');
  const [name, winner] = Object.entries(over).find(([, t]) => t.id === paket.winners[0]);
  const code = (await call('GET', `/api/hunts/${OVER}/me`, undefined, winner.token)).body.prizes.find((p) => p.prize === 'paket').claim_code;
  // the winner's phone: its cookie and stored team, as after joining
  const phone = await lib.phone(browser);
  await phone.addCookies([{ name: 'spur_token', value: winner.token, url: base }]);
  await phone.addInitScript(([h, v]) => { try { localStorage.setItem('spur.team.' + h, v); } catch { /* about:blank */ } },
    [OVER, JSON.stringify({ team: { id: winner.id, name }, token: winner.token })]);
  const app = await phone.newPage();
  await app.goto(`/?hunt=${OVER}`);
  await app.locator('#tab-team').click();
  const qr = app.locator('#prize-list img.claim-qr').first();
  await qr.waitFor();
  assert.equal(await qr.getAttribute('alt'), `QR-Code zum Abholen mit dem Abholcode ${code}: das Team vom Staff scannen lassen`);
  await app.waitForFunction(() => { const i = document.querySelector('#prize-list img.claim-qr'); return i && i.complete && i.naturalWidth > 0; });
  await app.locator('#prize-box').screenshot({ path: join(process.env.SPUR_SHOTS, 'claim-qr-360.png') });
  await phone.close();
  // what the QR holds (tests/api/test_staff.py decodes it): the console's desk with the code
  const staff = await lib.phone(browser);
  const page = await staff.newPage();
  await page.goto(`/staff/?hunt=${OVER}#claim=${code}`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#token', TOKEN);
  await page.click('#login-form button[type="submit"]');
  await page.waitForSelector('#console:not([hidden])');
  await lib.waitText(page, '#claim-out', new RegExp(`^${name} hat „Kaiserslautern-Paket“ gewonnen\\.$`));
  assert.equal(await page.inputValue('#claim-code'), code);
  assert.equal(new URL(page.url()).hash, '', 'the code leaves the address bar');
  await staff.close();
});

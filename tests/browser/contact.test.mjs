// The contact for a prize, with consent: offered after joining when the hunt asks for
// one, checked by the server (its message shown at the field), never sent without the
// consent box, never queued offline, "Kontakt hinterlegt · löschen" once given; offered
// again, prominently, when the team is drawn; never offered by a hunt that asks for
// none. Self-contained: its own spurd with three hunts, one of which ends while the
// tests run (for the draw).
//   SPUR_BUILD=build node --test tests/browser/contact.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { iso, sleep, startSpurd } from './spurd.mjs';

const ADMIN = 'contact-test-admin-token';
const LABEL = 'E-Mail oder Telefon für den Gewinnfall';
const PRIVACY = 'Die Stadt nutzt euren Kontakt nur, um euch bei einem Gewinn zu benachrichtigen.\n'
  + 'Er wird 30 Tage nach dem Ende gelöscht. Verantwortlich: Stadtverwaltung, Willy-Brandt-Platz 1.';
const END_IN = 9000; // ms until the prize hunt ends: room to make its team first (the first test)
let srv, browser, lib, prizeEnds;

function hunt(id, title, extra) {
  const now = Date.now();
  return {
    id, title, starts_at: iso(now - 3600e3), ends_at: iso(now + 30 * 86400e3), late_sync_grace: 0,
    puzzles: [{ id: 'baum', title: 'Der Baum', clue: 'Welcher Baum steht am Platz?', points: 3, answer: { accept: ['Linde'] } }],
    ...extra,
  };
}

before(async () => {
  prizeEnds = Math.floor((Date.now() + END_IN) / 1000) * 1000;
  const contact = { ask: 'optional', label: LABEL, privacy: PRIVACY };
  const prizes = [{ id: 'paket', name: 'Stadt-Paket', count: 1, reserves: 1, eligible: 'all' }];
  srv = await startSpurd({
    name: 'contact', env: { SPUR_ADMIN_TOKEN: ADMIN },
    hunts: [
      hunt('kontakt', 'Rallye mit Kontakt', { contact, purge_after_days: 30, prizes }),
      hunt('kontakt-preis', 'Rallye mit Verlosung', { contact, prizes, ends_at: iso(prizeEnds) }),
      hunt('ohne', 'Rallye ohne Kontakt', { prizes }),
    ],
  });
  process.env.SPUR_URL = srv.base; // lib.mjs reads it when first imported
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The phone's team token, as the app keeps it.
async function tokenOf(page, hunt) {
  return page.evaluate((h) => JSON.parse(localStorage.getItem('spur.team.' + h)).token, hunt);
}

async function me(page, hunt) {
  const r = await fetch(`${srv.base}/api/hunts/${hunt}/me`, { headers: { Authorization: 'Bearer ' + await tokenOf(page, hunt) } });
  assert.equal(r.status, 200);
  return r.json();
}

// PUT/DELETE requests to the contact endpoint, as the page sent them.
function contactRequests(page) {
  const seen = [];
  page.on('request', (r) => { if (r.url().endsWith('/me/contact')) seen.push(r.method()); });
  return seen;
}

test('a team that is drawn sees the offer prominently until it gives a contact', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=kontakt-preis');
  await page.fill('#team-name', 'Glückspilze');
  await page.click('#form-create button[type="submit"]');
  await page.locator('#contact-card').waitFor({ state: 'visible' });
  await page.click('#contact-later');
  await page.locator('#contact-card').waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-clues', 'focus goes on to the tabs');
  await page.fill('#pz-baum input[data-role="answer"]', 'Linde');
  await page.click('#pz-baum button[data-role="submit"]');
  await lib.waitText(page, '#my-score', /^3 Punkte$/);
  assert.ok(Date.now() < prizeEnds, 'the team played in time');

  // the end, then the draw while the app is open: the offer comes back, as a prize
  await sleep(Math.max(0, prizeEnds - Date.now()) + 1200);
  const r = await fetch(`${srv.base}/api/admin/hunts/kontakt-preis/draw`, {
    method: 'POST', body: JSON.stringify({ prize: 'paket' }),
    headers: { Authorization: 'Bearer ' + ADMIN, 'Content-Type': 'application/json', 'X-Staff-Name': 'Test' },
  });
  assert.equal(r.status, 200, await r.text());
  await lib.waitText(page, '#contact-h', /^Ihr habt gewonnen! Wie erreichen wir euch\?$/, 15000);
  assert.ok(await page.locator('#contact-card.won').isVisible());
  await lib.shot(page, 'contact-won');
  await lib.axe(page, 'contact after a win');

  // and at every start of the app while no contact is given
  await page.reload();
  await lib.waitText(page, '#contact-h', /^Ihr habt gewonnen!/);
  await page.fill('#contact-input', 'gewinner@example.org');
  await page.check('#contact-consent');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-done-msg', /^Gespeichert\./);
  assert.equal((await me(page, 'kontakt-preis')).contact_given, true);
  await page.reload();
  await lib.waitText(page, '#team-line', /Glückspilze/);
  await sleep(500);
  assert.equal(await page.locator('#contact-card').isVisible(), false, 'given: no offer any more');
  await page.click('#tab-team');
  await lib.waitText(page, '#contact-line', /^Kontakt hinterlegt · löschen$/);
  lib.noProblems(ctx);
  await ctx.close();
});

test('after joining the app offers the contact; the server checks it, consent is required, and it can be deleted', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  const sent = contactRequests(page);
  await page.goto('/?hunt=kontakt');
  await page.fill('#team-name', 'Die Finder');
  await page.click('#form-create button[type="submit"]');

  // the offer: the hunt's label on the field, its privacy text in full, an unticked box
  const card = page.locator('#contact-card');
  await card.waitFor({ state: 'visible' });
  await lib.waitText(page, '#contact-h', /^Falls ihr gewinnt: Wie erreichen wir euch\?$/);
  assert.equal(await page.locator('label[for="contact-input"]').textContent(), LABEL);
  assert.equal(await page.locator('#contact-privacy-text').textContent(), PRIVACY);
  assert.equal(await page.isChecked('#contact-consent'), false);
  assert.equal(await page.getAttribute('#contact-input', 'inputmode'), 'email');
  // it does not block playing: the clues are there and answerable below it
  await lib.waitText(page, '#pz-baum .badge', /offen/);
  assert.equal((await me(page, 'kontakt')).contact_given, false);
  await lib.shot(page, 'contact-offer');
  await lib.axe(page, 'contact offer');

  // a value the server does not take: its German message at the field
  await page.fill('#contact-input', 'keine Adresse');
  await page.check('#contact-consent');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-msg', /^Bitte eine E-Mail-Adresse oder eine Telefonnummer angeben\.$/);
  assert.equal(await page.getAttribute('#contact-input', 'aria-invalid'), 'true');
  assert.match(await page.getAttribute('#contact-input', 'aria-describedby'), /\bcontact-msg\b/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-input');
  assert.deepEqual(sent, ['PUT']);
  await lib.shot(page, 'contact-bad', { fullPage: false });
  await lib.axe(page, 'contact refused');

  // without the consent box nothing is sent
  await page.fill('#contact-input', 'finder@example.org');
  await page.uncheck('#contact-consent');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#consent-msg', /Häkchen bei der Einwilligung/);
  assert.equal(await page.getAttribute('#contact-consent', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-consent');
  await sleep(300);
  assert.deepEqual(sent, ['PUT'], 'no request without consent');

  // offline: not queued, the form keeps what was typed and says why
  await ctx.setOffline(true);
  await page.check('#contact-consent');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-msg', /^Kein Netz: Der Kontakt wird nur direkt an den Server geschickt/);
  assert.equal(await page.inputValue('#contact-input'), 'finder@example.org');
  assert.equal(await page.isChecked('#contact-consent'), true);
  assert.deepEqual(sent, ['PUT']);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.doesNotMatch(stored, /finder@example\.org/, 'the contact never sits in the phone');
  await ctx.setOffline(false);

  // with consent and a real address: saved, said so, and the address is gone from the page
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-done-msg', /^Gespeichert\./);
  assert.deepEqual(sent, ['PUT', 'PUT']);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-done-msg');
  assert.equal((await me(page, 'kontakt')).contact_given, true);
  assert.equal(await page.inputValue('#contact-input'), '');
  const html = await page.content();
  assert.doesNotMatch(html + await page.evaluate(() => JSON.stringify({ ...localStorage })), /finder@example\.org/);
  await lib.shot(page, 'contact-saved', { fullPage: false });
  await lib.axe(page, 'contact saved');
  await page.click('#contact-close');
  await card.waitFor({ state: 'hidden' });

  // the Team tab: "Kontakt hinterlegt · löschen"; delete → gone at the server too
  await page.click('#tab-team');
  await lib.waitText(page, '#contact-line', /^Kontakt hinterlegt · löschen$/);
  assert.equal(await page.getAttribute('#contact-line-btn', 'aria-label'), 'Kontakt löschen');
  await lib.shot(page, 'contact-team-line', { fullPage: false });
  await page.click('#contact-line-btn');
  await lib.waitText(page, '#contact-line-msg', /^Kontakt gelöscht\.$/);
  await lib.waitText(page, '#contact-line', /^Kein Kontakt für den Gewinnfall hinterlegt · angeben$/);
  assert.deepEqual(sent, ['PUT', 'PUT', 'DELETE']);
  assert.equal((await me(page, 'kontakt')).contact_given, false);
  assert.equal(await card.isVisible(), false, 'deleting does not bring the offer back by itself');

  // asked for again from the Team tab, the form opens there; in English the server's
  // message is English too
  await page.click('#lang-switch');
  await lib.waitText(page, '#contact-line-btn', /^add$/);
  await page.click('#contact-line-btn');
  await card.waitFor({ state: 'visible' });
  assert.ok(await page.locator('#panel-team #contact-card').count(), 'the form opens in the Team tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-input');
  await page.fill('#contact-input', '12');
  await page.check('#contact-consent');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-msg', /^Give an e-mail address or a phone number\.$/);
  await page.fill('#contact-input', '+49 631 365-0');
  await page.click('#form-contact button[type="submit"]');
  await lib.waitText(page, '#contact-done-msg', /^Saved\./);
  assert.equal((await me(page, 'kontakt')).contact_given, true);
  await page.click('#contact-delete');
  await lib.waitText(page, '#contact-status', /^Contact deleted\.$/);
  await page.locator('#form-contact').waitFor({ state: 'visible' });
  assert.equal((await me(page, 'kontakt')).contact_given, false);
  await page.click('#lang-switch');

  // 200 % zoom on a 360 px phone: 180 CSS pixels, nothing sticks out
  await page.setViewportSize({ width: 180, height: 370 });
  await lib.shot(page, 'contact-zoom200');
  await lib.axe(page, 'contact at 200 % zoom');
  lib.noProblems(ctx);
  await ctx.close();
});

test('a hunt that asks for no contact never offers one', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  const sent = contactRequests(page);
  await page.goto('/?hunt=ohne');
  await page.fill('#team-name', 'Ohne Kontakt');
  await page.click('#form-create button[type="submit"]');
  await lib.waitText(page, '#pz-baum .badge', /offen/);
  const info = await (await fetch(`${srv.base}/api/hunts/ohne`)).json();
  assert.equal(info.contact, undefined);
  await sleep(500);
  assert.equal(await page.locator('#contact-card').isVisible(), false);
  await page.click('#tab-team');
  await lib.waitText(page, '#team-name-show', /Ohne Kontakt/);
  assert.equal(await page.locator('#contact-line').isVisible(), false);
  assert.deepEqual(sent, []);
  lib.noProblems(ctx);
  await ctx.close();
});

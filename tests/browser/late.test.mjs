// An answer and a scan made offline before the end that reach the server only after
// it (late_sync_grace 0): the phone must say "zu spät" for each, never "gesendet".
// Self-contained: its own spurd with a hunt that ends while the test runs.
//   SPUR_BUILD=build node --test tests/browser/late.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { iso, sleep, startSpurd } from './spurd.mjs';

const HUNT = 'late-test';
const END_IN = 25000; // ms: room for the team to be made before the end, on a busy machine too
let srv, browser, lib, short, endsAt;

before(async () => {
  const now = Date.now();
  endsAt = Math.floor((now + END_IN) / 1000) * 1000;
  const hunt = {
    id: HUNT, title: 'Rallye bis gleich', starts_at: iso(now - 3600e3), ends_at: iso(endsAt),
    late_sync_grace: 0,
    places: [{ id: 'bank', name: 'Die Bank' }],
    puzzles: [
      { id: 'bank', title: 'Die Bank', kind: 'scan', place: 'bank', points: 5 },
      { id: 'baum', title: 'Der Baum', clue: 'Welcher Baum steht am Platz?', points: 3, answer: { accept: ['Linde'] } },
    ],
  };
  srv = await startSpurd({ hunts: [hunt], name: 'late', env: { SPUR_ADMIN_TOKEN: 'late-test-token' } });
  short = srv.spur('qr', '--db', srv.db, '--hunt', HUNT, '--format', 'text').trim().split('\t')[2];
  process.env.SPUR_URL = srv.base; // lib.mjs reads it when first imported
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('an answer and a scan queued offline and synced after the end say "zu spät", not "gesendet"', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.fill('#team-name', 'Nachzügler');
  await page.click('#form-create button[type="submit"]');
  await lib.waitText(page, '#pz-baum .badge', /offen/);
  assert.ok(Date.now() < endsAt - 2000, 'the team was made in time');

  await ctx.setOffline(true);
  await page.fill('#pz-baum input[data-role="answer"]', 'Linde');
  await page.click('#pz-baum button[data-role="submit"]');
  await lib.waitText(page, '#pz-baum .pending-line', /Linde/);
  await page.fill('#scan-code', short);
  await page.click('#form-scan button[type="submit"]');
  await lib.waitText(page, '#scan-msg', /gespeichert/);
  await lib.until(async () => (await page.locator('#pending-list li').count()) === 2, 'two pending items');

  await sleep(Math.max(0, endsAt - Date.now()) + 500);
  await ctx.setOffline(false);
  await lib.waitText(page, '#pz-baum-fb', /^Zu spät: „Linde“ kam erst nach dem Ende an und zählt nicht\.$/, 30000);
  await lib.waitText(page, '#scan-msg', /^Zu spät: Der Code kam erst nach dem Ende an und zählt nicht\.$/);
  await lib.waitText(page, '#toast', /^Zu spät: 2 gespeicherte Eingaben kamen erst nach dem Ende an und zählen nicht\.$/);
  assert.doesNotMatch(await page.locator('#toast').textContent(), /gesendet/);
  await page.waitForSelector('#pending-box', { state: 'hidden' });
  await lib.waitText(page, '#my-score', /^0 Punkte$/);
  await lib.shot(page, 'late-too-late', { fullPage: false });
  await lib.axe(page, 'too late');
  lib.noProblems(ctx);
  await ctx.close();
});

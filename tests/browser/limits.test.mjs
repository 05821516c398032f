// Limits a phone meets: a poster scanned while its network (a school's NAT address,
// say) has sent too many wrong codes (spurd answers 429 with Retry-After; the scan
// must not be lost: it stays pending, the phone says when it tries again, and then it
// counts); a board longer than the 100 rows shown (the team's own row is added); and a
// team that already has all the phones the hunt allows (max_team_members).
// Self-contained: its own spurd (SPUR_CODE_FAILS_PER_MINUTE=60, so one wrong code
// more a second) on a free port with a fresh database.
//   SPUR_BUILD=build node --test tests/browser/limits.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { iso, startSpurd } from './spurd.mjs';

const HUNT = 'limits-test';
let srv, base, browser, lib, short;

before(async () => {
  const now = Date.now();
  const hunt = {
    id: HUNT, title: 'Rallye am Schulhof', starts_at: iso(now - 3600e3), ends_at: iso(now + 3600e3),
    max_team_members: 2,
    places: [{ id: 'pforte', name: 'Schulpforte' }],
    puzzles: [
      { id: 'pforte', title: 'Die Pforte', kind: 'scan', place: 'pforte', points: 5 },
      { id: 'baum', title: 'Der Baum', clue: 'Welcher Baum steht im Hof?', points: 3, answer: { accept: ['Linde'] } },
    ],
  };
  srv = await startSpurd({ hunts: [hunt], name: 'limits',
    env: { SPUR_ADMIN_TOKEN: 'limits-test-token', SPUR_CODE_FAILS_PER_MINUTE: '60', SPUR_TEAMS_PER_MINUTE: '600' } });
  base = srv.base;
  short = srv.spur('qr', '--db', srv.db, '--hunt', HUNT, '--format', 'text').trim().split('\t')[2];
  process.env.SPUR_URL = base; // lib.mjs reads it when first imported
  lib = await import('./lib.mjs');
  browser = await lib.launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('a scan refused for too many wrong codes from this network waits, then counts', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.fill('#team-name', 'Hofgeister');
  await page.click('#form-create button[type="submit"]');
  await lib.waitText(page, '#my-score', /^0 Punkte$/);

  // others on the same address guess codes until spurd says stop
  let status = 0;
  for (let i = 0; i < 200 && status !== 429; i++) {
    status = (await fetch(`${base}/api/codes/ZZZZ-ZZ${'234567'[i % 6]}${'234567'[(i >> 3) % 6]}`)).status;
  }
  assert.equal(status, 429);

  await page.fill('#scan-code', short);
  await page.click('#form-scan button[type="submit"]');
  await lib.waitText(page, '#scan-msg', /Zu viele falsche Codes aus diesem Netz\. Euer Code wartet und wird in \d+ s gesendet\./);
  await lib.waitText(page, '#pending-list', new RegExp(short)); // still on the phone
  await lib.shot(page, 'limits-scan-waits');
  await lib.axe(page, 'scan waits');
  // a second later the allowance has one code again: the scan goes through by itself
  await lib.waitText(page, '#scan-msg', /Schulpforte/, 10000);
  await lib.waitText(page, '#my-score', /^5 Punkte$/);
  assert.equal(await page.locator('#pending-box').isHidden(), true);
  lib.noProblems(ctx);
  await ctx.close();
});

test('a team below the top 100 sees its own row under the board', async () => {
  for (let i = 0; i < 100; i++) { // ahead of it: they scanned the gate
    const r = await fetch(`${base}/api/hunts/${HUNT}/teams`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `Vorne ${i}` }),
    });
    assert.equal(r.status, 201);
    const { token } = await r.json();
    const s = await fetch(`${base}/api/hunts/${HUNT}/scan`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify({ code: short }),
    });
    assert.equal(s.status, 200);
  }
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.fill('#team-name', 'Schlusslicht');
  await page.click('#form-create button[type="submit"]');
  await lib.waitText(page, '#my-rank', /^Platz 102 von \d+ Teams$/); // the team of the test above has 5 too
  await page.click('#tab-board');
  await lib.waitText(page, '#board-body tr.me', /Schlusslicht/);
  assert.equal(await page.locator('#board-body tr').count(), 100 + 2); // the top, the gap, its own row
  assert.equal(await page.locator('#board-body tr.me td').first().textContent(), '102');
  await page.locator('#board-body tr.me').scrollIntoViewIfNeeded();
  await lib.shot(page, 'limits-own-row', { fullPage: false });
  await lib.axe(page, 'board with own row');
  lib.noProblems(ctx);
  await ctx.close();
});

test('a phone that would be one too many in its team is told so', async () => {
  const post = (path, body) => fetch(`${base}/api/hunts/${HUNT}${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const r = await post('/teams', { name: 'Zwei Handys' });
  assert.equal(r.status, 201);
  const code = (await r.json()).team.join_code;
  assert.equal((await post('/join', { join_code: code })).status, 200); // the second phone
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto('/?hunt=' + HUNT);
  await page.fill('#join-code', code);
  await page.click('#form-join button[type="submit"]');
  await lib.waitText(page, '#join-msg', /schon so viele Handys mit, wie erlaubt sind/);
  assert.equal(await page.locator('#screen-join').isVisible(), true); // still on the join screen
  await lib.shot(page, 'limits-team-full');
  await lib.axe(page, 'team full');
  await ctx.close();
});

// Rich clues (issue 12) in real Chromium at a phone's 360 px: an organizer's
// Markdown shows as formatting — a clue's list is a list, its link a link that opens
// in a new tab — the intro on the join screen and a hint taken too, and the outro once every puzzle
// is solved; HTML typed into a clue (an <img> with onerror, a javascript: link) shows
// as text and runs nothing. Self-contained: its own spurd with one running hunt.
//   SPUR_BUILD=build node --test tests/browser/markdown.test.mjs
// Screenshots: $SPUR_BUILD/screenshots/markdown-join-360.png, markdown-clues-360.png,
// markdown-hint-360.png (the card), markdown-outro-360.png
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BUILD, iso, startSpurd } from './spurd.mjs';

const HUNT = 'md-test';
let srv, lib, browser;

before(async () => {
  const now = Date.now();
  const hunt = {
    id: HUNT, title: 'Rallye mit Formatierung', starts_at: iso(now - 3600e3), ends_at: iso(now + 3 * 3600e3),
    intro: 'Willkommen zur **Altstadt-Rallye**!\n\n- zu Fuß\n- mit offenen Augen',
    outro: '## Geschafft!\n\nKommt zur *Siegerehrung* am [Rathaus](https://example.org/rathaus).',
    puzzles: [
      { id: 'liste', title: 'Der Brunnen', points: 5, answer: { accept: ['Löwe'] },
        hints: [{ text: 'Der *König*, siehe [Wappen](https://example.org/wappen)', cost: 1 }],
        clue: 'Am Brunnen steht:\n\n- ein **Löwe**\n- ein Adler\n\nMehr im [Stadtarchiv](https://example.org/archiv). Welches Tier speit Wasser?' },
      { id: 'falle', title: 'Die Falle', points: 3, answer: { accept: ['Text'] },
        clue: 'Was ist das? <img src=x onerror=alert(1)> und [klick](javascript:alert(2))' },
    ],
  };
  srv = await startSpurd({ hunts: [hunt], name: 'markdown' });
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

test('Markdown clues show as lists and new-tab links; typed HTML is text and runs nothing; the outro follows the last solve', async () => {
  const ctx = await lib.phone(browser);
  const page = await ctx.newPage();
  await page.goto(`/?hunt=${HUNT}`);
  await page.waitForSelector('#screen-join:not([hidden])');
  await lib.waitText(page, '#join-h', /Rallye mit Formatierung/);
  assert.equal(await page.textContent('#join-intro strong'), 'Altstadt-Rallye');
  assert.deepEqual(await page.locator('#join-intro ul > li').allTextContents(), ['zu Fuß', 'mit offenen Augen']);
  await lib.shot(page, 'markdown-join-360');

  await page.fill('#team-name', 'Die Leser');
  await page.click('#form-create button[type="submit"]');
  await page.waitForSelector('#screen-play:not([hidden])');
  await page.waitForSelector('#pz-liste .clue');

  // a list and a link, as the organizer wrote them
  assert.deepEqual(await page.locator('#pz-liste .clue ul > li').allTextContents(), ['ein Löwe', 'ein Adler']);
  assert.equal(await page.textContent('#pz-liste .clue li strong'), 'Löwe');
  const link = page.locator('#pz-liste .clue a');
  assert.equal(await link.count(), 1);
  assert.equal(await link.textContent(), 'Stadtarchiv');
  assert.equal(await link.getAttribute('href'), 'https://example.org/archiv');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener');

  // typed HTML is shown, not parsed; the javascript: link is plain text
  assert.equal((await page.textContent('#pz-falle .clue')).trim(), 'Was ist das? <img src=x onerror=alert(1)> und klick');
  assert.equal(await page.locator('#pz-falle img, #pz-falle a, #pz-falle [onerror]').count(), 0);
  assert.equal(await page.locator('#puzzle-list img').count(), 0);
  // a hint taken is formatted the same way
  await page.click('#pz-liste button[data-role="hint"]');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-yes');
  await page.waitForSelector('#pz-liste .hints em');
  await lib.waitText(page, '#toast', /^Der König, siehe Wappen$/); // the words, no Markdown
  assert.equal(await page.textContent('#pz-liste .hints em'), 'König');
  assert.equal(await page.getAttribute('#pz-liste .hints a', 'target'), '_blank');
  // on one line with its cost, though the server wraps it in a <p>
  assert.equal((await page.textContent('#pz-liste .hints li')).replace(/\s+/g, ' '), 'Der König, siehe Wappen (−1 Punkt)');
  const [text, cost] = await page.$$eval('#pz-liste .hints li > *', (els) => els.map((e) => e.getBoundingClientRect().top));
  assert.ok(Math.abs(text - cost) < 4, `hint text at ${text}px, its cost at ${cost}px`);
  await lib.axe(page, 'markdown clues');
  await page.locator('#pz-liste').screenshot({ path: join(process.env.SPUR_SHOTS, 'markdown-hint-360.png') });
  await lib.shot(page, 'markdown-clues-360');

  // no outro while a puzzle is open
  assert.equal(await page.locator('#outro:not([hidden])').count(), 0);
  for (const [id, answer] of [['liste', 'Löwe'], ['falle', 'Text']]) {
    await page.fill(`#pz-${id} [data-role="answer"]`, answer);
    await page.press(`#pz-${id} [data-role="answer"]`, 'Enter');
    await page.waitForSelector(`#pz-${id}.status-solved`);
  }
  await page.waitForSelector('#outro:not([hidden])');
  assert.equal(await page.textContent('#outro h2'), 'Geschafft!');
  assert.equal(await page.textContent('#outro em'), 'Siegerehrung');
  assert.equal(await page.getAttribute('#outro a', 'target'), '_blank');
  await page.locator('#outro').scrollIntoViewIfNeeded();
  await lib.shot(page, 'markdown-outro-360', { fullPage: false });
  await lib.axe(page, 'markdown outro');
  lib.noProblems(ctx); // no alert(), no page error, no CSP refusal
  await ctx.close();
});

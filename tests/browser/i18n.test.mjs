// Every text of the phone app comes from assets/i18n.js, German and English: both
// tables have the same keys, and every key the app names literally (t('key'),
// data-i18n="key" and its -placeholder/-label/-alt variants in index.html) exists.
// Keys built at run time (t('err_' + code)) are checked by the browser tests that
// show them. Plain Node, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const src = readFileSync('assets/i18n.js', 'utf8');

function keysOf(lang) {
  const start = src.indexOf(`\n  ${lang}: {`);
  assert.ok(start > 0, `table ${lang}`);
  const end = src.indexOf('\n  },', start);
  const keys = new Set();
  for (const m of src.slice(start, end).matchAll(/^ {4}([a-z][a-z0-9_]*):/gm)) keys.add(m[1]);
  return keys;
}

test('German and English have the same keys, and every key the app names exists', () => {
  const de = keysOf('de');
  const en = keysOf('en');
  assert.ok(de.size > 100, `${de.size} German texts`);
  assert.deepEqual([...de].filter((k) => !en.has(k)), [], 'German keys missing in English');
  assert.deepEqual([...en].filter((k) => !de.has(k)), [], 'English keys missing in German');

  const used = new Set();
  for (const f of readdirSync('assets').filter((n) => n.endsWith('.js') && n !== 'i18n.js' && n !== 'sw.js')) {
    for (const m of readFileSync(`assets/${f}`, 'utf8').matchAll(/\bt\('([a-z][a-z0-9_]*)'/g)) used.add(m[1]);
  }
  for (const m of readFileSync('assets/index.html', 'utf8').matchAll(/data-i18n(?:-[a-z]+)?="([a-z][a-z0-9_]*)"/g)) used.add(m[1]);
  assert.ok(used.size > 50, `${used.size} keys named`);
  // t('state_' + st): a prefix; its keys must exist for some suffix at least
  const prefixes = [...used].filter((k) => k.endsWith('_'));
  assert.deepEqual(prefixes.filter((p) => ![...de].some((k) => k.startsWith(p))), [], 'prefixes with no texts');
  for (const st of ['upcoming', 'running', 'frozen', 'over']) assert.ok(de.has('hunt_state_' + st), 'hunt_state_' + st);
  assert.deepEqual([...used].filter((k) => !k.endsWith('_') && !de.has(k)).sort(), [],
    'keys named by the app but not translated');
});

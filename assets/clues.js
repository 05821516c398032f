// The clue list: one card per puzzle, updated in place (a card is rebuilt only when
// its puzzle changed, keeping typed answers, focus and the feedback line), answer
// forms by kind, hints with their cost confirmed first.

import { t, lang } from './i18n.js';
import { enc } from './api.js';
import * as outbox from './queue.js';
import { $, h, show, setText, toast, ask, points, dateTime } from './ui.js';
import { S, hooks, call, now, huntState, errorText, lsGet, lsSet } from './state.js';

const HINTS_KEY = (hunt) => 'spur.hints.' + hunt;

export function titleOf(id) {
  const p = S.puzzles.find((x) => x.id === id);
  return p ? (p.title || p.id) : id;
}

function revealedHints(p) {
  if (Array.isArray(p.hints)) return p.hints;
  const local = lsGet(HINTS_KEY(S.hunt), {});
  return local[p.id] || [];
}

// Organizer texts (clue, hints, intro, outro) as the server rendered them from
// Markdown. innerHTML is used for these *_html fields and nothing else: spurd builds
// them with cmark when the hunt is loaded (server/game/markdown.c), where raw HTML
// becomes text, only http/https/mailto links survive (opening in a new tab with
// rel=noopener) and pictures become their alt text, so they carry no script, no
// event handler and no remote load. Team names, answers and server messages never
// come here. Without the field (a response cached by an older server) the plain
// text goes in as textContent.
export function setRich(el, html, text) {
  if (typeof html === 'string' && html) {
    if (el.innerHTML !== html) el.innerHTML = html;
  } else setText(el, text || '');
  return el;
}

const rich = (cls, html, text) => setRich(h('div', { class: cls + ' md' }), html, text);

// The words of a rendered text without its markup (for a toast). A <template>'s
// content is inert: nothing in it runs or loads.
function plainOf(html, text) {
  if (typeof html !== 'string' || !html) return text || '';
  const tpl = document.createElement('template');
  tpl.innerHTML = html;
  return tpl.content.textContent.replace(/\s+/g, ' ').trim();
}

export function renderPuzzles() {
  const list = $('puzzle-list');
  const over = huntState() === 'over';
  const upcoming = huntState() === 'upcoming';
  const seen = new Set();
  let prev = null;
  for (const p of S.puzzles) {
    seen.add(p.id);
    const sig = JSON.stringify([p, revealedHints(p), over, upcoming, lang(), pendingFor(p.id).length]);
    let c = S.cards.get(p.id);
    if (!c) {
      c = { li: h('li', { class: 'puzzle' }), sig: null, pics: new Map(),
        fb: h('p', { class: 'feedback', role: 'status' }) };
      S.cards.set(p.id, c);
    }
    if (c.sig !== sig) { buildCard(c, p, over, upcoming); c.sig = sig; }
    const want = prev ? prev.nextSibling : list.firstChild;
    if (want !== c.li) list.insertBefore(c.li, want);
    prev = c.li;
  }
  for (const [id, c] of S.cards) if (!seen.has(id)) { c.li.remove(); S.cards.delete(id); }
  show($('no-puzzles'), S.puzzles.length === 0);
  renderOutro(list);
}

// The hunt's closing words, below the cards once every puzzle is solved.
function renderOutro(list) {
  const info = S.info || {};
  const done = S.puzzles.length > 0 && S.puzzles.every((p) => p.status === 'solved');
  let box = $('outro');
  if (!done || !(info.outro_html || info.outro)) { if (box) box.hidden = true; return; }
  if (!box) {
    box = h('section', { id: 'outro', class: 'outro md', role: 'status' });
    list.after(box);
  }
  setRich(box, info.outro_html, info.outro);
  box.hidden = false;
}

function pendingFor(id) {
  return outbox.items().filter((i) => i.hunt === S.hunt && i.type === 'answer' && i.puzzle === id && S.waited.has(i.client_id));
}

// A picture the server listed ({url, alt, width, height}) as an <img>, or null when
// the entry is not one. width and height are set, so the browser keeps the box free
// before the bytes arrive (CSS scales it down with height:auto: no jump on slow
// data); lazy, so a long clue list loads only the pictures scrolled to. Only our own
// media paths (the CSP allows no other host anyway). The card keeps its <img> per
// URL across rebuilds, so an answer typed or a hint taken does not load or decode
// the picture again: old holds the card's pictures of its last build, used gets this
// build's.
function picture(old, used, img, cls) {
  if (!img || typeof img.url !== 'string' || !/^\/api\/hunts\/[^/]+\/media\/[^/]+$/.test(img.url)) return null;
  const alt = typeof img.alt === 'string' ? img.alt : '';
  const w = Number.isInteger(img.width) && img.width > 0 ? img.width : null;
  const hh = Number.isInteger(img.height) && img.height > 0 ? img.height : null;
  const key = [cls, img.url, alt, w, hh].join('\n');
  const el = old.get(key) ||
    h('img', { class: 'pic ' + cls, src: img.url, alt, width: w, height: hh, loading: 'lazy', decoding: 'async' });
  used.set(key, el);
  return el;
}

function buildCard(c, p, over, upcoming) {
  const li = c.li;
  const key = 'pz-' + p.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const focusRole = li.contains(document.activeElement) ? document.activeElement.dataset.role : null;
  li.className = 'puzzle status-' + p.status;
  li.id = key;
  const hid = key + '-h';
  const fbId = key + '-fb';
  c.fb.id = fbId;
  const kids = [];
  kids.push(h('div', { class: 'pz-head' },
    h('h3', { id: hid, text: p.title || p.id }),
    h('span', { class: 'badge', text: t('status_' + p.status) })));
  // A solved card says what the solve earned (less than the puzzle's points after hints).
  const earned = p.status === 'solved' && typeof p.points_earned === 'number';
  kids.push(h('p', { class: earned ? 'pz-meta earned' : 'pz-meta', text: !earned ? points(p.points)
    : p.points_earned === p.points ? t('earned', { n: p.points_earned })
      : t('earned_of', { n: p.points_earned, max: p.points }) }));
  // Before the start every puzzle is locked; the state note says why, so a card only
  // names a later opens_at (not "solve other clues first", which may be untrue).
  if (p.status === 'locked') {
    const opens = p.opens_at && Date.parse(p.opens_at) > now();
    if (opens || !upcoming) {
      kids.push(h('p', { class: 'muted', text: opens
        ? t('locked_until', { date: dateTime(Date.parse(p.opens_at)) }) : t('locked_requires') }));
    }
    // The team already scanned this puzzle's place: it counts the moment it opens.
    if (p.scanned_ahead) kids.push(h('p', { class: 'ahead', text: '✓ ' + t('scanned_ahead') }));
  }
  const used = new Map();
  const pic = (img, cls) => picture(c.pics, used, img, cls);
  // The puzzle's picture above its clue: it is often what the clue asks about.
  const pzPic = pic(p.image, 'pz-pic');
  if (pzPic) kids.push(pzPic);
  if (p.clue) kids.push(rich('clue', p.clue_html, p.clue));
  if (p.place) {
    const pl = p.place;
    const line = h('p', { class: 'place' }, h('span', { text: t('place', { name: pl.name || pl.id }) + (pl.where ? ' – ' + pl.where : '') }));
    if (typeof pl.lat === 'number' && typeof pl.lon === 'number') {
      const href = `https://www.openstreetmap.org/?mlat=${pl.lat}&mlon=${pl.lon}#map=18/${pl.lat}/${pl.lon}`;
      line.append(' ', h('a', { href, target: '_blank', rel: 'noopener noreferrer' },
        t('map_link'), h('span', { class: 'sr-only', text: ' ' + t('map_link_label', { name: pl.name || pl.id }) })));
    }
    kids.push(line);
    // The place's picture with it (shown while the puzzle is locked too: it helps to
    // find the spot).
    const plPic = pic(pl.image, 'place-pic');
    if (plPic) kids.push(plPic);
  }
  c.pics = used; // pictures the puzzle no longer names are let go
  const hints = revealedHints(p);
  if (hints.length) {
    kids.push(h('h4', { text: t('hints') }));
    kids.push(h('ol', { class: 'hints' }, ...hints.map((x) =>
      h('li', {}, rich('hint-text', x.text_html, x.text), typeof x.cost === 'number' ? h('span', { class: 'muted', text: t('hint_cost', { n: x.cost }) }) : null))));
  }
  if (p.status === 'open' && !over) {
    if (p.kind === 'scan') kids.push(h('p', { class: 'help', text: t('scan_here') }));
    else kids.push(answerForm(p, key, fbId));
    const taken = p.hints_taken || 0;
    if (p.kind !== 'scan' || p.hint_count) {
      if (taken < (p.hint_count || 0)) {
        const cost = p.next_hint_cost;
        kids.push(h('button', { type: 'button', class: 'secondary hint', 'data-role': 'hint',
          text: typeof cost === 'number' ? t('hint_button_cost', { n: cost }) : t('hint_button'),
          onclick: () => takeHint(p) }));
      }
    }
  }
  for (const it of pendingFor(p.id)) kids.push(h('p', { class: 'pending-line', text: t('pending', { answer: it.answer }) }));
  const fb = S.feedback.get(p.id);
  if (fb) { c.fb.textContent = fb.text; c.fb.className = 'feedback ' + fb.kind; }
  kids.push(c.fb);
  li.replaceChildren(h('article', { 'aria-labelledby': hid }, ...kids));
  if (focusRole) { const f = li.querySelector(`[data-role="${CSS.escape(focusRole)}"]`); if (f) f.focus(); }
  updateButtons(p.id);
}

function answerForm(p, key, fbId) {
  const form = h('form', { class: 'answer', novalidate: true });
  if (p.kind === 'choice' && Array.isArray(p.choices)) {
    const fs = h('fieldset', {}, h('legend', { text: t('answer_choose') }));
    const row = h('div', { class: 'choices' });
    for (const ch of p.choices) {
      row.append(h('button', { type: 'button', class: 'choice', 'data-role': 'choice-' + ch,
        'aria-describedby': fbId, text: ch, onclick: () => submitAnswer(p, ch) }));
    }
    fs.append(row);
    form.append(fs);
    form.addEventListener('submit', (e) => e.preventDefault());
    return form;
  }
  const id = key + '-in';
  const input = h('input', { id, name: 'answer', autocomplete: 'off', 'data-role': 'answer',
    'aria-describedby': fbId, maxlength: 200, spellcheck: 'false' });
  if (p.kind === 'number') { input.inputMode = 'decimal'; }
  input.value = S.drafts.get(p.id) || '';
  input.addEventListener('input', () => S.drafts.set(p.id, input.value));
  form.append(h('label', { for: id, text: p.kind === 'number' ? t('answer_number') : t('answer') }),
    h('div', { class: 'row' }, input, h('button', { type: 'submit', class: 'primary', 'data-role': 'submit' },
      t('check'), h('span', { class: 'sr-only', text: ': ' + (p.title || p.id) }))));
  form.addEventListener('submit', (e) => { e.preventDefault(); submitAnswer(p, input.value); });
  return form;
}

export function updateButtons(id) {
  const c = S.cards.get(id);
  if (!c) return;
  const limited = S.rateUntil.has(id);
  for (const b of c.li.querySelectorAll('form.answer button')) b.disabled = limited;
}

export function setFeedback(id, text, kind, quietUpdate) {
  const prev = S.feedback.get(id);
  if (text) S.feedback.set(id, { text, kind }); else S.feedback.delete(id);
  const c = S.cards.get(id);
  if (!c) return;
  if (quietUpdate && prev && prev.kind === kind) c.fb.setAttribute('aria-live', 'off'); else c.fb.removeAttribute('aria-live');
  setText(c.fb, text);
  c.fb.className = 'feedback ' + (kind || '');
}

function submitAnswer(p, answer) {
  if (!String(answer).trim()) { setFeedback(p.id, t('empty_answer'), 'error'); return; }
  if (S.rateUntil.has(p.id)) return;
  // A double tap must not send the same answer twice (the second would say "already solved").
  if (outbox.items().some((i) => i.hunt === S.hunt && i.puzzle === p.id && i.answer === String(answer))) return;
  outbox.add({ hunt: S.hunt, type: 'answer', puzzle: p.id, answer: String(answer) });
  setFeedback(p.id, '', '');
  hooks.sync();
}

async function takeHint(p) {
  const cost = p.next_hint_cost;
  const ok = await ask(typeof cost === 'number' ? t('hint_confirm', { n: cost }) : t('hint_confirm_unknown'));
  if (!ok) return;
  const res = await call('POST', `/api/hunts/${enc(S.hunt)}/puzzles/${enc(p.id)}/hints`, {});
  if (!res.ok || !res.data) { setFeedback(p.id, errorText(res), 'error'); return; }
  const local = lsGet(HINTS_KEY(S.hunt), {});
  const mine = local[p.id] || [];
  if (!mine.some((x) => x.index === res.data.index)) mine.push(res.data);
  local[p.id] = mine;
  lsSet(HINTS_KEY(S.hunt), local);
  if (Array.isArray(p.hints) && p.hints.length <= res.data.index) p.hints.push({ text: res.data.text, text_html: res.data.text_html, cost: res.data.cost });
  p.hints_taken = Math.max(p.hints_taken || 0, (res.data.index || 0) + 1);
  delete p.next_hint_cost;
  renderPuzzles();
  toast(plainOf(res.data.text_html, res.data.text));
  hooks.refresh();
}


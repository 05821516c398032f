// The clue list: one card per puzzle, updated in place (a card is rebuilt only when
// its puzzle changed, keeping typed answers, focus and the feedback line), answer
// forms by kind, hints with their cost confirmed first. A check-in puzzle's card has
// "Ich bin da": one position (geo.js), taken at the tap and sent through the outbox
// like an answer; before the browser's first permission prompt the card says why in
// one sentence; the place's code can be typed in the card as well. A photo puzzle's
// card has "Foto aufnehmen" (the phone's camera through a file input; photo.js scales
// the picture, loaded when the first photo card is shown), the hunt's photo_consent
// before the team's first photo, and the state of the team's newest photo (pending,
// approved, rejected with staff's message) in a line of its own that screen readers
// announce when staff decide.

import { t, lang } from './i18n.js';
import { enc } from './api.js';
import * as outbox from './queue.js';
import { $, h, show, setText, toast, ask, points, dateTime } from './ui.js';
import { S, hooks, call, now, huntState, errorText, lsGet, lsSet } from './state.js';
import * as geo from './geo.js';

const HINTS_KEY = (hunt) => 'spur.hints.' + hunt;
const PHOTO_OK_KEY = (hunt) => 'spur.photo.ok.' + hunt; // the team agreed to photo_consent
const PHOTO_SCREEN_KEY = (hunt) => 'spur.photo.screen.' + hunt; // and allows the big screen

// Check-in cards waiting for the player's go after the explanation, and those whose
// position is being found (puzzle ids).
const geoAsk = new Set();
const locating = new Set();

// Photo cards: photo.js once loaded; pictures being scaled; scaled ones waiting for the
// player's consent ({jpeg, width, height}); <img> thumbnails by photo URL (the bytes
// of a photo never change, so the card keeps its element across rebuilds).
let photoMod = null;
let photoLoading = null;
const photoBusy = new Set();
const photoAsk = new Map();
const thumbs = new Map();
const THUMBS_MAX = 12;

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
    const sig = JSON.stringify([p, revealedHints(p), over, upcoming, lang(), pendingFor(p.id).length,
      geoAsk.has(p.id), locating.has(p.id), photoBusy.has(p.id), photoAsk.has(p.id), Boolean(photoMod)]);
    let c = S.cards.get(p.id);
    if (!c) {
      c = { li: h('li', { class: 'puzzle' }), sig: null, pics: new Map(),
        fb: h('p', { class: 'feedback', role: 'status' }), ps: h('p', { class: 'photo-state', role: 'status' }) };
      S.cards.set(p.id, c);
    }
    if (c.sig !== sig) { buildCard(c, p, over, upcoming); c.sig = sig; }
    const want = prev ? prev.nextSibling : list.firstChild;
    if (want !== c.li) list.insertBefore(c.li, want);
    prev = c.li;
  }
  for (const [id, c] of S.cards) if (!seen.has(id)) { c.li.remove(); S.cards.delete(id); }
  show($('no-puzzles'), S.puzzles.length === 0);
  if (!photoMod && S.puzzles.some((p) => p.kind === 'photo')) loadPhoto();
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

// The card's items that wait in the outbox: answers, check-ins, codes typed in the card.
function pendingFor(id) {
  return outbox.items().filter((i) => i.hunt === S.hunt && i.puzzle === id && S.waited.has(i.client_id));
}

function pendingText(i) {
  if (i.type === 'checkin') {
    const time = new Date(Date.parse(i.made_at)).toLocaleTimeString(lang() === 'de' ? 'de-DE' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
    return t('pending_checkin', { time });
  }
  if (i.type === 'scan') return t('pending_scan', { code: i.code });
  if (i.type === 'photo') return t('pending_photo');
  return t('pending', { answer: i.answer });
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
      // staff may give a photo fewer points than the puzzle's, hints or not
      : t(p.kind === 'photo' ? 'earned_photo_of' : 'earned_of', { n: p.points_earned, max: p.points }) }));
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
    else if (p.kind === 'checkin') kids.push(checkinBox(p, key, fbId, c.fb));
    else if (p.kind === 'photo') kids.push(photoBox(p, key, fbId, c));
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
  } else if (p.kind === 'photo' && p.photo) kids.push(photoBox(p, key, fbId, c)); // solved, or after the end
  for (const it of pendingFor(p.id)) kids.push(h('p', { class: 'pending-line', text: pendingText(it) }));
  const fb = S.feedback.get(p.id);
  if (fb) { c.fb.textContent = fb.text; c.fb.className = 'feedback ' + fb.kind; }
  if (!kids.some((k) => k.contains(c.fb))) kids.push(c.fb);
  li.replaceChildren(h('article', { 'aria-labelledby': hid }, ...kids));
  // After the line is in the page again: a change of its text is then announced.
  if (p.kind === 'photo') {
    // staff decided: the line about the upload has had its day
    const st = p.photo ? p.photo.status : null;
    if (c.photoSt && c.photoSt !== st && st !== 'pending') setFeedback(p.id, '', '');
    c.photoSt = st;
    setText(c.ps, photoState(p));
    if (p.photo) c.ps.dataset.state = p.photo.status; else delete c.ps.dataset.state;
  }
  if (focusRole) { const f = li.querySelector(`[data-role="${CSS.escape(focusRole)}"]`); if (f) f.focus(); }
  updateButtons(p.id);
}

// "Ich bin da", or (before the first permission prompt) the sentence why and "Standort
// senden"; then the card's feedback line (the verdict next to the button tapped);
// below, the place's code as the way without GPS.
function checkinBox(p, key, fbId, fb) {
  const box = h('div', { class: 'checkin' });
  const title = h('span', { class: 'sr-only', text: ': ' + (p.title || p.id) });
  if (geoAsk.has(p.id)) {
    const whyId = key + '-why';
    box.append(h('div', { class: 'geo-why', role: 'group', 'aria-labelledby': whyId },
      h('p', { id: whyId, text: t('checkin_why') }),
      h('div', { class: 'row wrap' },
        h('button', { type: 'button', class: 'primary', 'data-role': 'checkin-send', 'aria-describedby': fbId,
          onclick: () => checkinNow(p) }, t('checkin_send'), title.cloneNode(true)),
        h('button', { type: 'button', class: 'secondary', 'data-role': 'checkin-cancel',
          onclick: () => { geoAsk.delete(p.id); refocus(p.id, 'checkin'); } }, t('cancel')))));
  } else {
    box.append(h('button', { type: 'button', class: 'primary checkin-go', 'data-role': 'checkin',
      'aria-describedby': fbId, 'aria-busy': locating.has(p.id) ? 'true' : null,
      onclick: () => checkinTap(p) }, t('checkin_button'), title));
  }
  box.append(fb);
  const id = key + '-code';
  const input = h('input', { id, name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
    maxlength: 80, 'data-role': 'code', 'aria-describedby': key + '-alt ' + fbId });
  input.value = S.drafts.get(p.id) || '';
  input.addEventListener('input', () => S.drafts.set(p.id, input.value));
  const form = h('form', { class: 'checkin-code', novalidate: true },
    h('p', { id: key + '-alt', class: 'help', text: t('checkin_alt') }),
    h('label', { for: id, text: t('checkin_code') }),
    h('div', { class: 'row' }, input, h('button', { type: 'submit', class: 'secondary', 'data-role': 'code-send' },
      t('scan_button'), h('span', { class: 'sr-only', text: ': ' + t('checkin_code') }))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = input.value.trim();
    if (!code) { setFeedback(p.id, t('err_unknown_code'), 'error'); return; }
    if (!outbox.items().some((i) => i.hunt === S.hunt && i.type === 'scan' && i.code === code)) {
      outbox.add({ hunt: S.hunt, type: 'scan', code, puzzle: p.id });
    }
    S.drafts.delete(p.id);
    setFeedback(p.id, '', '');
    hooks.sync();
  });
  box.append(form);
  return box;
}

// Rebuilds the cards and puts focus on the card's control with that data-role.
function refocus(id, role) {
  renderPuzzles();
  const c = S.cards.get(id);
  const el = c && c.li.querySelector(`[data-role="${role}"]`);
  if (el) el.focus();
}

function checkinWaits(id) {
  return outbox.items().some((i) => i.hunt === S.hunt && i.type === 'checkin' && i.puzzle === id);
}

function checkinTap(p) {
  if (locating.has(p.id) || checkinWaits(p.id)) return; // a double tap sends one position
  if (!geo.possible()) { setFeedback(p.id, t('checkin_no_gps'), 'error'); return; }
  if (!geo.askedBefore()) { geoAsk.add(p.id); refocus(p.id, 'checkin-send'); return; }
  checkinNow(p);
}

// One position, taken now, into the outbox: sent at once, or when the network is back
// with this position and this time.
async function checkinNow(p) {
  const hunt = S.hunt;
  const asked = geoAsk.delete(p.id);
  locating.add(p.id);
  setFeedback(p.id, t('checkin_locating'), 'info');
  if (asked) refocus(p.id, 'checkin'); else renderPuzzles();
  let fix;
  try {
    fix = await geo.locate();
  } catch (e) {
    locating.delete(p.id);
    setFeedback(p.id, t(e.kind === 'denied' ? 'checkin_denied' : e.kind === 'unsupported' ? 'checkin_no_gps' : 'checkin_no_fix'), 'error');
    renderPuzzles();
    return;
  } finally {
    locating.delete(p.id);
  }
  if (hunt !== S.hunt) return;
  outbox.add({ hunt, type: 'checkin', puzzle: p.id, lat: fix.lat, lon: fix.lon, accuracy: fix.accuracy });
  renderPuzzles();
  hooks.sync();
}

// The server's verdict on a check-in from the outbox (replay: it waited for the network).
export function checkinResult(item, res, replay) {
  const id = item.puzzle;
  const d = res.data || {};
  if (res.ok && d.correct) {
    setFeedback(id, t('checkin_ok', { n: d.points ?? 0 }), 'ok');
    if (typeof d.score === 'number' && S.me) { S.me.score = d.score; hooks.renderMe(); }
    const p = S.puzzles.find((x) => x.id === id);
    if (p) { p.status = 'solved'; p.points_earned = d.points ?? 0; }
    if (typeof S.meSolved === 'number') S.meSolved++;
  } else if (res.ok && d.reason === 'poor_accuracy') {
    setFeedback(id, t('checkin_vague', { acc: d.accuracy_m ?? item.accuracy, max: d.max_accuracy_m ?? S.info?.max_accuracy ?? 100 }), 'error');
  } else if (res.ok && typeof d.distance_m === 'number') {
    const m = d.distance_m.toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB');
    setFeedback(id, typeof d.bearing === 'number' ? t('checkin_far', { m, dir: t('dir_' + geo.compass(d.bearing)) })
      : t('checkin_far_nodir', { m }), 'info');
  } else if (res.ok) {
    setFeedback(id, d.message || t('err_generic'), 'error');
  } else if (res.status === 403 && d.error === 'hunt_over') {
    setFeedback(id, t(replay ? 'checkin_late' : 'err_hunt_over'), 'error');
  } else if (res.status === 409 && d.error === 'already_solved') {
    setFeedback(id, t('already_solved'), 'ok');
  } else {
    setFeedback(id, errorText(res), 'error');
  }
  const c = S.cards.get(id);
  if (c) c.sig = null;
}

// ---- photo puzzles ---------------------------------------------------------------

function loadPhoto() {
  if (!photoLoading) {
    photoLoading = import('./photo.js').then((m) => {
      photoMod = m;
      renderPuzzles();
      return m;
    }, () => { photoLoading = null; return null; });
  }
  return photoLoading;
}

// The line under a photo card's title: what became of the team's newest photo.
function photoState(p) {
  const ph = p.photo;
  if (!ph) return '';
  if (ph.status === 'pending') return t('photo_pending');
  if (ph.status === 'approved') return t('photo_approved');
  return ph.message ? t('photo_rejected_msg', { msg: ph.message }) : t('photo_rejected');
}

// The team's own photo as a thumbnail, fetched with the team's token (photo.js).
function thumbOf(url, title) {
  let img = thumbs.get(url);
  if (!img) {
    img = h('img', { class: 'photo-pic', hidden: true, decoding: 'async' });
    thumbs.set(url, img);
    while (thumbs.size > THUMBS_MAX) thumbs.delete(thumbs.keys().next().value);
  }
  img.alt = t('photo_alt', { title });
  if (photoMod && !img.dataset.asked) {
    img.dataset.asked = '1';
    photoMod.thumb(S.hunt, url).then((src) => {
      if (src) { img.src = src; img.hidden = false; } else delete img.dataset.asked;
    });
  }
  return img;
}

function photoWaits(id) {
  return outbox.items().find((i) => i.hunt === S.hunt && i.type === 'photo' && i.puzzle === id) || null;
}

// The state line, the photo (waiting to be sent, or the one sent), and "Foto
// aufnehmen" while the team may send one; before the team's first photo, the hunt's
// consent text with "Einverstanden, Foto senden" and "Abbrechen" instead.
function photoBox(p, key, fbId, c) {
  const box = h('div', { class: 'photo' }, c.ps);
  const title = p.title || p.id;
  const ph = p.photo || null;
  const queued = photoWaits(p.id);
  const draft = photoAsk.get(p.id);
  const left = typeof p.photos_left === 'number' ? p.photos_left : 1;
  const open = p.status === 'open' && huntState() !== 'over';
  const shown = draft ? draft.jpeg : queued ? queued.jpeg : null;
  if (shown) box.append(h('img', { class: 'photo-pic', src: shown, alt: t('photo_alt', { title }) }));
  else if (ph && ph.url) box.append(thumbOf(ph.url, title));
  if (draft) {
    const whyId = key + '-consent';
    const text = S.info && typeof S.info.photo_consent === 'string' && S.info.photo_consent.trim()
      ? S.info.photo_consent : t('photo_consent_default');
    const screenId = key + '-screen';
    box.append(h('div', { class: 'photo-consent', role: 'group', 'aria-labelledby': whyId },
      h('p', { id: whyId, text }),
      h('div', { class: 'consent' },
        h('input', { type: 'checkbox', id: screenId, 'data-role': 'photo-screen' }),
        h('label', { for: screenId, text: t('photo_screen') })),
      h('div', { class: 'row wrap' },
        h('button', { type: 'button', class: 'primary', 'data-role': 'photo-agree', 'aria-describedby': fbId,
          onclick: () => agreePhoto(p) }, t('photo_agree')),
        h('button', { type: 'button', class: 'secondary', 'data-role': 'photo-cancel',
          onclick: () => { photoAsk.delete(p.id); refocus(p.id, 'photo'); } }, t('cancel')))));
  } else if (open && !queued && (!ph || ph.status === 'rejected') && left > 0) {
    const input = h('input', { type: 'file', accept: 'image/jpeg,image/*', capture: 'environment', hidden: true,
      'data-role': 'photo-file' });
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      if (file) takePhoto(p, file);
    });
    box.append(input, h('button', { type: 'button', class: 'primary photo-go', 'data-role': 'photo', 'aria-describedby': fbId,
      'aria-busy': photoBusy.has(p.id) ? 'true' : null, disabled: photoBusy.has(p.id),
      onclick: () => input.click() }, t(ph ? 'photo_again' : 'photo_button'), h('span', { class: 'sr-only', text: ': ' + title })),
    h('p', { class: 'help', text: ph ? t('photo_left', { n: left }) : t('photo_help') }));
  } else if (open && ph && ph.status === 'rejected' && left <= 0) {
    box.append(h('p', { class: 'help', text: t('photo_none_left') }));
  }
  box.append(c.fb);
  return box;
}

async function takePhoto(p, file) {
  if (photoBusy.has(p.id)) return;
  photoBusy.add(p.id);
  setFeedback(p.id, t('photo_preparing'), 'info');
  renderPuzzles();
  let pic = null;
  try {
    const mod = photoMod || await loadPhoto();
    if (!mod) { setFeedback(p.id, t('photo_failed'), 'error'); return; }
    pic = await mod.prepare(file);
  } catch {
    setFeedback(p.id, t('photo_bad'), 'error');
    return;
  } finally {
    photoBusy.delete(p.id);
    if (!pic) refocus(p.id, 'photo');
  }
  if (!lsGet(PHOTO_OK_KEY(S.hunt), false)) {
    photoAsk.set(p.id, pic);
    setFeedback(p.id, '', '');
    refocus(p.id, 'photo-agree');
    return;
  }
  sendPhoto(p, pic);
}

function agreePhoto(p) {
  const pic = photoAsk.get(p.id);
  const c = S.cards.get(p.id);
  const screen = c && c.li.querySelector('[data-role="photo-screen"]');
  photoAsk.delete(p.id);
  if (!pic) return;
  lsSet(PHOTO_OK_KEY(S.hunt), true);
  lsSet(PHOTO_SCREEN_KEY(S.hunt), !!(screen && screen.checked));
  sendPhoto(p, pic);
}

// Into the outbox, which sends it now or when the network is back.
function sendPhoto(p, pic) {
  const waiting = outbox.items().filter((i) => i.type === 'photo').length;
  if (waiting >= outbox.PHOTOS_MAX) {
    setFeedback(p.id, t('photo_queue_full', { n: waiting }), 'error');
    refocus(p.id, 'photo');
    return;
  }
  const item = outbox.add({ hunt: S.hunt, type: 'photo', puzzle: p.id, jpeg: pic.jpeg,
    screen: lsGet(PHOTO_SCREEN_KEY(S.hunt), false) === true });
  setFeedback(p.id, outbox.stored(item.client_id) ? t('photo_sending') : t('photo_unsaved'), 'info');
  renderPuzzles();
  const c = S.cards.get(p.id);
  const head = c && c.li.querySelector('h3');
  if (head) { head.tabIndex = -1; head.focus(); }
  hooks.sync();
}

// The server's answer to a photo from the outbox (replay: it waited for the network).
export function photoResult(item, res, replay) {
  const id = item.puzzle;
  const d = res.data || {};
  const p = S.puzzles.find((x) => x.id === id);
  if (res.ok && d.status === 'approved') {
    setFeedback(id, t('photo_ok', { n: d.points ?? 0 }), 'ok');
    if (typeof d.score === 'number' && S.me) { S.me.score = d.score; hooks.renderMe(); }
    if (p) { p.status = 'solved'; p.points_earned = d.points ?? 0; p.photo = { ...(p.photo || {}), id: d.id, status: 'approved' }; }
    if (typeof S.meSolved === 'number') S.meSolved++;
  } else if (res.ok) {
    setFeedback(id, t('photo_sent'), 'ok');
    if (p) p.photo = { ...(p.photo || {}), id: d.id, status: 'pending', message: undefined };
  } else if (res.status === 403 && d.error === 'hunt_over') {
    setFeedback(id, t(replay ? 'photo_late' : 'err_hunt_over'), 'error');
  } else if (res.status === 409 && d.error === 'already_solved') {
    setFeedback(id, t('already_solved'), 'ok');
  } else {
    // The server's own words for what it refused (a photo still pending, the limit,
    // a picture it could not read); ours for the codes every card shares.
    setFeedback(id, d.error && t('err_' + d.error) !== 'err_' + d.error ? errorText(res) : d.message || errorText(res), 'error');
  }
  const c = S.cards.get(id);
  if (c) c.sig = null;
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


// The participants' web app: choose a hunt, found or join a team, read clues, answer,
// scan, take hints, watch the leaderboard. Works on bad mobile data: answers and
// scans go through the outbox (queue.js) and are resent until the server answered;
// the service worker (sw.js) keeps the app and the last known API answers offline.
// All text comes from i18n.js; all user and server text is set with textContent.
// Scanning with the camera inside the app is camera.js, loaded only when asked for;
// the map tab (when a place has a position) is map.js, which loads Leaflet, likewise.
// The contact for a prize, when the hunt asks for one, is contact.js; the organizers'
// announcements (a banner at the top) are announce.js. A photo puzzle's picture is
// scaled by photo.js, loaded when a photo card is first shown; it is sent through the
// outbox like an answer.

import { t, lang, setLang, applyStatic } from './i18n.js';
import { enc, savedTeam, saveTeam, forgetTeam } from './api.js';
import * as outbox from './queue.js';
import { $, h, show, setText, toast, ask, dateRange, duration } from './ui.js';
import { S, hooks, call, setNet, now, huntState, errorText } from './state.js';
import { renderPuzzles, setFeedback, updateButtons, titleOf, setRich, checkinResult, photoResult } from './clues.js';
import { loadBoard, renderBoard, openEvents, closeEvents } from './board.js';
import { initContact, offerContact, renderContact } from './contact.js';
import { initAnnouncements, loadAnnouncements, renderAnnouncements, relabelAnnouncements } from './announce.js';

const LAST_HUNT = 'spur.hunt';
const RETRY_MS = 20000;     // outbox retry while something waits
const REFRESH_MS = 60000;   // clue list and team refresh while visible

// A team name has at most 32 characters as the server counts them: code points (an
// emoji family 👨‍👩‍👧 is five), not the UTF-16 units an HTML maxlength would count.
const NAME_MAX = 32;
function nameLength(s) { return [...s].length; }
function nameTooLong() {
  const n = nameLength($('team-name').value.trim());
  setText($('create-msg'), t('name_too_long', { n }));
  $('create-msg').dataset.long = '1';
  $('team-name').setAttribute('aria-invalid', 'true');
}

function normCode(s) { return String(s || '').toUpperCase().replace(/[^A-Z0-9]/g, ''); }
// Shows one screen. When focus was on something now hidden, it moves to the new
// screen's heading so screen readers follow.
function screen(name) {
  if (name !== 'play') stopCamera();
  for (const s of ['loading', 'hunts', 'join', 'play']) show($('screen-' + s), s === name);
  const act = document.activeElement;
  if (!act || act === document.body || act.closest('[hidden]')) {
    const h1 = $('screen-' + name).querySelector('h1');
    if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
  }
}

// ---- start ---------------------------------------------------------------------

function applyLang() {
  document.documentElement.lang = lang();
  applyStatic(document);
  const other = lang() === 'de' ? 'en' : 'de';
  $('lang-switch').lang = other;
}

async function start() {
  applyLang();
  bindStatic();
  initContact();
  initAnnouncements();
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
    // On the first visit the hunt, /me and the clues were fetched before the service
    // worker was in control, so it kept none of them: fetch them again through it once
    // it is, or a phone that goes offline right away would show an empty score.
    if (!navigator.serviceWorker.controller) {
      navigator.serviceWorker.addEventListener('controllerchange', () => refresh(), { once: true });
    }
  }
  setNet(false);

  const url = new URL(location.href);
  let hunt = url.searchParams.get('hunt');
  const join = url.searchParams.get('join');
  const m = location.pathname.match(/^\/s\/([A-Za-z0-9_-]{1,128})\/?$/);
  let scanned = false;
  if (m) {
    const token = m[1];
    const res = await call('GET', '/api/codes/' + enc(token));
    if (res.ok && res.data && res.data.hunt) hunt = res.data.hunt;
    const unknown = res.status === 404 && res.data && res.data.error === 'unknown_code';
    if (unknown) toast(t('err_unknown_code'));
    else {
      hunt = hunt || localStorage.getItem(LAST_HUNT) || null;
      outbox.add({ hunt, type: 'scan', code: token });
      scanned = true;
    }
  }
  hunt = hunt || localStorage.getItem(LAST_HUNT);
  // Never record a scan twice by reloading: the address becomes the plain app.
  if (m || join) history.replaceState(null, '', hunt ? '/?hunt=' + enc(hunt) : '/');

  if (!hunt) return showHunts(true);
  return enterHunt(hunt, { join, scanned });
}

async function showHunts(auto) {
  screen('hunts');
  renderAnnouncements(); // no hunt chosen: none
  setText($('hunt-title'), '');
  setLogo(null);
  const res = await call('GET', '/api/hunts');
  const list = res.ok && Array.isArray(res.data) ? res.data : [];
  if (auto && list.length === 1) return enterHunt(list[0].id, {});
  const ul = $('hunt-list');
  ul.replaceChildren(...list.map((hu) => h('li', {},
    h('button', { type: 'button', class: 'hunt', onclick: () => enterHunt(hu.id, {}) },
      h('strong', { text: hu.title || hu.id }),
      h('span', { class: 'muted', text: ' · ' + t('hunt_state_' + hu.state) }),
      hu.starts_at && hu.ends_at ? h('span', { class: 'dates',
        text: dateRange(hu.starts_at, hu.ends_at) }) : null))));
  setText($('hunts-empty'), res.ok ? t('no_hunts') : errorText(res));
  show($('hunts-empty'), list.length === 0);
}

async function enterHunt(hunt, { join, scanned }) {
  S.hunt = hunt;
  S.cards.clear();
  $('puzzle-list').replaceChildren();
  try { localStorage.setItem(LAST_HUNT, hunt); } catch { /* ignore */ }
  const res = await call('GET', '/api/hunts/' + enc(hunt));
  if (res.status === 404) {
    try { localStorage.removeItem(LAST_HUNT); } catch { /* ignore */ }
    S.hunt = null;
    toast(t('err_hunt_unknown'));
    return showHunts(false);
  }
  if (res.ok) setInfo(res.data, res.cached);
  loadAnnouncements();
  const saved = savedTeam(hunt);
  if (saved && join && normCode(saved.team.join_code) === normCode(join)) join = null;
  if (saved && !join) return enterPlay();
  showJoin();
  show($('join-scan-note'), Boolean(scanned) || outbox.items().some((i) => !i.hunt || (i.hunt === hunt && i.type === 'scan')));
  if (join) {
    $('join-code').value = join;
    if (!saved) return doJoin(join);
    setText($('join-msg'), t('join_prefilled'));
  }
}

// cached: the answer came from the service worker's cache, so its server_time is old.
function setInfo(info, cached) {
  S.info = info;
  if (info.server_time && !cached) S.offset = Date.parse(info.server_time) - Date.now();
  setText($('hunt-title'), info.title || '');
  document.title = (info.title ? info.title + ' – ' : '') + 'spur';
  applyBranding(info.branding || {});
}

// The organizer's colour, where white text on it stays readable (4.5:1, and so does
// the colour as text on white); else spur's own.
function readableAccent(hex) {
  if (!/^#[0-9a-f]{6}$/i.test(hex || '')) return null;
  const lin = (i) => { const c = parseInt(hex.slice(i, i + 2), 16) / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
  return 1.05 / (lum + 0.05) >= 4.5 ? hex : null;
}

function applyBranding(b) {
  const accent = readableAccent(b.accent);
  if (accent) document.documentElement.style.setProperty('--brand', accent);
  else document.documentElement.style.removeProperty('--brand');
  setText($('join-organizer'), b.organizer ? t('organized_by', { name: b.organizer }) : '');
  show($('join-organizer'), !!b.organizer);
  setText($('join-footer'), b.footer || '');
  show($('join-footer'), !!b.footer);
  setLogo(b.logo);
}

// The organizer's logo in the header, in place of spur's name, with the alt text the
// hunt file gives it. Not lazy: it is at the top of every screen. Only our own media
// paths; width and height reserve its box before it loads.
function setLogo(logo) {
  const img = $('hunt-logo');
  const ok = logo && typeof logo.url === 'string' && /^\/api\/hunts\/[^/]+\/media\/[^/]+$/.test(logo.url);
  if (ok) {
    if (img.getAttribute('src') !== logo.url) img.src = logo.url;
    img.alt = typeof logo.alt === 'string' ? logo.alt : '';
    for (const k of ['width', 'height']) {
      if (Number.isInteger(logo[k]) && logo[k] > 0) img.setAttribute(k, logo[k]); else img.removeAttribute(k);
    }
  } else img.removeAttribute('src');
  show(img, !!ok);
  show($('brand'), !ok);
}

// ---- joining -------------------------------------------------------------------

function showJoin() {
  screen('join');
  const info = S.info || {};
  setText($('join-h'), info.title || S.hunt);
  setRich($('join-intro'), info.intro_html, info.intro);
  const over = info.state === 'over';
  show($('join-over'), over);
  show($('form-create'), !over);
  setText($('join-dates'), info.starts_at && info.ends_at
    ? dateRange(info.starts_at, info.ends_at) : '');
}

async function joined(res, msgEl) {
  if (!res.ok || !res.data || !res.data.team) {
    setText(msgEl, errorText(res));
    return;
  }
  saveTeam(S.hunt, res.data.team, res.data.token);
  outbox.adopt(S.hunt);
  offerContact();
  setText(msgEl, '');
  await enterPlay();
}

async function doJoin(code) {
  const form = $('form-join');
  form.setAttribute('aria-busy', 'true');
  setText($('join-msg'), t('joining'));
  const res = await call('POST', `/api/hunts/${enc(S.hunt)}/join`, { join_code: code.trim() });
  form.removeAttribute('aria-busy');
  if (res.status === 404 || (res.data && res.data.error === 'bad_code')) res.data = { error: 'bad_code' };
  await joined(res, $('join-msg'));
  if (!res.ok && !res.network) $('join-code').setAttribute('aria-invalid', 'true');
}

function lostTeam() {
  forgetTeam(S.hunt);
  closeEvents();
  showJoin();
  setText($('join-msg'), t('err_unauthorized'));
}

// ---- playing -------------------------------------------------------------------

async function enterPlay() {
  screen('play');
  const saved = savedTeam(S.hunt);
  S.me = { team: saved.team };
  S.meSolved = undefined;
  renderMe();
  selectTab(S.tab);
  renderPending();
  await Promise.all([refresh(), loadBoard()]);
  openEvents();
  sync();
}

// Reloads hunt, team and clues. Refreshes may overlap (online event, sync, timer):
// only the newest one's answers are used, so an older, slower one cannot put back
// a stale clue list.
let refreshGen = 0;
async function refresh() {
  if (!S.hunt || !savedTeam(S.hunt)) return;
  const gen = ++refreshGen;
  const base = '/api/hunts/' + enc(S.hunt);
  const [info, me, pz] = await Promise.all([call('GET', base), call('GET', base + '/me'), call('GET', base + '/puzzles')]);
  if (gen !== refreshGen) return;
  if (info.ok) setInfo(info.data, info.cached);
  if (me.ok && me.data) {
    S.me = me.data;
    if (me.data.team) saveTeam(S.hunt, me.data.team, savedTeam(S.hunt)?.token);
  }
  if (pz.ok && Array.isArray(pz.data)) S.puzzles = pz.data;
  renderMe();
  renderPuzzles();
  renderMapTab();
  tick();
}

function renderMe() {
  const me = S.me || {};
  const team = me.team || {};
  setText($('team-line'), team.name || '');
  setText($('my-score'), typeof me.score === 'number' ? t('score', { n: me.score }) : '');
  setText($('my-rank'), me.rank ? t('rank', { n: me.rank }) + (me.teams ? ' ' + t('of_teams', { n: me.teams }) : '') : t('rank_none'));
  // A teammate's solve, hint or scan (or a held scan that opened) changes the team's
  // count of changes, told by the event stream's `me`: the clue list follows at once,
  // not at the next minute's refresh.
  if (typeof me.changes === 'number') {
    if (S.meChanges !== undefined && me.changes !== S.meChanges) refreshSoon();
    S.meChanges = me.changes;
  }
  setText($('team-name-show'), team.name || '');
  setText($('my-join-code'), team.join_code || '');
  $('join-qr').alt = t('qr_alt', { name: team.name || '' });
  const prizes = Array.isArray(me.prizes) ? me.prizes : [];
  // A reserve has not won: it is in line (its place N) should a winner not come forward.
  const isReserve = (p) => p && typeof p === 'object' && (p.reserve === true || p.status === 'reserve');
  $('prize-list').replaceChildren(...prizes.map((p) => {
    if (typeof p === 'string') return h('li', { text: p });
    const status = !isReserve(p) ? t('prize_winner')
      : p.reserve_rank ? t('prize_reserve_rank', { n: p.reserve_rank }) : t('prize_reserve');
    return h('li', { class: isReserve(p) ? 'prize reserve' : 'prize' },
      h('strong', { text: p.name || p.prize || '' }),
      h('span', { text: ' – ' + status }),
      p.claim_code ? h('span', { class: 'claim' }, t('claim_code') + ' ', h('span', { class: 'code', text: p.claim_code })) : null,
      // at the desk staff scan it with any camera app: it opens their console with the code
      p.claim_code && p.prize ? h('img', { class: 'claim-qr', width: '160', height: '160', loading: 'lazy',
        src: `/api/hunts/${enc(S.hunt)}/me/claim.svg?prize=${enc(p.prize)}`, alt: t('claim_qr_alt', { code: p.claim_code }) }) : null);
  }));
  setText($('prize-box').querySelector('h3'), t(prizes.some((p) => !isReserve(p)) ? 'prizes' : 'prizes_reserve_only'));
  show($('prize-box'), prizes.length > 0);
  renderContact();
}

// One refresh for a burst of `me` events (several phones solving within a second).
let refreshTimer = 0;
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => { refreshTimer = 0; refresh(); }, 300);
}

function selectTab(name) {
  S.tab = name;
  if (name !== 'clues') stopCamera();
  for (const b of document.querySelectorAll('.tab')) {
    const on = b.dataset.tab === name;
    if (on) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    show($(b.getAttribute('aria-controls')), on);
  }
  if (name === 'team' && S.hunt) {
    const src = `/api/hunts/${enc(S.hunt)}/me/join.svg`;
    if ($('join-qr').getAttribute('src') !== src) $('join-qr').src = src;
  }
  if (name === 'board') loadBoard();
  if (name === 'map') openMap();
}

// ---- the map (map.js, loaded when the tab is first opened) -----------------------

let mapMod = null;

// The tab is there when some puzzle's place has a position.
function renderMapTab() {
  const any = S.puzzles.some((p) => p.place && typeof p.place.lat === 'number' && typeof p.place.lon === 'number');
  show($('tab-map'), any);
  if (!any && S.tab === 'map') selectTab('clues');
  else if (mapMod && S.tab === 'map') mapMod.update();
}

async function openMap() {
  if (!mapMod) {
    try { mapMod = await import('./map.js'); } catch { mapMod = null; }
    if (!mapMod) { setText($('map-msg'), t(navigator.onLine ? 'map_failed' : 'map_offline')); return; }
  }
  if (S.tab === 'map' && !$('screen-play').hidden) mapMod.update();
}


// ---- clock and hunt state ------------------------------------------------------
function tick() {
  if (!S.info || $('screen-play').hidden) return;
  const st = huntState();
  const n = now();
  let clock = '';
  if (st === 'upcoming') clock = t('starts_in', { t: duration(Date.parse(S.info.starts_at) - n, true) });
  else if (st !== 'over') {
    clock = t('ends_in', { t: duration(Date.parse(S.info.ends_at) - n) });
    const fr = Date.parse(S.info.freeze_at || '');
    if (st === 'running' && fr && fr > n && fr < Date.parse(S.info.ends_at)) clock += ' · ' + t('freeze_in', { t: duration(fr - n, true) });
  }
  setText($('clock'), clock);
  const note = st === 'running' ? '' : t('state_' + st);
  setText($('state-note'), note);
  show($('state-note'), Boolean(note));
  const scanning = st === 'running' || st === 'frozen';
  show($('form-scan'), scanning);
  if (!scanning) stopCamera();
  show($('invite'), st !== 'over');
  if (S.lastState && S.lastState !== st) { refresh(); loadBoard(); }
  S.lastState = st;
  // rate-limit countdowns
  for (const [id, until] of S.rateUntil) {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) { S.rateUntil.delete(id); setFeedback(id, '', ''); }
    else setFeedback(id, t('rate_limited', { s: left }), 'error', true);
    updateButtons(id);
  }
}


// ---- the outbox ----------------------------------------------------------------

// An item that waited in the outbox is counted by how it ended: sent, too late (the
// hunt ended before it arrived) or refused for another reason, so the toast after a
// sync never calls a refused item sent.
function onResult(item, res) {
  const replay = S.waited.has(item.client_id);
  S.waited.delete(item.client_id);
  const d = res.data || {};
  const late = res.status === 403 && d.error === 'hunt_over';
  if (replay) {
    const k = res.ok ? 'sent' : late ? 'late' : 'refused';
    S.synced[k] = (S.synced[k] || 0) + 1;
  }
  if (item.type === 'checkin') { checkinResult(item, res, replay); return; }
  if (item.type === 'photo') { photoResult(item, res, replay); return; }
  if (item.type === 'answer') {
    const id = item.puzzle;
    if (res.status === 429) {
      S.rateUntil.set(id, Date.now() + Math.max(1, res.retryAfter || 30) * 1000);
      if (!S.drafts.get(id)) S.drafts.set(id, item.answer);
      const c = S.cards.get(id);
      const input = c && c.li.querySelector('input[data-role="answer"]');
      if (input && !input.value) input.value = item.answer;
      setFeedback(id, t('rate_limited', { s: Math.max(1, res.retryAfter || 30) }), 'error');
      updateButtons(id);
      return;
    }
    if (res.ok && d.correct) {
      S.drafts.delete(id);
      setFeedback(id, t('correct', { n: d.points ?? 0 }), 'ok');
      if (typeof d.score === 'number' && S.me) { S.me.score = d.score; renderMe(); }
      const p = S.puzzles.find((x) => x.id === id);
      if (p) { p.status = 'solved'; p.points_earned = d.points ?? 0; }
      if (typeof S.meSolved === 'number') S.meSolved++; // this phone's list knows already
    } else if (late) {
      setFeedback(id, t(replay ? 'late_answer' : 'err_hunt_over', { answer: item.answer }), 'error');
    } else if (res.ok && d.partial) {
      setFeedback(id, d.message || t('wrong'), 'partial');
    } else if (res.ok) {
      // The server words a plain wrong answer in the hunt's language; say it in the app's.
      setFeedback(id, t(d.repeated ? 'wrong_repeated' : 'wrong'), 'error');
    } else if (res.status === 409) {
      setFeedback(id, t('already_solved'), 'ok');
    } else {
      setFeedback(id, errorText(res), 'error');
    }
    if (replay) { const c = S.cards.get(id); if (c) c.sig = null; }
    return;
  }
  // scan
  if (res.ok) {
    const place = placeName(d.place);
    const solved = Array.isArray(d.solved) ? d.solved : [];
    const unlocked = Array.isArray(d.unlocked) ? d.unlocked : [];
    const held = Array.isArray(d.held) ? d.held : [];
    const news = solved.length || unlocked.length || held.length;
    let msg = news ? t('scan_ok', { place }) : t('scan_ok_nothing', { place });
    const quote = (ids) => ids.map((id) => (lang() === 'de' ? '„' + titleOf(id) + '“' : '“' + titleOf(id) + '”')).join(', ');
    if (solved.length) msg += ' ' + t('scan_solved', { list: solved.map(titleOf).join(', ') });
    if (unlocked.length) msg += ' ' + t('scan_unlocked', { list: unlocked.map(titleOf).join(', ') });
    if (held.length) msg += ' ' + t('scan_held', { list: quote(held) });
    setScanMsg(msg, 'ok');
    if (item.puzzle) setFeedback(item.puzzle, msg, 'ok'); // typed in a check-in card
  } else if (late && replay) {
    setScanMsg(t('scan_late'), 'error');
    if (item.puzzle) setFeedback(item.puzzle, t('scan_late'), 'error');
  } else {
    setScanMsg(errorText(res), 'error');
    if (item.puzzle) setFeedback(item.puzzle, errorText(res), 'error');
  }
}

// The scan answer's place is its id (or an object with a name): show the name the
// clue list knows for it.
function placeName(pl) {
  if (pl && typeof pl === 'object') return pl.name || pl.id || '';
  const known = S.puzzles.find((p) => p.place && p.place.id === pl);
  return known ? known.place.name : String(pl || '');
}

// A code typed in, or seen by the camera: queued and sent like a scanned poster.
function queueScan(code, note) {
  // A double tap must not queue the same code twice.
  if (!outbox.items().some((i) => i.hunt === S.hunt && i.type === 'scan' && i.code === code)) {
    outbox.add({ hunt: S.hunt, type: 'scan', code });
  }
  setScanMsg(note || '', note ? 'info' : '');
  sync();
}

// ---- the camera (camera.js, loaded on first use) ---------------------------------

let camera = null;   // the module once loaded
let cameraLoading = false;

function cameraPossible() {
  return window.isSecureContext && Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

async function openCamera() {
  if (cameraLoading) return;
  if (!camera) {
    cameraLoading = true;
    try { camera = await import('./camera.js'); } catch { camera = null; }
    cameraLoading = false;
    if (!camera) { setScanMsg(t(navigator.onLine ? 'camera_failed' : 'camera_offline'), 'error'); return; }
  }
  if (!S.hunt || $('screen-play').hidden || S.tab !== 'clues') return; // moved on meanwhile
  camera.open({ hunt: S.hunt, onCode: (code) => queueScan(code, t('camera_found')) });
}

function stopCamera() { if (camera) camera.close(); }

function setScanMsg(text, kind) {
  const el = $('scan-msg');
  setText(el, text);
  el.className = 'msg ' + kind;
}

let syncing = null;
let scanRetry = 0; // a scan waits for the Retry-After of a 429
async function sync() {
  if (!S.hunt || !savedTeam(S.hunt)) { renderPending(); return; }
  if (syncing) { syncing.again = true; return; }
  syncing = { again: false };
  let anySent = false;
  S.synced = {};
  try {
    for (;;) {
      const r = await outbox.flush(S.hunt, onResult);
      if (r.sent) anySent = true;
      if (r.unauthorized) { lostTeam(); break; }
      const left = outbox.items().filter((i) => i.hunt === S.hunt);
      for (const i of left) S.waited.add(i.client_id);
      if (r.wait) { // the server is there, but wants this network (or team) to slow down
        if (r.waiting && r.waiting.type === 'photo') setFeedback(r.waiting.puzzle, t('photo_busy'), 'info');
        else setScanMsg(t('scan_waits', { s: r.wait }), 'error');
        clearTimeout(scanRetry);
        scanRetry = setTimeout(sync, r.wait * 1000);
        break;
      }
      setNet(left.length > 0);
      if (left.length && !r.sent) {
        for (const i of left) if (i.puzzle) setFeedback(i.puzzle, t('queued'), 'info');
        if (left.some((i) => i.type === 'scan')) setScanMsg(t('queued'), 'info');
      }
      if (!syncing.again || left.length) break;
      syncing.again = false;
    }
  } finally {
    syncing = null;
  }
  const done = S.synced;
  const said = [];
  if (done.sent && !done.late && !done.refused) said.push(t('synced'));
  if (done.late) said.push(t('synced_late', { n: done.late }));
  if (done.refused) said.push(t('synced_refused', { n: done.refused }));
  if (said.length) toast(said.join(' '));
  renderPending();
  if (anySent) { await refresh(); }
}

function renderPending() {
  const items = outbox.items().filter((i) => (i.hunt === S.hunt || !i.hunt) && (S.waited.has(i.client_id) || !i.hunt || !navigator.onLine));
  for (const i of items) S.waited.add(i.client_id);
  $('pending-list').replaceChildren(...items.map((i) => h('li', {
    text: i.type === 'scan' ? t('pending_scan', { code: i.code.length > 12 ? i.code.slice(0, 6) + '…' : i.code })
      : i.type === 'checkin' ? t('pending_checkin_item', { title: titleOf(i.puzzle) })
        : i.type === 'photo' ? t('pending_photo_item', { title: titleOf(i.puzzle) })
          : t('pending_item', { title: titleOf(i.puzzle), answer: i.answer }) })));
  show($('pending-box'), items.length > 0);
  renderPuzzles();
}


// ---- wiring --------------------------------------------------------------------

function bindStatic() {
  $('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'de' ? 'en' : 'de');
    applyLang();
    for (const c of S.cards.values()) c.sig = null;
    if (S.me) renderMe();
    renderPuzzles();
    renderPending();
    setScanMsg('', ''); // it was in the other language
    if (camera) camera.relabel();
    if (S.board) renderBoard(S.board);
    relabelAnnouncements();
    if (mapMod && S.tab === 'map') mapMod.update();
    if (S.info && !$('screen-join').hidden) showJoin();
    if (!$('screen-hunts').hidden) showHunts();
    tick();
  });
  $('form-create').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('team-name').value.trim();
    if (!name) { setText($('create-msg'), t('err_bad_name')); $('team-name').focus(); return; }
    if (nameLength(name) > NAME_MAX) { nameTooLong(); $('team-name').focus(); return; }
    $('form-create').setAttribute('aria-busy', 'true');
    const res = await call('POST', `/api/hunts/${enc(S.hunt)}/teams`, { name });
    $('form-create').removeAttribute('aria-busy');
    await joined(res, $('create-msg'));
    if (!res.ok) { $('team-name').setAttribute('aria-invalid', 'true'); $('team-name').focus(); }
  });
  for (const id of ['team-name', 'join-code']) $(id).addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
  $('team-name').addEventListener('input', () => {
    if (nameLength($('team-name').value.trim()) > NAME_MAX) nameTooLong();
    else if ($('create-msg').dataset.long) { setText($('create-msg'), ''); delete $('create-msg').dataset.long; }
  });
  $('form-join').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = $('join-code').value;
    if (!normCode(code)) { setText($('join-msg'), t('err_bad_code')); $('join-code').focus(); return; }
    doJoin(code);
  });
  $('form-scan').addEventListener('submit', (e) => {
    e.preventDefault();
    const code = $('scan-code').value.trim();
    if (!code) { setScanMsg(t('err_unknown_code'), 'error'); return; }
    $('scan-code').value = '';
    queueScan(code);
  });
  show($('btn-camera'), cameraPossible());
  $('btn-camera').addEventListener('click', openCamera);
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => selectTab(b.dataset.tab));
  // No broken image when the QR cannot be had (offline, or refused after the end).
  $('join-qr').addEventListener('error', () => show($('join-qr'), false));
  $('join-qr').addEventListener('load', () => show($('join-qr'), true));
  const other = () => { closeEvents(); S.hunt = null; try { localStorage.removeItem(LAST_HUNT); } catch { /* ignore */ } showHunts(); };
  $('btn-other-hunt').addEventListener('click', other);
  $('btn-other-hunt-2').addEventListener('click', other);
  $('btn-leave').addEventListener('click', async () => {
    if (!(await ask(t('leave_confirm')))) return;
    forgetTeam(S.hunt);
    closeEvents();
    S.me = null;
    showJoin();
  });
  window.addEventListener('online', () => { setNet(false); sync(); refresh(); if (S.tab === 'map') openMap(); });
  window.addEventListener('offline', () => { setNet(true); if (mapMod && S.tab === 'map') mapMod.update(); });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) { closeEvents(); stopCamera(); return; }
    if (S.hunt && savedTeam(S.hunt) && !$('screen-play').hidden) { openEvents(); sync(); refresh(); loadBoard(); }
  });
  setInterval(tick, 1000);
  setInterval(() => { if (outbox.items().length) sync(); }, RETRY_MS);
  setInterval(() => { if (!document.hidden && !$('screen-play').hidden) refresh(); }, REFRESH_MS);
}

hooks.sync = sync;
hooks.refresh = refresh;
hooks.lostTeam = lostTeam;
hooks.renderMe = renderMe;

start();

// Scanning a poster's QR code with the camera inside the app. For phones where the
// camera app cannot hand the poster's address to the app: an iPhone with the app on
// its home screen opens the address in Safari, which has no team. Loaded by app.js
// with import() only when the camera button is pressed.
//
// The server decodes (no QR decoder in the page): one greyscale JPEG of the middle of
// the picture at a time goes to POST /api/hunts/{h}/decode; after its answer, about
// 400 ms later, the next. {"code": token}: a poster of this hunt, handed to onCode,
// which queues it like a typed or scanned code (the outbox). {"code": null}: nothing
// found; with "foreign": true a QR code that is not one of the hunt's posters.
// The camera (every track) stops as soon as a code is found, the panel is closed, the
// page is hidden, the screen or tab changes (app.js calls close()), or after IDLE_MIN
// minutes without a code. The service worker leaves these POSTs alone.

import { t } from './i18n.js';
import { enc, savedTeam } from './api.js';
import { $, show, setText } from './ui.js';
import { hooks } from './state.js';

const PAUSE_MS = 400;      // between an answer and the next picture
const SIDE = 640;          // pixels per side sent, at most
const QUALITY = 0.7;
const TIMEOUT_MS = 15000;
const IDLE_MIN = 2;        // minutes without a code before the camera stops by itself
const HOLD_MS = 4000;      // a "not ours" or "server busy" line stays this long
const FLAT = 6;            // grey levels of spread below which a picture is blank

let run = null;            // the camera while it runs: {hunt, stream, ctl, timer, ...}
let msg = { key: '', vars: null, kind: '' };
let onCode = () => {};
let lastHunt = null;       // for "start the camera again"

// ---- the panel -----------------------------------------------------------------

function say(key, vars = null, kind = 'info') {
  msg = { key, vars, kind };
  relabel();
}

// The current line again, in the current language (after the language switch).
export function relabel() {
  const el = $('camera-msg');
  setText(el, msg.key ? t(msg.key, msg.vars) : '');
  el.className = 'msg ' + msg.kind;
}

function panel(open, live) {
  show($('camera'), open);
  show($('btn-camera'), !open);
  $('btn-camera').setAttribute('aria-expanded', String(open));
  show($('camera-view'), live);
  show($('btn-camera-retry'), open && !live);
}

function stopStream(my) {
  clearTimeout(my.timer);
  if (my.ctl) my.ctl.abort();
  if (my.stream) for (const tr of my.stream.getTracks()) tr.stop();
  const v = $('camera-video');
  v.pause();
  v.srcObject = null;
}

// Closes the panel and stops the camera. Focus that was inside goes back to the
// button that opened it.
export function close() {
  if (!run && $('camera').hidden) return;
  const had = $('camera').contains(document.activeElement);
  if (run) { stopStream(run); run = null; }
  say('');
  panel(false, false);
  if (had) $('btn-camera').focus();
}

// Stops the camera but keeps the panel open with a message and "start again".
function fail(key, vars) {
  if (run) { stopStream(run); run = null; }
  const had = $('camera').contains(document.activeElement);
  panel(true, false);
  say(key, vars, 'note');
  if (had && document.activeElement === document.body) $('btn-camera-stop').focus();
}

function reason(e) {
  const n = e && e.name;
  if (n === 'NotAllowedError' || n === 'SecurityError' || n === 'PermissionDeniedError') return 'camera_denied';
  if (n === 'NotFoundError' || n === 'OverconstrainedError' || n === 'DevicesNotFoundError') return 'camera_none';
  if (n === 'NotReadableError' || n === 'AbortError' || n === 'TrackStartError') return 'camera_busy';
  return 'camera_failed';
}

// Opens the panel and starts the rear camera. opts.onCode(token) gets the code of a
// poster of hunt opts.hunt once one is seen.
export async function open(opts) {
  if (opts && opts.onCode) onCode = opts.onCode;
  if (opts && opts.hunt) lastHunt = opts.hunt;
  const hunt = lastHunt;
  if (run || !hunt) return;
  // The (black) viewfinder at once, so nothing jumps when the picture comes.
  panel(true, true);
  say('camera_starting');
  $('btn-camera-stop').focus({ preventScroll: true });
  $('camera').scrollIntoView({ block: 'nearest' });
  if (!navigator.onLine) { fail('camera_offline'); return; }
  const my = { hunt, stream: null, ctl: null, timer: 0, since: Date.now(), holdUntil: 0, net: 0, bad: 0, side: SIDE, canvas: null };
  run = my;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (e) {
    if (run === my) fail(reason(e));
    return;
  }
  if (run !== my) { for (const tr of stream.getTracks()) tr.stop(); return; } // closed meanwhile
  my.stream = stream;
  for (const tr of stream.getVideoTracks()) tr.addEventListener('ended', () => { if (run === my) fail('camera_busy'); });
  const v = $('camera-video');
  v.srcObject = stream;
  v.play().catch(() => {});
  say('camera_aim');
  later(my, 0);
}

// ---- one picture at a time -------------------------------------------------------

function later(my, ms) {
  clearTimeout(my.timer);
  my.timer = setTimeout(() => frame(my), ms);
}

async function frame(my) {
  if (run !== my) return;
  if (document.hidden || $('camera').closest('[hidden]')) { close(); return; }
  if (Date.now() - my.since > IDLE_MIN * 60000) { fail('camera_idle', { m: IDLE_MIN }); return; }
  const v = $('camera-video');
  if (v.readyState < 2 || !v.videoWidth) { later(my, 200); return; }
  const blob = await grab(my, v);
  if (run !== my) return;
  if (!blob) { later(my, PAUSE_MS); return; }
  const res = await post(my, blob);
  if (run !== my) return;
  answer(my, res);
}

// The largest centred square of the picture (what the viewfinder shows), at most
// my.side pixels a side, in grey: a JPEG of 15–40 KB. null when the picture is blank
// (lens covered, a plain wall): not worth sending.
function grab(my, v) {
  const w = v.videoWidth, ht = v.videoHeight;
  const side = Math.min(w, ht);
  const out = Math.min(side, my.side);
  const c = my.canvas || (my.canvas = document.createElement('canvas'));
  c.width = out;
  c.height = out;
  const g = c.getContext('2d', { willReadFrequently: true });
  g.drawImage(v, (w - side) / 2, (ht - side) / 2, side, side, 0, 0, out, out);
  const img = g.getImageData(0, 0, out, out);
  const d = img.data;
  let sum = 0, sq = 0;
  for (let i = 0; i < d.length; i += 4) {
    const y = (d[i] * 77 + d[i + 1] * 150 + d[i + 2] * 29) >> 8;
    d[i] = d[i + 1] = d[i + 2] = y;
    sum += y;
    sq += y * y;
  }
  const n = d.length / 4;
  if (Math.sqrt(Math.max(0, sq / n - (sum / n) ** 2)) < FLAT) return Promise.resolve(null);
  g.putImageData(img, 0, 0);
  return new Promise((resolve) => c.toBlob(resolve, 'image/jpeg', QUALITY));
}

async function post(my, blob) {
  const headers = { 'Content-Type': 'image/jpeg', Accept: 'application/json' };
  const saved = savedTeam(my.hunt);
  if (saved && saved.token) headers.Authorization = 'Bearer ' + saved.token;
  const ctl = new AbortController();
  my.ctl = ctl;
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(`/api/hunts/${enc(my.hunt)}/decode`, {
      method: 'POST', headers, body: blob, credentials: 'same-origin', cache: 'no-store', signal: ctl.signal,
    });
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    const ra = parseInt(res.headers.get('Retry-After') || '0', 10);
    return { status: res.status, data, retryAfter: ra > 0 ? ra : 0 };
  } catch {
    return { status: 0, data: null, retryAfter: 0 };
  } finally {
    clearTimeout(timer);
    if (my.ctl === ctl) my.ctl = null;
  }
}

function answer(my, res) {
  const d = res.data || {};
  const st = res.status;
  if (st === 200) {
    my.net = 0;
    my.bad = 0;
    if (typeof d.code === 'string' && d.code) {
      const cb = onCode;
      close();
      cb(d.code);
      return;
    }
    if (d.foreign) {
      my.since = Date.now(); // someone is aiming at a code: not idle
      my.holdUntil = Date.now() + HOLD_MS;
      say('camera_foreign', null, 'error');
    } else if (Date.now() > my.holdUntil && msg.key !== 'camera_aim') {
      say('camera_aim');
    }
    later(my, PAUSE_MS);
    return;
  }
  if (st === 0) { // no answer: offline, or the connection dropped
    if (!navigator.onLine || ++my.net >= 3) fail('camera_offline');
    else later(my, 2000);
    return;
  }
  if (st === 401) { close(); hooks.lostTeam(); return; }
  if (st === 429) { later(my, Math.max(1, res.retryAfter) * 1000); return; } // a picture of ours is still being decoded
  if (st >= 500) {
    const s = Math.max(1, res.retryAfter || 3);
    if (++my.bad > 5) { fail('camera_failed'); return; }
    my.holdUntil = Date.now() + s * 1000;
    say('camera_wait', { s }, 'error');
    later(my, s * 1000);
    return;
  }
  if (st === 413) my.side = Math.max(240, Math.round(my.side * 0.75));
  if ((st === 400 || st === 413) && ++my.bad < 3) { later(my, PAUSE_MS); return; }
  // anything else will not get better by trying again (the hunt is over, say)
  const own = d.error ? 'err_' + d.error : '';
  fail(own && t(own) !== own ? own : 'camera_failed');
}

// ---- wiring (once, when the module is first loaded) ---------------------------------

$('btn-camera-stop').addEventListener('click', close);
$('btn-camera-retry').addEventListener('click', () => open({}));
$('camera').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
document.addEventListener('visibilitychange', () => { if (document.hidden) close(); });
window.addEventListener('pagehide', close);

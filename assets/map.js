// The map tab: the places of the team's open puzzles on a Leaflet map (Debian's
// libjs-leaflet, which spurd serves at /vendor/leaflet/), with the tiles and credit
// line the hunt names (GET /api/hunts/{h} `map`), and below it always the same places
// as a list with distance and direction from the phone's last known position: the
// accessible way to the places, and the whole of the tab without network or when
// Leaflet or the tiles fail. Loaded by app.js when the tab is first opened, and it
// loads Leaflet then: neither is part of the app's first load. The player's own
// position appears only after a tap (geo.js; the first time with the sentence why).
// Place names and the credit line are text, never markup.

import { t, lang } from './i18n.js';
import { $, h, show, setText } from './ui.js';
import { S } from './state.js';
import * as geo from './geo.js';

const LEAFLET = '/vendor/leaflet/';
const LOAD_TIMEOUT_MS = 15000;
const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

let leaflet = null;   // promise of window.L while loading or loaded
let map = null;       // the L.map once drawn
let marks = null;     // layer of the places' markers
let meOn = false;     // the player asked to see their position (this visit)
let me = null;        // layer of the player's position
let tiles = null;
let tileUrl = '';
let fitted = false;   // the view was fitted to the places once (later the player's pan stays)
let tileLoads = 0, tileErrors = 0;
let bound = false;

function msg(text, kind) {
  const el = $('map-msg');
  setText(el, text);
  el.className = 'msg ' + (kind || 'info');
}

// Injects leaflet.css and leaflet.js once; resolves window.L. A failure (offline,
// libjs-leaflet missing) removes them again, so a later try starts afresh.
function loadLeaflet() {
  if (leaflet) return leaflet;
  leaflet = new Promise((resolve, reject) => {
    let left = 2;
    const timer = setTimeout(() => reject(new Error('leaflet: timeout')), LOAD_TIMEOUT_MS);
    const ok = () => { if (--left === 0) { clearTimeout(timer); if (window.L) resolve(window.L); else reject(new Error('leaflet: no L')); } };
    const bad = () => { clearTimeout(timer); reject(new Error('leaflet: not loaded')); };
    document.head.append(
      h('link', { rel: 'stylesheet', href: LEAFLET + 'leaflet.css', 'data-leaflet': '', onload: ok, onerror: bad }),
      h('script', { src: LEAFLET + 'leaflet.js', 'data-leaflet': '', onload: ok, onerror: bad }));
  });
  leaflet.catch(() => {
    leaflet = null;
    for (const el of document.querySelectorAll('[data-leaflet]')) el.remove();
  });
  return leaflet;
}

// The places of open puzzles that have a position, one entry per place.
function openPlaces() {
  const byId = new Map();
  for (const p of S.puzzles) {
    const pl = p.place;
    if (p.status !== 'open' || !pl || typeof pl.lat !== 'number' || typeof pl.lon !== 'number') continue;
    const e = byId.get(pl.id) || { id: pl.id, name: pl.name || pl.id, where: pl.where || '', lat: pl.lat, lon: pl.lon, puzzles: [] };
    e.puzzles.push(p.title || p.id);
    byId.set(pl.id, e);
  }
  return [...byId.values()];
}

// Every place with a position (for the first view when nothing is open).
function allPlaces() {
  return S.puzzles.map((p) => p.place).filter((pl) => pl && typeof pl.lat === 'number' && typeof pl.lon === 'number');
}

const loc = () => (lang() === 'de' ? 'de-DE' : 'en-GB');

function distText(from, pl) {
  const m = geo.distance(from, pl);
  const dir = t('dir_' + geo.compass(geo.bearing(from, pl)));
  const r = geo.roundMetres(m);
  return r < 1000 ? t('place_dist', { m: r.toLocaleString(loc()), dir })
    : t('place_dist_km', { km: (r / 1000).toLocaleString(loc(), { maximumFractionDigits: 1 }), dir });
}

function renderList(places) {
  const fix = geo.lastFix();
  const rows = places.map((pl) => ({ pl, d: fix ? geo.distance(fix, pl) : 0 }));
  if (fix) rows.sort((a, b) => a.d - b.d);
  const quote = (s) => (lang() === 'de' ? '„' + s + '“' : '“' + s + '”');
  $('place-list').replaceChildren(...rows.map(({ pl }) => h('li', { class: 'place-item' },
    h('strong', { class: 'place-name', text: pl.name }),
    fix ? h('span', { class: 'place-dist', text: distText(fix, pl) }) : null,
    pl.where ? h('span', { class: 'place-where', text: pl.where }) : null,
    h('span', { class: 'place-for', text: t('place_for', { list: pl.puzzles.map(quote).join(', ') }) }))));
  show($('places-none'), places.length === 0);
  const time = fix ? new Date(fix.at).toLocaleTimeString(loc(), { hour: '2-digit', minute: '2-digit' }) : '';
  setText($('places-from'), places.length === 0 ? '' : fix ? t('places_from', { time }) : t('places_nofix'));
}

// HTML for Leaflet's credit line, from plain text.
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function label(text) { const s = document.createElement('span'); s.textContent = text; return s; }

function draw(L, places) {
  const box = $('map');
  show(box, true);
  if (!map) {
    map = L.map(box, { zoomControl: true, attributionControl: true, keyboard: true });
    marks = L.layerGroup().addTo(map);
    map.attributionControl.setPrefix(false);
  } else map.invalidateSize();
  const info = (S.info && S.info.map) || {};
  const url = typeof info.tiles === 'string' && info.tiles.startsWith('https://') ? info.tiles : OSM;
  if (url !== tileUrl) {
    if (tiles) tiles.remove();
    tileLoads = 0; tileErrors = 0;
    tiles = L.tileLayer(url, { attribution: esc(info.attribution || '© OpenStreetMap'), maxZoom: 19 });
    tiles.on('tileload', () => { tileLoads++; });
    tiles.on('tileerror', () => {
      // Several tiles failed and none came: say so; the list below has the places.
      if (++tileErrors >= 4 && tileLoads === 0) msg(t('map_tiles_failed'), 'error');
    });
    tiles.addTo(map);
    tileUrl = url;
  }
  marks.clearLayers();
  for (const pl of places) {
    const mk = L.marker([pl.lat, pl.lon], { title: pl.name, alt: pl.name, keyboard: true });
    mk.bindTooltip(label(pl.name), { permanent: true, direction: 'right', className: 'place-tip' });
    mk.addTo(marks);
  }
  if (!fitted) {
    const pts = (places.length ? places : allPlaces()).map((p) => [p.lat, p.lon]);
    if (meOn && geo.lastFix()) pts.push([geo.lastFix().lat, geo.lastFix().lon]);
    if (pts.length === 1) map.setView(pts[0], 16);
    else if (pts.length) map.fitBounds(pts, { padding: [40, 40], maxZoom: 17 });
    fitted = pts.length > 0;
  }
}

// The player's position and its uncertainty; fit: bring places and player into view.
function drawMe(L, fit) {
  const fix = geo.lastFix();
  if (!map || !fix) return;
  if (me) me.remove();
  me = L.layerGroup([
    L.circle([fix.lat, fix.lon], { radius: fix.accuracy || 0, weight: 1, color: '#1f4f8a', fillOpacity: 0.12, interactive: false }),
    L.circleMarker([fix.lat, fix.lon], { radius: 8, weight: 3, color: '#ffffff', fillColor: '#1f4f8a', fillOpacity: 1, interactive: false })
      .bindTooltip(label(t('map_you')), { permanent: true, direction: 'left', className: 'me-tip' }),
  ]).addTo(map);
  if (!fit) return;
  const pts = openPlaces().map((p) => [p.lat, p.lon]);
  pts.push([fix.lat, fix.lon]);
  if (pts.length === 1) map.setView(pts[0], 16); else map.fitBounds(pts, { padding: [40, 40], maxZoom: 17 });
}

async function showMe() {
  msg(t('map_locating'), 'info');
  try {
    await geo.locate();
  } catch (e) {
    msg(t(e.kind === 'denied' ? 'map_denied' : 'map_no_fix'), 'error');
    return;
  }
  msg('', 'info');
  meOn = true;
  update();
  if (window.L && map) drawMe(window.L, true);
}

function bind() {
  if (bound) return;
  bound = true;
  $('map-me').addEventListener('click', () => {
    if (!geo.possible()) { msg(t('map_no_fix'), 'error'); return; }
    if (geo.askedBefore()) { showMe(); return; }
    show($('map-why'), true);
    show($('map-me'), false);
    $('map-why-ok').focus();
  });
  const close = () => { show($('map-why'), false); show($('map-me'), true); };
  $('map-why-ok').addEventListener('click', () => { close(); $('map-me').focus(); showMe(); });
  $('map-why-no').addEventListener('click', () => { close(); $('map-me').focus(); });
}

// Shows the tab's current state: the list always, the map when online and Leaflet
// loads. Called when the tab opens, the clue list changes, the language or the
// network does.
export function update() {
  bind();
  const places = openPlaces();
  renderList(places);
  if (!navigator.onLine) {
    show($('map'), false);
    msg(t('map_offline'), 'info');
    return;
  }
  if (!map) msg(t('map_loading'), 'info');
  loadLeaflet().then((L) => {
    if (S.tab !== 'map' || !navigator.onLine) return;
    if ($('map-msg').textContent === t('map_loading') || $('map-msg').textContent === t('map_offline')) msg('', 'info');
    draw(L, openPlaces());
    if (meOn) drawMe(L, false);
  }, () => {
    show($('map'), false);
    msg(t(navigator.onLine ? 'map_failed' : 'map_offline'), 'error');
  });
}

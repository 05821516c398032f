// The phone's position, for check-ins (clues.js) and the map (map.js). One fix per
// tap, never a watch: nothing is tracked. Before the browser's first permission
// prompt the app says in one sentence why it asks (askedBefore() is false until a
// position was once given); the last fix is kept on the phone (localStorage) so the
// map's place list can say how far and where the places are without network.
// Distances here are for showing only: the server judges check-ins itself.

import { lsGet, lsSet } from './state.js';

const OK_KEY = 'spur.geo.ok';     // true once the browser gave a position
const LAST_KEY = 'spur.geo.last'; // {lat, lon, accuracy, at (ms)}
const TIMEOUT_MS = 20000;
const MAX_AGE_MS = 0;             // a fresh fix at each tap: the player may have walked

export function possible() { return Boolean(navigator.geolocation); }

// true when a position was given before: the explanation is not needed again.
export function askedBefore() { return lsGet(OK_KEY, false) === true; }

// One position: resolves {lat, lon, accuracy, at}; rejects with {kind} where kind is
// 'denied' (no permission), 'none' (no fix in time, no GPS) or 'unsupported'.
export function locate() {
  return new Promise((resolve, reject) => {
    if (!possible()) { reject({ kind: 'unsupported' }); return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      const c = pos.coords;
      const fix = { lat: c.latitude, lon: c.longitude, accuracy: Math.max(0, Math.round(c.accuracy || 0)), at: Date.now() };
      lsSet(OK_KEY, true);
      lsSet(LAST_KEY, fix);
      resolve(fix);
    }, (err) => reject({ kind: err && err.code === 1 ? 'denied' : 'none' }),
    { enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: MAX_AGE_MS });
  });
}

// The last position this phone gave, or null.
export function lastFix() {
  const f = lsGet(LAST_KEY, null);
  return f && typeof f.lat === 'number' && typeof f.lon === 'number' ? f : null;
}

const R = 6371008.8; // the earth's mean radius in metres, as the server's rules.md
const rad = (d) => d * Math.PI / 180;

// Great-circle distance in metres (haversine).
export function distance(a, b) {
  const dLat = rad(b.lat - a.lat), dLon = rad(b.lon - a.lon);
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(s)));
}

// Initial bearing from a to b, degrees clockwise from north (0…360).
export function bearing(a, b) {
  const y = Math.sin(rad(b.lon - a.lon)) * Math.cos(rad(b.lat));
  const x = Math.cos(rad(a.lat)) * Math.sin(rad(b.lat)) - Math.sin(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.cos(rad(b.lon - a.lon));
  return (Math.atan2(y, x) * 180 / Math.PI + 360) % 360;
}

// One of the eight compass points for a bearing: 'n', 'ne', 'e', … (i18n keys dir_*).
export function compass(deg) {
  return ['n', 'ne', 'e', 'se', 's', 'sw', 'w', 'nw'][Math.round((((deg % 360) + 360) % 360) / 45) % 8];
}

// A distance as people say it: to 10 m, beyond a kilometre to 0.1 km.
export function roundMetres(m) {
  return m < 1000 ? Math.max(10, Math.round(m / 10) * 10) : Math.round(m / 100) * 100;
}

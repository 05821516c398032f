// The outbox: answers and scans wait here until the server has answered them.
// Kept in localStorage so a reload, a crash or a closed tab loses nothing. Each item
// carries the client_id and made_at it was created with; resending an item with the
// same client_id makes the server return its first result, so sending again after a
// dropped response never counts twice.
//
// item: {client_id, made_at, hunt, type: 'answer'|'scan'|'checkin'|'photo', puzzle?,
//        answer?, code?, lat?, lon?, accuracy?, jpeg?}
// A check-in keeps the position taken when the player tapped "Ich bin da"; a scan may
// name the puzzle whose card its code was typed in (for the card's feedback). A photo
// keeps its JPEG (already scaled on the phone, photo.js) as a data: URL, since the
// outbox is JSON in localStorage: at most PHOTOS_MAX photos wait at once, so a few
// hundred KB each stay within the few MB a browser gives a page.
// An item whose hunt is null is a scan made before the phone knew its hunt (poster
// opened offline without a team); it is adopted by the first hunt the phone joins.

import { api, enc, newClientId } from './api.js';

const KEY = 'spur.outbox';
export const PHOTOS_MAX = 3;

function load() {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(v) ? v : [];
  } catch { return []; }
}

function store(items) {
  try { localStorage.setItem(KEY, JSON.stringify(items)); } catch { /* full: keep in memory */ }
  memory = items;
}

let memory = load();
let flushing = null;

export function items() { return memory.slice(); }

// false when the browser refused to keep the item (storage full): it then waits in
// memory only, and a reload would lose it.
export function stored(clientId) {
  return load().some((i) => i.client_id === clientId);
}

export function add(fields) {
  const item = {
    client_id: newClientId(),
    made_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...fields,
  };
  store([...load(), item]);
  return item;
}

export function remove(clientId) {
  store(load().filter((i) => i.client_id !== clientId));
}

export function adopt(hunt) {
  const all = load();
  let changed = false;
  for (const i of all) if (!i.hunt) { i.hunt = hunt; changed = true; }
  if (changed) store(all);
}

// A data: URL's bytes as a Blob (fetch() of a data: URL would need the CSP to allow it).
function blobOf(dataUrl) {
  const [head, b64] = String(dataUrl).split(',', 2);
  const bin = atob(b64 || '');
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  return new Blob([bytes], { type: (/^data:([^;,]+)/.exec(head) || [])[1] || 'image/jpeg' });
}

function request(item) {
  if (item.type === 'photo') {
    return api('POST', `/api/hunts/${enc(item.hunt)}/puzzles/${enc(item.puzzle)}/photo?client_id=${enc(item.client_id)}&made_at=${enc(item.made_at)}${item.screen ? '&screen=1' : ''}`,
      blobOf(item.jpeg), item.hunt);
  }
  if (item.type === 'answer') {
    return api('POST', `/api/hunts/${enc(item.hunt)}/puzzles/${enc(item.puzzle)}/answer`,
      { answer: item.answer, client_id: item.client_id, made_at: item.made_at }, item.hunt);
  }
  if (item.type === 'checkin') {
    return api('POST', `/api/hunts/${enc(item.hunt)}/puzzles/${enc(item.puzzle)}/checkin`,
      { lat: item.lat, lon: item.lon, accuracy: item.accuracy, client_id: item.client_id, made_at: item.made_at }, item.hunt);
  }
  return api('POST', `/api/hunts/${enc(item.hunt)}/scan`,
    { code: item.code, client_id: item.client_id, made_at: item.made_at }, item.hunt);
}

// Sends what waits for `hunt`, oldest first. For each item that got a final answer
// from the server (anything but no network / 5xx / 401 / a scan's or photo's 429),
// onResult(item, res) is called and the item leaves the outbox. Items added meanwhile
// are sent in the same run. Stops at the first network failure, at a scan refused for
// now because of too many wrong codes from this network (429: the poster's code may be
// right; it stays queued), and at a photo refused for now because the team's previous
// upload is still being saved (429). Returns {sent, left, unauthorized, wait, waiting}
// (wait: seconds the server asked for, 0 = none; waiting: the item that waits).
export function flush(hunt, onResult) {
  if (flushing) return flushing;
  const run = (async () => {
    let sent = 0;
    let unauthorized = false;
    let wait = 0;
    let waiting = null;
    const tried = new Set();
    for (;;) {
      const item = load().find((i) => i.hunt === hunt && !tried.has(i.client_id));
      if (!item) break;
      tried.add(item.client_id);
      const res = await request(item);
      if (res.network || res.status === 0) break;
      if (res.status >= 500) break;
      if (res.status === 401) { unauthorized = true; break; }
      if (res.status === 429 && item.type === 'scan') { wait = Math.max(1, res.retryAfter || 30); waiting = item; break; }
      if (res.status === 429 && item.type === 'photo') { wait = Math.max(1, res.retryAfter || 2); waiting = item; break; }
      remove(item.client_id);
      sent++;
      try { onResult(item, res); } catch (e) { console.error(e); }
    }
    return { sent, left: load().filter((i) => i.hunt === hunt).length, unauthorized, wait, waiting };
  })();
  flushing = run.finally(() => { flushing = null; });
  return flushing;
}

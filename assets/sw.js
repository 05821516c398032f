// Service worker: the app keeps working without network.
// - The app shell is cached at install. Pages (/, /?hunt=…, /s/<token>) are
//   network-first and fall back to the cached index.html, so a poster scanned
//   offline still opens the app, which queues the scan.
// - Other app files: served from the cache, refreshed in the background.
// - GET /api/… (hunt, puzzles, me, leaderboard, hunts, announcements): network-first, the last good
//   answer when offline (marked X-Spur-Cache: hit); without one, 503 {"error":"offline"}.
// - Pictures (GET /api/hunts/{h}/media/{key}.jpg|webp) are immutable (their URL
//   changes when their bytes do), so they are cache-first, in a cache of their own
//   (MEDIA) that outlives VERSION bumps. Whenever a fresh hunt or clue list arrives,
//   the pictures it names (open puzzles, their places, the logo; at most MEDIA_MAX)
//   are fetched into that cache one at a time, so they are there offline even if
//   never scrolled to; once both lists are known, that hunt's other cached pictures
//   are dropped.
// - Writes (POST) and the event stream are never touched: the page's outbox owns
//   retries, so nothing is sent twice behind its back. That includes the camera's
//   pictures (POST …/decode): never cached, never queued, never retried here.
// - A team's photos (GET /api/hunts/{h}/photos/{id}.jpg, sent with the team's token)
//   are left to the network and the browser's own cache (they are private and
//   immutable): nothing of them is kept here, where a staff member's copy could land too.
// - camera.js, map.js and photo.js are in the shell although the page loads them only on
//   demand, so the camera button and the map tab still explain what to do offline.
// - Leaflet (/vendor/leaflet/…, loaded only when the map tab is opened) is kept in a
//   cache of its own once fetched, refreshed in the background like the shell, so
//   the map's code is there on the next visit. Map tiles come from another origin and
//   are never touched or cached here.
// Other paths (the staff console, the draw page) are not touched.
// Bump VERSION when the shell's file list changes.

const VERSION = 'spur-v8';
const SHELL = VERSION + '-shell';
const DATA = VERSION + '-data';
const VENDOR = VERSION + '-vendor';
const MEDIA = 'spur-media';
const MEDIA_MAX = 60;
const MEDIA_PATH = /^\/api\/hunts\/([^/]+)\/media\/[^/]+$/;
const PHOTO_PATH = /^\/api\/hunts\/[^/]+\/photos\//;
const FILES = ['/', '/app.css', '/app.js', '/i18n.js', '/api.js', '/queue.js', '/ui.js',
  '/state.js', '/geo.js', '/clues.js', '/board.js', '/contact.js', '/announce.js', '/camera.js', '/map.js', '/photo.js',
  '/manifest.webmanifest', '/icon.svg', '/icon-192.png'];
const PAGE_TIMEOUT_MS = 5000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => !k.startsWith(VERSION) && k !== MEDIA).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function offline() {
  return new Response('{"error":"offline","message":"offline"}',
    { status: 503, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}

async function page(request) {
  const cache = await caches.open(SHELL);
  try {
    const res = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (res.ok && new URL(request.url).pathname === '/') cache.put('/', res.clone());
    return res;
  } catch {
    return (await cache.match('/')) || offline();
  }
}

async function asset(event, name) {
  const cache = await caches.open(name);
  const hit = await cache.match(event.request, { ignoreSearch: true });
  // no-cache: revalidate with the ETag (a 304 is cheap) rather than trust max-age.
  const refresh = fetch(event.request, { cache: 'no-cache' }).then((res) => {
    if (res.ok) cache.put(event.request, res.clone());
    return res;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => {}));
    return hit;
  }
  return refresh.catch(() => offline());
}

// A picture: from MEDIA when there, else from the network (and kept when it came).
// Offline and not kept: a 503, and the page shows the alt text in the picture's box.
async function media(event) {
  const cache = await caches.open(MEDIA);
  // ignoreVary: the <img> and the prefetch below ask with different Accept headers.
  const hit = await cache.match(event.request, { ignoreVary: true });
  if (hit) return hit;
  try {
    const res = await fetch(event.request);
    if (res.status === 200) event.waitUntil(cache.put(event.request, res.clone()).catch(() => {}));
    return res;
  } catch {
    return new Response('', { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}

// The picture URLs a stored answer names: a clue list's open puzzles and their places
// (the server leaves out a locked puzzle's picture), or the hunt's logo.
async function namedPictures(data, url) {
  const hit = await data.match(url, { ignoreVary: true });
  if (!hit) return null;
  let body;
  try { body = await hit.json(); } catch { return null; }
  const urls = [];
  const add = (img) => { if (img && typeof img.url === 'string' && MEDIA_PATH.test(img.url)) urls.push(img.url); };
  if (Array.isArray(body)) {
    for (const p of body) {
      if (!p || typeof p !== 'object') continue;
      add(p.image);
      if (p.place && typeof p.place === 'object') add(p.place.image);
    }
  } else if (body && body.branding) add(body.branding.logo);
  return urls;
}

// Fetches the hunt's named pictures into MEDIA (one at a time, the missing ones, at
// most MEDIA_MAX), then drops its other pictures when both lists are known. A
// picture another run is already fetching is waited for, not fetched twice.
const fetching = new Map();
async function keepPictures(hunt) {
  const data = await caches.open(DATA);
  const base = '/api/hunts/' + hunt;
  const [info, list] = await Promise.all([namedPictures(data, base), namedPictures(data, base + '/puzzles')]);
  const want = [...new Set([...(info || []), ...(list || [])])].slice(0, MEDIA_MAX);
  const cache = await caches.open(MEDIA);
  for (const url of want) {
    if (await cache.match(url, { ignoreVary: true })) continue;
    if (!fetching.has(url)) {
      fetching.set(url, fetch(url).then((res) => (res.status === 200 ? cache.put(url, res) : null))
        .catch(() => {}).finally(() => fetching.delete(url)));
    }
    await fetching.get(url);
  }
  if (!info || !list) return;
  const keep = new Set(want.map((u) => new URL(u, self.location.origin).href));
  for (const req of await cache.keys()) {
    const m = new URL(req.url).pathname.match(MEDIA_PATH);
    if (m && m[1] === hunt && !keep.has(req.url)) await cache.delete(req);
  }
}

// The hunt of a hunt answer or clue list (whose pictures are kept), else null.
function pictureList(pathname) {
  const m = pathname.match(/^\/api\/hunts\/([^/]+)(\/puzzles)?$/);
  return m ? m[1] : null;
}

async function apiGet(request, event) {
  const cache = await caches.open(DATA);
  try {
    const res = await fetch(request);
    if (res.ok) {
      const stored = cache.put(request, res.clone());
      const hunt = pictureList(new URL(request.url).pathname);
      // After the answer is stored, since the pictures are read from there.
      if (hunt) event.waitUntil(stored.then(() => keepPictures(hunt)).catch(() => {}));
    }
    return res;
  } catch {
    const hit = await cache.match(request);
    if (!hit) return offline();
    // Marked so the page knows this is old news (and does not take its server_time).
    const headers = new Headers(hit.headers);
    headers.set('X-Spur-Cache', 'hit');
    return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (url.pathname.endsWith('/events') || url.pathname.startsWith('/api/admin/') || PHOTO_PATH.test(url.pathname)) return;
    if (MEDIA_PATH.test(url.pathname)) { event.respondWith(media(event)); return; }
    event.respondWith(apiGet(req, event));
    return;
  }
  // Only the participants' app: the staff console and the draw page (/staff/, /draw/)
  // are left to the network.
  if (req.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html' || url.pathname.startsWith('/s/')) event.respondWith(page(req));
    return;
  }
  if (FILES.includes(url.pathname)) event.respondWith(asset(event, SHELL));
  else if (url.pathname.startsWith('/vendor/leaflet/')) event.respondWith(asset(event, VENDOR));
});

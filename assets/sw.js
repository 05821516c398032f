// Service worker: the app keeps working without network.
// - The app shell is cached at install. Pages (/, /?hunt=…, /s/<token>) are
//   network-first and fall back to the cached index.html, so a poster scanned
//   offline still opens the app, which queues the scan.
// - Other app files: served from the cache, refreshed in the background.
// - GET /api/… (hunt, puzzles, me, leaderboard, hunts, announcements): network-first, the last good
//   answer when offline (marked X-Spur-Cache: hit); without one, 503 {"error":"offline"}.
// - Writes (POST) and the event stream are never touched: the page's outbox owns
//   retries, so nothing is sent twice behind its back. That includes the camera's
//   pictures (POST …/decode): never cached, never queued, never retried here.
// - camera.js is in the shell although the page loads it only on demand, so the
//   camera button still opens a panel that explains what to do when offline.
// Other paths (the staff console, the draw page) are not touched.
// Bump VERSION when the shell's file list changes.

const VERSION = 'spur-v5';
const SHELL = VERSION + '-shell';
const DATA = VERSION + '-data';
const FILES = ['/', '/app.css', '/app.js', '/i18n.js', '/api.js', '/queue.js', '/ui.js',
  '/state.js', '/clues.js', '/board.js', '/contact.js', '/announce.js', '/camera.js', '/manifest.webmanifest', '/icon.svg', '/icon-192.png'];
const PAGE_TIMEOUT_MS = 5000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: 'no-cache' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => !k.startsWith(VERSION)).map((k) => caches.delete(k))))
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

async function asset(event) {
  const cache = await caches.open(SHELL);
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

async function apiGet(request) {
  const cache = await caches.open(DATA);
  try {
    const res = await fetch(request);
    if (res.ok) cache.put(request, res.clone());
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
    if (url.pathname.endsWith('/events') || url.pathname.startsWith('/api/admin/')) return;
    event.respondWith(apiGet(req));
    return;
  }
  // Only the participants' app: the staff console and the draw page (/staff/, /draw/)
  // are left to the network.
  if (req.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html' || url.pathname.startsWith('/s/')) event.respondWith(page(req));
    return;
  }
  if (FILES.includes(url.pathname)) event.respondWith(asset(event));
});

// Talking to spurd. Every call resolves (never throws) to
//   {ok, status, data, retryAfter, network, cached}
// where network = true means the request never got an answer (offline, DNS,
// connection dropped): the caller may queue and retry it; cached = true means the
// service worker answered from its cache because the network failed.
// The team token comes back as the HttpOnly cookie spur_token; we also keep it per
// hunt in localStorage and send it as a Bearer token, which survives cookie loss and
// lets one phone hold teams in several hunts.

const TEAM_KEY = (hunt) => 'spur.team.' + hunt;

export function savedTeam(hunt) {
  try {
    const v = JSON.parse(localStorage.getItem(TEAM_KEY(hunt)) || 'null');
    return v && v.team ? v : null;
  } catch { return null; }
}

export function saveTeam(hunt, team, token) {
  try { localStorage.setItem(TEAM_KEY(hunt), JSON.stringify({ team, token })); } catch { /* ignore */ }
}

export function forgetTeam(hunt) {
  try { localStorage.removeItem(TEAM_KEY(hunt)); } catch { /* ignore */ }
}

export const enc = encodeURIComponent;

const TIMEOUT_MS = 15000;
const UPLOAD_TIMEOUT_MS = 90000; // a photo of some 500 KB on slow mobile data

// body: a JSON value, or a Blob sent as it is with its own type (a photo).
export async function api(method, path, body, hunt) {
  const headers = { Accept: 'application/json' };
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type : 'application/json';
  const saved = hunt ? savedTeam(hunt) : null;
  if (saved && saved.token) headers.Authorization = 'Bearer ' + saved.token;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), raw ? UPLOAD_TIMEOUT_MS : TIMEOUT_MS);
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined || raw ? body : JSON.stringify(body),
      credentials: 'same-origin',
      // GETs revalidate with the server's ETag (a 304 costs a few bytes on slow data).
      cache: method === 'GET' ? 'no-cache' : 'no-store',
      signal: ctl.signal,
    });
  } catch {
    return { ok: false, status: 0, data: null, retryAfter: 0, network: true, cached: false };
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch { data = null; }
  // The service worker answers 503 {"error":"offline"} when it has nothing cached.
  const network = res.status === 503 && data && data.error === 'offline';
  const ra = parseInt(res.headers.get('Retry-After') || '0', 10);
  const cached = res.headers.get('X-Spur-Cache') === 'hit';
  return { ok: res.ok, status: res.status, data, retryAfter: Number.isFinite(ra) ? ra : 0, network, cached };
}

// A client_id for offline-safe retries: [A-Za-z0-9_-], at most 64 characters.
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

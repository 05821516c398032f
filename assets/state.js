// What the app knows right now, shared by its modules, and the few helpers that read
// it. One object, S; modules that need to call back into the app (sync the outbox,
// refresh from the server, handle a lost team) go through `hooks`, set by app.js.

import { t } from './i18n.js';
import { api, savedTeam } from './api.js';
import { $, show } from './ui.js';

export const S = {
  hunt: null,
  info: null,           // GET /api/hunts/{h}
  offset: 0,            // server clock minus phone clock, ms
  me: null,             // GET /api/hunts/{h}/me
  puzzles: [],          // GET /api/hunts/{h}/puzzles
  board: null,          // last leaderboard
  myRow: null,          // the team's own row when it is below the board's top rows
  tab: 'clues',
  es: null,             // EventSource while the page is visible
  netDown: false,
  rateUntil: new Map(), // puzzle id → ms (phone clock) when answering is allowed again
  feedback: new Map(),  // puzzle id → {text, kind}
  drafts: new Map(),    // puzzle id → typed answer
  cards: new Map(),     // puzzle id → {li, sig, fb}
  waited: new Set(),    // client_ids that failed to send at least once
  synced: {},           // this sync's waited items by outcome: {sent, late, refused}
  meSolved: undefined,  // the team's solves as last told (GET /me or the stream's `me`)
  lastState: null,
};

export const hooks = { sync() {}, refresh() {}, lostTeam() {}, renderMe() {} };

export function lsGet(k, dflt) { try { return JSON.parse(localStorage.getItem(k)) ?? dflt; } catch { return dflt; } }
export function lsSet(k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch { /* ignore */ } }

// The player's words for a failed request: our table for known error codes, else the
// server's message.
export function errorText(res) {
  if (res.network) return t('err_network');
  if (res.status === 429) return t('rate_limited', { s: Math.max(1, res.retryAfter || 30) });
  const code = res.data && res.data.error;
  if (code && t('err_' + code) !== 'err_' + code) return t('err_' + code);
  if (res.status === 401) return t('err_unauthorized');
  if (res.status >= 500) return t('err_server');
  return (res.data && res.data.message) || t('err_generic');
}

export function setNet(down) {
  S.netDown = down;
  show($('offline'), down || !navigator.onLine);
}

// api() for the current hunt, keeping the offline banner and the team up to date.
export async function call(method, path, body) {
  const res = await api(method, path, body, S.hunt);
  if (res.network || res.cached) setNet(true);
  else if (res.status) setNet(false);
  if (res.status === 401 && S.hunt && savedTeam(S.hunt)) hooks.lostTeam();
  return res;
}

// The server's clock, as well as we know it.
export function now() { return Date.now() + S.offset; }

export function huntState() {
  const i = S.info;
  if (!i) return 'running';
  const n = now();
  const st = Date.parse(i.starts_at), end = Date.parse(i.ends_at), fr = Date.parse(i.freeze_at || i.ends_at);
  if (n < st) return 'upcoming';
  if (n >= end) return 'over';
  if (n >= fr) return 'frozen';
  return i.state === 'over' ? 'over' : 'running';
}

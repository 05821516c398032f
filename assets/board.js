// The leaderboard, kept live by the server's event stream. The phone asks the stream
// for no rows (`?limit=0`): each event is only a notice, under 100 bytes, that the
// board changed (pushed as soon as the change is saved, in a busy minute a few a
// second). The board itself is fetched with a GET only while its tab is shown, at most
// once every BOARD_MS however many notices come: gzipped, 304 when unchanged, kept by
// the service worker for offline. Announcements from the organizers come on the same
// stream (announce.js shows them). The team's own score and rank come on the same stream (`event: me`, sent
// when they change; the stream carries the team's cookie), so no /me per change. The
// stream is closed while the page is hidden to save battery and data.

import { t } from './i18n.js';
import { enc } from './api.js';
import { $, h, show, setText, toast } from './ui.js';
import { S, hooks, call } from './state.js';
import { loadAnnouncements, announced, unannounced } from './announce.js';

const RETRY_MS = 20000;
const BOARD_MS = 2000;

// loadBoard at once, or, when it ran less than BOARD_MS ago, once at the end of that
// time for all the notices that came meanwhile.
let boardAt = 0, boardTimer = 0;
function loadBoardSoon() {
  if (boardTimer) return;
  const wait = boardAt + BOARD_MS - Date.now();
  boardTimer = setTimeout(() => {
    boardTimer = 0;
    boardAt = Date.now();
    if (S.tab === 'board') loadBoard();
  }, Math.max(0, wait));
}

function isMine(tm) {
  const me = S.me && S.me.team;
  if (!me || !tm) return false;
  return me.id != null && tm.id != null ? tm.id === me.id : tm.name === me.name;
}

// The board shows the top 100. A team further down sees its own row below them,
// fetched as the one row at its rank (so it is the public board's row, frozen or not).
export async function loadBoard() {
  if (!S.hunt) return;
  const res = await call('GET', `/api/hunts/${enc(S.hunt)}/leaderboard`);
  if (!res.ok || !res.data) return;
  const teams = Array.isArray(res.data.teams) ? res.data.teams : [];
  const rank = S.me && S.me.rank;
  // The own row shown until its fresh copy arrives, while the team is still below the
  // list at the same rank: a refresh must not make it blink away and back.
  if (!(S.myRow && S.myRow.rank === rank && rank > teams.length)) S.myRow = null;
  renderBoard(res.data);
  if (!rank || rank <= teams.length || teams.some(isMine)) return;
  const r = await call('GET', `/api/hunts/${enc(S.hunt)}/leaderboard?offset=${rank - 1}&limit=1`);
  const row = r.ok && r.data && Array.isArray(r.data.teams) ? r.data.teams[0] : null;
  if (isMine(row) && S.board === res.data) { S.myRow = row; renderBoard(res.data); }
}

function boardRow(tm) {
  const mine = isMine(tm);
  return h('tr', { class: mine ? 'me' : null, 'aria-current': mine ? 'true' : null },
    h('td', { text: String(tm.rank) }),
    h('td', {}, h('span', { class: 'tname', text: tm.name }), mine ? h('span', { class: 'you', text: ' ' + t('you') }) : null),
    h('td', { class: 'num', text: String(tm.score) }),
    h('td', { class: 'num', text: String(tm.solved ?? '') }));
}

export function renderBoard(b) {
  S.board = b;
  const teams = Array.isArray(b.teams) ? b.teams : [];
  const rows = teams.map(boardRow);
  if (S.myRow && !teams.some(isMine)) {
    rows.push(h('tr', { class: 'gap', 'aria-hidden': 'true' }, h('td', { colspan: '4', text: '⋮' })));
    rows.push(boardRow(S.myRow));
  }
  $('board-body').replaceChildren(...rows);
  show($('board-empty'), teams.length === 0);
  setText($('board-state'), b.state === 'over' ? t('board_final') : b.frozen ? t('board_frozen') : t('board_live'));
}

let meTimer = 0;
export function openEvents() {
  if (S.es || !S.hunt || !window.EventSource || document.hidden) return;
  const es = new EventSource(`/api/hunts/${enc(S.hunt)}/events?limit=0`);
  S.es = es;
  let meLive = false; // this server sends `event: me`
  es.addEventListener('me', (e) => {
    let d;
    try { d = JSON.parse(e.data); } catch { return; }
    if (!S.me || typeof d.score !== 'number') return;
    meLive = true;
    clearTimeout(meTimer);
    Object.assign(S.me, { score: d.score, rank: d.rank, teams: d.teams, solved: d.solved, changes: d.changes, hunt_state: d.hunt_state });
    hooks.renderMe();
  });
  es.addEventListener('leaderboard', () => {
    if (S.tab === 'board') loadBoardSoon();
    if (meLive) return;
    clearTimeout(meTimer);
    meTimer = setTimeout(async () => {
      const me = await call('GET', `/api/hunts/${enc(S.hunt)}/me`);
      if (me.ok && me.data) { S.me = me.data; hooks.renderMe(); }
    }, 500);
  });
  // A prize was drawn (at the ceremony the app is open): fetch /me for the team's
  // prizes; if the team won this one (or is a reserve), say so.
  es.addEventListener('draw', async (e) => {
    let drawn;
    try { drawn = JSON.parse(e.data).prize; } catch { return; }
    const me = await call('GET', `/api/hunts/${enc(S.hunt)}/me`);
    if (!me.ok || !me.data) return;
    S.me = me.data;
    hooks.renderMe();
    const p = (Array.isArray(me.data.prizes) ? me.data.prizes : []).find((x) => x && x.prize === drawn);
    if (p) toast(t(p.status === 'reserve' ? 'prize_new_reserve' : 'prize_new', { prize: p.name || p.prize }));
  });
  // Organizers' announcements: at once when sent; the list again at every (re)connect,
  // for what was sent while this phone had no stream open.
  es.addEventListener('open', () => { loadAnnouncements(); });
  es.addEventListener('announcement', (e) => {
    try { announced(JSON.parse(e.data)); } catch { /* a broken event is skipped */ }
  });
  es.addEventListener('announcement_deleted', (e) => {
    try { unannounced(JSON.parse(e.data).id); } catch { /* a broken event is skipped */ }
  });
  // Organizers saved the hunt file (the web editor): fetch the hunt and the puzzles
  // again, each phone at its own moment within 5 s so a city's phones do not ask at once.
  es.addEventListener('hunt', () => {
    setTimeout(() => hooks.refresh(), Math.random() * 5000);
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) { S.es = null; setTimeout(openEvents, RETRY_MS); }
  });
}

export function closeEvents() {
  if (S.es) { S.es.close(); S.es = null; }
}


// Announcements from the organizers ("the sign at the fountain fell off; the code is
// now on the bench"), shown as a banner at the top until the player closes each one.
// They come live on the event stream (`event: announcement`, board.js passes them
// here) and from GET …/announcements when the app starts and whenever its stream
// (re)connects, so a phone that was closed or off the network catches up. Closed ids
// are kept per hunt in localStorage: the server never gives an id out twice, so a
// closed one stays closed across reloads. Texts are plain text (textContent), their
// line breaks kept by CSS.

import { t, lang } from './i18n.js';
import { enc } from './api.js';
import { $, h, show, toast } from './ui.js';
import { S, call, lsGet, lsSet } from './state.js';

const SHOWN = 3; // more than this wait behind a "show N more" button on a small screen
const KEY = (hunt) => 'spur.closed-announcements.' + hunt;

let list = [];            // {id, text, at} of listHunt, newest first
let listHunt = null;
let deleted = new Set();  // ids deleted while this page was open: a list fetched
                          // before the deletion must not bring them back
let showAll = false;
const els = new Map();    // id → its <li>, kept so a live one is added, not redrawn

function valid(a) {
  return a && Number.isInteger(a.id) && typeof a.text === 'string' && typeof a.at === 'string';
}

function closedIds() { return new Set(lsGet(KEY(S.hunt), [])); }

// Fetches the hunt's announcements. Those that arrived live meanwhile (newer than
// the newest in the answer) are kept: the answer may have left the server before them.
export async function loadAnnouncements() {
  const hunt = S.hunt;
  if (!hunt) return;
  const res = await call('GET', `/api/hunts/${enc(hunt)}/announcements`);
  if (hunt !== S.hunt || !res.ok || !res.data || !Array.isArray(res.data.announcements)) return;
  const got = res.data.announcements.filter(valid);
  const newest = got.reduce((m, a) => Math.max(m, a.id), 0);
  const live = listHunt === hunt ? list.filter((a) => a.id > newest) : [];
  if (listHunt !== hunt) { deleted = new Set(); showAll = false; }
  list = [...live, ...got].filter((a) => !deleted.has(a.id)).sort((a, b) => b.id - a.id);
  listHunt = hunt;
  if (!res.cached) { // forget closed ids the server no longer has: they never come back
    const ids = new Set(got.map((a) => a.id));
    lsSet(KEY(hunt), [...closedIds()].filter((id) => ids.has(id)));
  }
  renderAnnouncements();
}

// `event: announcement` {id, text, at}
export function announced(a) {
  if (!valid(a) || listHunt !== S.hunt || list.some((x) => x.id === a.id) || deleted.has(a.id)) return;
  list.unshift(a);
  list.sort((x, y) => y.id - x.id);
  renderAnnouncements();
  // The banner is at the top of the page: a player scrolled down to a clue hears of it.
  const box = $('ann-list');
  if (!box.hidden && box.getBoundingClientRect().bottom < 0) toast(t('ann_new'));
}

// `event: announcement_deleted` {id}
export function unannounced(id) {
  if (!Number.isInteger(id)) return;
  deleted.add(id);
  list = list.filter((a) => a.id !== id);
  renderAnnouncements();
}

function timeOf(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const today = d.toDateString() === new Date().toDateString();
  const opts = today ? { hour: '2-digit', minute: '2-digit' }
    : { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang() === 'de' ? 'de-DE' : 'en-GB', opts).format(d);
}

function item(a) {
  const textId = 'ann-text-' + a.id;
  return h('li', { class: 'ann', 'data-id': String(a.id) },
    h('p', { class: 'ann-head' },
      h('span', { class: 'ann-label', text: t('ann_label') }), ' · ',
      h('time', { datetime: a.at, text: timeOf(a.at) })),
    h('p', { class: 'ann-text', id: textId, text: a.text }),
    h('button', { type: 'button', class: 'secondary ann-close', 'aria-describedby': textId,
      text: t('ann_close'), onclick: () => close(a.id) }));
}

function close(id) {
  const ids = closedIds();
  ids.add(id);
  lsSet(KEY(S.hunt), [...ids]);
  const li = els.get(id);
  const next = li && (li.nextElementSibling || li.previousElementSibling);
  renderAnnouncements();
  // Focus was on the button that is gone: the next announcement's, else the page.
  const to = next && next.isConnected ? next.querySelector('.ann-close') : null;
  if (to) to.focus(); else $('main').focus({ preventScroll: true });
}

// Shows the open announcements of the current hunt. Elements already shown stay in
// place: the live region around them (always there, empty when there is nothing to
// show) reads out only what is new.
export function renderAnnouncements() {
  const ul = $('ann-list');
  const closed = closedIds();
  const open = listHunt && listHunt === S.hunt ? list.filter((a) => !closed.has(a.id)) : [];
  const shown = showAll ? open : open.slice(0, SHOWN);
  const want = new Set(shown.map((a) => a.id));
  for (const [id, li] of els) if (!want.has(id)) { li.remove(); els.delete(id); }
  let at = ul.firstElementChild;
  for (const a of shown) {
    let li = els.get(a.id);
    if (!li) { li = item(a); els.set(a.id, li); }
    if (li === at) at = at.nextElementSibling;
    else ul.insertBefore(li, at);
  }
  const more = open.length - shown.length;
  show($('ann-more'), more > 0);
  if (more > 0) $('ann-more').textContent = t('ann_more', { n: more });
  show(ul, open.length > 0);
}

// After a change of language: the labels of what is shown.
export function relabelAnnouncements() {
  for (const [id, li] of els) {
    const a = list.find((x) => x.id === id);
    li.querySelector('.ann-label').textContent = t('ann_label');
    li.querySelector('.ann-close').textContent = t('ann_close');
    if (a) li.querySelector('time').textContent = timeOf(a.at);
  }
  renderAnnouncements();
}

export function initAnnouncements() {
  $('ann-more').addEventListener('click', () => {
    const first = $('ann-list').children.length;
    showAll = true;
    renderAnnouncements();
    const li = $('ann-list').children[first];
    if (li) li.querySelector('.ann-close').focus();
  });
}

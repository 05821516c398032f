// A contact for the prize, given with consent (PUT/DELETE /api/hunts/{h}/me/contact),
// offered only when the hunt asks for one (GET /api/hunts/{h} has `contact`).
//
// When: once right after the team was made or joined (a card above the tabs that
// "Nicht jetzt" puts away for good), again at every app start while /me lists a prize
// or a reserve place and `contact_given` is false, and whenever the team asks for it
// from the Team tab. Once given, the Team tab says "Kontakt hinterlegt · löschen".
//
// Keeps true: the contact goes only to the server, straight away. It is never queued
// in the outbox, never written to localStorage, never shown back (the server does not
// send it back either) and the field is emptied once it was saved. Offline the form
// stays as it is and says that it needs a connection.
//
// The request sends the app's language as Accept-Language, so the server's message
// for a refused contact (bad_contact, consent_required) is in the language the player
// reads the app in.

import { t, lang } from './i18n.js';
import { enc, savedTeam } from './api.js';
import { $, show, setText } from './ui.js';
import { S, hooks, setNet } from './state.js';

const TIMEOUT_MS = 15000;

// What this app start knows about the offer, for one team of one hunt.
let view = fresh(null);

function fresh(key) {
  return {
    key,               // hunt + team the rest is about
    joinOffer: false,  // the team was just made or joined here
    dismissed: new Set(), // reasons put away with "Nicht jetzt": 'join', 'prize'
    opened: false,     // asked for from the Team tab
    done: null,        // the reason shown when the contact was saved here, until closed
    busy: false,
    msgLang: null,     // the language the shown messages are in
  };
}

function teamKey() {
  const saved = S.hunt ? savedTeam(S.hunt) : null;
  return saved && saved.team ? S.hunt + '/' + saved.team.id : null;
}

// The view for the current team; a different team (or none) starts afresh.
function current() {
  const key = teamKey();
  if (view.key !== key) view = fresh(key);
  return view;
}

// Called by the app when this phone has just made or joined a team.
export function offerContact() {
  view = fresh(teamKey());
  view.joinOffer = true;
}

// The hunt's contact request, or null when it asks for none.
function asked() {
  const c = S.info && S.info.contact;
  return c && typeof c === 'object' && c.label ? c : null;
}

function isReserve(p) { return p && typeof p === 'object' && (p.reserve === true || p.status === 'reserve'); }

// Why the card shows now: 'won', 'reserve', 'open', 'join' or null.
function reason(v, me) {
  if (v.done) return v.done;
  if (me.contact_given !== false) return null; // given, or not known yet
  const prizes = Array.isArray(me.prizes) ? me.prizes.filter(Boolean) : [];
  if (prizes.length && !v.dismissed.has('prize')) return prizes.some((p) => !isReserve(p)) ? 'won' : 'reserve';
  if (v.opened) return 'open';
  if (v.joinOffer && !v.dismissed.has('join')) return 'join';
  return null;
}

// The field's keyboard and autofill follow what the hunt's label asks for; the server
// takes either an e-mail address or a phone number whatever the label says.
function fieldKind(label) {
  const mail = /mail/i.test(label);
  const phone = /telefon|phone|handy|mobil|sms|whatsapp/i.test(label);
  return phone && !mail ? ['tel', 'tel'] : ['email', 'email'];
}

// Draws the card and the Team tab's line from S.info and S.me; the app calls it
// whenever those change (renderMe).
export function renderContact() {
  const card = $('contact-card');
  const line = $('contact-line');
  const c = asked();
  const v = current();
  const me = S.me || {};
  if (!c || !v.key) {
    show(card, false);
    show(line, false);
    return;
  }
  if (v.msgLang && v.msgLang !== lang()) { clearMessages(); v.msgLang = null; } // said in the other language

  // The Team tab's line: given or not, and the one thing to do about it.
  const known = typeof me.contact_given === 'boolean';
  show(line, known);
  if (known) {
    const given = me.contact_given;
    setText($('contact-line-text'), t(given ? 'contact_line_given' : 'contact_line_none'));
    const btn = $('contact-line-btn');
    setText(btn, t(given ? 'contact_line_delete' : 'contact_line_add'));
    btn.setAttribute('aria-label', t(given ? 'contact_delete' : 'contact_line_add_label'));
    btn.dataset.action = given ? 'delete' : 'open';
  }

  const why = reason(v, me);
  show(card, Boolean(why));
  if (!why) return;
  // Offers of a prize stand above the tabs, where every tab shows them; asked for from
  // the Team tab, the form opens right there.
  if (why === 'open') { if (line.nextElementSibling !== card) line.after(card); }
  else if ($('screen-play').querySelector('.tabs').previousElementSibling !== card) {
    $('screen-play').querySelector('.tabs').before(card);
  }
  card.classList.toggle('won', why === 'won' || why === 'reserve');
  setText($('contact-h'), t('contact_h_' + why));
  setText($('contact-why'), t('contact_why_' + why));
  show($('contact-why'), why !== 'open');
  setText($('contact-label'), c.label);
  setText($('contact-privacy-text'), c.privacy || '');
  const input = $('contact-input');
  const [mode, auto] = fieldKind(c.label);
  if (input.inputMode !== mode) {
    input.inputMode = mode;
    input.autocomplete = auto;
    input.type = mode === 'tel' ? 'tel' : 'text';
  }
  show($('form-contact'), !v.done);
  show($('contact-done'), Boolean(v.done));
  // Busy, the form says so but keeps its buttons: a button disabled under the finger
  // would take the focus away. A second press while busy does nothing.
  if (v.busy) $('form-contact').setAttribute('aria-busy', 'true');
  else $('form-contact').removeAttribute('aria-busy');
}

function clearMessages() {
  setText($('contact-msg'), '');
  setText($('consent-msg'), '');
  setText($('contact-status'), '');
  setText($('contact-line-msg'), '');
  $('contact-input').removeAttribute('aria-invalid');
  $('contact-consent').removeAttribute('aria-invalid');
}

function say(el, text, kind) {
  setText(el, text);
  if (kind) el.className = 'msg ' + kind;
  view.msgLang = lang();
}

// PUT or DELETE the contact. Never through the outbox and never retried: without an
// answer the player tries again. Resolves to {ok, status, data, network}.
async function send(method, body) {
  const saved = savedTeam(S.hunt);
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (body) headers['Content-Type'] = 'application/json';
  if (saved && saved.token) headers.Authorization = 'Bearer ' + saved.token;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let res;
  try {
    res = await fetch(`/api/hunts/${enc(S.hunt)}/me/contact`, {
      method, headers, body: body ? JSON.stringify(body) : undefined,
      credentials: 'same-origin', cache: 'no-store', signal: ctl.signal,
    });
  } catch {
    setNet(true);
    return { ok: false, status: 0, data: null, network: true };
  } finally {
    clearTimeout(timer);
  }
  setNet(false);
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (res.status === 401) hooks.lostTeam();
  return { ok: res.ok, status: res.status, data, network: false };
}

// The player's words for a refused request: the server's own message for a contact
// it did not take, ours for the rest.
function failText(res) {
  if (res.network) return t('contact_offline');
  const d = res.data || {};
  if (res.status === 400 || res.status === 404) return d.message || t('err_generic');
  if (res.status >= 500) return t('err_server');
  return d.message || t('err_generic');
}

async function save(e) {
  e.preventDefault();
  const v = current();
  if (v.busy) return;
  clearMessages();
  const input = $('contact-input');
  const consent = $('contact-consent');
  const value = input.value.trim();
  if (!value) {
    say($('contact-msg'), t('contact_empty'));
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  if (!consent.checked) {
    say($('consent-msg'), t('contact_consent_needed'));
    consent.setAttribute('aria-invalid', 'true');
    consent.focus();
    return;
  }
  if (!navigator.onLine) { // nothing is kept for later: personal data stays off the phone
    say($('contact-msg'), t('contact_offline'));
    input.focus();
    return;
  }
  const why = reason(v, S.me || {});
  v.busy = true;
  say($('contact-status'), t('contact_saving'), 'info');
  renderContact();
  const res = await send('PUT', { contact: value, consent: true });
  v.busy = false;
  setText($('contact-status'), '');
  if (res.ok) {
    input.value = '';
    consent.checked = false;
    if (S.me) S.me.contact_given = true;
    v.done = why || 'open';
    v.opened = false;
    renderContact();
    say($('contact-done-msg'), t('contact_saved'));
    $('contact-done-msg').focus();
    return;
  }
  renderContact();
  const d = res.data || {};
  if (d.error === 'consent_required') {
    say($('consent-msg'), failText(res));
    consent.setAttribute('aria-invalid', 'true');
    consent.focus();
  } else {
    say($('contact-msg'), failText(res));
    if (d.error === 'bad_contact') input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

// Deletes the contact; msgEl gets what happened, gone(view) says what shows next.
// Resolves true when it is gone.
async function remove(msgEl, gone) {
  const v = current();
  if (v.busy) return false;
  clearMessages();
  if (!navigator.onLine) { say(msgEl, t('contact_offline_delete'), 'error'); return false; }
  v.busy = true;
  renderContact();
  const res = await send('DELETE');
  v.busy = false;
  if (res.ok || (res.status === 404 && res.data && res.data.error === 'no_contact')) {
    if (S.me) S.me.contact_given = false;
    gone(v);
    renderContact();
    say(msgEl, t('contact_deleted'), 'ok');
    return true;
  }
  renderContact();
  say(msgEl, res.network ? t('contact_offline_delete') : failText(res), 'error');
  return false;
}

// Puts the card away and gives focus to the tab the player was on.
function putAway(focus) {
  renderContact();
  if (focus) { const tab = document.querySelector('.tab[aria-current="true"]'); if (tab) tab.focus(); }
}

export function initContact() {
  $('form-contact').addEventListener('submit', save);
  $('contact-later').addEventListener('click', () => {
    const v = current();
    const why = reason(v, S.me || {});
    if (why === 'won' || why === 'reserve') v.dismissed.add('prize');
    else if (why === 'join') v.dismissed.add('join');
    v.opened = false;
    clearMessages();
    putAway(true);
  });
  $('contact-close').addEventListener('click', () => {
    current().done = null;
    clearMessages();
    putAway(true);
  });
  // Deleted from the card, the form comes back where it was, saying that the contact
  // is gone; deleted from the Team tab, no offer pushes itself forward again.
  $('contact-delete').addEventListener('click', async () => {
    const gone = (v) => {
      const was = v.done;
      v.done = null;
      if (was === 'open') v.opened = true;
      else v.dismissed.delete(was === 'join' ? 'join' : 'prize');
    };
    if (await remove($('contact-status'), gone)) $('contact-status').focus();
  });
  $('contact-line-btn').addEventListener('click', async (e) => {
    const v = current();
    if (e.currentTarget.dataset.action === 'delete') {
      await remove($('contact-line-msg'), (w) => {
        w.done = null;
        w.opened = false;
        w.dismissed.add('join');
        w.dismissed.add('prize');
      });
      return;
    }
    clearMessages();
    v.opened = true;
    v.dismissed.add('prize'); // the form opens here, not above the tabs
    v.done = null;
    renderContact();
    $('contact-input').focus();
  });
  for (const id of ['contact-input', 'contact-consent']) {
    $(id).addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
  }
  $('contact-consent').addEventListener('change', (e) => {
    if (e.target.checked) setText($('consent-msg'), '');
  });
}

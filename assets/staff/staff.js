// The staff console: live progress (GET /api/admin/hunts/{h}/stats every few
// seconds), the public leaderboard (EventSource /api/hunts/{h}/events), the prize
// draw with a confirmation step, the published records and the claim-code check.
// The staff token is asked once and kept in sessionStorage (this tab only). No
// framework, no inline code: the page's CSP allows scripts from 'self' only.
'use strict';
(function () {
  const STATS_MS = 4000;
  const TOKEN_KEY = 'spur_staff_token';
  const LANG_KEY = 'spur_staff_lang';

  const T = {
    de: {
      staff: 'Staff', hunt: 'Rallye', logout: 'Abmelden', login_h: 'Staff-Konsole',
      token: 'Staff-Token', sign_in: 'Anmelden',
      token_hint: 'Das Token wird nur in diesem Tab gespeichert.',
      bad_token: 'Dieses Token wird nicht angenommen.', progress: 'Fortschritt', teams: 'Teams',
      active: 'aktiv', solves: 'Lösungen', until_end: 'bis Ende', since_end: 'seit Ende',
      days_until_end: 'Tage bis Ende', days_since_end: 'Tage seit Ende',
      per_puzzle: 'Lösungen je Rätsel', per_place: 'Scans je Ort', updated: 'Stand',
      leaderboard: 'Rangliste', draw: 'Verlosung', prize: 'Preis', draw_btn: 'Verlosen …',
      once: 'Das geht nur ein einziges Mal und kann nicht wiederholt werden.',
      yes_draw: 'Ja, jetzt verlosen', cancel: 'Abbrechen',
      really: (p) => `Wirklich „${p}“ verlosen?`,
      records: 'Veröffentlichte Ziehungen',
      commitment: 'Zusage (SHA-256 des Startwerts), seit Beginn öffentlich:',
      public_page: 'Öffentliche Seite zum Nachprüfen', claim: 'Gewinncode prüfen',
      claim_code: 'Code (ABCD-EFGH)', check: 'Prüfen', winners: 'Gewinner', reserves: 'Nachrücker',
      none: 'niemand', no_records: 'Noch keine Ziehung.', eligible: (n) => `${n} Teams im Lostopf`,
      drawn_at: 'gezogen', record: 'Protokoll (JSON)', all_win: 'Alle berechtigten Teams gewinnen',
      claim_winner: (t, p) => `${t} hat „${p}“ gewonnen.`,
      claim_reserve: (t, p, k) => `${t} ist Nachrücker ${k} für „${p}“.`,
      claim_none: 'Mit diesem Code wurde nichts gewonnen.', claim_bad: 'Ein Code sieht so aus: ABCD-EFGH.',
      st_upcoming: 'noch nicht gestartet', st_running: 'läuft', st_frozen: 'Rangliste eingefroren',
      st_over: 'vorbei', frozen_note: 'Die öffentliche Rangliste ist eingefroren.',
      points: 'P.', solved: 'gelöst', offline: 'Keine Verbindung – versuche es weiter …',
      error: 'Fehler', drawing: 'Wird gezogen …', no_prizes: 'Diese Rallye hat keine Preise.',
      draw_from: (w) => `Verlosung ab ${w} möglich`,
      beacon: 'Öffentlicher Zufallswert', beacon_from: 'Quelle laut Rallye:',
      confirm_beacon: (b) => `Zufallswert: „${b}“`,
    },
    en: {
      staff: 'Staff', hunt: 'Hunt', logout: 'Sign out', login_h: 'Staff console',
      token: 'Staff token', sign_in: 'Sign in',
      token_hint: 'The token is kept in this tab only.',
      bad_token: 'This token is not accepted.', progress: 'Progress', teams: 'teams',
      active: 'active', solves: 'solves', until_end: 'until the end', since_end: 'since the end',
      days_until_end: 'days until the end', days_since_end: 'days since the end',
      per_puzzle: 'Solves per puzzle', per_place: 'Scans per place', updated: 'As of',
      leaderboard: 'Leaderboard', draw: 'Prize draw', prize: 'Prize', draw_btn: 'Draw …',
      once: 'This can happen only once and cannot be repeated.',
      yes_draw: 'Yes, draw now', cancel: 'Cancel',
      really: (p) => `Really draw “${p}”?`,
      records: 'Published draws',
      commitment: 'Commitment (SHA-256 of the seed), public since the start:',
      public_page: 'Public page to verify', claim: 'Check a claim code',
      claim_code: 'Code (ABCD-EFGH)', check: 'Check', winners: 'Winners', reserves: 'Reserves',
      none: 'nobody', no_records: 'No draw yet.', eligible: (n) => `${n} teams eligible`,
      drawn_at: 'drawn', record: 'Record (JSON)', all_win: 'Every eligible team wins',
      claim_winner: (t, p) => `${t} won “${p}”.`,
      claim_reserve: (t, p, k) => `${t} is reserve ${k} for “${p}”.`,
      claim_none: 'Nothing was won with this code.', claim_bad: 'A code looks like ABCD-EFGH.',
      st_upcoming: 'not started', st_running: 'running', st_frozen: 'leaderboard frozen',
      st_over: 'over', frozen_note: 'The public leaderboard is frozen.',
      points: 'pts', solved: 'solved', offline: 'No connection – still trying …',
      error: 'Error', drawing: 'Drawing …', no_prizes: 'This hunt has no prizes.',
      draw_from: (w) => `Draw possible from ${w}`,
      beacon: 'Public random value', beacon_from: 'Source named by the hunt:',
      confirm_beacon: (b) => `Random value: “${b}”`,
    },
  };

  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem(LANG_KEY) ||
    ((navigator.language || 'de').toLowerCase().startsWith('de') ? 'de' : 'en');
  let token = sessionStorage.getItem(TOKEN_KEY) || '';
  let hunt = null;      // GET /api/hunts/{h}
  let stats = null;     // last stats
  let board = null;     // last leaderboard
  let records = [];     // published records
  let events = null;
  let timer = null;

  function t(key, ...args) {
    const v = T[lang][key];
    return typeof v === 'function' ? v(...args) : (v !== undefined ? v : key);
  }

  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  async function api(method, path, body) {
    const headers = {};
    if (token && path.startsWith('/api/admin/')) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { status: r.status, data };
  }

  function applyLang() {
    document.documentElement.lang = lang;
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    const other = lang === 'de' ? 'en' : 'de';
    $('lang').textContent = other === 'en' ? 'English' : 'Deutsch';
    $('lang').lang = other;
    renderAll();
  }

  function when(iso) {
    if (!iso) return '';
    return new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  }

  // ---- login ----

  function showLogin(msg) {
    $('login').hidden = false;
    $('console').hidden = true;
    $('logout').hidden = true;
    $('login-err').textContent = msg || '';
    $('token').focus();
  }

  async function signIn(candidate) {
    token = candidate;
    const r = await api('GET', `/api/admin/hunts/${encodeURIComponent(hunt.id)}/stats`);
    if (r.status === 401) {
      token = '';
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin(t('bad_token'));
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    $('login').hidden = true;
    $('console').hidden = false;
    $('logout').hidden = false;
    if (r.status === 200) { stats = r.data; stats.at = new Date(); }
    startLive();
  }

  // ---- live data ----

  async function pollStats() {
    if (!hunt || !token) return;
    try {
      const r = await api('GET', `/api/admin/hunts/${encodeURIComponent(hunt.id)}/stats`);
      if (r.status === 401) { stopLive(); showLogin(t('bad_token')); return; }
      if (r.status === 200) { stats = r.data; stats.at = new Date(); }
    } catch (e) {
      if (stats) stats.offline = true;
    }
    renderStats();
  }

  function startLive() {
    stopLive();
    pollStats();
    let ticks = 0;
    timer = setInterval(() => {
      renderCountdown();
      if (++ticks % (STATS_MS / 1000) === 0) pollStats();
    }, 1000);
    events = new EventSource(`/api/hunts/${encodeURIComponent(hunt.id)}/events`);
    events.addEventListener('leaderboard', (ev) => {
      try { board = JSON.parse(ev.data); renderBoard(); } catch (e) { /* a broken event is skipped */ }
    });
    loadRecords();
  }

  function stopLive() {
    if (timer) clearInterval(timer);
    timer = null;
    if (events) events.close();
    events = null;
  }

  async function loadRecords() {
    const r = await api('GET', `/api/hunts/${encodeURIComponent(hunt.id)}/draw`);
    records = r.status === 200 && r.data ? r.data.draws : [];
    renderRecords();
  }

  // ---- rendering ----

  function renderAll() {
    renderHeader();
    renderStats();
    renderBoard();
    renderPrizes();
    renderRecords();
  }

  function renderHeader() {
    const s = stats ? stats.state : hunt && hunt.state;
    $('state').textContent = s ? t('st_' + s) : '';
    $('state').className = 'state ' + (s || '');
  }

  // ---- when the draw may run (the draw section) ----

  // From the hunt's draw_from (the deadline plus late_sync_grace), in ms.
  function drawFromMs() {
    const from = Date.parse(hunt.draw_from || '');
    return Number.isFinite(from) ? from : Date.parse(hunt.ends_at) + 1000 * (hunt.late_sync_grace || 0);
  }

  // A time in the hunt's own zone (its time_zone, else Europe/Berlin), whatever the
  // zone of the laptop at the prize table.
  function huntTime(ms) {
    const opts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      second: '2-digit', timeZoneName: 'short' };
    const loc = lang === 'de' ? 'de-DE' : 'en-GB';
    try {
      return new Intl.DateTimeFormat(loc, { ...opts, timeZone: hunt.time_zone || 'Europe/Berlin' }).format(new Date(ms));
    } catch (e) { /* an unknown zone name */
      return new Intl.DateTimeFormat(loc, { ...opts, timeZone: 'Europe/Berlin' }).format(new Date(ms));
    }
  }

  // The draw button: disabled until the draw may run, and then saying from when.
  function renderDrawGate() {
    if (!hunt || !$('confirm').hidden) return;
    const prizes = hunt.prizes || [];
    const open = prizes.some((p) => !records.some((r) => r.prize === p.id));
    const early = Date.now() < drawFromMs();
    const btn = $('draw-btn');
    btn.disabled = !open || early;
    btn.textContent = early ? t('draw_from', huntTime(drawFromMs())) : t('draw_btn');
    $('beacon-box').hidden = !hunt.draw_beacon;
    $('beacon').required = !!hunt.draw_beacon;
    $('beacon-desc').textContent = hunt.draw_beacon || '';
  }

  function renderCountdown() {
    if (!hunt) return;
    renderDrawGate();
    const end = new Date(hunt.ends_at).getTime();
    let d = Math.round((end - Date.now()) / 1000);
    const past = d < 0;
    d = Math.abs(d);
    const h = Math.floor(d / 3600), m = Math.floor((d % 3600) / 60), s = d % 60;
    // Beyond two days whole days ("402" over "Tage bis Ende"), else h:mm:ss.
    if (h > 48) {
      $('countdown').textContent = String(Math.floor(h / 24));
      $('countdown-l').textContent = past ? t('days_since_end') : t('days_until_end');
    } else {
      $('countdown').textContent = (h ? h + ':' : '') + String(m).padStart(h ? 2 : 1, '0') + ':' + String(s).padStart(2, '0');
      $('countdown-l').textContent = past ? t('since_end') : t('until_end');
    }
  }

  function bars(tbody, rows) {
    const max = Math.max(1, ...rows.map((r) => r.n));
    tbody.replaceChildren(...rows.map((r) => {
      const bar = el('span', { class: 'fill' });
      bar.style.width = Math.round((r.n / max) * 100) + '%';
      return el('tr', {}, el('th', { scope: 'row', text: r.label }),
        el('td', { class: 'barcell' }, bar), el('td', { class: 'num', text: String(r.n) }));
    }));
  }

  function renderStats() {
    renderHeader();
    renderCountdown();
    if (!stats) return;
    $('n-teams').textContent = stats.teams;
    $('n-active').textContent = stats.active_teams;
    $('n-solves').textContent = stats.solves;
    bars($('puzzles'), stats.puzzles.map((p) => ({ label: p.title, n: p.solves })));
    bars($('places'), stats.places.map((p) => ({ label: p.name, n: p.scans })));
    $('updated').textContent = stats.offline ? t('offline') : stats.at.toLocaleTimeString(lang === 'de' ? 'de-DE' : 'en-GB');
  }

  function renderBoard() {
    if (!board) return;
    $('board-note').textContent = board.frozen ? t('frozen_note') : '';
    $('board').replaceChildren(...board.teams.slice(0, 10).map((tm) =>
      el('li', {}, el('span', { class: 'rank', text: String(tm.rank) }),
        el('span', { class: 'name', text: tm.name }),
        el('span', { class: 'score', text: `${tm.score} ${t('points')}` }),
        el('span', { class: 'solved muted', text: `${tm.solved} ${t('solved')}` }))));
  }

  function renderPrizes() {
    const sel = $('prize');
    const keep = sel.value;
    const prizes = (hunt && hunt.prizes) || [];
    sel.replaceChildren(...prizes.map((p) => {
      const done = records.some((r) => r.prize === p.id);
      const o = el('option', { value: p.id, text: p.name + (done ? ' ✓' : '') });
      if (done) o.disabled = true;
      return o;
    }));
    if (keep) sel.value = keep;
    if (sel.selectedOptions.length === 0 || sel.selectedOptions[0].disabled) {
      const first = prizes.find((p) => !records.some((r) => r.prize === p.id));
      if (first) sel.value = first.id;
    }
    renderDrawGate();
    // The login screen renders before the hunt is known: take the note back then.
    const note = $('draw-err');
    if (!prizes.length) note.textContent = t('no_prizes');
    else if (note.textContent === T.de.no_prizes || note.textContent === T.en.no_prizes) note.textContent = '';
  }

  function names(rec, ids) {
    if (!ids.length) return el('p', { class: 'muted', text: t('none') });
    return el('ol', { class: 'names' }, ...ids.map((id) => el('li', {}, el('span', { class: 'name', text: rec.names[String(id)] || '#' + id }),
      el('span', { class: 'muted', text: ' #' + id }))));
  }

  function recordView(rec, big) {
    const box = el('article', { class: big ? 'record big' : 'record' },
      el('h3', { text: rec.prize_name }),
      el('p', { class: 'muted', text: `${t('eligible', rec.eligible.length)} · ${t('drawn_at')} ${when(rec.drawn_at)}` }),
      rec.count === 'all' ? el('p', { text: t('all_win') }) : null,
      el('h4', { text: t('winners') }), names(rec, rec.winners));
    if (rec.reserve_winners.length) box.append(el('h4', { text: t('reserves') }), names(rec, rec.reserve_winners));
    const det = el('details', {}, el('summary', { text: t('record') }), el('pre', { class: 'json', text: JSON.stringify(rec, null, 1) }));
    box.append(det);
    return box;
  }

  function renderRecords() {
    if (!hunt) return;
    $('commitment').textContent = hunt.draw_commitment;
    $('public-link').href = '/draw/index.html?hunt=' + encodeURIComponent(hunt.id);
    $('records').replaceChildren(...(records.length ? records.map((r) => recordView(r, false)) : [el('p', { class: 'muted', text: t('no_records') })]));
    renderPrizes();
  }

  // ---- the draw ----

  function askDraw(ev) {
    ev.preventDefault();
    const p = (hunt.prizes || []).find((x) => x.id === $('prize').value);
    if (!p) return;
    $('draw-err').textContent = '';
    $('confirm-q').textContent = t('really', p.name);
    const beacon = hunt.draw_beacon ? $('beacon').value.trim() : '';
    $('confirm-beacon').hidden = !beacon;
    $('confirm-beacon').textContent = beacon ? t('confirm_beacon', beacon) : '';
    $('confirm').hidden = false;
    $('draw-btn').disabled = true;
    $('confirm-no').focus();
  }

  function closeConfirm() {
    $('confirm').hidden = true;
    renderPrizes();
  }

  async function doDraw() {
    const prize = $('prize').value;
    $('confirm-yes').disabled = true;
    $('draw-err').textContent = t('drawing');
    try {
      const body = { prize };
      if (hunt.draw_beacon) body.beacon = $('beacon').value.trim();
      const r = await api('POST', `/api/admin/hunts/${encodeURIComponent(hunt.id)}/draw`, body);
      if (r.status === 200) {
        $('draw-err').textContent = '';
        $('result').hidden = false;
        $('result').replaceChildren(recordView(r.data, true));
      } else {
        $('draw-err').textContent = (r.data && r.data.message) || `${t('error')} ${r.status}`;
      }
    } catch (e) {
      $('draw-err').textContent = t('offline');
    }
    $('confirm-yes').disabled = false;
    closeConfirm();
    loadRecords();
  }

  // ---- claims ----

  async function checkClaim(ev) {
    ev.preventDefault();
    const code = $('claim-code').value.trim();
    const out = $('claim-out');
    out.className = 'claim-out';
    const r = await api('GET', `/api/admin/hunts/${encodeURIComponent(hunt.id)}/claims/${encodeURIComponent(code)}`);
    if (r.status === 200) {
      const c = r.data;
      out.textContent = c.status === 'winner' ? t('claim_winner', c.team.name, c.prize_name)
        : t('claim_reserve', c.team.name, c.prize_name, c.reserve_rank);
      out.classList.add('ok');
    } else {
      out.textContent = r.status === 400 ? t('claim_bad') : t('claim_none');
      out.classList.add('bad');
    }
  }

  // ---- start ----

  async function chooseHunt(id) {
    stopLive();
    stats = null; board = null; records = [];
    const r = await api('GET', `/api/hunts/${encodeURIComponent(id)}`);
    if (r.status !== 200) return;
    hunt = r.data;
    const u = new URL(location.href);
    u.searchParams.set('hunt', id);
    history.replaceState(null, '', u);
    document.title = `spur · Staff · ${hunt.title}`;
    $('result').hidden = true;
    renderAll();
    if (token) signIn(token); else showLogin('');
  }

  async function start() {
    $('lang').addEventListener('click', () => {
      lang = lang === 'de' ? 'en' : 'de';
      localStorage.setItem(LANG_KEY, lang);
      applyLang();
    });
    $('logout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      token = '';
      stopLive();
      showLogin('');
    });
    $('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('token').value.trim()); });
    $('draw-form').addEventListener('submit', askDraw);
    $('confirm-no').addEventListener('click', closeConfirm);
    $('confirm-yes').addEventListener('click', doDraw);
    $('claim-form').addEventListener('submit', checkClaim);
    $('hunt').addEventListener('change', () => chooseHunt($('hunt').value));
    applyLang();

    const r = await api('GET', '/api/hunts');
    const hunts = r.status === 200 ? r.data : [];
    $('hunt').replaceChildren(...hunts.map((h) => el('option', { value: h.id, text: h.title })));
    const want = new URL(location.href).searchParams.get('hunt');
    const pick = hunts.find((h) => h.id === want) || hunts[0];
    if (pick) {
      $('hunt').value = pick.id;
      chooseHunt(pick.id);
    }
  }

  start();
}());

// The big screen (/screen/{h}): a projector page for the start and the closing
// ceremony. It shows the public top 10 as the hunt's event stream pushes it
// (GET /api/hunts/{h}/events?limit=10: hidden teams and the freeze are already
// applied by the server), a countdown on the server's clock (server_time of
// GET /api/hunts/{h} corrects the projector's own), the hunt's join QR code with
// its address as text, and, once prizes are drawn (GET /api/hunts/{h}/draw and the
// stream's `draw` event), the winners one by one: a key, a click or a timer reveals
// the next. Reserves are never shown. Under the join code, one after another, the
// approved photos of photo puzzles whose teams allowed them here (GET
// /api/hunts/{h}/photos, read every minute). No token, nothing but team names. German and
// English as on the draw page. No inline code: the CSP allows scripts from 'self'.
//
// Address parameters: ?lang=de|en, ?every=N (seconds between automatic reveals,
// default 8, 0 = only by key or click). /screen/?hunt=ID works as well as /screen/ID.
'use strict';
(function () {
  const T = {
    de: {
      top10: 'Rangliste · Top 10', final10: 'Endstand · Top 10', signed_up: 'Schon angemeldet',
      join_h: 'Mitspielen', results_h: 'Ergebnisse aufs Handy',
      join_hint: 'Handykamera auf den Code halten – keine App nötig.',
      results_hint: 'Handykamera auf den Code halten: Rangliste und Verlosung aufs Handy.',
      qr_alt: (u) => `QR-Code zum Mitspielen: ${u}`,
      start_in: 'Start in', left: 'Noch', over: 'Ende',
      starts_at: (s) => `Start: ${s}`, ends_at: (s) => `Ende: ${s}`, thanks: 'Danke fürs Mitspielen!',
      days: (d) => (d === 1 ? '1 Tag' : `${d} Tage`), oclock: ' Uhr',
      frozen: 'Eingefroren – Endstand bei der Siegerehrung',
      teams: (n) => (n === 1 ? '1 Team ist dabei' : `${n} Teams sind dabei`),
      empty: 'Noch keine Teams – scannt den Code und spielt mit!',
      points: 'Punkte', rank: 'Platz',
      draw_kicker: 'Verlosung',
      meta: (w, e) => `${w} Gewinner · ${e === 1 ? '1 Team' : e + ' Teams'} im Lostopf`,
      all_win: (n) => (n === 1 ? 'Das eine Team im Lostopf gewinnt' : `Alle ${n} Teams im Lostopf gewinnen`),
      nobody: 'Niemand war im Lostopf.',
      winner_n: (i) => `Gewinner ${i}`,
      next_hint: 'Weiter: Leertaste, Pfeiltaste oder Klick', done_hint: 'Esc: zurück zur Rangliste',
      back_hint: 'Esc: zur Verlosung',
      fullscreen: 'Vollbild', leave_fullscreen: 'Vollbild beenden',
      pick_h: 'Welche Rallye?', no_hunt: 'Keine Rallye gefunden.', ann_label: 'Durchsage der Veranstalter',
      offline: 'Verbindung unterbrochen – verbinde neu …',
      screen: 'Großbildschirm',
      photo_alt: (team, puzzle) => `Foto von ${team}: ${puzzle}`,
    },
    en: {
      top10: 'Leaderboard · Top 10', final10: 'Final standings · Top 10', signed_up: 'Signed up so far',
      join_h: 'Join in', results_h: 'Results on your phone',
      join_hint: 'Point your phone camera at the code – no app needed.',
      results_hint: 'Point your phone camera at the code: leaderboard and prize draw on your phone.',
      qr_alt: (u) => `QR code to join: ${u}`,
      start_in: 'Starts in', left: 'Time left', over: 'Over',
      starts_at: (s) => `Starts: ${s}`, ends_at: (s) => `Ends: ${s}`, thanks: 'Thanks for playing!',
      days: (d) => (d === 1 ? '1 day' : `${d} days`), oclock: '',
      frozen: 'Frozen – final standings at the ceremony',
      teams: (n) => (n === 1 ? '1 team taking part' : `${n} teams taking part`),
      empty: 'No teams yet – scan the code and join in!',
      points: 'points', rank: 'Place',
      draw_kicker: 'Prize draw',
      meta: (w, e) => `${w === 1 ? '1 winner' : w + ' winners'} · ${e === 1 ? '1 team' : e + ' teams'} in the draw`,
      all_win: (n) => (n === 1 ? 'The one team in the draw wins' : `All ${n} teams in the draw win`),
      nobody: 'Nobody was in the draw.',
      winner_n: (i) => `Winner ${i}`,
      next_hint: 'Next: space, arrow key or click', done_hint: 'Esc: back to the leaderboard',
      back_hint: 'Esc: to the prize draw',
      fullscreen: 'Full screen', leave_fullscreen: 'Leave full screen',
      pick_h: 'Which hunt?', no_hunt: 'No hunt found.', ann_label: 'Announcement from the organizers',
      offline: 'Connection lost – reconnecting …',
      screen: 'Big screen',
      photo_alt: (team, puzzle) => `Photo by ${team}: ${puzzle}`,
    },
  };
  const $ = (id) => document.getElementById(id);
  const params = new URL(location.href).searchParams;
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch { /* not remembered */ } },
  };
  let lang = ['de', 'en'].includes(params.get('lang')) ? params.get('lang')
    : store.get('spur_staff_lang') || ((navigator.language || 'de').toLowerCase().startsWith('de') ? 'de' : 'en');
  const every = /^\d{1,3}$/.test(params.get('every') || '') ? Number(params.get('every')) : 8;

  let id = null;          // the hunt's id
  let hunt = null;        // GET /api/hunts/{h}
  let offset = 0;         // server clock minus ours, ms
  let board = null;       // the last leaderboard pushed
  const before = new Map(); // team id -> score as last shown, to mark changes
  let offline = false;
  let draws = [];         // published records, oldest first
  let cur = -1;           // the record on screen
  let shown = 0;          // its winners revealed so far
  let boardAnyway = false; // Esc: the leaderboard although there are draws
  let timer = 0;
  let hunts = null;       // for the picker when no hunt is named

  const t = (key, ...a) => { const v = T[lang][key]; return typeof v === 'function' ? v(...a) : v; };
  const now = () => Date.now() + offset;
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }
  const api = (path) => `/api/hunts/${encodeURIComponent(id)}${path}`;

  // ---- the clock ----

  const pad = (n) => String(n).padStart(2, '0');
  function duration(ms) {
    let s = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60); s %= 60;
    if (d) return `${t('days', d)} ${pad(h)}:${pad(m)}:${pad(s)}`;
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  }
  // A moment in the hunt's time zone: the time, and the date too when it is not today.
  function when(ms) {
    const loc = lang === 'de' ? 'de-DE' : 'en-GB';
    const tz = hunt.time_zone || 'Europe/Berlin';
    const day = (x) => new Intl.DateTimeFormat(loc, { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(x);
    const time = new Intl.DateTimeFormat(loc, { timeZone: tz, hour: '2-digit', minute: '2-digit' }).format(ms) + t('oclock');
    if (day(ms) === day(now())) return time;
    return new Intl.DateTimeFormat(loc, { timeZone: tz, weekday: 'short', day: 'numeric', month: 'numeric' }).format(ms) + ', ' + time;
  }
  function phase() {
    const n = now();
    if (n < Date.parse(hunt.starts_at)) return 'upcoming';
    return n < Date.parse(hunt.ends_at) ? 'running' : 'over';
  }
  let lastPhase = null;
  function tick() {
    if (!hunt) return;
    const p = phase();
    const starts = Date.parse(hunt.starts_at), ends = Date.parse(hunt.ends_at);
    const set = (node, text) => { if (node.textContent !== text) node.textContent = text; };
    set($('clock-label'), p === 'upcoming' ? t('start_in') : p === 'running' ? t('left') : '');
    set($('clock'), p === 'upcoming' ? duration(starts - now()) : p === 'running' ? duration(ends - now()) : t('over'));
    set($('clock-sub'), p === 'upcoming' ? t('starts_at', when(starts)) : p === 'running' ? t('ends_at', when(ends)) : t('thanks'));
    if (p !== lastPhase) {
      $('clock-box').className = 'clock ' + p;
      if (lastPhase !== null) { renderJoin(); renderBoardLabels(); } // over: results, final standings
      lastPhase = p;
    }
  }

  // GET /api/hunts/{h} with the offset of our clock: the middle of the request
  // is taken as the moment the server read its clock.
  async function loadHunt() {
    const t0 = Date.now();
    const r = await fetch(api(''), { cache: 'no-store' });
    const t1 = Date.now();
    if (r.status !== 200) return false;
    hunt = await r.json();
    const st = Date.parse(hunt.server_time);
    // an old answer the app's service worker kept (offline) carries an old clock
    if (!Number.isNaN(st) && r.headers.get('X-Spur-Cache') !== 'hit') offset = st - (t0 + t1) / 2;
    return true;
  }

  // ---- the top 10 ----

  function renderBoard() {
    const p = hunt ? phase() : 'running';
    $('board-h').textContent = p === 'upcoming' ? t('signed_up')
      : p === 'over' && !(board && board.frozen) ? t('final10') : t('top10');
    const note = offline ? t('offline') : board && board.frozen ? t('frozen') : board && board.total ? t('teams', board.total) : '';
    $('board-note').textContent = note;
    $('board-note').hidden = !note;
    $('board-note').classList.toggle('warn', offline);
    const rows = board ? board.teams.slice(0, 10) : [];
    const seen = board && before.size > 0;
    $('rows').replaceChildren(...rows.map((r) => {
      // Lit up: a team that scored or came into the top 10, not the ones it passed.
      const changed = seen && before.get(r.id) !== r.score;
      const li = el('li', { class: `row${r.rank <= 3 ? ' top' + r.rank : ''}${changed ? ' bump' : ''}` },
        el('span', { class: 'rank' }, el('span', { class: 'sr', text: t('rank') + ' ' }), String(r.rank)),
        el('span', { class: 'name', text: r.name }),
        el('span', { class: 'score' }, String(r.score), el('span', { class: 'sr', text: ' ' + t('points') })));
      return li;
    }));
    before.clear();
    for (const r of rows) before.set(r.id, r.score);
    $('empty').textContent = t('empty');
    $('empty').hidden = rows.length > 0 || !board;
  }

  function renderJoin() {
    if (!hunt) return;
    const url = hunt.join_url || `${location.origin}/?hunt=${encodeURIComponent(id)}`;
    const short = url.replace(/^https?:\/\//, '');
    const over = phase() === 'over';
    $('join-h').textContent = over ? t('results_h') : t('join_h');
    $('join-hint').textContent = over ? t('results_hint') : t('join_hint');
    // "host/?hunt=id": if it must break, then before the slash
    const cut = short.indexOf('/');
    $('join-url').replaceChildren(...(cut > 0
      ? [el('span', { text: short.slice(0, cut) }), document.createElement('wbr'), el('span', { text: short.slice(cut) })]
      : [el('span', { text: short })]));
    $('join-url').classList.toggle('long', short.length > 48 || (cut > 0 ? Math.max(cut, short.length - cut) : short.length) > 24);
    const qr = $('qr');
    qr.alt = t('qr_alt', short);
    if (!qr.getAttribute('src')) qr.src = api('/join.svg');
    qr.hidden = false;
  }

  // ---- the ceremony ----

  // Winners revealed one at a time; with count "all" every eligible team wins and
  // they are shown at once (a roll call of 80 teams is no ceremony).
  const steps = (rec) => (rec.count === 'all' ? 0 : rec.winners.length);
  const nameOf = (rec, tid) => (rec.names && rec.names[String(tid)]) || `#${tid}`;
  const more = () => cur >= 0 && (shown < steps(draws[cur]) || cur + 1 < draws.length);

  function renderDraw() {
    const rec = draws[cur];
    if (!rec) return;
    $('prize-h').textContent = rec.prize_name;
    const wins = rec.winners.length;
    $('prize-meta').textContent = t('meta', wins, rec.eligible.length);
    const all = rec.count === 'all';
    const list = $('winners');
    list.hidden = all || wins === 0;
    list.classList.toggle('many', wins > 6);
    if (!all) {
      // Keep revealed rows in place so only the new one animates.
      while (list.children.length > wins) list.lastChild.remove();
      for (let i = 0; i < wins; i++) {
        const open = i < shown;
        let li = list.children[i];
        if (li && li.classList.contains('revealed') === open && li.dataset.prize === rec.prize) continue;
        const fresh = open
          ? el('li', { class: 'revealed', 'data-prize': rec.prize },
            el('span', { class: 'nr', text: String(i + 1) }), el('span', { class: 'who', text: nameOf(rec, rec.winners[i]) }))
          : el('li', { class: 'pending', 'data-prize': rec.prize },
            el('span', { class: 'nr', text: String(i + 1) }), el('span', { class: 'who', 'aria-hidden': 'true', text: '?' }));
        if (li) li.replaceWith(fresh); else list.append(fresh);
      }
    }
    const allBox = $('all-winners');
    allBox.hidden = !(all || wins === 0);
    if (wins === 0) allBox.textContent = t('nobody');
    else if (all) {
      const names = rec.winners.slice(0, 40).map((w) => nameOf(rec, w)).join(' · ');
      allBox.replaceChildren(el('strong', { text: t('all_win', wins) }), el('br'),
        el('span', { class: 'names', text: names + (wins > 40 ? ' …' : '') }));
    }
    $('draw-next').textContent = more() ? t('next_hint') : t('done_hint');
    $('draw-next').hidden = false;
  }

  function announce(text) { $('live').textContent = text; }

  function next() {
    if (cur < 0) return;
    if (boardAnyway) { boardAnyway = false; show(); return; }
    const rec = draws[cur];
    if (shown < steps(rec)) {
      shown++;
      announce(`${rec.prize_name}, ${t('winner_n', shown)}: ${nameOf(rec, rec.winners[shown - 1])}`);
    } else if (cur + 1 < draws.length) {
      cur++; shown = 0;
      announce(`${t('draw_kicker')}: ${draws[cur].prize_name}`);
    } else return;
    renderDraw();
    schedule();
  }

  function back() {
    if (cur < 0 || boardAnyway) return;
    if (shown > 0) shown--;
    else if (cur > 0) { cur--; shown = steps(draws[cur]); } else return;
    renderDraw();
    schedule();
  }

  // The timer reveals the next step `every` seconds after the last one, whatever
  // moved it (key, click or the timer itself).
  function schedule() {
    clearTimeout(timer);
    if (every > 0 && more() && !boardAnyway) timer = setTimeout(next, every * 1000);
  }

  async function loadDraws() {
    const r = await fetch(api('/draw'), { cache: 'no-store' }).catch(() => null);
    if (!r || r.status !== 200) return;
    const doc = await r.json();
    const known = new Set(draws.map((d) => d.prize));
    const fresh = (doc.draws || []).filter((d) => !known.has(d.prize));
    if (!fresh.length) return;
    const done = !more();
    draws = draws.concat(fresh);
    if (cur < 0 || done) { // nothing waiting: the new prize comes on at once
      cur = draws.length - fresh.length;
      shown = 0;
      announce(`${t('draw_kicker')}: ${draws[cur].prize_name}`);
    }
    boardAnyway = false;
    show();
    schedule();
  }

  // ---- the page ----

  function show() {
    const picking = !id;
    const drawing = !picking && cur >= 0 && !boardAnyway;
    $('pick-view').hidden = !picking;
    $('board-view').hidden = picking || drawing;
    $('draw-view').hidden = !drawing;
    $('clock-box').hidden = picking || !hunt;
    if (drawing) renderDraw();
    document.body.classList.toggle('drawing', drawing);
  }

  function render() {
    document.documentElement.lang = lang;
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    $('lang').textContent = lang === 'de' ? 'English' : 'Deutsch';
    $('lang').lang = lang === 'de' ? 'en' : 'de';
    $('fullscreen').textContent = document.fullscreenElement ? t('leave_fullscreen') : t('fullscreen');
    if (hunt) {
      $('title').textContent = hunt.title;
      $('title').classList.toggle('long', hunt.title.length > 30);
      // the organizer (hunt file "branding") above the title, else spur's name
      document.querySelector('.brand').textContent = (hunt.branding && hunt.branding.organizer) || 'spur';
      renderLogo(hunt.branding && hunt.branding.logo);
      document.title = `${hunt.title} · spur · ${t('screen')}`;
      renderJoin();
      tick();
      renderBoardLabels();
    } else {
      document.title = `spur · ${t('screen')}`;
    }
    if (hunts) renderPick();
    show();
  }
  // The organizer's logo left of the title (hunt file "branding.logo"), with its alt
  // text; width and height keep its box while it loads. Only our own media paths.
  function renderLogo(logo) {
    const img = $('logo');
    const ok = Boolean(logo && typeof logo.url === 'string' && /^\/api\/hunts\/[^/]+\/media\/[^/]+$/.test(logo.url));
    if (ok) {
      if (img.getAttribute('src') !== logo.url) img.src = logo.url;
      img.alt = typeof logo.alt === 'string' ? logo.alt : '';
      for (const k of ['width', 'height']) {
        if (Number.isInteger(logo[k]) && logo[k] > 0) img.setAttribute(k, logo[k]); else img.removeAttribute(k);
      }
    } else img.removeAttribute('src');
    img.hidden = !ok;
  }
  function renderBoardLabels() {
    // The rows carry words for screen readers: redo them in the new language,
    // without marking every row as changed.
    const keep = new Map(before);
    renderBoard();
    before.clear();
    for (const [k, v] of keep) before.set(k, v);
    for (const li of $('rows').children) li.classList.remove('bump');
  }

  function renderPick() {
    $('pick').replaceChildren(...hunts.map((h) => el('li', {},
      el('a', { href: `/screen/${encodeURIComponent(h.id)}${lang !== 'de' ? '?lang=' + lang : ''}`, text: h.title }))));
    if (!hunts.length) $('pick').replaceChildren(el('li', { text: t('no_hunt') }));
  }

  let annTimer = 0;

  function connect() {
    if (!window.EventSource) return;
    const es = new EventSource(api('/events?limit=10'));
    let lostAt = 0;
    es.addEventListener('open', () => {
      if (offline) { offline = false; renderBoard(); }
      lostAt = 0;
      loadDraws(); // a draw made while the stream was down is not pushed again
    });
    es.addEventListener('leaderboard', (e) => {
      try { board = JSON.parse(e.data); } catch { return; }
      renderBoard();
    });
    es.addEventListener('draw', () => { loadDraws(); });
    // an announcement sent while the screen is up: shown for two minutes, or until deleted
    es.addEventListener('announcement', (e) => {
      let a;
      try { a = JSON.parse(e.data); } catch { return; }
      $('ann-text').textContent = a.text;
      $('ann').dataset.id = String(a.id);
      $('ann').hidden = false;
      clearTimeout(annTimer);
      annTimer = setTimeout(() => { $('ann').hidden = true; }, 120000);
    });
    es.addEventListener('announcement_deleted', (e) => {
      let a;
      try { a = JSON.parse(e.data); } catch { return; }
      if ($('ann').dataset.id === String(a.id)) $('ann').hidden = true;
    });
    es.addEventListener('error', () => {
      // EventSource retries by itself (retry: 3000); say so only if it takes long,
      // and start over if the browser gave up (a restarting server answered 503).
      lostAt = lostAt || Date.now();
      setTimeout(() => { if (lostAt && Date.now() - lostAt >= 5000 && !offline) { offline = true; renderBoard(); } }, 5100);
      if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(connect, 5000); }
    });
  }

  // Controls and the pointer disappear while nobody touches the screen.
  let idleTimer = 0;
  function wake() {
    document.body.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!$('controls').contains(document.activeElement)) document.body.classList.add('idle');
    }, 3000);
  }

  function onKey(e) {
    wake();
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const onButton = e.target && (e.target.closest('button') || e.target.closest('a'));
    if (['ArrowRight', 'ArrowDown', 'PageDown'].includes(e.key) || (!onButton && (e.key === ' ' || e.key === 'Enter'))) {
      if (cur >= 0) { e.preventDefault(); next(); }
    } else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)) {
      if (cur >= 0) { e.preventDefault(); back(); }
    } else if (e.key === 'Escape' || e.key === 'b' || e.key === 'B') {
      if (cur >= 0) { boardAnyway = !boardAnyway; show(); schedule(); }
    } else if ((e.key === 'f' || e.key === 'F') && !onButton) {
      toggleFullscreen();
    }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }

  // ---- photos from the photo puzzles ----

  let photos = [];  // GET /api/hunts/{h}/photos: newest first
  let photoAt = -1; // the one on screen
  async function loadPhotos() {
    const r = await fetch(api('/photos')).catch(() => null);
    if (!r || !r.ok) return;
    photos = (await r.json()).photos || [];
    if (photoAt < 0 || photoAt >= photos.length) nextPhoto();
  }
  function nextPhoto() {
    const fig = $('photo');
    fig.parentElement.classList.toggle('has-photo', photos.length > 0);
    if (!photos.length) { fig.hidden = true; photoAt = -1; return; }
    photoAt = (photoAt + 1) % photos.length;
    const p = photos[photoAt];
    const img = $('photo-img');
    img.src = p.url;
    img.alt = t('photo_alt', p.team, p.puzzle);
    $('photo-cap').textContent = `${p.team} · ${p.puzzle}`;
    fig.hidden = false;
  }

  async function start() {
    $('lang').addEventListener('click', () => {
      lang = lang === 'de' ? 'en' : 'de';
      store.set('spur_staff_lang', lang);
      render();
    });
    $('fullscreen').hidden = !document.fullscreenEnabled;
    $('fullscreen').addEventListener('click', toggleFullscreen);
    document.addEventListener('fullscreenchange', render);
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointermove', wake);
    $('draw-view').addEventListener('click', () => next());
    wake();

    // /screen/{h}, or /screen/?hunt={h}
    const seg = location.pathname.split('/').filter(Boolean);
    if (seg.length >= 2 && seg[0] === 'screen' && seg[1] !== 'index.html') {
      try { id = decodeURIComponent(seg[1]); } catch { id = null; }
    }
    id = id || params.get('hunt');
    if (!id) {
      const r = await fetch('/api/hunts').catch(() => null);
      hunts = r && r.ok ? await r.json() : [];
      if (hunts.length === 1) {
        id = hunts[0].id;
        hunts = null;
        history.replaceState(null, '', `/screen/${encodeURIComponent(id)}${location.search}`);
      }
    }
    render();
    if (!id) return;
    // A projector switched on before the server: try again until it answers.
    let ok;
    while ((ok = await loadHunt().catch(() => null)) === null) await new Promise((r) => setTimeout(r, 5000));
    if (!ok) {
      $('title').textContent = t('no_hunt');
      $('board-view').hidden = true;
      return;
    }
    render();
    setInterval(tick, 250);
    // Re-read the hunt now and then: the clock offset drifts, a reload may change times.
    setInterval(() => { loadHunt().then((ok) => ok && render()).catch(() => {}); }, 10 * 60 * 1000);
    connect();
    loadPhotos();
    setInterval(loadPhotos, 60 * 1000);
    setInterval(nextPhoto, 10 * 1000);
  }

  start();
}());

// The staff console's photo review: the queue of photos waiting for a decision
// (GET /api/admin/hunts/{h}/photos?status=pending, oldest first), one at a time and
// large, with the team, the puzzle and its points; "Freigeben" with the points (the
// puzzle's, or fewer) and "Ablehnen" with a message for the team; the approved photos
// the same way, with "Widerrufen". Keys while the focus is in the section and not in
// a field: A, R, M (the message), J/→ and K/← (next, previous); Esc in a field goes
// back to the photo. After a decision the next photo shows. Several staff review at
// once: a photo someone else decided (409 already_reviewed) is skipped with a note,
// and the list is read again every few seconds (staff.js calls load()).
//
// The photos come with the staff token in the Authorization header and reach the
// <img> as data: URLs (the page's CSP allows data:, not blob:), the last IMGS_MAX kept.
// staff.js (loaded after this file) calls window.spurStaffPhotos(ctx) once; ctx gives
// $, el, t, call, adminPath, asStaff, huntTime, loadLog, failText, token(), lang().
'use strict';
window.spurStaffPhotos = function (ctx) {
  const { $, t } = ctx;
  const IMGS_MAX = 16;
  let mode = 'pending';   // or 'approved'
  let list = [];          // the photos of the mode, oldest first
  let pending = null;     // how many wait (null: not known yet)
  let cur = null;         // the id of the photo shown
  let shown = null;       // the id whose fields and picture are in the page
  let busy = false;
  let gen = 0;            // a newer load or a hunt change makes older answers moot
  const imgs = new Map(); // photo id → Promise of a data: URL or null

  const current = () => list.find((p) => p.id === cur) || null;

  function reset() {
    gen++;
    mode = 'pending';
    list = [];
    pending = null;
    cur = shown = null;
    imgs.clear();
    $('photos-note').textContent = '';
    $('photo-err').textContent = '';
    render();
  }

  async function load() {
    const my = ++gen;
    const want = mode;
    const r = await ctx.call('GET', ctx.adminPath(`photos?status=${want}&limit=500`));
    if (my !== gen || want !== mode) return;
    if (r.status !== 200 || !r.data || !Array.isArray(r.data.photos)) {
      if (r.status && r.status !== 401) $('photo-err').textContent = ctx.failText(r);
      return;
    }
    const before = list.findIndex((p) => p.id === cur);
    const had = cur;
    list = r.data.photos;
    pending = r.data.pending;
    if (!list.some((p) => p.id === cur)) {
      cur = list.length ? list[Math.max(0, Math.min(before, list.length - 1))].id : null;
      // someone else decided the photo on screen meanwhile
      if (had && mode === 'pending' && !busy) $('photos-note').textContent = t('photo_taken');
    }
    render();
  }

  // The photo's bytes with the staff token, as a data: URL (null when not to be had).
  function picture(p) {
    if (!imgs.has(p.id)) {
      const got = fetch(p.url, { headers: { Authorization: 'Bearer ' + ctx.token() }, cache: 'default' })
        .then((res) => (res.ok ? res.blob() : null))
        .then((b) => b && new Promise((resolve) => {
          const fr = new FileReader();
          fr.onload = () => resolve(fr.result);
          fr.onerror = () => resolve(null);
          fr.readAsDataURL(b);
        }))
        .catch(() => null);
      imgs.set(p.id, got);
      got.then((v) => { if (!v) imgs.delete(p.id); });
      while (imgs.size > IMGS_MAX) imgs.delete(imgs.keys().next().value);
    }
    return imgs.get(p.id);
  }

  function render() {
    const n = pending || 0;
    for (const id of ['photos-count', 'photos-nav-count']) {
      $(id).textContent = n ? (id === 'photos-count' ? t('photos_count', n) : String(n)) : '';
      $(id).hidden = !n;
    }
    $('photos-mode-pending').textContent = t('photos_queue') + (pending !== null ? ` (${n})` : '');
    $('photos-mode-approved').textContent = t('photos_approved');
    $('photos-mode-pending').setAttribute('aria-pressed', String(mode === 'pending'));
    $('photos-mode-approved').setAttribute('aria-pressed', String(mode === 'approved'));
    $('photos-keys').textContent = t(mode === 'pending' ? 'photos_keys' : 'photos_keys_approved');
    const p = current();
    $('photos-empty').textContent = t(mode === 'pending' ? 'photos_none' : 'photos_none_approved');
    $('photos-empty').hidden = Boolean(p) || pending === null;
    $('photo-view').hidden = !p;
    $('photos-keys').hidden = !p;
    if (!p) { shown = null; return; }
    const i = list.indexOf(p);
    const team = p.team ? p.team.name : '';
    const title = p.puzzle ? p.puzzle.title || p.puzzle.id : '';
    const max = p.puzzle ? p.puzzle.points : 0;
    $('photo-pos').textContent = t('photo_pos', i + 1, list.length);
    $('photo-team').textContent = team;
    $('photo-puzzle').textContent = t('photo_puzzle', title, max);
    $('photo-at').textContent = t('photo_at', ctx.huntTime(Date.parse(p.at), true)) +
      (p.status === 'approved' ? ' · ' + t('photo_given', p.points) : '');
    $('photo-points-box').hidden = mode !== 'pending';
    $('photo-points-l').textContent = t('photo_points', max);
    $('photo-points').max = String(max);
    $('photo-msg-l').textContent = t(mode === 'pending' ? 'photo_msg' : 'photo_msg_revoke');
    $('photo-approve').hidden = mode !== 'pending';
    $('photo-approve').textContent = t('photo_approve');
    $('photo-reject').textContent = t(mode === 'pending' ? 'photo_reject' : 'photo_revoke');
    $('photo-prev').textContent = t('photo_prev');
    $('photo-next').textContent = t('photo_next');
    $('photo-prev').disabled = i <= 0;
    $('photo-next').disabled = i >= list.length - 1;
    for (const id of ['photo-approve', 'photo-reject']) $(id).disabled = busy;
    const img = $('photo-img');
    img.alt = t('photo_alt', team, title);
    if (p.width && p.height) { img.width = p.width; img.height = p.height; }
    if (shown === p.id) return;
    // another photo: its own fields, its picture
    shown = p.id;
    $('photo-points').value = String(max);
    $('photo-msg').value = '';
    $('photo-err').textContent = '';
    img.removeAttribute('src');
    picture(p).then((src) => {
      if (shown !== p.id) return;
      if (src) img.src = src; else $('photo-err').textContent = t('photo_load_failed');
    });
    const next = list[i + 1];
    if (next) picture(next); // the next one is ready when this is decided
  }

  function move(step) {
    const i = list.findIndex((p) => p.id === cur);
    const j = i + step;
    if (i < 0 || j < 0 || j >= list.length) return;
    cur = list[j].id;
    $('photos-note').textContent = '';
    render();
  }

  function setMode(m) {
    if (m === mode) return;
    mode = m;
    list = [];
    cur = shown = null;
    $('photos-note').textContent = '';
    $('photo-err').textContent = '';
    render();
    load();
  }

  // The photo on screen leaves the list; the next one (or the one before, at the end) shows.
  function drop(id) {
    const i = list.findIndex((p) => p.id === id);
    if (i < 0) return;
    list.splice(i, 1);
    if (mode === 'pending' && pending) pending--;
    cur = list.length ? list[Math.min(i, list.length - 1)].id : null;
  }

  function decide(approve) {
    const p = current();
    if (!p || busy || (approve && mode !== 'pending')) return;
    $('photo-err').textContent = '';
    const body = { approve };
    if (approve) {
      const max = p.puzzle ? p.puzzle.points : 0;
      const v = $('photo-points').value.trim();
      // Unchanged, the server gives the puzzle's points less the hints the team took.
      if (v !== '' && v !== String(max)) {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > max) {
          $('photo-err').textContent = t('photo_bad_points', max);
          $('photo-points').focus();
          return;
        }
        body.points = n;
      }
    } else {
      const m = $('photo-msg').value.trim();
      if (m) body.message = m;
    }
    ctx.asStaff(() => send(p, body));
  }

  async function send(p, body) {
    busy = true;
    render();
    const was = mode;
    const r = await ctx.call('POST', ctx.adminPath(`photos/${encodeURIComponent(p.id)}/review`), body);
    busy = false;
    if (was !== mode) return;
    const team = p.team ? p.team.name : '';
    const note = $('photos-note');
    if (r.status === 200) {
      note.textContent = body.approve ? t('photo_done_ok', team, r.data ? r.data.points : body.points)
        : t(mode === 'pending' ? 'photo_done_no' : 'photo_done_revoked', team);
      drop(p.id);
    } else if (r.status === 409 && r.data && r.data.error === 'already_reviewed') {
      note.textContent = t('photo_taken');
      drop(p.id);
    } else {
      note.textContent = '';
      $('photo-err').textContent = ctx.failText(r);
    }
    render();
    if (!$('photo-view').hidden) $('photo-fig').focus();
    ctx.loadLog();
    load();
  }

  function typing(node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  function onKey(e) {
    if (e.key === 'Escape' && typing(e.target) && $('photo-view').contains(e.target)) {
      e.preventDefault();
      $('photo-fig').focus();
      return;
    }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey || e.repeat || !current()) return;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (k === 'a' && mode === 'pending') decide(true);
    else if (k === 'r') decide(false);
    else if (k === 'm') $('photo-msg').focus();
    else if (k === 'j' || k === 'ArrowRight') move(1);
    else if (k === 'k' || k === 'ArrowLeft') move(-1);
    else return;
    e.preventDefault();
  }

  $('photos-card').addEventListener('keydown', onKey);
  $('photo-form').addEventListener('submit', (e) => e.preventDefault());
  $('photo-approve').addEventListener('click', () => decide(true));
  $('photo-reject').addEventListener('click', () => decide(false));
  $('photo-prev').addEventListener('click', () => move(-1));
  $('photo-next').addEventListener('click', () => move(1));
  $('photos-mode-pending').addEventListener('click', () => setMode('pending'));
  $('photos-mode-approved').addEventListener('click', () => setMode('approved'));

  return { load, reset, relabel: render };
};

// The organizer's web editor (/staff/editor/, issue 14): list and create hunts, edit
// a hunt file in forms (form.js) or as JSON, check it as you type with exactly the
// rules and messages of `spur check` (POST /api/admin/check; each problem links to
// its field), preview a puzzle as the app shows it (preview.js), and save safely:
// the file is PUT with If-Match (its ETag), after a dry run whose summary and
// warnings a <dialog> shows first; someone else's save in between (412) offers to
// reload or to re-apply one's own version over theirs; an invalid file (422) shows
// its problems. Older versions can be loaded and saved again. Pictures upload to the
// hunt (POST …/media); the file, the posters, the flyer and the answer sheet download;
// the join link and its QR code are at hand. The file is held as a
// parsed object and written back with JSON.stringify(obj, null, 2): unknown keys and
// "_" comments stay. No framework, no inline code (the CSP allows scripts from 'self').

import { t, $, el, api, failText, session, cleanName, getLang, setLang, when, TOKEN_KEY, WHO_KEY } from './common.js';
import * as form from './form.js';
import * as preview from './preview.js';

const CHECK_MS = 400;

const S = {
  hunt: '',          // the hunt's id
  info: null,        // GET /api/hunts/{h}: state, join_url
  etag: '',          // of the saved file the edit started from
  savedText: '',     // that file's text
  text: '',          // the text being edited (what check and save send)
  obj: null,         // its parse, which the form edits
  objOk: true,       // text parses (else the form shows the last parse)
  problems: [], total: 0, checkOk: false, checked: null,
  versions: null,
  canUpload: true,
  stateNote: '',
};

// ---- small helpers ----

function announce(text) {
  const a = $('announce');
  a.textContent = '';
  setTimeout(() => { a.textContent = text; }, 30);
}

function setState(text, kind) {
  S.stateNote = text;
  const p = $('save-state');
  p.textContent = text;
  p.className = 'save-state ' + (kind || '');
}

const dirty = () => S.text !== S.savedText;
const huntPath = (rest) => `/api/admin/hunts/${encodeURIComponent(S.hunt)}/${rest}`;

function applyLang() {
  document.documentElement.lang = getLang();
  for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
  const other = getLang() === 'de' ? 'en' : 'de';
  $('lang').textContent = other === 'en' ? 'English' : 'Deutsch';
  $('lang').lang = other;
  $('tabs').setAttribute('aria-label', t('tabs_label'));
  document.title = `spur · ${t('editor')}${S.obj && S.obj.title ? ' · ' + S.obj.title : ''}`;
  renderState();
  if (!$('editor').hidden) {
    form.render();
    form.markProblems(S.problems);
    renderProblems(true);
    renderVersions();
    renderJoin();
    preview.schedule(0);
    scheduleCheck(0); // the messages come in the editor's language
  }
}

function renderState() {
  const s = S.info && S.info.state;
  $('state').hidden = !s;
  $('state').textContent = s ? t('st_' + s) : '';
  $('state').className = 'state ' + (s || '');
}

// ---- sign-in ----

function showOnly(id) {
  for (const x of ['login', 'hunts', 'editor']) $(x).hidden = x !== id;
  $('logout').hidden = id === 'login';
}

function showLogin(msg) {
  showOnly('login');
  $('login-err').textContent = msg || '';
  $('who-name').value = session.who;
  $('token').focus();
}

async function signIn(ev) {
  ev.preventDefault();
  const token = $('token').value.trim();
  const who = cleanName($('who-name').value);
  if (!who) { $('login-err').textContent = t('who_needed'); $('who-name').focus(); return; }
  session.token = token;
  const r = await api('POST', '/api/admin/check', '{}');
  if (r.status === 401 || !token) {
    session.token = '';
    $('login-err').textContent = t('bad_token');
    $('token').focus();
    return;
  }
  if (!r.status) { $('login-err').textContent = t('offline'); return; }
  sessionStorage.setItem(TOKEN_KEY, token);
  session.who = who;
  localStorage.setItem(WHO_KEY, who);
  $('token').value = '';
  route();
}

function route() {
  if (!session.token || !session.who) { showLogin(''); return; }
  const id = new URL(location.href).searchParams.get('hunt');
  if (id) openHunt(id); else showHunts();
}

// ---- the list of hunts, creating one ----

async function showHunts() {
  showOnly('hunts');
  S.hunt = '';
  S.info = null;
  renderState();
  document.title = `spur · ${t('editor')}`;
  const r = await api('GET', '/api/hunts');
  const list = r.status === 200 && Array.isArray(r.data) ? r.data : [];
  $('hunts-none').hidden = list.length > 0;
  $('hunt-list').replaceChildren(...list.map((h) => el('li', {},
    el('a', { href: '?hunt=' + encodeURIComponent(h.id), text: h.title }),
    el('span', { class: 'muted', text: ` (${h.id}) · ${t('st_' + h.state)}` }))));
  if (!$('hunts').contains(document.activeElement)) $('hunts-h').focus({ preventScroll: true });
}

async function createHunt(ev) {
  ev.preventDefault();
  const id = $('create-id').value.trim();
  const title = $('create-title').value.trim();
  const err = $('create-err');
  err.textContent = '';
  for (const f of ['create-id', 'create-title']) $(f).removeAttribute('aria-invalid');
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) {
    err.textContent = t('create_bad_id');
    $('create-id').setAttribute('aria-invalid', 'true');
    $('create-id').focus();
    return;
  }
  if (!title) { $('create-title').setAttribute('aria-invalid', 'true'); $('create-title').focus(); err.textContent = t('f_title'); return; }
  const r = await api('POST', '/api/admin/hunts', { id, title });
  if (r.status === 201) {
    history.pushState(null, '', '?hunt=' + encodeURIComponent(id));
    openHunt(id);
    return;
  }
  if (r.status === 401) { showLogin(t('bad_token')); return; }
  const first = r.data && Array.isArray(r.data.problems) && r.data.problems[0];
  err.textContent = r.status === 409 ? t('create_exists') : r.status === 422 && first ? first.message
    : r.status === 400 || r.status === 422 ? (r.data && r.data.message) || t('create_bad_id')
    : r.status === 404 || r.status === 405 ? t('create_missing') : failText(r);
  $('create-id').focus();
}

// ---- loading a hunt ----

async function openHunt(id) {
  Object.assign(S, { hunt: id, info: null, etag: '', savedText: '', text: '', obj: null, objOk: true,
    problems: [], total: 0, checkOk: false, checked: null, versions: null });
  renderProblems();
  $('check-summary').textContent = t('checking');
  $('check-summary').className = 'check-summary';
  renderVersions();
  showOnly('editor');
  $('ed-h').textContent = id;
  setState(t('loading'));
  loadInfo();
  const ok = await loadSource();
  if (!ok) return;
  loadVersions();
  probeUpload();
  if (!$('editor').contains(document.activeElement)) $('ed-h').focus({ preventScroll: true });
}

async function loadInfo() {
  const r = await api('GET', `/api/hunts/${encodeURIComponent(S.hunt)}`);
  const was = S.info && S.info.state;
  S.info = r.status === 200 ? r.data : null;
  renderState();
  renderJoin();
  if ((S.info && S.info.state) !== was && S.obj && !$('editor').hidden && !$('hunt-form').contains(document.activeElement)) {
    form.render();
    form.markProblems(S.problems);
  }
}

// GET …/source: the text as last saved, with its ETag. Replaces what is edited.
async function loadSource() {
  const r = await api('GET', huntPath('source'), undefined, { raw: true });
  if (r.status === 401) { showLogin(t('bad_token')); return false; }
  if (r.status !== 200) {
    setState(r.status === 404 && !/unknown_hunt/.test(r.text) ? t('no_source') : `${t('load_failed')} ${failText({ status: r.status, data: safeJson(r.text) })}`, 'bad');
    return false;
  }
  S.etag = r.headers.get('ETag') || '';
  S.savedText = r.text;
  takeText(r.text, true);
  setState(t('loaded'));
  return true;
}

function safeJson(s) { try { return JSON.parse(s); } catch (e) { return null; } }

// A new text for the editor (loaded, a version, the JSON tab): parse it, show it.
function takeText(text, renderForm) {
  S.text = text;
  const o = safeJson(text);
  S.objOk = !!o && typeof o === 'object' && !Array.isArray(o);
  if (S.objOk) S.obj = o;
  else if (!S.obj) S.obj = {};
  $('json-broken').hidden = S.objOk;
  // the form would write its last readable state over the text being fixed: read-only
  $('hunt-form').inert = !S.objOk;
  $('hunt-form').classList.toggle('stale', !S.objOk);
  if (document.activeElement !== $('json')) $('json').value = text;
  $('ed-h').textContent = (S.obj && S.obj.title) || S.hunt;
  document.title = `spur · ${t('editor')} · ${(S.obj && S.obj.title) || S.hunt}`;
  if (renderForm) {
    if (S.objOk && Array.isArray(S.obj.puzzles) && S.obj.puzzles.length > 4) form.collapseAll();
    form.render();
    form.markProblems(S.problems);
  }
  scheduleCheck(renderForm ? 0 : CHECK_MS);
  preview.schedule(renderForm ? 0 : 600);
}

// The form changed S.obj.
function formChanged(structural) {
  S.text = JSON.stringify(S.obj, null, 2) + '\n';
  S.objOk = true;
  $('json-broken').hidden = true;
  $('json').value = S.text;
  $('ed-h').textContent = S.obj.title || S.hunt;
  if (structural) { form.render(); form.markProblems(S.problems); }
  markDirty();
  scheduleCheck();
  preview.schedule();
}

function markDirty() {
  if (dirty()) { if (S.stateNote !== t('unsaved')) setState(t('unsaved'), 'warn'); }
  else if (S.stateNote === t('unsaved')) setState(t('loaded'));
}

// ---- check as you type: at most one request in flight, debounced ----

let checkTimer = 0;
let checking = false;

function scheduleCheck(ms = CHECK_MS) {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, ms);
}

async function runCheck() {
  if (checking) { scheduleCheck(); return; }
  if (!S.hunt) return;
  const text = S.text;
  if (S.checked === text + getLang()) return;
  checking = true;
  $('problems').setAttribute('aria-busy', 'true');
  const r = await api('POST', '/api/admin/check', text);
  checking = false;
  $('problems').removeAttribute('aria-busy');
  if (r.status === 200 && r.data) {
    S.problems = Array.isArray(r.data.problems) ? r.data.problems : [];
    S.total = r.data.total ?? S.problems.length;
    S.checkOk = !!r.data.ok;
    S.checked = text + getLang();
    if (text === S.text) {
      renderProblems();
      form.markProblems(S.problems);
      preview.schedule(0);
    }
  } else if (r.status === 503 || r.status === 0) {
    $('check-summary').textContent = t('check_busy');
    const after = Number(r.headers.get('Retry-After')) || 1;
    scheduleCheck(after * 1000);
    return;
  } else if (r.status === 401) { showLogin(t('bad_token')); return; }
  else { $('check-summary').textContent = failText(r); $('check-summary').className = 'check-summary bad'; }
  if (text !== S.text) scheduleCheck(0);
}

function problemLine(pr) {
  const where = pr.line ? t('at_line', pr.line, pr.col) : t('whole_file');
  return pr.path ? `${where} · ${pr.path}` : where;
}

function renderProblems(force) {
  const errs = S.problems.filter((p) => p.severity === 'error').length;
  const warns = S.problems.length - errs;
  const sum = !S.problems.length ? t('check_ok')
    : [errs ? t('n_errors', errs) : null, warns ? t('n_warnings', warns) : null].filter(Boolean).join(', ') + '.';
  const box = $('check-summary');
  if (force || box.textContent !== sum) box.textContent = sum;
  box.className = 'check-summary ' + (errs ? 'bad' : warns ? 'warn' : 'ok');
  // the same count in the sticky bar, a way back to the list from far down the form
  const bar = $('bar-problems');
  bar.hidden = !S.problems.length;
  bar.textContent = sum;
  bar.className = 'bar-problems ' + (errs ? 'bad' : 'warn');
  $('problem-list').replaceChildren(...S.problems.map((pr, k) => {
    const a = el('a', { href: '#', class: 'problem-link', 'data-k': String(k), text: pr.message });
    a.addEventListener('click', (e) => { e.preventDefault(); goTo(pr); });
    return el('li', { class: 'problem ' + pr.severity },
      el('span', { class: 'sev', text: t(pr.severity === 'error' ? 'sev_error' : 'sev_warning') }), ' ', a,
      el('span', { class: 'loc', text: ' (' + problemLine(pr) + ')' }));
  }), ...(S.total > S.problems.length ? [el('li', { class: 'muted', text: t('more_problems', S.total - S.problems.length) })] : []));
}

// A problem's link: its field in the form (focused, scrolled to), else its line and
// column in the JSON text.
function goTo(pr) {
  const inJson = !$('panel-json').hidden && pr.line;
  if (!inJson && S.objOk && pr.path) {
    selectTab('form');
    const f = form.reveal(pr.path);
    if (f) {
      if (f.tabIndex < 0 && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(f.tagName)) f.tabIndex = -1;
      f.scrollIntoView({ block: 'center' });
      f.focus({ preventScroll: true });
      return;
    }
  }
  selectTab('json');
  const area = $('json');
  const lines = area.value.split('\n');
  let off = 0;
  const line = Math.max(1, Math.min(pr.line || 1, lines.length));
  for (let i = 0; i < line - 1; i++) off += lines[i].length + 1;
  off += Math.max(0, [...(lines[line - 1] || '')].slice(0, (pr.col || 1) - 1).join('').length);
  area.focus();
  area.setSelectionRange(off, off);
  const lh = parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 5) * lh);
}

// ---- tabs ----

function selectTab(which) {
  const form_ = which === 'form';
  if (form_ && !$('panel-form').hidden) return;
  $('tab-form').setAttribute('aria-selected', String(form_));
  $('tab-json').setAttribute('aria-selected', String(!form_));
  $('tab-form').tabIndex = form_ ? 0 : -1;
  $('tab-json').tabIndex = form_ ? -1 : 0;
  $('panel-form').hidden = !form_;
  $('panel-json').hidden = form_;
  if (form_) { form.render(); form.markProblems(S.problems); } else $('json').value = S.text;
}

function tabKeys(e) {
  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
  e.preventDefault();
  const next = e.target.id === 'tab-form' ? 'json' : 'form';
  const to = e.key === 'Home' ? 'form' : e.key === 'End' ? 'json' : next;
  selectTab(to);
  $('tab-' + to).focus();
}

// ---- saving: dry run, confirm, PUT with If-Match ----

let lastFocus = null;

function dialog(title, body, buttons) {
  const d = $('dlg');
  $('dlg-h').textContent = title;
  $('dlg-body').replaceChildren(...body);
  $('dlg-buttons').replaceChildren(...buttons);
  if (!d.open) { lastFocus = document.activeElement; d.showModal(); }
  const first = $('dlg-buttons').querySelector('button:not([disabled])');
  if (first) first.focus();
}

// to: where focus goes once it is closed (else back where it was before it opened)
let closeTo = null;
function closeDialog(to) {
  const d = $('dlg');
  closeTo = to instanceof Element ? to : null;
  if (d.open) d.close();
}

function dlgButton(text, onclick, cls) { return el('button', { type: 'button', class: cls || '', onclick }, text); }

const putSource = (text, dry) => api('PUT', huntPath('source' + (dry ? '?dry_run=1' : '')), text,
  { headers: { 'If-Match': S.etag || '""' } });

async function save() {
  const text = S.text;
  dialog(t('dlg_h'), [el('p', { text: t('dlg_checking') })], [dlgButton(t('dlg_cancel'), closeDialog, 'ghost')]);
  const r = await putSource(text, true);
  if (!$('dlg').open) return;
  if (r.status === 200 && r.data) { confirmSave(text, r.data); return; }
  failedSave(r, text);
}

function changeLine(c) {
  const what = t('what_' + c.what) !== 'what_' + c.what ? t('what_' + c.what) : c.what;
  const how = t('ch_' + c.change) !== 'ch_' + c.change ? t('ch_' + c.change) : c.change;
  const keys = Array.isArray(c.keys) && c.keys.length ? ` (${c.keys.join(', ')})` : '';
  return c.text || (getLang() === 'de' ? `${what} „${c.id}“: ${how}${keys}` : `${what} “${c.id}”: ${how}${keys}`);
}

function confirmSave(text, d) {
  const changes = Array.isArray(d.changes) ? d.changes : [];
  const warnings = Array.isArray(d.warnings) ? d.warnings : [];
  const running = S.info && (S.info.state === 'running' || S.info.state === 'frozen');
  const body = [el('p', { class: 'dlg-summary', text: d.summary || (changes.length ? '' : t('dlg_no_changes')) })];
  if (changes.length) body.push(el('ul', { class: 'changes' }, ...changes.map((c) => el('li', { text: changeLine(c) }))));
  if (running) body.push(el('p', { class: 'warn-box', text: t('dlg_running') }));
  if (warnings.length) {
    body.push(el('div', { class: 'warn-box' }, el('p', { text: t('dlg_warnings') }),
      el('ul', {}, ...warnings.map((w) => el('li', { text: w.message || String(w) })))));
  }
  dialog(t('dlg_h'), body, [dlgButton(t('dlg_save'), () => doSave(text), 'primary'), dlgButton(t('dlg_cancel'), closeDialog, 'ghost')]);
}

async function doSave(text) {
  for (const b of $('dlg-buttons').querySelectorAll('button')) b.disabled = true;
  $('dlg-body').append(el('p', { role: 'status', text: t('saving') }));
  const r = await putSource(text, false);
  if (r.status === 200 && r.data) {
    S.etag = r.data.etag || r.headers.get('ETag') || S.etag;
    S.savedText = text;
    closeDialog();
    setState(dirty() ? t('unsaved') : t('saved_state', r.data.version), dirty() ? 'warn' : 'ok');
    announce(t('saved_state', r.data.version));
    loadVersions();
    loadInfo();
    return;
  }
  failedSave(r, text);
}

function failedSave(r, text) {
  if (r.status === 412) { conflict(text); return; }
  if (r.status === 422 && r.data) {
    S.problems = Array.isArray(r.data.problems) ? r.data.problems : [];
    S.total = r.data.total ?? S.problems.length;
    S.checked = text + getLang();
    renderProblems(true);
    form.markProblems(S.problems);
    setState(t('save_invalid'), 'bad');
    closeDialog(document.querySelector('#problem-list a'));
    return;
  }
  if (r.status === 401) { closeDialog(); showLogin(t('bad_token')); return; }
  dialog(t('dlg_h'), [el('p', { class: 'err', text: failText(r) })], [dlgButton(t('dlg_cancel'), closeDialog, 'ghost')]);
}

// 412: someone saved in between. Reload (drop ours) or re-apply ours over theirs,
// after the dry run against their version.
function conflict(text) {
  dialog(t('conflict_h'), [el('p', { text: t('conflict_text') })], [
    dlgButton(t('conflict_reapply'), async () => {
      const r = await api('GET', huntPath('source'), undefined, { raw: true });
      if (r.status !== 200) { failedSave(r, text); return; }
      S.etag = r.headers.get('ETag') || '';
      S.savedText = r.text;
      markDirty();
      announce(t('reapplied'));
      save();
    }, 'primary'),
    dlgButton(t('conflict_reload'), async () => {
      closeDialog();
      if (await loadSource()) { setState(t('reloaded')); announce(t('reloaded')); loadVersions(); }
    }, 'ghost'),
    dlgButton(t('dlg_cancel'), closeDialog, 'ghost'),
  ]);
}

function reloadAsk() {
  if (!dirty()) { loadSource().then((ok) => { if (ok) { setState(t('reloaded')); loadVersions(); } }); return; }
  dialog(t('reload'), [el('p', { text: t('confirm_discard') })], [
    dlgButton(t('discard_yes'), async () => { closeDialog(); if (await loadSource()) { setState(t('reloaded')); loadVersions(); } }, 'danger'),
    dlgButton(t('dlg_cancel'), closeDialog, 'ghost'),
  ]);
}

// ---- versions ----

async function loadVersions() {
  const r = await api('GET', huntPath('versions'));
  S.versions = r.status === 200 && r.data && Array.isArray(r.data.versions) ? r.data.versions : null;
  renderVersions();
}

function renderVersions() {
  const list = S.versions || [];
  $('versions-none').hidden = list.length > 0;
  $('version-list').replaceChildren(...list.map((v, k) => el('li', {},
    el('span', { text: t('version_line', v.version, when(v.at), v.who) + (k === 0 ? ` (${t('current')})` : '') }),
    k === 0 ? null : el('button', { type: 'button', class: 'ghost small', 'aria-label': t('version_load_label', v.version),
      onclick: () => loadVersion(v.version) }, t('version_load')))));
}

async function loadVersion(n) {
  const r = await api('GET', huntPath('versions/' + n), undefined, { raw: true });
  if (r.status !== 200) { setState(failText({ status: r.status, data: safeJson(r.text) }), 'bad'); return; }
  takeText(r.text, true);
  markDirty();
  setState(t('version_loaded', n), 'warn');
  announce(t('version_loaded', n));
  $('save').focus();
}

// ---- join link, download, pictures ----

function renderJoin() {
  if (!S.hunt) return;
  const url = (S.info && S.info.join_url) || `${location.origin}/?hunt=${encodeURIComponent(S.hunt)}`;
  $('join-url').href = url;
  $('join-url').textContent = url.replace(/^https?:\/\//, '');
  $('join-qr').src = `/api/hunts/${encodeURIComponent(S.hunt)}/join.svg`;
  $('join-qr').alt = t('join_qr_alt', url);
}

function download(e) {
  const a = $('download');
  const url = URL.createObjectURL(new Blob([S.text], { type: 'application/json' }));
  a.href = url;
  a.download = (S.hunt || 'hunt') + '.json';
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  if (!S.text) e.preventDefault();
}

// The hunt's uploaded pictures (GET …/media): the names the picture fields offer. A
// server without the call (404) gets the upload control disabled with a note.
async function probeUpload() {
  const r = await api('GET', huntPath('media'));
  const was = S.canUpload;
  S.canUpload = r.status === 200;
  const list = r.status === 200 && r.data && Array.isArray(r.data.media) ? r.data.media : [];
  $('media-list').replaceChildren(...list.map((m) => el('option', { value: m.file })));
  if (was !== S.canUpload) { form.render(); form.markProblems(S.problems); }
}

async function upload(file) {
  // a file name the server takes: "Brunnen Löwen.JPG" → "brunnen-loewen.jpg"
  const name = (file.name || 'bild.jpg').toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'bild.jpg';
  const r = await api('POST', huntPath('media?file=' + encodeURIComponent(name)), file);
  if (r.status === 201 && r.data) { probeUpload(); return { file: r.data.file || name }; }
  if (r.status === 404 && (!r.data || r.data.error === 'not_found')) { S.canUpload = false; return { error: t('upload_missing') }; }
  return { error: failText(r) };
}

// The print products (GET …/print/{posters,flyer,sheet}.pdf) need the staff token,
// so they come by fetch and leave as a download of the bytes.
async function printPdf(btn) {
  const kind = btn.dataset.print;
  const out = $('print-state');
  const file = `${S.hunt}-${kind}.pdf`;
  for (const b of document.querySelectorAll('[data-print]')) b.disabled = true;
  out.textContent = t('print_making');
  let r;
  try {
    r = await fetch(huntPath(`print/${kind}.pdf`), { headers: { Authorization: 'Bearer ' + session.token, 'Accept-Language': getLang() }, cache: 'no-store' });
  } catch (e) { r = null; }
  for (const b of document.querySelectorAll('[data-print]')) b.disabled = false;
  if (!r || !r.ok) {
    const data = r ? await r.json().catch(() => null) : null;
    out.textContent = failText({ status: r ? r.status : 0, data });
    return;
  }
  const url = URL.createObjectURL(await r.blob());
  const a = el('a', { href: url, download: file, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  out.textContent = t('print_ready', file) + (dirty() ? ' ' + t('print_unsaved') : '');
}

// ---- start ----

function start() {
  $('lang').addEventListener('click', () => { setLang(getLang() === 'de' ? 'en' : 'de'); applyLang(); });
  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    session.token = '';
    showLogin('');
  });
  $('login-form').addEventListener('submit', signIn);
  $('create-form').addEventListener('submit', createHunt);
  $('save').addEventListener('click', save);
  $('reload').addEventListener('click', reloadAsk);
  $('download').addEventListener('click', download);
  for (const b of document.querySelectorAll('[data-print]')) b.addEventListener('click', () => printPdf(b));
  $('back').addEventListener('click', (e) => {
    e.preventDefault();
    const go = () => { closeDialog(); S.text = S.savedText; history.pushState(null, '', location.pathname); showHunts(); };
    if (!dirty()) { go(); return; }
    dialog(t('all_hunts'), [el('p', { text: t('leave_q') })],
      [dlgButton(t('discard_yes'), go, 'danger'), dlgButton(t('dlg_cancel'), closeDialog, 'ghost')]);
  });
  $('bar-problems').addEventListener('click', (e) => {
    e.preventDefault();
    $('problems').scrollIntoView({ block: 'start' });
    const first = document.querySelector('#problem-list a');
    if (first) first.focus({ preventScroll: true });
  });
  $('tab-form').addEventListener('click', () => selectTab('form'));
  $('tab-json').addEventListener('click', () => selectTab('json'));
  $('tabs').addEventListener('keydown', tabKeys);
  $('json').addEventListener('input', () => { takeText($('json').value, false); markDirty(); });
  $('dlg').addEventListener('close', () => {
    const back = closeTo && closeTo.isConnected ? closeTo
      : lastFocus && lastFocus.isConnected && !lastFocus.closest('dialog') ? lastFocus : $('save');
    lastFocus = null;
    closeTo = null;
    back.focus();
  });
  $('preview-pick').addEventListener('change', () => preview.setIndex(Number($('preview-pick').value)));
  $('hunt-form').addEventListener('focusin', (e) => {
    const i = form.puzzleIndexOf(e.target);
    if (i >= 0) preview.setIndex(i);
  });
  window.addEventListener('popstate', route);
  form.initForm($('hunt-form'), {
    obj: () => S.obj,
    changed: formChanged,
    announce,
    upload,
    canUpload: () => S.canUpload,
    running: () => !!S.info && (S.info.state === 'running' || S.info.state === 'frozen'),
  });
  preview.initPreview($('phone'), {
    obj: () => S.obj,
    text: () => S.text,
    ok: () => S.checkOk && S.checked === S.text + getLang(),
    pending: () => S.checked !== S.text + getLang() && !!S.hunt,
    note: (s) => { $('preview-note').textContent = s; },
  });
  applyLang();
  route();
}

start();

// The editor's form: every part of the hunt file the organizer commonly touches, each
// field bound to its JSON path (data-path, as spur check names it), so a problem of
// the check lands on its field. The form edits the parsed hunt object in place (other
// keys, "_" comments included, stay as they are) and tells the editor after each
// change; structural changes (adding, removing, reordering, another kind) rebuild the
// form, keeping focus on the same field. Puzzles reorder by drag, by the buttons
// "Nach oben"/"Nach unten", or Alt+↑/↓ anywhere inside a puzzle.

import { t, el, pathStr, getAt, setAt, fieldId, toLocalInput, fromLocalInput, kindOf, validZone } from './common.js';

const LEAFLET = '/vendor/leaflet/';
const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ANSWERLESS = ['scan', 'checkin', 'photo'];

let root = null;
let H = null;            // hooks from editor.js: obj(), changed(structural), announce(text), upload(file), canUpload()
const collapsed = new WeakSet();   // puzzle objects shown folded
const maps = new WeakMap();        // place object → true while its map is open
let leaflet = null;
let moreOpen = false;              // "Weitere Einstellungen" unfolded

export function initForm(container, hooks) {
  root = container;
  H = hooks;
  root.addEventListener('keydown', onKey);
}

const obj = () => H.obj();
// the hunt's zone; while one is being typed (not a zone yet) times stay in the default
const tz = () => { const z = obj().time_zone; return typeof z === 'string' && z && validZone(z) ? z : 'Europe/Berlin'; };

// ---- fields ----

function readValue(ctl, type) {
  if (type === 'number') return ctl.value === '' ? '' : Number(ctl.value);
  if (type === 'datetime') return ctl.value === '' ? '' : fromLocalInput(ctl.value, tz());
  return ctl.value;
}

// One labelled control bound to parts. opts: type (text, textarea, number, select,
// datetime), optional (empty deletes the key), options [[value, label]], help,
// structural, onInput(value), attrs, readonly.
function field(parts, label, opts = {}) {
  const path = pathStr(parts);
  const id = fieldId(path);
  const type = opts.type || 'text';
  const cur = getAt(obj(), parts);
  let ctl;
  if (type === 'textarea') ctl = el('textarea', { id, rows: opts.rows || 3, spellcheck: 'true' });
  else if (type === 'select') {
    const options = opts.options.slice();
    const cv = cur === undefined ? '' : String(cur);
    if (!options.some(([v]) => v === cv)) options.push([cv, t('unknown_id', cv)]);
    ctl = el('select', { id }, ...options.map(([v, l]) => el('option', { value: v, text: l })));
  } else {
    const htmlType = type === 'datetime' ? 'datetime-local' : type;
    ctl = el('input', { id, type: htmlType, autocomplete: 'off', spellcheck: type === 'text' ? 'false' : null, ...(opts.attrs || {}) });
  }
  ctl.dataset.path = path;
  if (type === 'datetime') {
    const v = typeof cur === 'string' ? toLocalInput(cur, tz()) : '';
    if (v.length > 16) ctl.step = '1';
    ctl.value = v;
  } else if (type === 'number') ctl.value = typeof cur === 'number' ? String(cur) : '';
  else if (type === 'select') ctl.value = cur === undefined ? '' : String(cur);
  else ctl.value = cur === undefined || cur === null ? '' : typeof cur === 'string' ? cur : JSON.stringify(cur);
  if (opts.readonly) ctl.readOnly = true;
  const ev = type === 'select' || type === 'datetime' ? 'change' : 'input';
  ctl.addEventListener(ev, () => {
    let v = readValue(ctl, type);
    if (v === '' && opts.optional) v = undefined;
    if (type === 'datetime' && v === '') v = undefined;
    setAt(obj(), parts, v);
    prune(parts);
    if (opts.onInput) opts.onInput(v);
    H.changed(!!opts.structural);
  });
  if (opts.onChange) ctl.addEventListener('change', opts.onChange);
  if (opts.onRename) {
    let old = cur;
    ctl.addEventListener('change', () => { const now = getAt(obj(), parts); if (now !== old) opts.onRename(old, now); old = now; });
  }
  const help = opts.help ? el('p', { class: 'help', id: id + '-help', text: opts.help }) : null;
  const err = el('p', { class: 'field-err', id: 'e' + id.slice(1) });
  ctl.setAttribute('aria-describedby', [help && help.id, err.id].filter(Boolean).join(' '));
  return el('div', { class: 'field ' + (opts.cls || '') }, el('label', { for: id, text: label }), ctl, help, err);
}

// An optional object (map, branding, image) left empty goes away.
function prune(parts) {
  for (let n = parts.length - 1; n > 0; n--) {
    const o = getAt(obj(), parts.slice(0, n));
    if (o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).length === 0 &&
        ['map', 'branding', 'contact'].includes(parts[n - 1])) setAt(obj(), parts.slice(0, n), undefined);
  }
}

function button(text, onclick, opts = {}) {
  return el('button', { type: 'button', class: opts.cls || 'ghost small', 'aria-label': opts.label, 'data-key': opts.key,
    disabled: opts.disabled, onclick }, text);
}

function uniqueId(list, base) {
  const ids = new Set((list || []).map((x) => x && x.id));
  for (let n = (list || []).length + 1; ; n++) if (!ids.has(`${base}-${n}`)) return `${base}-${n}`;
}

const arr = (parts) => { const a = getAt(obj(), parts); return Array.isArray(a) ? a : []; };

// A long hunt starts with its puzzles folded (a problem's link unfolds its puzzle).
export function collapseAll() {
  for (const p of arr(['puzzles'])) if (p && typeof p === 'object') collapsed.add(p);
}

// ---- render ----

export function render() {
  const act = document.activeElement;
  const keep = act && root.contains(act) ? (act.dataset.path ? { path: act.dataset.path } : act.dataset.key ? { key: act.dataset.key } : null) : null;
  const sel = keep && keep.path && typeof act.selectionStart === 'number' ? [act.selectionStart, act.selectionEnd] : null;
  const o = obj();
  if (!o || typeof o !== 'object' || Array.isArray(o)) { root.replaceChildren(); return; }
  root.replaceChildren(general(), more(), places(), puzzles(), prizes());
  if (keep) restoreFocus(keep, sel);
}

function restoreFocus(keep, sel) {
  const e = keep.path ? root.querySelector(`[data-path="${CSS.escape(keep.path)}"]:is(input,select,textarea)`)
    : root.querySelector(`[data-key="${CSS.escape(keep.key)}"]`);
  if (!e) return;
  e.focus({ preventScroll: true });
  if (sel) try { e.setSelectionRange(sel[0], sel[1]); } catch (x) { /* not a text field */ }
}

function section(key, title, ...kids) {
  return el('section', { class: 'form-sec', 'aria-labelledby': 'h-' + key }, el('h2', { id: 'h-' + key, text: title }), ...kids);
}

function general() {
  const z = tz();
  return section('general', t('sec_general'),
    field(['id'], t('f_id'), { readonly: true }),
    field(['title'], t('f_title')),
    field(['intro'], t('f_intro'), { type: 'textarea', optional: true }),
    field(['outro'], t('f_outro'), { type: 'textarea', optional: true, rows: 2 }),
    el('div', { class: 'row2' },
      field(['language'], t('f_language'), { type: 'select', optional: true, options: [['', '—'], ['de', t('lang_de')], ['en', t('lang_en')]] }),
      field(['time_zone'], t('f_time_zone'), { optional: true, attrs: { placeholder: 'Europe/Berlin' }, onChange: zoneChanged })),
    el('div', { class: 'row3' },
      field(['starts_at'], t('f_starts'), { type: 'datetime', help: t('time_help', z) }),
      field(['ends_at'], t('f_ends'), { type: 'datetime', help: t('time_help', z) }),
      field(['freeze_at'], t('f_freeze'), { type: 'datetime', optional: true, help: t('time_help', z) })));
}

function more() {
  const num = (k, label, attrs = {}) => field([k], label, { type: 'number', optional: true, attrs: { step: '1', min: '0', ...attrs } });
  const det = el('details', { class: 'form-sec more' }, el('summary', {}, el('h2', { id: 'h-more', text: t('sec_more') })),
    el('p', { class: 'help', text: t('more_hint') }),
    el('div', { class: 'row3' },
      num('late_sync_grace', t('f_late')), num('guess_limit', t('f_guess_limit'), { min: '1' }), num('guess_window', t('f_guess_window'), { min: '1' }),
      num('max_team_members', t('f_max_members'), { min: '1' }), num('max_accuracy', t('f_max_accuracy'), { min: '10' }),
      num('purge_after_days', t('f_purge'), { min: '1' })),
    field(['photo_consent'], t('f_photo_consent'), { type: 'textarea', optional: true, rows: 2 }),
    field(['draw_beacon'], t('f_beacon'), { optional: true }),
    el('div', { class: 'row2' },
      field(['branding', 'organizer'], t('f_organizer'), { optional: true }),
      field(['branding', 'accent'], t('f_accent'), { optional: true })),
    field(['branding', 'footer'], t('f_footer'), { optional: true }),
    imageBlock(['branding'], 'logo', t('f_logo')),
    el('fieldset', { class: 'contact-block', 'data-path': 'contact' }, el('legend', { text: t('f_contact') }),
      field(['contact', 'ask'], t('f_contact_ask'), { type: 'select', optional: true, options: [['', t('contact_no')], ['optional', t('contact_optional')]] }),
      field(['contact', 'label'], t('f_contact_label'), { optional: true }),
      field(['contact', 'privacy'], t('f_contact_privacy'), { type: 'textarea', optional: true, rows: 3 })),
    field(['map', 'tiles'], t('f_tiles'), { optional: true }),
    field(['map', 'attribution'], t('f_attribution'), { optional: true }));
  // a problem in here opens it (reveal); open or not, it stays so across rebuilds
  det.dataset.path = '';
  det.open = moreOpen;
  det.addEventListener('toggle', () => { moreOpen = det.open; });
  return det;
}

// ---- places ----

function places() {
  const list = arr(['places']);
  const items = list.map((pl, i) => placeItem(pl, i));
  return section('places', t('sec_places'), el('div', { class: 'items' }, ...items),
    button(t('place_add'), () => {
      const o = obj();
      if (!Array.isArray(o.places)) o.places = [];
      o.places.push({ id: uniqueId(o.places, t('new_place') === 'Neuer Ort' ? 'ort' : 'place'), name: t('new_place') });
      H.changed(true);
      focusFirst(`places[${o.places.length - 1}]`);
    }, { cls: 'add', key: 'place-add' }));
}

function placeItem(pl, i) {
  const base = ['places', i];
  const path = pathStr(base);
  const hid = fieldId(path) + '-h';
  const name = () => (pl && (pl.name || pl.id)) || '';
  const head = el('h3', { id: hid, tabindex: '-1', text: t('place_n', i + 1, name()) });
  const mapBox = el('div', { class: 'map-box' });
  const open = maps.get(pl);
  const mapBtn = button(open ? t('map_hide') : t('map_show'), () => {
    maps.set(pl, !maps.get(pl));
    render();
  }, { key: 'map:' + path, cls: 'ghost small' });
  mapBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (open) drawMap(mapBox, pl, i);
  const item = el('section', { class: 'item place-item', 'data-path': path, 'aria-labelledby': hid },
    el('div', { class: 'item-head' }, head,
      el('div', { class: 'tools' }, button(t('remove'), () => {
        obj().places.splice(i, 1);
        H.changed(true);
        H.announce(t('remove_label', name()));
        focusAfterRemove('place-add');
      }, { key: 'rm:' + path, label: t('remove_label', t('place_n', i + 1, name())) }))),
    el('div', { class: 'row2' },
      field([...base, 'id'], t('f_pid'), { onRename: renamePlace, help: H.running() ? t('id_running') : null, onInput: () => { head.textContent = t('place_n', i + 1, name()); } }),
      field([...base, 'name'], t('f_name'), { onInput: () => { head.textContent = t('place_n', i + 1, name()); } })),
    field([...base, 'where'], t('f_where'), { optional: true }),
    el('div', { class: 'row3 latlon' },
      field([...base, 'lat'], t('f_lat'), { type: 'number', optional: true, attrs: { step: 'any', min: '-90', max: '90', inputmode: 'decimal' } }),
      field([...base, 'lon'], t('f_lon'), { type: 'number', optional: true, attrs: { step: 'any', min: '-180', max: '180', inputmode: 'decimal' } }),
      el('div', { class: 'field map-btn' }, mapBtn)),
    mapBox,
    imageBlock(base));
  return item;
}

function loadLeaflet() {
  if (leaflet) return leaflet;
  leaflet = new Promise((resolve, reject) => {
    let left = 2;
    const timer = setTimeout(() => reject(new Error('timeout')), 15000);
    const ok = () => { if (--left === 0) { clearTimeout(timer); if (window.L) resolve(window.L); else reject(new Error('no L')); } };
    const bad = () => { clearTimeout(timer); reject(new Error('not loaded')); };
    document.head.append(
      el('link', { rel: 'stylesheet', href: LEAFLET + 'leaflet.css', 'data-leaflet': '', onload: ok, onerror: bad }),
      el('script', { src: LEAFLET + 'leaflet.js', 'data-leaflet': '', onload: ok, onerror: bad }));
  });
  leaflet.catch(() => { leaflet = null; for (const e of document.querySelectorAll('[data-leaflet]')) e.remove(); });
  return leaflet;
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

// A small Leaflet map under the place: a click sets lat/lon (5 decimals, about a metre).
function drawMap(box, pl, i) {
  const div = el('div', { class: 'pick-map', role: 'region', 'aria-label': t('map_label', (pl && pl.name) || '') });
  const note = el('p', { class: 'help', text: t('map_help') });
  box.append(div, note);
  loadLeaflet().then((L) => {
    if (!div.isConnected) return;
    const m = obj().map || {};
    const url = typeof m.tiles === 'string' && m.tiles.startsWith('https://') ? m.tiles : OSM;
    const has = typeof pl.lat === 'number' && typeof pl.lon === 'number';
    const others = arr(['places']).filter((p) => typeof p.lat === 'number' && typeof p.lon === 'number');
    const center = has ? [pl.lat, pl.lon] : others.length ? [others[0].lat, others[0].lon] : [51.16, 10.45];
    const map = L.map(div, { keyboard: true }).setView(center, has || others.length ? 16 : 5);
    map.attributionControl.setPrefix(false);
    L.tileLayer(url, { attribution: esc(m.attribution || '© OpenStreetMap'), maxZoom: 19 }).addTo(map);
    let mark = has ? L.circleMarker(center, { radius: 8 }).addTo(map) : null;
    map.on('click', (e) => {
      const lat = Math.round(e.latlng.lat * 1e5) / 1e5;
      const lon = Math.round(e.latlng.lng * 1e5) / 1e5;
      pl.lat = lat; pl.lon = lon;
      for (const [k, v] of [['lat', lat], ['lon', lon]]) {
        const f = root.querySelector(`[data-path="${CSS.escape(`places[${i}].${k}`)}"]`);
        if (f) f.value = String(v);
      }
      if (mark) mark.setLatLng([lat, lon]); else mark = L.circleMarker([lat, lon], { radius: 8 }).addTo(map);
      H.changed(false);
    });
  }, () => { note.textContent = t('map_failed'); div.remove(); });
}

// ---- pictures ----

function imageBlock(base, key = 'image', legend = t('f_image')) {
  const parts = [...base, key];
  const img = getAt(obj(), parts);
  const path = pathStr(parts);
  if (!img || typeof img !== 'object') {
    return el('div', { class: 'image-block', 'data-path': path },
      button(key === 'logo' ? t('logo_add') : t('image_add'), () => { setAt(obj(), parts, { file: '', alt: '' }); H.changed(true); focusFirst(path); }, { key: 'img-add:' + path }));
  }
  const status = el('p', { class: 'help', role: 'status' });
  const up = el('input', { type: 'file', id: fieldId(path) + '-up', accept: 'image/jpeg,image/png,image/webp', disabled: !H.canUpload() });
  up.addEventListener('change', async () => {
    const f = up.files && up.files[0];
    if (!f) return;
    status.textContent = t('uploading');
    const r = await H.upload(f);
    if (r && r.file) {
      img.file = r.file;
      const ff = root.querySelector(`[data-path="${CSS.escape(path + '.file')}"]`);
      if (ff) ff.value = r.file;
      status.textContent = t('uploaded', r.file);
      H.changed(false);
    } else status.textContent = (r && r.error) || t('upload_missing');
  });
  if (!H.canUpload()) status.textContent = t('upload_missing');
  return el('fieldset', { class: 'image-block', 'data-path': path }, el('legend', { text: legend }),
    el('div', { class: 'row2' }, field([...parts, 'file'], t('f_image_file'), { attrs: { list: 'media-list' } }), field([...parts, 'alt'], t('f_image_alt'))),
    el('div', { class: 'field' }, el('label', { for: up.id, text: t('image_upload') }), up), status,
    button(t('image_remove'), () => { setAt(obj(), parts, undefined); prune(parts); H.changed(true); focusKey('img-add:' + path); }, { key: 'img-rm:' + path }));
}

// ---- puzzles ----

function puzzles() {
  const list = arr(['puzzles']);
  return section('puzzles', t('sec_puzzles'), el('div', { class: 'items', id: 'puzzle-items' }, ...list.map((p, i) => puzzleItem(p, i, list.length))),
    button(t('puzzle_add'), () => {
      const o = obj();
      if (!Array.isArray(o.puzzles)) o.puzzles = [];
      o.puzzles.push({ id: uniqueId(o.puzzles, t('new_puzzle') === 'Neues Rätsel' ? 'raetsel' : 'puzzle'), title: t('new_puzzle'),
        kind: 'text', points: 5, clue: '', answer: { accept: [''] } });
      H.changed(true);
      focusFirst(`puzzles[${o.puzzles.length - 1}]`, 'title');
    }, { cls: 'add', key: 'puzzle-add' }));
}

const KINDS = ['text', 'number', 'choice', 'scan', 'checkin', 'photo'];

function setKind(p, k) {
  if (kindOf(p) === k) return;
  if (ANSWERLESS.includes(k)) {
    delete p.answer;
    p.kind = k;
  } else {
    if ('kind' in p) p.kind = k;
    p.answer = k === 'number' ? { number: 0 } : k === 'choice' ? { choices: ['', ''], correct: 0 } : { accept: [''] };
  }
  if (k !== 'checkin') delete p.radius;
  if (k !== 'photo') delete p.review;
}

function puzzleItem(p, i, n) {
  const base = ['puzzles', i];
  const path = pathStr(base);
  const hid = fieldId(path) + '-h';
  const bodyId = fieldId(path) + '-body';
  const title = () => (p && (p.title || p.id)) || '';
  const head = el('h3', { id: hid, tabindex: '-1', text: t('puzzle_n', i + 1, title()) });
  const folded = collapsed.has(p);
  const kind = kindOf(p);
  const toggle = button(folded ? t('expand') : t('collapse'), () => {
    if (collapsed.has(p)) collapsed.delete(p); else collapsed.add(p);
    render();
  }, { key: 'fold:' + path });
  toggle.setAttribute('aria-expanded', folded ? 'false' : 'true');
  toggle.setAttribute('aria-controls', bodyId);
  const handle = el('span', { class: 'drag', draggable: 'true', title: t('drag'), 'aria-hidden': 'true', text: '⠿' });
  handle.addEventListener('dragstart', (e) => {
    e.dataTransfer.setData('text/plain', String(i));
    e.dataTransfer.effectAllowed = 'move';
    item.classList.add('dragging');
  });
  handle.addEventListener('dragend', () => item.classList.remove('dragging'));
  const body = el('div', { class: 'item-body', id: bodyId, hidden: folded });
  if (!folded) body.append(...puzzleFields(p, base, kind, head, title));
  const item = el('section', { class: 'item puzzle-item', 'data-path': path, 'data-index': String(i), 'aria-labelledby': hid },
    el('div', { class: 'item-head' }, handle, head,
      el('span', { class: 'kind-tag', text: t('kind_' + kind) }),
      el('div', { class: 'tools' }, toggle,
        button('↑ ' + t('move_up'), () => move(i, i - 1, 'up:'), { key: 'up:' + path, label: t('move_label', t('move_up'), title()), disabled: i === 0 }),
        button('↓ ' + t('move_down'), () => move(i, i + 1, 'down:'), { key: 'down:' + path, label: t('move_label', t('move_down'), title()), disabled: i === n - 1 }),
        button(t('remove'), () => {
          obj().puzzles.splice(i, 1);
          H.changed(true);
          H.announce(t('remove_label', title()));
          focusAfterRemove('puzzle-add');
        }, { key: 'rm:' + path, label: t('remove_label', t('puzzle_n', i + 1, title())) }))),
    body);
  item.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; item.classList.add('drop'); });
  item.addEventListener('dragleave', () => item.classList.remove('drop'));
  item.addEventListener('drop', (e) => {
    e.preventDefault();
    item.classList.remove('drop');
    const from = Number(e.dataTransfer.getData('text/plain'));
    if (Number.isInteger(from) && from !== i) move(from, i, 'up:');
  });
  return item;
}

function puzzleFields(p, base, kind, head, title) {
  const o = obj();
  const placeOpts = [['', t('none_opt')], ...arr(['places']).map((pl) => [String(pl.id), `${pl.name || pl.id} (${pl.id})`])];
  const out = [
    el('div', { class: 'row2' },
      field([...base, 'id'], t('f_pid'), { onRename: renamePuzzle, help: H.running() ? t('id_running') : null }),
      field([...base, 'title'], t('f_title'), { onInput: () => { head.textContent = t('puzzle_n', base[1] + 1, title()); } })),
    el('div', { class: 'row3' },
      kindField(p, base, kind),
      field([...base, 'points'], t('f_points'), { type: 'number', attrs: { step: '1', min: '0' } }),
      field([...base, 'place'], t('f_place'), { type: 'select', optional: true, options: placeOpts })),
    field([...base, 'clue'], t('f_clue'), { type: 'textarea', optional: true, rows: 4 }),
  ];
  if (kind === 'checkin') out.push(field([...base, 'radius'], t('f_radius'), { type: 'number', optional: true, attrs: { step: '1', min: '10', max: '1000' } }));
  if (kind === 'photo') out.push(field([...base, 'review'], t('f_review'), { type: 'select', optional: true, options: [['', t('review_staff')], ['staff', t('review_staff') + ' (staff)'], ['auto', t('review_auto')]] }));
  if (!ANSWERLESS.includes(kind)) out.push(answerBlock(p, [...base, 'answer'], kind));
  out.push(hintsBlock(p, [...base, 'hints']));
  out.push(requiresBlock(p, base, o));
  out.push(field([...base, 'opens_at'], t('f_opens'), { type: 'datetime', optional: true, help: t('time_help', tz()) }));
  out.push(imageBlock(base));
  return out;
}

function kindField(p, base, kind) {
  const path = pathStr([...base, 'kind']);
  const id = fieldId(path);
  const s = el('select', { id }, ...KINDS.map((k) => el('option', { value: k, text: t('kind_' + k) })));
  s.value = kind;
  s.dataset.path = path;
  s.addEventListener('change', () => { setKind(p, s.value); H.changed(true); });
  const err = el('p', { class: 'field-err', id: 'e' + id.slice(1) });
  s.setAttribute('aria-describedby', err.id);
  return el('div', { class: 'field' }, el('label', { for: id, text: t('f_kind') }), s, err);
}

// A list of strings (accepted answers, choices) with remove and add buttons.
function stringList(parts, labelOf, addText, extra) {
  const list = arr(parts);
  const path = pathStr(parts);
  const rows = list.map((v, k) => {
    const f = field([...parts, k], labelOf(k + 1));
    const rm = button(t('remove'), () => { arr(parts).splice(k, 1); H.changed(true); focusKey('add:' + path); },
      { key: `rm:${path}[${k}]`, label: t('remove_label', labelOf(k + 1)) });
    return el('div', { class: 'list-row' }, f, extra ? extra(k) : null, rm);
  });
  return el('div', { class: 'list', 'data-path': path }, ...rows,
    button(addText, () => {
      const o = getAt(obj(), parts);
      if (Array.isArray(o)) o.push(''); else setAt(obj(), parts, ['']);
      H.changed(true);
      const e = root.querySelector(`[data-path="${CSS.escape(`${path}[${arr(parts).length - 1}]`)}"]`);
      if (e) e.focus();
    }, { key: 'add:' + path }));
}

function answerBlock(p, parts, kind) {
  const path = pathStr(parts);
  if (!p.answer || typeof p.answer !== 'object') p.answer = {};
  const a = p.answer;
  const fs = el('fieldset', { class: 'answer-block', 'data-path': path });
  if (kind === 'number') {
    fs.append(el('legend', { text: t('kind_number') }), el('div', { class: 'row2' },
      field([...parts, 'number'], t('f_number'), { type: 'number', attrs: { step: 'any', inputmode: 'decimal' } }),
      field([...parts, 'tolerance'], t('f_tolerance'), { type: 'number', optional: true, attrs: { step: 'any', min: '0', inputmode: 'decimal' } })));
  } else if (kind === 'choice') {
    const group = fieldId(path) + '-correct';
    fs.append(el('legend', { text: t('f_choices') }), stringList([...parts, 'choices'], (k) => t('choice_n', k), t('choice_add'), (k) => {
      const id = `${group}-${k}`;
      const r = el('input', { type: 'radio', id, name: group, checked: a.correct === k });
      r.dataset.path = pathStr([...parts, 'correct']) + (k === 0 ? '' : `#${k}`);
      r.addEventListener('change', () => { if (r.checked) { a.correct = k; H.changed(false); } });
      return el('div', { class: 'radio' }, r, el('label', { for: id, text: t('choice_correct', k + 1) }));
    }));
  } else {
    fs.append(el('legend', { text: t('f_accept') }), stringList([...parts, 'accept'], (k) => t('accept_n', k), t('accept_add')));
    fs.append(partialBlock(a, parts));
  }
  return fs;
}

// partial: {answer: message}; shown as pairs, renaming a key keeps the order.
function partialBlock(a, parts) {
  const pp = [...parts, 'partial'];
  const path = pathStr(pp);
  const entries = a.partial && typeof a.partial === 'object' ? Object.entries(a.partial) : [];
  const write = (list) => {
    if (!list.length) { delete a.partial; return; }
    a.partial = Object.fromEntries(list);
  };
  const rows = entries.map(([key, msg], k) => {
    if (key.startsWith('_')) return null; // a comment inside partial stays as it is
    const kid = fieldId(path) + '-k' + k;
    const mid = fieldId(path) + '-m' + k;
    const ki = el('input', { id: kid, type: 'text', autocomplete: 'off', spellcheck: 'false', value: key });
    ki.dataset.path = pathStr([...pp, key]);
    ki.addEventListener('change', () => {
      const list = Object.entries(a.partial || {});
      if (list[k]) list[k][0] = ki.value;
      write(list);
      H.changed(false);
    });
    const mi = el('input', { id: mid, type: 'text', autocomplete: 'off', value: typeof msg === 'string' ? msg : '' });
    mi.dataset.path = pathStr([...pp, key]) + '#msg';
    mi.addEventListener('input', () => {
      const list = Object.entries(a.partial || {});
      if (list[k]) { list[k][1] = mi.value; write(list); }
      H.changed(false);
    });
    const err = el('p', { class: 'field-err', id: 'e' + fieldId(ki.dataset.path).slice(1) });
    ki.setAttribute('aria-describedby', err.id);
    return el('div', { class: 'list-row partial-row' },
      el('div', { class: 'field' }, el('label', { for: kid, text: t('partial_text', k + 1) }), ki, err),
      el('div', { class: 'field' }, el('label', { for: mid, text: t('partial_msg', k + 1) }), mi),
      button(t('remove'), () => { write(Object.entries(a.partial || {}).filter((x, j) => j !== k)); H.changed(true); focusKey('add:' + path); },
        { key: `rm:${path}#${k}`, label: t('remove_label', t('partial_text', k + 1)) }));
  });
  return el('div', { class: 'list', 'data-path': path }, el('p', { class: 'sub-h', text: t('f_partial') }), ...rows,
    button(t('partial_add'), () => {
      const list = Object.entries(a.partial || {});
      let key = '';
      while (list.some(([x]) => x === key)) key += ' ';
      list.push([key, '']);
      write(list);
      H.changed(true);
      const inputs = root.querySelectorAll(`[data-path^="${CSS.escape(path)}"]`);
      const e = [...inputs].filter((x) => x.tagName === 'INPUT' && !x.dataset.path.endsWith('#msg')).pop();
      if (e) e.focus();
    }, { key: 'add:' + path }));
}

function hintsBlock(p, parts) {
  const path = pathStr(parts);
  const list = arr(parts);
  const rows = list.map((h, k) => el('div', { class: 'list-row hint-row' },
    field([...parts, k, 'text'], t('hint_n', k + 1), { type: 'textarea', rows: 2 }),
    field([...parts, k, 'cost'], t('hint_cost', k + 1), { type: 'number', optional: true, attrs: { step: '1', min: '0' } }),
    button(t('remove'), () => {
      arr(parts).splice(k, 1);
      if (!arr(parts).length) setAt(obj(), parts, undefined);
      H.changed(true);
      focusKey('add:' + path);
    }, { key: `rm:${path}[${k}]`, label: t('remove_label', t('hint_n', k + 1)) })));
  return el('fieldset', { class: 'hints-block', 'data-path': path }, el('legend', { text: t('f_hints') }), ...rows,
    button(t('hint_add'), () => {
      const cur = getAt(obj(), parts);
      if (Array.isArray(cur)) cur.push({ text: '', cost: 0 }); else setAt(obj(), parts, [{ text: '', cost: 0 }]);
      H.changed(true);
      focusFirst(`${path}[${arr(parts).length - 1}]`);
    }, { key: 'add:' + path, disabled: list.length >= 10 }));
}

function requiresBlock(p, base, o) {
  const parts = [...base, 'requires'];
  const path = pathStr(parts);
  const req = Array.isArray(p.requires) ? p.requires : [];
  const others = arr(['puzzles']).filter((q) => q !== p).map((q) => String(q.id));
  const ids = [...others, ...req.filter((r) => !others.includes(r))];
  const fs = el('fieldset', { class: 'requires', 'data-path': path }, el('legend', { text: t('f_requires') }));
  if (!ids.length) fs.append(el('p', { class: 'help', text: t('requires_none') }));
  ids.forEach((id, k) => {
    const cid = fieldId(path) + '-' + k;
    const box = el('input', { type: 'checkbox', id: cid, checked: req.includes(id) });
    const at = req.indexOf(id);
    box.dataset.path = at >= 0 ? pathStr([...parts, at]) : path + '#' + id;
    box.addEventListener('change', () => {
      let list = Array.isArray(p.requires) ? p.requires.slice() : [];
      if (box.checked) { if (!list.includes(id)) list.push(id); } else list = list.filter((x) => x !== id);
      if (list.length) p.requires = list; else delete p.requires;
      H.changed(true);
      const again = root.querySelector('#' + CSS.escape(cid));
      if (again) again.focus();
    });
    const q = arr(['puzzles']).find((x) => String(x.id) === id);
    fs.append(el('div', { class: 'check' }, box, el('label', { for: cid, text: q ? `${q.title || id} (${id})` : t('unknown_id', id) })));
  });
  return fs;
}

// ---- prizes ----

function prizes() {
  const list = arr(['prizes']);
  return section('prizes', t('sec_prizes'), el('div', { class: 'items' }, ...list.map((pr, i) => prizeItem(pr, i))),
    button(t('prize_add'), () => {
      const o = obj();
      if (!Array.isArray(o.prizes)) o.prizes = [];
      o.prizes.push({ id: uniqueId(o.prizes, t('new_prize') === 'Neuer Preis' ? 'preis' : 'prize'), name: t('new_prize'), count: 1, eligible: 'all' });
      H.changed(true);
      focusFirst(`prizes[${o.prizes.length - 1}]`);
    }, { cls: 'add', key: 'prize-add' }));
}

function prizeItem(pr, i) {
  const base = ['prizes', i];
  const path = pathStr(base);
  const hid = fieldId(path) + '-h';
  const name = () => (pr && (pr.name || pr.id)) || '';
  const head = el('h3', { id: hid, tabindex: '-1', text: t('prize_n', i + 1, name()) });
  const all = pr.count === 'all';
  const allId = fieldId(path) + '-all';
  const allBox = el('input', { type: 'checkbox', id: allId, checked: all });
  allBox.addEventListener('change', () => { pr.count = allBox.checked ? 'all' : 1; H.changed(true); });
  const count = all ? null : field([...base, 'count'], t('f_count'), { type: 'number', attrs: { step: '1', min: '1' } });
  const elig = pr.eligible && typeof pr.eligible === 'object' ? 'min' : pr.eligible === undefined ? 'all' : String(pr.eligible);
  const eid = fieldId(path + '.eligible');
  const es = el('select', { id: eid }, el('option', { value: 'all', text: t('el_all') }), el('option', { value: 'finished', text: t('el_finished') }),
    el('option', { value: 'min', text: t('el_min') }));
  es.value = ['all', 'finished', 'min'].includes(elig) ? elig : 'all';
  es.dataset.path = path + '.eligible';
  es.addEventListener('change', () => { pr.eligible = es.value === 'min' ? { min_score: 0 } : es.value; H.changed(true); });
  const eerr = el('p', { class: 'field-err', id: 'e' + eid.slice(1) });
  es.setAttribute('aria-describedby', eerr.id);
  return el('section', { class: 'item prize-item', 'data-path': path, 'aria-labelledby': hid },
    el('div', { class: 'item-head' }, head, el('div', { class: 'tools' }, button(t('remove'), () => {
      obj().prizes.splice(i, 1);
      H.changed(true);
      focusAfterRemove('prize-add');
    }, { key: 'rm:' + path, label: t('remove_label', t('prize_n', i + 1, name())) }))),
    el('div', { class: 'row2' },
      field([...base, 'id'], t('f_pid')),
      field([...base, 'name'], t('f_name'), { onInput: () => { head.textContent = t('prize_n', i + 1, name()); } })),
    el('div', { class: 'row3' }, count,
      el('div', { class: 'check field' }, allBox, el('label', { for: allId, text: t('f_count_all') })),
      all ? null : field([...base, 'reserves'], t('f_reserves'), { type: 'number', optional: true, attrs: { step: '1', min: '0' } })),
    el('div', { class: 'row2' }, el('div', { class: 'field' }, el('label', { for: eid, text: t('f_eligible') }), es, eerr),
      elig === 'min' ? field([...base, 'eligible', 'min_score'], t('f_min_score'), { type: 'number', attrs: { step: '1', min: '0' } }) : null));
}

// ---- renaming: references follow, the dependent controls are updated in place ----

function partsOf(path) {
  const out = [];
  for (const m of path.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function renamePlace(old, now) {
  for (const p of arr(['puzzles'])) if (p && p.place === old && typeof now === 'string' && now) p.place = now;
  const opts = () => [['', t('none_opt')], ...arr(['places']).map((pl) => [String(pl.id), `${pl.name || pl.id} (${pl.id})`])];
  for (const sel of root.querySelectorAll('select[data-path$=".place"]')) {
    const cur = getAt(obj(), partsOf(sel.dataset.path));
    const list = opts();
    const cv = cur === undefined ? '' : String(cur);
    if (!list.some(([v]) => v === cv)) list.push([cv, t('unknown_id', cv)]);
    sel.replaceChildren(...list.map(([v, l]) => el('option', { value: v, text: l })));
    sel.value = cv;
  }
  H.changed(false);
}

function renamePuzzle(old, now) {
  for (const p of arr(['puzzles'])) {
    if (p && Array.isArray(p.requires) && typeof now === 'string' && now) p.requires = p.requires.map((r) => (r === old ? now : r));
  }
  for (const fs of root.querySelectorAll('fieldset.requires')) {
    const i = partsOf(fs.dataset.path)[1];
    const p = arr(['puzzles'])[i];
    if (p && !fs.contains(document.activeElement)) fs.replaceWith(requiresBlock(p, ['puzzles', i], obj()));
  }
  H.changed(false);
}

// Another zone: the same instants, shown in the new zone's wall-clock time.
function zoneChanged() {
  for (const f of root.querySelectorAll('input[type="datetime-local"][data-path]')) {
    const v = getAt(obj(), partsOf(f.dataset.path));
    f.value = typeof v === 'string' ? toLocalInput(v, tz()) : '';
    const help = root.querySelector('#' + CSS.escape(f.id + '-help'));
    if (help) help.textContent = t('time_help', tz());
  }
}

// ---- moving puzzles ----

function move(from, to, keyPrefix, focusPath) {
  const list = obj().puzzles;
  if (!Array.isArray(list) || to < 0 || to >= list.length || from === to) return;
  const [p] = list.splice(from, 1);
  list.splice(to, 0, p);
  H.changed(true);
  const newPath = `puzzles[${to}]`;
  let f = null;
  if (focusPath) f = root.querySelector(`[data-path="${CSS.escape(focusPath.replace(/^puzzles\[\d+\]/, newPath))}"]`);
  if (!f) f = root.querySelector(`[data-key="${CSS.escape(keyPrefix + newPath)}"]:not([disabled])`) ||
    root.querySelector(`#${CSS.escape(fieldId(newPath) + '-h')}`);
  if (f) f.focus();
  f?.scrollIntoView({ block: 'nearest' });
  H.announce(t('moved', p.title || p.id, to + 1, list.length));
}

function onKey(e) {
  if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
  const item = e.target.closest && e.target.closest('.puzzle-item');
  if (!item) return;
  e.preventDefault();
  const i = Number(item.dataset.index);
  const to = e.key === 'ArrowUp' ? i - 1 : i + 1;
  const fp = e.target.dataset.path || null;
  const key = e.target.dataset.key || '';
  if (fp) move(i, to, 'up:', fp);
  else if (key) {
    move(i, to, key.replace(/puzzles\[\d+\].*$/, ''));
  } else move(i, to, e.key === 'ArrowUp' ? 'up:' : 'down:');
}

// ---- focus helpers ----

function focusFirst(path, key) {
  const sel = key ? `[data-path="${CSS.escape(path + '.' + key)}"]` : `[data-path^="${CSS.escape(path)}"]:is(input,select,textarea)`;
  const e = root.querySelector(sel);
  if (e) { e.focus(); e.scrollIntoView({ block: 'center' }); }
}

function focusKey(key) {
  const e = root.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (e) e.focus();
}

function focusAfterRemove(addKey) { focusKey(addKey); }

// The control for a problem's path: the field itself; else the first field inside
// it (a missing key is reported at its object); else the nearest enclosing one.
export function findField(path) {
  if (!root) return null;
  const all = [...root.querySelectorAll('[data-path]')];
  const ctl = (e) => /^(INPUT|SELECT|TEXTAREA)$/.test(e.tagName) && e.type !== 'file';
  let p = path;
  for (;;) {
    const exact = all.find((e) => e.dataset.path === p && ctl(e));
    if (exact) return exact;
    if (p !== '') {
      const inner = all.find((e) => ctl(e) && (e.dataset.path.startsWith(p + '.') || e.dataset.path.startsWith(p + '[')));
      if (inner) return inner;
      const box = all.find((e) => e.dataset.path === p && !ctl(e));
      if (box) return box.querySelector('h3') || box.querySelector('button') || box;
    }
    if (p === '') return null;
    const up = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '');
    if (up === p) return null;
    p = up;
  }
}

// Opens what hides the field (a folded puzzle, the "more" section).
export function reveal(path) {
  const m = /^puzzles\[(\d+)\]/.exec(path);
  if (m) {
    const p = arr(['puzzles'])[Number(m[1])];
    if (p && collapsed.has(p)) { collapsed.delete(p); render(); }
  }
  const f = findField(path);
  const det = f && f.closest('details');
  if (det && !det.open) det.open = true;
  return findField(path);
}

// Marks the fields of the check's problems: the message under the field, aria-invalid.
export function markProblems(problems) {
  if (!root) return;
  for (const e of root.querySelectorAll('.field-err')) e.textContent = '';
  for (const e of root.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  for (const b of root.querySelectorAll('.item-problems')) b.remove();
  const perItem = new Map();
  for (const pr of problems) {
    const f = findField(pr.path || '');
    const item = f && f.closest('.item');
    if (item) {
      const c = perItem.get(item) || { e: 0, w: 0 };
      if (pr.severity === 'error') c.e++; else c.w++;
      perItem.set(item, c);
    }
    if (!f || !/^(INPUT|SELECT|TEXTAREA)$/.test(f.tagName)) continue;
    const err = f.id ? root.querySelector('#' + CSS.escape('e' + f.id.slice(1))) : null;
    if (err) {
      err.append(el('span', { class: pr.severity === 'error' ? 'sev-error' : 'sev-warning', text: pr.message }));
      err.classList.toggle('warn-only', !err.querySelector('.sev-error'));
    }
    if (pr.severity === 'error') f.setAttribute('aria-invalid', 'true');
  }
  // each place, puzzle or prize says in its head how many problems it has (a folded one too)
  for (const [item, c] of perItem) {
    const head = item.querySelector('.item-head h3');
    if (!head) continue;
    const text = [c.e ? t('n_errors', c.e) : null, c.w ? t('n_warnings', c.w) : null].filter(Boolean).join(', ');
    head.after(el('span', { class: 'item-problems ' + (c.e ? 'bad' : 'warn'), text }));
  }
}

// The puzzle index the focus is in (for the preview), or -1.
export function puzzleIndexOf(node) {
  const item = node && node.closest && node.closest('.puzzle-item');
  return item ? Number(item.dataset.index) : -1;
}

// The phone preview beside the form: one puzzle's card as the app shows it, at 360 px,
// in the app's own stylesheet (/app.css in a shadow root, so the editor's styles and
// the app's stay apart; no iframe: the app may not be framed) and with the app's
// markup (assets/clues.js buildCard). The puzzle comes from POST /api/admin/preview,
// exactly as the team API would give it (the clue's Markdown rendered by the server);
// while the file has errors the card is built from the form's values, clue as plain
// text. The card's answer field works: "Prüfen" asks the server for the verdict
// (the server's normalisation), and the hint button shows the hints one by one.

import { t, el, api, kindOf } from './common.js';

let host = null;
let shadow = null;
let H = null;              // hooks: obj(), text(), ok() (the last check had no errors), note(text)
let index = 0;             // which puzzle
let timer = 0;
let seq = 0;
let shownHints = 0;
let lastId = null;

const A = {
  de: { open: 'offen', points: (n) => n === 1 ? '1 Punkt' : `${n} Punkte`, place: 'Ort: ', map_link: 'Auf der Karte zeigen',
    answer: 'Antwort', answer_number: 'Antwort (Zahl)', answer_choose: 'Antwort wählen', check: 'Prüfen',
    scan_here: 'Sucht den QR-Code an diesem Ort und scannt ihn.', checkin: 'Ich bin da', photo: 'Foto aufnehmen',
    photo_help: 'Das Foto wird auf dem Handy verkleinert; Standortdaten darin werden nicht gesendet.',
    hints: 'Hinweise', hint_button: 'Hinweis anzeigen', hint_cost_btn: (n) => n === 1 ? 'Hinweis anzeigen (−1 Punkt)' : `Hinweis anzeigen (−${n} Punkte)`,
    hint_cost: (n) => n === 1 ? '(−1 Punkt)' : `(−${n} Punkte)`, empty: 'Bitte zuerst eine Antwort eingeben.', picture: 'Bild' },
  en: { open: 'open', points: (n) => n === 1 ? '1 point' : `${n} points`, place: 'Place: ', map_link: 'Show on map',
    answer: 'Answer', answer_number: 'Answer (number)', answer_choose: 'Choose an answer', check: 'Check',
    scan_here: 'Find the QR code at this place and scan it.', checkin: 'I’m here', photo: 'Take a photo',
    photo_help: 'The photo is made smaller on the phone; location data in it is not sent.',
    hints: 'Hints', hint_button: 'Show a hint', hint_cost_btn: (n) => n === 1 ? 'Show a hint (−1 point)' : `Show a hint (−${n} points)`,
    hint_cost: (n) => n === 1 ? '(−1 point)' : `(−${n} points)`, empty: 'Please enter an answer first.', picture: 'Picture' },
};
const a = (k, ...x) => {
  const l = document.documentElement.lang === 'en' ? 'en' : 'de';
  const v = A[l][k];
  return typeof v === 'function' ? v(...x) : v;
};

export function initPreview(container, hooks) {
  host = container;
  H = hooks;
  shadow = host.attachShadow({ mode: 'open' });
}

const puzzles = () => { const o = H.obj(); return o && Array.isArray(o.puzzles) ? o.puzzles : []; };

export function setIndex(i) {
  if (i < 0 || i === index) return;
  index = i;
  shownHints = 0;
  schedule(0);
}

export const currentIndex = () => Math.min(index, Math.max(0, puzzles().length - 1));

export function schedule(ms = 500) {
  clearTimeout(timer);
  timer = setTimeout(update, ms);
}

// Local stand-in for the server's puzzle (while the file has errors).
function localPuzzle(p) {
  const o = H.obj();
  const pl = (Array.isArray(o.places) ? o.places : []).find((x) => x && x.id === p.place);
  const hints = Array.isArray(p.hints) ? p.hints : [];
  return {
    id: String(p.id || ''), title: p.title || '', kind: kindOf(p), points: typeof p.points === 'number' ? p.points : 0, status: 'open',
    clue: typeof p.clue === 'string' ? p.clue : '',
    place: pl ? { id: pl.id, name: pl.name, where: pl.where || null, lat: pl.lat ?? null, lon: pl.lon ?? null } : null,
    choices: p.answer && Array.isArray(p.answer.choices) ? p.answer.choices : undefined,
    hint_count: hints.length, next_hint_cost: hints.length ? hints[0].cost || 0 : undefined,
  };
}

async function update() {
  const list = puzzles();
  const pick = document.getElementById('preview-pick');
  if (pick) {
    const want = list.map((p, i) => `${i + 1}. ${p.title || p.id}`);
    const have = [...pick.options].map((o) => o.text);
    if (want.join('\n') !== have.join('\n')) pick.replaceChildren(...want.map((w, i) => el('option', { value: String(i), text: w })));
    pick.value = String(currentIndex());
  }
  if (!list.length) { shadow.replaceChildren(frame(el('p', { class: 'muted', text: t('preview_none') }))); H.note(''); return; }
  const p = list[currentIndex()];
  if (p.id !== lastId) { shownHints = 0; lastId = p.id; }
  const my = ++seq;
  let pz = null;
  // a check of the text on screen is on its way: its result schedules the preview
  if (H.pending()) return;
  if (H.ok()) {
    const r = await api('POST', `/api/admin/preview?puzzle=${encodeURIComponent(p.id)}`, H.text());
    if (my !== seq) return;
    if (r.status === 200 && r.data && r.data.puzzle) pz = r.data.puzzle;
    else if (r.status === 503) { schedule((Number(r.headers.get('Retry-After')) || 1) * 1000); return; }
  }
  if (my !== seq) return;
  H.note(pz ? t('preview_try') : t('preview_local'));
  render(pz || localPuzzle(p), p);
}

function frame(...kids) {
  return el('div', { class: 'phone-root' },
    el('link', { rel: 'stylesheet', href: '/app.css' }), el('link', { rel: 'stylesheet', href: '/staff/editor/phone.css' }),
    el('div', { class: 'phone-top top' }, el('span', { class: 'brand', text: 'spur' }),
      el('span', { class: 'hunt-title', text: (H.obj() && H.obj().title) || '' })),
    el('div', { class: 'phone-main' }, ...kids));
}

function render(p, src) {
  const key = 'pz-' + String(p.id).replace(/[^A-Za-z0-9_-]/g, '_');
  const hid = key + '-h';
  const fbId = key + '-fb';
  const fb = el('p', { class: 'feedback', role: 'status', id: fbId });
  const kids = [el('div', { class: 'pz-head' }, el('h3', { id: hid, text: p.title || p.id }), el('span', { class: 'badge', text: a('open') })),
    el('p', { class: 'pz-meta', text: a('points', p.points) })];
  if (p.image && typeof p.image.url === 'string') {
    kids.push(el('img', { class: 'pic pz-pic', src: p.image.url, alt: p.image.alt || '', width: p.image.width, height: p.image.height }));
  } else if (src.image && typeof src.image === 'object' && src.image.file) {
    // the preview call names no picture: where it goes, with its description
    kids.push(el('p', { class: 'pic pz-pic pic-stand-in', text: `${a('picture')}: ${src.image.file}${src.image.alt ? ' – ' + src.image.alt : ''}` }));
  }
  if (p.clue) {
    const c = el('div', { class: 'clue md' });
    // clue_html is the server's own rendering (cmark, raw HTML escaped, safe links):
    // the app inserts it the same way (clues.js setRich).
    if (typeof p.clue_html === 'string' && p.clue_html) c.innerHTML = p.clue_html; else c.textContent = p.clue;
    kids.push(c);
  }
  if (p.place) {
    const pl = p.place;
    const line = el('p', { class: 'place' }, el('span', { text: a('place') + (pl.name || pl.id) + (pl.where ? ' – ' + pl.where : '') }));
    if (typeof pl.lat === 'number' && typeof pl.lon === 'number') {
      line.append(' ', el('a', { href: `https://www.openstreetmap.org/?mlat=${pl.lat}&mlon=${pl.lon}#map=18/${pl.lat}/${pl.lon}`,
        target: '_blank', rel: 'noopener noreferrer', text: a('map_link') }));
    }
    kids.push(line);
  }
  const hints = Array.isArray(p.hints) && p.hints.length ? p.hints : Array.isArray(src.hints) ? src.hints : [];
  const shown = hints.slice(0, shownHints);
  if (shown.length) {
    kids.push(el('h4', { text: a('hints') }), el('ol', { class: 'hints' }, ...shown.map((h) => {
      const d = el('div', { class: 'hint-text md' });
      // text_html: the server's rendering, as the app inserts it
      if (typeof h.text_html === 'string' && h.text_html) d.innerHTML = h.text_html; else d.textContent = h.text || '';
      return el('li', {}, d, el('span', { class: 'muted', text: a('hint_cost', h.cost || 0) }));
    })));
  }
  if (p.kind === 'scan') kids.push(el('p', { class: 'help', text: a('scan_here') }));
  else if (p.kind === 'checkin') kids.push(el('div', { class: 'checkin' }, el('button', { type: 'button', class: 'primary checkin-go', text: a('checkin') })));
  else if (p.kind === 'photo') kids.push(el('div', { class: 'photo' }, el('button', { type: 'button', class: 'primary photo-go', text: a('photo') }),
    el('p', { class: 'help', text: a('photo_help') })));
  else kids.push(answerForm(p, key, fbId, fb));
  if (shownHints < hints.length) {
    const cost = hints[shownHints].cost || 0;
    kids.push(el('button', { type: 'button', class: 'secondary hint', text: a('hint_cost_btn', cost),
      onclick: () => { shownHints++; render(p, src); const b = shadow.querySelector('.hint'); (b || shadow.querySelector('h3')).focus?.(); } }));
  }
  kids.push(fb);
  const li = el('li', { class: 'puzzle status-open', id: key }, el('article', { 'aria-labelledby': hid }, ...kids));
  shadow.replaceChildren(frame(el('ol', { class: 'puzzles' }, li)));
}

function answerForm(p, key, fbId, fb) {
  const form = el('form', { class: 'answer', novalidate: true });
  if (p.kind === 'choice' && Array.isArray(p.choices)) {
    const row = el('div', { class: 'choices' });
    for (const ch of p.choices) {
      row.append(el('button', { type: 'button', class: 'choice', 'aria-describedby': fbId, text: ch, onclick: () => judge(p, ch, fb) }));
    }
    form.append(el('fieldset', {}, el('legend', { text: a('answer_choose') }), row));
    form.addEventListener('submit', (e) => e.preventDefault());
    return form;
  }
  const id = key + '-in';
  const input = el('input', { id, name: 'answer', autocomplete: 'off', 'aria-describedby': fbId, maxlength: '200', spellcheck: 'false' });
  if (p.kind === 'number') input.inputMode = 'decimal';
  form.append(el('label', { for: id, text: p.kind === 'number' ? a('answer_number') : a('answer') }),
    el('div', { class: 'row' }, input, el('button', { type: 'submit', class: 'primary', text: a('check') })));
  form.addEventListener('submit', (e) => { e.preventDefault(); judge(p, input.value, fb); });
  return form;
}

// The verdict from the server (its normalisation, partial answers and messages).
async function judge(p, text, fb) {
  if (!String(text).trim()) { show(fb, a('empty'), 'error'); return; }
  const r = await api('POST', `/api/admin/preview?puzzle=${encodeURIComponent(p.id)}&input=${encodeURIComponent(text)}`, H.text());
  const v = r.status === 200 && r.data && r.data.verdict;
  if (v) {
    const kind = v.result === 'correct' ? 'ok' : v.result === 'partial' ? 'partial' : 'error';
    const words = v.message || t(v.result === 'correct' ? 'v_correct' : v.result === 'partial' ? 'v_partial' : 'v_wrong');
    show(fb, typeof v.normalized === 'string' ? `${words} ${t('v_normalized', v.normalized)}` : words, kind);
    return;
  }
  if (r.status === 422) { show(fb, t('preview_local'), 'info'); return; }
  show(fb, (r.data && r.data.message) || t('offline'), 'error');
}

function show(fb, text, kind) {
  fb.textContent = text;
  fb.className = 'feedback ' + kind;
}


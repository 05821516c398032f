// The organizer's editor, shared pieces: the words (German first, English), the
// element helper, the staff API client (token and X-Staff-Name as the console sends
// them), JSON paths as spur check writes them, and times in the hunt's own zone.
// The console's storage keys are reused, so a signed-in console tab signs the editor
// in too (sessionStorage is per tab: a new tab asks once).

// the console's keys and the name's rules (session.js, loaded before the modules)
export const { TOKEN_KEY, LANG_KEY, WHO_KEY, cleanName } = window.spurStaffSession;
const { headerBytes } = window.spurStaffSession;

const T = {
  de: {
    staff: 'Staff', editor: 'Rallye-Editor', to_console: 'Staff-Konsole', logout: 'Abmelden',
    login_h: 'Rallye-Editor', token: 'Staff-Token', sign_in: 'Anmelden',
    who_label: 'Dein Name (steht im Protokoll bei jeder Änderung)',
    token_hint: 'Das Token wird nur in diesem Tab gespeichert.', bad_token: 'Dieses Token wird nicht angenommen.',
    who_needed: 'Bitte deinen Namen eintragen: er steht im Protokoll.',
    offline: 'Keine Verbindung – bitte gleich noch einmal.', error: 'Fehler',
    // the list of hunts, creating one
    hunts_h: 'Rallyes', hunts_none: 'Noch keine Rallye.', edit: 'Bearbeiten',
    create_h: 'Neue Rallye', create_id: 'Kurzname (für Adressen: a–z, 0–9, - und _)', create_title: 'Titel',
    create_btn: 'Anlegen', create_hint: 'Die neue Rallye ist ein Beispiel wie von „spur new“, mit Terminen ab nächster Woche: zum Anpassen.',
    create_exists: 'Eine Rallye mit diesem Kurznamen gibt es schon.',
    create_bad_id: 'Kurzname: 1–64 Zeichen aus a–z, 0–9, - und _, am Anfang ein Buchstabe oder eine Ziffer.',
    create_missing: 'Das Anlegen gibt es auf diesem Server noch nicht.',
    st_upcoming: 'noch nicht gestartet', st_running: 'läuft', st_frozen: 'Rangliste eingefroren', st_over: 'vorbei',
    // the editor's bar
    all_hunts: 'Alle Rallyes', save: 'Speichern …', download: 'Herunterladen', reload: 'Neu laden',
    saved_state: (v) => v ? `Gespeichert (Version ${v}).` : 'Gespeichert.', unsaved: 'Ungespeicherte Änderungen.',
    loaded: 'Geladen, nichts geändert.', loading: 'Lädt …', load_failed: 'Die Rallye-Datei lässt sich nicht laden.',
    no_source: 'Diesen Server gibt es noch ohne Bearbeiten (GET …/source fehlt).',
    leave_q: 'Ungespeicherte Änderungen gehen verloren.',
    join_h: 'Mitspielen', join_link: 'Link für Teams:', join_qr_alt: (u) => `QR-Code zum Mitspielen: ${u}`,
    open_app: 'In der App öffnen',
    print_h: 'Drucken', print_hint: 'Aus dem gespeicherten Stand, wie „spur posters“ und „spur sheet“ sie drucken.',
    print_posters: 'Plakate (PDF)', print_flyer: 'Flyer (PDF)', print_sheet: 'Lösungsblatt (PDF, vertraulich)',
    print_making: 'Wird erstellt …', print_ready: (f) => `Fertig: ${f}`, print_unsaved: 'Hinweis: ungespeicherte Änderungen fehlen darin.',
    versions_h: 'Versionen', versions_none: 'Noch keine gespeicherten Versionen.',
    version_line: (n, at, who) => `Version ${n} · ${at}${who ? ' · ' + who : ''}`, current: 'aktuell',
    version_load: 'In den Editor laden', version_load_label: (n) => `Version ${n} in den Editor laden`,
    version_loaded: (n) => `Version ${n} geladen: prüfen und speichern stellt sie wieder her.`,
    // check as you type
    check_h: 'Prüfung', checking: 'Wird geprüft …', check_ok: 'Keine Probleme: die Rallye-Datei ist in Ordnung.',
    check_busy: 'Der Server prüft gerade viel; gleich noch einmal …',
    n_errors: (n) => n === 1 ? '1 Fehler' : `${n} Fehler`, n_warnings: (n) => n === 1 ? '1 Warnung' : `${n} Warnungen`,
    more_problems: (n) => `… und ${n} weitere`,
    sev_error: 'Fehler', sev_warning: 'Warnung', at_line: (l, c) => `Zeile ${l}:${c}`, whole_file: 'ganze Datei',
    go_field: 'zum Feld',
    // tabs, sections
    tab_form: 'Formular', tab_json: 'JSON', tabs_label: 'Ansicht',
    json_label: 'Die Rallye-Datei als JSON', json_help: 'Für alle, die die Datei lieber direkt schreiben. Die Prüfung läuft auch hier; das Formular übernimmt jede gültige Änderung.',
    json_broken: 'Das JSON ist gerade nicht lesbar: das Formular zeigt den letzten lesbaren Stand. Im JSON-Tab korrigieren.',
    sec_general: 'Allgemein', sec_places: 'Orte', sec_puzzles: 'Rätsel', sec_prizes: 'Preise', sec_more: 'Weitere Einstellungen',
    more_hint: 'Alles, was hier nicht steht, lässt sich im JSON-Tab bearbeiten; unbekannte Schlüssel und Kommentare („_…“) bleiben erhalten.',
    f_id: 'Kurzname (Id, nicht änderbar)', f_title: 'Titel', f_intro: 'Begrüßung (Markdown)', f_outro: 'Schlusswort (Markdown)',
    f_language: 'Sprache der Rallye', f_time_zone: 'Zeitzone', f_starts: 'Beginn', f_ends: 'Ende', f_freeze: 'Rangliste einfrieren ab',
    time_help: (z) => `Ortszeit ${z}`,
    f_late: 'Nachfrist für Offline-Antworten (Sekunden)', f_guess_limit: 'Falsche Antworten je Zeitfenster',
    f_guess_window: 'Zeitfenster (Sekunden)', f_max_members: 'Handys je Team', f_max_accuracy: 'Check-in: höchstens so ungenau (m)',
    f_photo_consent: 'Hinweis vor dem ersten Foto', f_beacon: 'Öffentlicher Zufallswert für die Verlosung (Quelle)',
    f_purge: 'Kontaktdaten löschen nach (Tagen)', f_tiles: 'Kartenkacheln (https-Adresse mit {z}/{x}/{y})',
    f_attribution: 'Quellenangabe der Karte', f_organizer: 'Veranstalter', f_accent: 'Akzentfarbe (#rrggbb)', f_footer: 'Fußzeile (Impressum)',
    lang_de: 'Deutsch', lang_en: 'Englisch', none_opt: '— keiner —',
    f_logo: 'Logo', logo_add: 'Logo hinzufügen', f_contact: 'Kontakt für Gewinner', f_contact_ask: 'Kontakt erfragen',
    contact_no: 'nein', contact_optional: 'ja, freiwillig', f_contact_label: 'Name des Felds (z. B. „E-Mail oder Telefon“)',
    f_contact_privacy: 'Datenschutzhinweis, dem die Teams zustimmen',
    // places
    place_n: (i, name) => `Ort ${i}: ${name}`, place_add: 'Ort hinzufügen', place_remove: 'Ort entfernen',
    f_pid: 'Id', f_name: 'Name', f_where: 'Wo genau hängt der Code?',
    id_running: 'Die Rallye läuft: Fortschritt und Codes hängen an der Id. Eine neue Id beginnt von vorn.', f_lat: 'Breite (lat)', f_lon: 'Länge (lon)',
    map_show: 'Auf der Karte wählen', map_hide: 'Karte schließen',
    map_help: 'Auf die Karte klicken setzt den Punkt; die Felder oben gehen immer.', map_failed: 'Die Karte lässt sich nicht laden; Breite und Länge oben eintragen.',
    map_label: (n) => `Karte für ${n}`,
    // puzzles
    puzzle_n: (i, title) => `Rätsel ${i}: ${title}`, puzzle_add: 'Rätsel hinzufügen', puzzle_remove: 'Rätsel entfernen',
    move_up: 'Nach oben', move_down: 'Nach unten', move_label: (dir, title) => `„${title}“ ${dir}`,
    moved: (title, i, n) => `„${title}“ ist jetzt Rätsel ${i} von ${n}.`, drag: 'Ziehen zum Umsortieren (oder Alt+Pfeil)',
    collapse: 'Zuklappen', expand: 'Aufklappen',
    f_kind: 'Art', kind_text: 'Text-Antwort', kind_number: 'Zahl', kind_choice: 'Auswahl', kind_scan: 'Scan (QR-Code am Ort)',
    kind_checkin: 'Check-in (Standort)', kind_photo: 'Foto',
    f_points: 'Punkte', f_clue: 'Aufgabe (Markdown)', f_place: 'Ort', f_radius: 'Radius (m)', f_review: 'Foto zählt',
    review_staff: 'nach Prüfung durch Staff', review_auto: 'sofort',
    f_accept: 'Richtige Antworten', accept_n: (i) => `Richtige Antwort ${i}`, accept_add: 'Antwort hinzufügen',
    f_partial: 'Teilantworten (fast richtig)', partial_text: (i) => `Teilantwort ${i}`, partial_msg: (i) => `Nachricht zu Teilantwort ${i}`,
    partial_add: 'Teilantwort hinzufügen',
    f_number: 'Richtige Zahl', f_tolerance: 'Toleranz (±)',
    f_choices: 'Auswahlmöglichkeiten', choice_n: (i) => `Möglichkeit ${i}`, choice_correct: (i) => `Möglichkeit ${i} ist richtig`,
    choice_add: 'Möglichkeit hinzufügen',
    f_hints: 'Hinweise', hint_n: (i) => `Hinweis ${i}`, hint_cost: (i) => `Kosten von Hinweis ${i} (Punkte)`, hint_add: 'Hinweis hinzufügen',
    f_requires: 'Öffnet erst, wenn gelöst:', requires_none: 'Es gibt noch keine anderen Rätsel.', unknown_id: (id) => `${id} (unbekannt)`,
    f_opens: 'Öffnet am', f_image: 'Bild', f_image_file: 'Bilddatei', f_image_alt: 'Was zeigt das Bild? (für Screenreader)',
    image_add: 'Bild hinzufügen', image_remove: 'Bild entfernen', image_upload: 'Bild hochladen',
    upload_missing: 'Hochladen gibt es auf diesem Server noch nicht: die Datei mit „spur import“ neben die Rallye-Datei legen.',
    uploaded: (f) => `Hochgeladen: ${f}`, uploading: 'Wird hochgeladen …',
    remove: 'Entfernen', remove_label: (what) => `${what} entfernen`,
    // prizes
    prize_n: (i, name) => `Preis ${i}: ${name}`, prize_add: 'Preis hinzufügen', prize_remove: 'Preis entfernen',
    f_count: 'Anzahl Gewinner', f_count_all: 'Alle berechtigten Teams gewinnen', f_reserves: 'Nachrücker',
    f_eligible: 'Wer nimmt teil?', el_all: 'alle Teams mit Punkten', el_finished: 'Teams, die alles gelöst haben', el_min: 'Teams ab einer Punktzahl',
    f_min_score: 'Mindestpunktzahl',
    new_place: 'Neuer Ort', new_puzzle: 'Neues Rätsel', new_prize: 'Neuer Preis',
    // preview
    preview_h: 'Vorschau auf dem Handy', preview_pick: 'Rätsel', preview_none: 'Noch kein Rätsel.',
    preview_local: 'Vorschau aus dem Formular (die Datei hat noch Fehler; Formatierung erst nach der Korrektur).',
    preview_try: 'Antwort ausprobieren: im Feld der Karte eintippen und „Prüfen“.',
    v_correct: 'Richtig!', v_wrong: 'Leider falsch.', v_partial: 'Fast.', v_normalized: (n) => `(verglichen als „${n}“)`,
    // saving
    dlg_h: 'Speichern?', dlg_save: 'Jetzt speichern', dlg_cancel: 'Abbrechen', dlg_checking: 'Änderungen werden ermittelt …',
    dlg_running: 'Die Rallye läuft: Teams sehen die Änderungen sofort.', dlg_no_changes: 'Keine Änderungen gegenüber dem gespeicherten Stand.',
    dlg_warnings: 'Bitte beachten:',
    ch_added: 'neu', ch_removed: 'entfernt', ch_changed: 'geändert',
    what_setting: 'Einstellung', what_place: 'Ort', what_puzzle: 'Rätsel', what_prize: 'Preis',
    saving: 'Wird gespeichert …', save_invalid: 'Nicht gespeichert: die Datei hat Fehler (siehe Prüfung).',
    conflict_h: 'Inzwischen hat jemand anderes gespeichert',
    conflict_text: 'Deine Änderungen sind noch nicht gespeichert. Neu laden zeigt den Stand der anderen (deine Änderungen gehen verloren); erneut anwenden speichert deine Fassung über die neue – die Änderungen siehst du vorher.',
    conflict_reload: 'Neu laden', conflict_reapply: 'Meine Änderungen erneut anwenden',
    reloaded: 'Neu geladen.', reapplied: 'Deine Fassung liegt jetzt über dem neuen Stand: Änderungen prüfen und speichern.',
    confirm_discard: 'Ungespeicherte Änderungen verwerfen und neu laden?', discard_yes: 'Ja, verwerfen',
  },
  en: {
    staff: 'Staff', editor: 'Hunt editor', to_console: 'Staff console', logout: 'Sign out',
    login_h: 'Hunt editor', token: 'Staff token', sign_in: 'Sign in',
    who_label: 'Your name (kept in the log with every change)',
    token_hint: 'The token is kept in this tab only.', bad_token: 'This token is not accepted.',
    who_needed: 'Please enter your name: it goes into the log.',
    offline: 'No connection – please try again.', error: 'Error',
    hunts_h: 'Hunts', hunts_none: 'No hunt yet.', edit: 'Edit',
    create_h: 'New hunt', create_id: 'Short name (for addresses: a–z, 0–9, - and _)', create_title: 'Title',
    create_btn: 'Create', create_hint: 'The new hunt is an example like “spur new” makes, with dates from next week: to adapt.',
    create_exists: 'A hunt with this short name exists already.',
    create_bad_id: 'Short name: 1–64 characters of a–z, 0–9, - and _, starting with a letter or digit.',
    create_missing: 'This server cannot create hunts yet.',
    st_upcoming: 'not started', st_running: 'running', st_frozen: 'leaderboard frozen', st_over: 'over',
    all_hunts: 'All hunts', save: 'Save …', download: 'Download', reload: 'Reload',
    saved_state: (v) => v ? `Saved (version ${v}).` : 'Saved.', unsaved: 'Unsaved changes.',
    loaded: 'Loaded, nothing changed.', loading: 'Loading …', load_failed: 'The hunt file cannot be loaded.',
    no_source: 'This server cannot edit hunts yet (GET …/source is missing).',
    leave_q: 'Unsaved changes will be lost.',
    join_h: 'Join', join_link: 'Link for teams:', join_qr_alt: (u) => `QR code to join: ${u}`,
    open_app: 'Open in the app',
    print_h: 'Print', print_hint: 'From the saved state, as “spur posters” and “spur sheet” print them.',
    print_posters: 'Posters (PDF)', print_flyer: 'Flyer (PDF)', print_sheet: 'Answer sheet (PDF, confidential)',
    print_making: 'Making it …', print_ready: (f) => `Done: ${f}`, print_unsaved: 'Note: unsaved changes are not in it.',
    versions_h: 'Versions', versions_none: 'No saved versions yet.',
    version_line: (n, at, who) => `Version ${n} · ${at}${who ? ' · ' + who : ''}`, current: 'current',
    version_load: 'Load into the editor', version_load_label: (n) => `Load version ${n} into the editor`,
    version_loaded: (n) => `Version ${n} loaded: check and save to restore it.`,
    check_h: 'Check', checking: 'Checking …', check_ok: 'No problems: the hunt file is fine.',
    check_busy: 'The server is busy checking; trying again …',
    n_errors: (n) => n === 1 ? '1 error' : `${n} errors`, n_warnings: (n) => n === 1 ? '1 warning' : `${n} warnings`,
    more_problems: (n) => `… and ${n} more`,
    sev_error: 'Error', sev_warning: 'Warning', at_line: (l, c) => `line ${l}:${c}`, whole_file: 'whole file',
    go_field: 'to the field',
    tab_form: 'Form', tab_json: 'JSON', tabs_label: 'View',
    json_label: 'The hunt file as JSON', json_help: 'For those who prefer to write the file. The check runs here too; the form takes over every valid change.',
    json_broken: 'The JSON cannot be read right now: the form shows the last readable state. Fix it in the JSON tab.',
    sec_general: 'General', sec_places: 'Places', sec_puzzles: 'Puzzles', sec_prizes: 'Prizes', sec_more: 'More settings',
    more_hint: 'Everything not listed here can be edited in the JSON tab; unknown keys and comments (“_…”) are kept.',
    f_id: 'Short name (id, cannot change)', f_title: 'Title', f_intro: 'Welcome text (Markdown)', f_outro: 'Closing words (Markdown)',
    f_language: 'Language of the hunt', f_time_zone: 'Time zone', f_starts: 'Start', f_ends: 'End', f_freeze: 'Freeze leaderboard from',
    time_help: (z) => `local time ${z}`,
    f_late: 'Grace for offline answers (seconds)', f_guess_limit: 'Wrong answers per window',
    f_guess_window: 'Window (seconds)', f_max_members: 'Phones per team', f_max_accuracy: 'Check-in: at most this uncertain (m)',
    f_photo_consent: 'Notice before the first photo', f_beacon: 'Public random value for the draw (source)',
    f_purge: 'Delete contact data after (days)', f_tiles: 'Map tiles (https address with {z}/{x}/{y})',
    f_attribution: 'Map credit line', f_organizer: 'Organizer', f_accent: 'Accent colour (#rrggbb)', f_footer: 'Footer (imprint)',
    lang_de: 'German', lang_en: 'English', none_opt: '— none —',
    f_logo: 'Logo', logo_add: 'Add a logo', f_contact: 'Contact for winners', f_contact_ask: 'Ask for a contact',
    contact_no: 'no', contact_optional: 'yes, optional', f_contact_label: 'Name of the field (e.g. “e-mail or phone”)',
    f_contact_privacy: 'Privacy notice the teams agree to',
    place_n: (i, name) => `Place ${i}: ${name}`, place_add: 'Add a place', place_remove: 'Remove place',
    f_pid: 'Id', f_name: 'Name', f_where: 'Where exactly does the code hang?',
    id_running: 'The hunt is running: progress and codes belong to the id. A new id starts afresh.', f_lat: 'Latitude (lat)', f_lon: 'Longitude (lon)',
    map_show: 'Pick on the map', map_hide: 'Close the map',
    map_help: 'A click on the map sets the point; the fields above always work.', map_failed: 'The map cannot be loaded; enter latitude and longitude above.',
    map_label: (n) => `Map for ${n}`,
    puzzle_n: (i, title) => `Puzzle ${i}: ${title}`, puzzle_add: 'Add a puzzle', puzzle_remove: 'Remove puzzle',
    move_up: 'Move up', move_down: 'Move down', move_label: (dir, title) => `“${title}” ${dir.toLowerCase()}`,
    moved: (title, i, n) => `“${title}” is now puzzle ${i} of ${n}.`, drag: 'Drag to reorder (or Alt+Arrow)',
    collapse: 'Collapse', expand: 'Expand',
    f_kind: 'Kind', kind_text: 'Text answer', kind_number: 'Number', kind_choice: 'Choice', kind_scan: 'Scan (QR code at the place)',
    kind_checkin: 'Check-in (position)', kind_photo: 'Photo',
    f_points: 'Points', f_clue: 'Task (Markdown)', f_place: 'Place', f_radius: 'Radius (m)', f_review: 'Photo counts',
    review_staff: 'once staff approve it', review_auto: 'at once',
    f_accept: 'Correct answers', accept_n: (i) => `Correct answer ${i}`, accept_add: 'Add an answer',
    f_partial: 'Partial answers (nearly right)', partial_text: (i) => `Partial answer ${i}`, partial_msg: (i) => `Message for partial answer ${i}`,
    partial_add: 'Add a partial answer',
    f_number: 'Correct number', f_tolerance: 'Tolerance (±)',
    f_choices: 'Choices', choice_n: (i) => `Choice ${i}`, choice_correct: (i) => `Choice ${i} is correct`, choice_add: 'Add a choice',
    f_hints: 'Hints', hint_n: (i) => `Hint ${i}`, hint_cost: (i) => `Cost of hint ${i} (points)`, hint_add: 'Add a hint',
    f_requires: 'Opens only once solved:', requires_none: 'There are no other puzzles yet.', unknown_id: (id) => `${id} (unknown)`,
    f_opens: 'Opens on', f_image: 'Picture', f_image_file: 'Picture file', f_image_alt: 'What does the picture show? (for screen readers)',
    image_add: 'Add a picture', image_remove: 'Remove picture', image_upload: 'Upload a picture',
    upload_missing: 'This server cannot upload pictures yet: put the file beside the hunt file for “spur import”.',
    uploaded: (f) => `Uploaded: ${f}`, uploading: 'Uploading …',
    remove: 'Remove', remove_label: (what) => `Remove ${what}`,
    prize_n: (i, name) => `Prize ${i}: ${name}`, prize_add: 'Add a prize', prize_remove: 'Remove prize',
    f_count: 'Number of winners', f_count_all: 'Every eligible team wins', f_reserves: 'Reserves',
    f_eligible: 'Who takes part?', el_all: 'every team with points', el_finished: 'teams that solved everything', el_min: 'teams from a score on',
    f_min_score: 'Minimum score',
    new_place: 'New place', new_puzzle: 'New puzzle', new_prize: 'New prize',
    preview_h: 'Preview on a phone', preview_pick: 'Puzzle', preview_none: 'No puzzle yet.',
    preview_local: 'Preview from the form (the file still has errors; formatting once they are fixed).',
    preview_try: 'Try an answer: type it into the card’s field and press “Check”.',
    v_correct: 'Correct!', v_wrong: 'Sorry, wrong.', v_partial: 'Nearly.', v_normalized: (n) => `(compared as “${n}”)`,
    dlg_h: 'Save?', dlg_save: 'Save now', dlg_cancel: 'Cancel', dlg_checking: 'Finding the changes …',
    dlg_running: 'The hunt is running: teams see the changes at once.', dlg_no_changes: 'No changes against the saved state.',
    dlg_warnings: 'Please note:',
    ch_added: 'added', ch_removed: 'removed', ch_changed: 'changed',
    what_setting: 'Setting', what_place: 'Place', what_puzzle: 'Puzzle', what_prize: 'Prize',
    saving: 'Saving …', save_invalid: 'Not saved: the file has errors (see the check).',
    conflict_h: 'Someone else saved in the meantime',
    conflict_text: 'Your changes are not saved yet. Reload shows their state (your changes are lost); re-apply saves your version over the new one – you see the changes first.',
    conflict_reload: 'Reload', conflict_reapply: 'Re-apply my changes',
    reloaded: 'Reloaded.', reapplied: 'Your version now lies over the new state: check the changes and save.',
    confirm_discard: 'Discard unsaved changes and reload?', discard_yes: 'Yes, discard',
  },
};

let lang = localStorage.getItem(LANG_KEY) ||
  ((navigator.language || 'de').toLowerCase().startsWith('de') ? 'de' : 'en');

export const getLang = () => lang;
export function setLang(l) { lang = l; localStorage.setItem(LANG_KEY, l); }

export function t(key, ...args) {
  const v = T[lang][key];
  return typeof v === 'function' ? v(...args) : (v !== undefined ? v : key);
}

export const $ = (id) => document.getElementById(id);

// el('input', {id, class, text, ...attributes}, ...children); on* props are listeners;
// null/undefined/false attributes are left out.
export function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'value') e.value = v;
    else if (k === 'checked') e.checked = !!v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) if (k !== null && k !== undefined && k !== false) e.append(k);
  return e;
}

// ---- the staff session ----

export const session = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  who: cleanName(localStorage.getItem(WHO_KEY) || ''),
};

// fetch for the editor: staff token on /api/admin/, X-Staff-Name on writes, the
// editor's language. body: a string is sent as it is (a hunt file) with the given
// type; an object as JSON. Resolves {status, data, text, headers}; status 0 offline.
export async function api(method, path, body, { type = 'application/json', raw = false, headers: extra = null } = {}) {
  const headers = { 'Accept-Language': lang };
  if (session.token && path.startsWith('/api/admin/')) headers.Authorization = 'Bearer ' + session.token;
  if (method !== 'GET' && session.who) headers['X-Staff-Name'] = headerBytes(session.who);
  let payload;
  if (body instanceof Blob) { payload = body; headers['Content-Type'] = body.type || type; }
  else if (typeof body === 'string') { payload = body; headers['Content-Type'] = type; }
  else if (body !== undefined) { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
  if (extra) Object.assign(headers, extra);
  let r;
  try {
    r = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    return { status: 0, data: null, text: '', headers: new Headers() };
  }
  const text = await r.text().catch(() => '');
  let data = null;
  if (!raw) { try { data = JSON.parse(text); } catch (e) { data = null; } }
  return { status: r.status, data, text, headers: r.headers };
}

export function failText(r) {
  if (!r.status) return t('offline');
  return (r.data && r.data.message) || `${t('error')} ${r.status}`;
}

// ---- JSON paths as spur check writes them: puzzles[2].answer.accept[0] ----

export function pathStr(parts) {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) s += (s ? '.' : '') + p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

export function getAt(obj, parts) {
  let o = obj;
  for (const p of parts) { if (o === null || typeof o !== 'object') return undefined; o = o[p]; }
  return o;
}

// Sets (or with undefined deletes) the value at parts, making objects on the way.
export function setAt(obj, parts, value) {
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (o[parts[i]] === null || typeof o[parts[i]] !== 'object') o[parts[i]] = typeof parts[i + 1] === 'number' ? [] : {};
    o = o[parts[i]];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) {
    if (Array.isArray(o) && typeof last === 'number') o.splice(last, 1); else delete o[last];
  } else o[last] = value;
}

// An element id for a path: f-puzzles-2-answer-accept-0.
export const fieldId = (path) => 'f-' + path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');

// ---- times: RFC 3339 in the file, wall-clock time in the hunt's zone in the form ----

function zoneParts(ms, tz) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = {};
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
  return p;
}

function zoneOffsetMin(ms, tz) {
  const p = zoneParts(ms, tz);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

export function validZone(tz) {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch (e) { return false; }
}

// "2026-06-18T10:00:00+02:00" → "2026-06-18T10:00" (or with seconds) in tz.
export function toLocalInput(iso, tz) {
  const ms = Date.parse(String(iso || '').toUpperCase());
  if (!Number.isFinite(ms) || !validZone(tz)) return '';
  const p = zoneParts(ms, tz);
  const s = `${p.year}-${p.month}-${p.day}T${String(+p.hour % 24).padStart(2, '0')}:${p.minute}`;
  return p.second !== '00' ? s + ':' + p.second : s;
}

// "2026-06-18T10:00" wall time in tz → "2026-06-18T10:00:00+02:00".
export function fromLocalInput(v, tz) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?/.exec(v || '');
  if (!m) return undefined;
  if (!validZone(tz)) tz = 'Europe/Berlin';
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let off = zoneOffsetMin(wall, tz);
  const off2 = zoneOffsetMin(wall - off * 60000, tz);
  if (off2 !== off) off = off2;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const zone = off === 0 ? 'Z' : `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] || '00'}${zone}`;
}

export function when(iso) {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return String(iso || '');
  return new Date(ms).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

// The kind of a puzzle as the form shows it: its "kind", else from its answer.
export function kindOf(p) {
  if (p && typeof p.kind === 'string') return p.kind;
  const a = p && p.answer;
  if (a && typeof a === 'object') {
    if ('choices' in a || 'correct' in a) return 'choice';
    if ('number' in a || 'tolerance' in a) return 'number';
  }
  return 'text';
}

// The staff console: live progress (GET /api/admin/hunts/{h}/stats every few
// seconds), the public leaderboard (EventSource /api/hunts/{h}/events), the prize
// draw with a confirmation step, the published records; team moderation (rename,
// hide from the public board, exclude from draws), test runs (a test team opened in
// the participants' app), the prize hand-over desk (claim code typed or scanned,
// "ausgegeben", release to the next reserve), announcements to every team's app and
// the staff log, and check-ins flagged as too fast (GET .../flags, refreshed with the
// live data every FLAGS_MS) for staff to judge, and the review of photo puzzles'
// photos (photos.js: the queue, approve, reject, revoke). Every write carries
// the staff member's name (X-Staff-Name), asked once and kept in localStorage.
// The staff token is asked once and kept in sessionStorage (this tab only). No
// framework, no inline code: the page's CSP allows scripts from 'self' only.
'use strict';
(function () {
  const STATS_MS = 4000;
  const FLAGS_MS = 16000;   // flags are read from the record on each request: less often
  const PHOTOS_MS = 8000;   // the photo queue (other staff review too)
  // the storage keys (WHO_KEY: the staff member's name, for the staff log) and the
  // name's rules, shared with the editor (session.js)
  const { TOKEN_KEY, LANG_KEY, WHO_KEY, cleanName, headerBytes } = window.spurStaffSession;
  const TEST_IDS_KEY = 'spur_staff_test_ids'; // test teams this browser made, per hunt
  const TEAMS_PAGE = 50;

  const T = {
    de: {
      staff: 'Staff', hunt: 'Rallye', logout: 'Abmelden', login_h: 'Staff-Konsole',
      edit_hunt: 'Rallye bearbeiten',
      token: 'Staff-Token', sign_in: 'Anmelden',
      token_hint: 'Das Token wird nur in diesem Tab gespeichert.',
      bad_token: 'Dieses Token wird nicht angenommen.', progress: 'Fortschritt', teams: 'Teams',
      active: 'aktiv', solves: 'Lösungen', until_end: 'bis Ende', since_end: 'seit Ende',
      days_until_end: 'Tage bis Ende', days_since_end: 'Tage seit Ende',
      per_puzzle: 'Lösungen je Rätsel', per_place: 'Scans je Ort', updated: 'Stand',
      // the puzzles in detail (stats per puzzle)
      ins_h: 'Rätsel im Detail', ins_puzzle: 'Rätsel', ins_opened: 'geöffnet', ins_solved: 'gelöst',
      ins_median: 'Median Minuten', ins_hints: 'Tipps', ins_wrong: 'häufigste falsche Antworten',
      ins_teams: (n) => n === 1 ? '1 Team' : `${n} Teams`,
      kinds: { text: 'Antwort', number: 'Zahl', choice: 'Auswahl', scan: 'Scan', checkin: 'Check-in', photo: 'Foto' },
      ins_by: (pos, code) => `gelöst per Standort ${pos}, per Code ${code}`,
      ins_hint: 'Geöffnet und gelöst zählen Teams ohne Testteams; die Minuten laufen ab dem Öffnen des Rätsels für das Team. Falsche Antworten stehen vereinheitlicht da (klein, ohne Leer- und Satzzeichen). Gibt ein Rätsel oft dieselbe falsche Antwort, ist sie vielleicht richtig: in der Rallye-Datei unter „accept“ ergänzen und neu importieren.',
      // flagged check-ins
      flags_h: 'Auffälligkeiten', flags_caption: 'Check-ins, die schneller als {kmh} km/h nach dem vorigen des Teams kamen',
      flags_hint: (k) => `Check-ins, für die ein Team schneller als ${k} km/h vom vorigen Check-in hätte unterwegs sein müssen – etwa ein weitergegebener Screenshot oder ein vorgetäuschter Standort. Sie zählen trotzdem; ihr entscheidet, ob ihr etwas tut (z. B. das Team unter „Teams“ von Verlosungen ausschließen).`,
      flags_none: 'Keine Auffälligkeiten.', flags_team: 'Team', flags_puzzle: 'Rätsel', flags_at: 'Wann',
      flags_kmh: 'km/h', flags_dist: 'Entfernung', flags_secs: 'Zeit dazwischen', flags_acc: 'Genauigkeit',
      flags_from: (p) => `nach „${p}“`, flags_m: (m) => m >= 1000 ? `${(m / 1000).toLocaleString('de-DE', { maximumFractionDigits: 1 })} km` : `${m} m`,
      flags_s: (s) => s >= 120 ? `${Math.round(s / 60)} min` : s < 1 ? '< 1 s' : `${s} s`,
      flags_accs: (a, b) => `±${b} m, dann ±${a} m`,
      leaderboard: 'Rangliste', draw: 'Verlosung', prize: 'Preis', draw_btn: 'Verlosen …',
      once: 'Das geht nur ein einziges Mal und kann nicht wiederholt werden.',
      yes_draw: 'Ja, jetzt verlosen', cancel: 'Abbrechen',
      really: (p) => `Wirklich „${p}“ verlosen?`,
      records: 'Veröffentlichte Ziehungen',
      commitment: 'Zusage (SHA-256 des Startwerts), seit Beginn öffentlich:',
      public_page: 'Öffentliche Seite zum Nachprüfen', screen_page: 'Großbildschirm für den Beamer (Rangliste, Countdown, Siegerehrung)', claim: 'Gewinncode prüfen',
      claim_code: 'Abholcode (ABCD-EFGH)', check: 'Prüfen', winners: 'Gewinner', reserves: 'Nachrücker',
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
      // the console heading, the staff member's name
      you_are: 'Du:', who_change: 'Namen ändern', who_h: 'Wer arbeitet hier?',
      who_label: 'Dein Name (steht im Protokoll bei allem, was du änderst)', save: 'Speichern',
      who_needed: 'Bitte zuerst deinen Namen eintragen: er steht im Protokoll.', who_none: 'noch ohne Namen',
      // announcements
      ann_h: 'Durchsagen', ann_label: 'Text an alle Teams', ann_send: 'Senden',
      ann_help: 'Erscheint sofort oben in der App jedes Teams, bis das Team sie schließt. Höchstens 1000 Zeichen; Zeilenumbrüche bleiben.',
      ann_count: (n) => `${n} / 1000 Zeichen`, ann_too_long: (n) => `${n} Zeichen: höchstens 1000 sind erlaubt.`,
      ann_empty_text: 'Bitte zuerst den Text der Durchsage eingeben.',
      ann_confirm: 'An alle Teams senden?', ann_yes: 'Ja, an alle senden', ann_sending: 'Wird gesendet …',
      ann_sent: 'Gesendet: die Apps zeigen die Durchsage jetzt.', ann_sent_h: 'Gesendete Durchsagen',
      ann_empty: 'Noch keine Durchsage.', ann_delete: 'Löschen …',
      ann_delete_q: 'Diese Durchsage löschen? Sie verschwindet auch aus den Apps.', ann_delete_yes: 'Ja, löschen',
      ann_deleted: 'Durchsage gelöscht.', ann_delete_label: (w) => `Durchsage von ${w} löschen`,
      ann_all: (n) => `Alle ${n} zeigen`,
      // teams
      teams_h: 'Teams', search: 'Team suchen', search_btn: 'Suchen', reload: 'Neu laden',
      prev: 'Zurück', next: 'Weiter',
      teams_count: (n, a, b) => n === 0 ? 'Keine Teams.' : `${n === 1 ? '1 Team' : n + ' Teams'}, ${a}–${b} angezeigt`,
      teams_none_q: (q) => `Kein Team passt zu „${q}“.`,
      badge_hidden: 'verborgen', badge_excluded: 'ausgeschlossen', badge_test: 'Test',
      phones: (n) => n === 1 ? '1 Handy' : `${n} Handys`, joined: 'angemeldet', reason: 'Grund:',
      rename: 'Umbenennen', hide: 'Verbergen', unhide: 'Wieder zeigen', exclude: 'Ausschließen …',
      include: 'Wieder aufnehmen', new_name: (n) => `Neuer Name für „${n}“`,
      reason_label: (n) => `Grund, „${n}“ von Verlosungen auszuschließen (Pflicht)`, exclude_btn: 'Ausschließen',
      saved: (n) => `„${n}“ gespeichert.`, hide_hint: 'Verborgen: nicht auf der öffentlichen Rangliste, spielt aber weiter und bleibt in der Verlosung.',
      // test runs
      test_h: 'Testlauf', test_run: 'Testlauf starten', test_delete: 'Testteams löschen …',
      test_hint: 'Ein Testteam spielt auch vor dem Start und erscheint nie in Rangliste, Statistik, Export oder Verlosung.',
      test_running: 'Testteam wird angelegt …',
      test_made: (n) => `Testteam „${n}“ angelegt; die App spielt in einem neuen Tab als dieses Team.`,
      open_app: 'App als Testteam öffnen',
      test_replace: (n) => `Dieser Browser spielt in der App schon als „${n}“. Der Testlauf meldet ihn dort ab (zurück geht es mit dem Beitrittscode des Teams). Trotzdem?`,
      test_replace_yes: 'Ja, Testlauf starten',
      test_delete_q: 'Alle Testteams dieser Rallye samt Spielstand löschen? Ihre Handys verlieren das Team.',
      test_delete_yes: 'Ja, Testteams löschen',
      test_deleted: (n) => n === 1 ? '1 Testteam gelöscht.' : `${n} Testteams gelöscht.`,
      // the hand-over desk
      desk: 'Preisausgabe', scan: 'Code scannen', scan_stop: 'Kamera aus',
      scan_starting: 'Kamera startet …', scan_aim: 'Den QR-Code auf dem Handy des Teams in die Kamera halten.',
      scan_foreign: 'Dieser QR-Code enthält keinen Abholcode.', scan_denied: 'Kein Zugriff auf die Kamera: bitte im Browser erlauben oder den Code eintippen.',
      scan_failed: 'Die Kamera lässt sich nicht starten: bitte den Code eintippen.', scan_idle: 'Kamera nach zwei Minuten ohne Code ausgeschaltet.',
      handover: 'ausgegeben', handing: 'Wird gespeichert …',
      handed_at: (w) => `Ausgegeben: ${w}`,
      already: (w, by) => `Schon ausgegeben: ${w}${by ? ' von ' + by : ''}. Nicht noch einmal aushändigen!`,
      released_state: (w) => `An den Nachrücker freigegeben: ${w}. Nicht aushändigen.`,
      not_yet: 'Nachrücker, noch nicht dran: erst wenn ein Preis an Nachrücker freigegeben wird.',
      winners_h: 'Gewinner und Nachrücker', no_draw_yet: 'Noch nichts verlost.',
      winner_n: (k) => `Gewinner ${k}`, reserve_n: (k) => `Nachrücker ${k}`,
      contact: 'Kontakt:', no_contact: 'kein Kontakt hinterlegt', code: 'Code',
      st_open: 'wartet auf Abholung', st_waiting: 'noch nicht dran',
      st_redeemed: (w, by) => `ausgegeben ${w}${by ? ' von ' + by : ''}`, st_released: (w) => `freigegeben ${w}`,
      release: 'Freigeben an Nachrücker …', release_yes: 'Ja, freigeben',
      release_q: (tm, p) => `„${p}“ von ${tm} an den nächsten Nachrücker freigeben? ${tm} kann den Preis dann nicht mehr abholen.`,
      released_ok: (p) => `„${p}“ freigegeben: der nächste Nachrücker kann abholen.`,
      // the staff log
      log_h: 'Staff-Protokoll', log_caption: 'Wer hat wann was geändert, neueste zuerst',
      log_when: 'Wann', log_who: 'Wer', log_from: 'Von wo', log_action: 'Aktion', log_team: 'Team', log_detail: 'Details',
      log_empty: 'Noch nichts protokolliert.',
      act_edit_team: 'Team geändert', act_create_test_team: 'Testteam angelegt', act_delete_test_teams: 'Testteams gelöscht',
      act_redeem: 'Preis ausgegeben', act_release: 'An Nachrücker freigegeben',
      act_draw: 'Preis verlost', act_purge_contacts: 'Kontaktdaten gelöscht (automatisch)',
      act_announce: 'Durchsage gesendet', act_delete_announcement: 'Durchsage gelöscht',
      d_contacts: (n) => n === 1 ? '1 Kontakt' : `${n} Kontakte`,
      d_renamed: (a, b) => `umbenannt: „${a}“ → „${b}“`, d_hidden: 'verborgen', d_visible: 'sichtbar',
      d_excluded: (r) => `ausgeschlossen: ${r}`, d_included: 'in der Verlosung',
      // photo review (photos.js)
      photos_h: 'Fotos prüfen', photos_queue: 'Warteschlange', photos_approved: 'Freigegebene',
      photos_keys: 'Tasten in diesem Bereich (nicht beim Tippen): A freigeben · R ablehnen · M Nachricht · J oder → nächstes · K oder ← voriges · Esc in einem Feld: zurück zum Foto',
      photos_keys_approved: 'Tasten in diesem Bereich (nicht beim Tippen): R widerrufen · M Nachricht · J oder → nächstes · K oder ← voriges · Esc in einem Feld: zurück zum Foto',
      photos_none: 'Keine Fotos zu prüfen.', photos_none_approved: 'Noch keine freigegebenen Fotos.',
      photos_count: (n) => n === 1 ? '1 wartet' : `${n} warten`,
      photo_pos: (i, n) => `Foto ${i} von ${n}`, photo_team: 'Team',
      photo_puzzle: (p, n) => `„${p}“ · ${n === 1 ? '1 Punkt' : n + ' Punkte'}`,
      photo_at: (w) => `gesendet ${w}`, photo_given: (n) => n === 1 ? 'freigegeben mit 1 Punkt' : `freigegeben mit ${n} Punkten`,
      photo_alt: (tm, p) => `Foto von ${tm} für „${p}“`,
      photo_points: (n) => `Punkte (0 bis ${n}; unverändert: abzüglich genommener Tipps)`,
      photo_msg: 'Nachricht an das Team (beim Ablehnen, freiwillig)', photo_msg_revoke: 'Nachricht an das Team (warum widerrufen)',
      photo_approve: 'Freigeben (A)', photo_reject: 'Ablehnen (R)', photo_revoke: 'Widerrufen (R)',
      photo_prev: '← Voriges (K)', photo_next: 'Nächstes (J) →',
      photo_done_ok: (tm, n) => `Freigegeben: ${tm}, ${n === 1 ? '1 Punkt' : n + ' Punkte'}.`,
      photo_done_no: (tm) => `Abgelehnt: ${tm}.`, photo_done_revoked: (tm) => `Widerrufen: ${tm}.`,
      photo_taken: 'Schon von jemand anderem entschieden – weiter zum nächsten.',
      photo_bad_points: (n) => `Punkte: eine ganze Zahl von 0 bis ${n}.`,
      photo_load_failed: 'Das Foto lässt sich nicht laden.',
      act_review_photo: 'Foto geprüft', photo_st_pending: 'wartet', photo_st_approved: 'freigegeben', photo_st_rejected: 'abgelehnt',
      d_photo: (p, from, to, n, msg) => `„${p}“: ${T.de['photo_st_' + from] || from} → ${T.de['photo_st_' + to] || to}${to === 'approved' ? `, ${n} Punkte` : ''}${msg ? ` – „${msg}“` : ''}`,
    },
    en: {
      staff: 'Staff', hunt: 'Hunt', logout: 'Sign out', login_h: 'Staff console',
      edit_hunt: 'Edit hunt',
      token: 'Staff token', sign_in: 'Sign in',
      token_hint: 'The token is kept in this tab only.',
      bad_token: 'This token is not accepted.', progress: 'Progress', teams: 'teams',
      active: 'active', solves: 'solves', until_end: 'until the end', since_end: 'since the end',
      days_until_end: 'days until the end', days_since_end: 'days since the end',
      per_puzzle: 'Solves per puzzle', per_place: 'Scans per place', updated: 'As of',
      ins_h: 'Puzzles in detail', ins_puzzle: 'Puzzle', ins_opened: 'opened', ins_solved: 'solved',
      ins_median: 'median minutes', ins_hints: 'hints', ins_wrong: 'most frequent wrong answers',
      ins_teams: (n) => n === 1 ? '1 team' : `${n} teams`,
      kinds: { text: 'answer', number: 'number', choice: 'choice', scan: 'scan', checkin: 'check-in', photo: 'photo' },
      ins_by: (pos, code) => `solved by position ${pos}, by code ${code}`,
      ins_hint: 'Opened and solved count teams, test teams left out; the minutes run from when the puzzle opened for the team. Wrong answers are shown normalised (small letters, no spaces or punctuation). When a puzzle often gets the same wrong answer, it may be right: add it under “accept” in the hunt file and import again.',
      flags_h: 'Flags', flags_caption: 'Check-ins that came faster than {kmh} km/h after the team’s previous one',
      flags_hint: (k) => `Check-ins for which a team would have had to travel faster than ${k} km/h from its previous check-in – a shared screenshot or a faked position, perhaps. They still count; you decide whether to act (e.g. exclude the team from draws under “Teams”).`,
      flags_none: 'No flags.', flags_team: 'Team', flags_puzzle: 'Puzzle', flags_at: 'When',
      flags_kmh: 'km/h', flags_dist: 'Distance', flags_secs: 'Time between', flags_acc: 'Accuracy',
      flags_from: (p) => `after “${p}”`, flags_m: (m) => m >= 1000 ? `${(m / 1000).toLocaleString('en-GB', { maximumFractionDigits: 1 })} km` : `${m} m`,
      flags_s: (s) => s >= 120 ? `${Math.round(s / 60)} min` : s < 1 ? '< 1 s' : `${s} s`,
      flags_accs: (a, b) => `±${b} m, then ±${a} m`,
      leaderboard: 'Leaderboard', draw: 'Prize draw', prize: 'Prize', draw_btn: 'Draw …',
      once: 'This can happen only once and cannot be repeated.',
      yes_draw: 'Yes, draw now', cancel: 'Cancel',
      really: (p) => `Really draw “${p}”?`,
      records: 'Published draws',
      commitment: 'Commitment (SHA-256 of the seed), public since the start:',
      public_page: 'Public page to verify', screen_page: 'Big screen for the projector (ranking, countdown, ceremony)', claim: 'Check a claim code',
      claim_code: 'Claim code (ABCD-EFGH)', check: 'Check', winners: 'Winners', reserves: 'Reserves',
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
      you_are: 'You:', who_change: 'Change name', who_h: 'Who is working here?',
      who_label: 'Your name (kept in the log with everything you change)', save: 'Save',
      who_needed: 'Please enter your name first: it goes into the log.', who_none: 'no name yet',
      ann_h: 'Announcements', ann_label: 'Text to every team', ann_send: 'Send',
      ann_help: 'Appears at once at the top of every team\u2019s app until the team closes it. At most 1000 characters; line breaks are kept.',
      ann_count: (n) => `${n} / 1000 characters`, ann_too_long: (n) => `${n} characters: at most 1000 are allowed.`,
      ann_empty_text: 'Please enter the announcement\u2019s text first.',
      ann_confirm: 'Send to every team?', ann_yes: 'Yes, send to all', ann_sending: 'Sending …',
      ann_sent: 'Sent: the apps show the announcement now.', ann_sent_h: 'Sent announcements',
      ann_empty: 'No announcement yet.', ann_delete: 'Delete …',
      ann_delete_q: 'Delete this announcement? It disappears from the apps too.', ann_delete_yes: 'Yes, delete',
      ann_deleted: 'Announcement deleted.', ann_delete_label: (w) => `Delete the announcement of ${w}`,
      ann_all: (n) => `Show all ${n}`,
      teams_h: 'Teams', search: 'Find a team', search_btn: 'Search', reload: 'Reload',
      prev: 'Previous', next: 'Next',
      teams_count: (n, a, b) => n === 0 ? 'No teams.' : `${n === 1 ? '1 team' : n + ' teams'}, showing ${a}–${b}`,
      teams_none_q: (q) => `No team matches “${q}”.`,
      badge_hidden: 'hidden', badge_excluded: 'excluded', badge_test: 'test',
      phones: (n) => n === 1 ? '1 phone' : `${n} phones`, joined: 'joined', reason: 'Reason:',
      rename: 'Rename', hide: 'Hide', unhide: 'Show again', exclude: 'Exclude …',
      include: 'Include again', new_name: (n) => `New name for “${n}”`,
      reason_label: (n) => `Reason to exclude “${n}” from draws (required)`, exclude_btn: 'Exclude',
      saved: (n) => `“${n}” saved.`, hide_hint: 'Hidden: not on the public leaderboard, but still plays and stays in the draws.',
      test_h: 'Test run', test_run: 'Start a test run', test_delete: 'Delete test teams …',
      test_hint: 'A test team plays even before the start and never appears on the leaderboard, in stats, exports or draws.',
      test_running: 'Creating a test team …',
      test_made: (n) => `Test team “${n}” created; the app plays as this team in a new tab.`,
      open_app: 'Open the app as the test team',
      test_replace: (n) => `This browser already plays in the app as “${n}”. The test run signs it out there (the team's join code brings it back). Go on?`,
      test_replace_yes: 'Yes, start the test run',
      test_delete_q: 'Delete every test team of this hunt with its progress? Their phones lose the team.',
      test_delete_yes: 'Yes, delete test teams',
      test_deleted: (n) => n === 1 ? '1 test team deleted.' : `${n} test teams deleted.`,
      desk: 'Prize hand-over', scan: 'Scan code', scan_stop: 'Camera off',
      scan_starting: 'Starting the camera …', scan_aim: 'Hold the QR code on the team\u2019s phone up to the camera.',
      scan_foreign: 'This QR code holds no claim code.', scan_denied: 'No access to the camera: allow it in the browser or type the code.',
      scan_failed: 'The camera does not start: please type the code.', scan_idle: 'Camera switched off after two minutes without a code.',
      handover: 'handed out', handing: 'Saving …',
      handed_at: (w) => `Handed out: ${w}`,
      already: (w, by) => `Already handed out: ${w}${by ? ' by ' + by : ''}. Do not hand it out again!`,
      released_state: (w) => `Released to the next reserve: ${w}. Do not hand it out.`,
      not_yet: 'A reserve, not yet in line: only once a prize is released to reserves.',
      winners_h: 'Winners and reserves', no_draw_yet: 'Nothing drawn yet.',
      winner_n: (k) => `Winner ${k}`, reserve_n: (k) => `Reserve ${k}`,
      contact: 'Contact:', no_contact: 'no contact given', code: 'Code',
      st_open: 'waiting to be collected', st_waiting: 'not yet in line',
      st_redeemed: (w, by) => `handed out ${w}${by ? ' by ' + by : ''}`, st_released: (w) => `released ${w}`,
      release: 'Release to next reserve …', release_yes: 'Yes, release',
      release_q: (tm, p) => `Release “${p}” of ${tm} to the next reserve? ${tm} can then no longer collect it.`,
      released_ok: (p) => `“${p}” released: the next reserve can collect it.`,
      log_h: 'Staff log', log_caption: 'Who changed what when, newest first',
      log_when: 'When', log_who: 'Who', log_from: 'From', log_action: 'Action', log_team: 'Team', log_detail: 'Details',
      log_empty: 'Nothing logged yet.',
      act_edit_team: 'Team changed', act_create_test_team: 'Test team created', act_delete_test_teams: 'Test teams deleted',
      act_redeem: 'Prize handed out', act_release: 'Released to reserve',
      act_draw: 'Prize drawn', act_purge_contacts: 'Contact data deleted (automatic)',
      act_announce: 'Announcement sent', act_delete_announcement: 'Announcement deleted',
      d_contacts: (n) => n === 1 ? '1 contact' : `${n} contacts`,
      d_renamed: (a, b) => `renamed: “${a}” → “${b}”`, d_hidden: 'hidden', d_visible: 'visible',
      d_excluded: (r) => `excluded: ${r}`, d_included: 'in the draws',
      // photo review (photos.js)
      photos_h: 'Review photos', photos_queue: 'Queue', photos_approved: 'Approved',
      photos_keys: 'Keys in this section (not while typing): A approve · R reject · M message · J or → next · K or ← previous · Esc in a field: back to the photo',
      photos_keys_approved: 'Keys in this section (not while typing): R revoke · M message · J or → next · K or ← previous · Esc in a field: back to the photo',
      photos_none: 'No photos to review.', photos_none_approved: 'No approved photos yet.',
      photos_count: (n) => `${n} waiting`,
      photo_pos: (i, n) => `Photo ${i} of ${n}`, photo_team: 'Team',
      photo_puzzle: (p, n) => `“${p}” · ${n === 1 ? '1 point' : n + ' points'}`,
      photo_at: (w) => `sent ${w}`, photo_given: (n) => n === 1 ? 'approved with 1 point' : `approved with ${n} points`,
      photo_alt: (tm, p) => `Photo by ${tm} for “${p}”`,
      photo_points: (n) => `Points (0 to ${n}; unchanged: less the hints taken)`,
      photo_msg: 'Message to the team (when rejecting, optional)', photo_msg_revoke: 'Message to the team (why revoked)',
      photo_approve: 'Approve (A)', photo_reject: 'Reject (R)', photo_revoke: 'Revoke (R)',
      photo_prev: '← Previous (K)', photo_next: 'Next (J) →',
      photo_done_ok: (tm, n) => `Approved: ${tm}, ${n === 1 ? '1 point' : n + ' points'}.`,
      photo_done_no: (tm) => `Rejected: ${tm}.`, photo_done_revoked: (tm) => `Revoked: ${tm}.`,
      photo_taken: 'Already decided by someone else – on to the next.',
      photo_bad_points: (n) => `Points: a whole number from 0 to ${n}.`,
      photo_load_failed: 'The photo cannot be loaded.',
      act_review_photo: 'Photo reviewed', photo_st_pending: 'waiting', photo_st_approved: 'approved', photo_st_rejected: 'rejected',
      d_photo: (p, from, to, n, msg) => `“${p}”: ${T.en['photo_st_' + from] || from} → ${T.en['photo_st_' + to] || to}${to === 'approved' ? `, ${n} points` : ''}${msg ? ` – “${msg}”` : ''}`,
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
  let who = cleanName(localStorage.getItem(WHO_KEY) || '');
  let whoPending = null;   // the write that waits for the name
  const teamsView = { q: '', offset: 0, total: 0, list: [], err: '' };
  const teamNames = new Map(); // team id -> name, for the log
  let winners = null;      // GET .../winners
  let logEntries = null;   // GET .../log
  let claim = null;        // the claim checked at the desk: {code, prize_name, team}
  // A winner's claim QR (GET /me/claim.svg) opens /staff/?hunt=H#claim=CODE in the
  // camera app's browser: the code waits for the sign-in, then the desk checks it.
  let pendingClaim = '';
  let flags = null;        // GET .../flags: {flags, limit_kmh}
  let anns = null;         // GET /api/hunts/{h}/announcements, newest first
  let annsAll = false;     // show them all, not only the newest ANNS_SHOWN
  const ANNS_SHOWN = 5;

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

  // opts.staff: send the staff token also outside /api/admin/ (a test team). Every
  // write carries the staff member's name for the staff log; server messages come in
  // the console's language.
  async function api(method, path, body, opts) {
    const headers = { 'Accept-Language': lang };
    if (token && (path.startsWith('/api/admin/') || (opts && opts.staff))) headers.Authorization = 'Bearer ' + token;
    if (method !== 'GET' && who) headers['X-Staff-Name'] = headerBytes(who);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { status: r.status, data };
  }

  // api() that never throws: status 0 when the network failed.
  async function call(method, path, body, opts) {
    try { return await api(method, path, body, opts); } catch (e) { return { status: 0, data: null }; }
  }

  // The words for a failed call: the server's message (in the console's language).
  function failText(r) {
    if (!r.status) return t('offline');
    return (r.data && r.data.message) || `${t('error')} ${r.status}`;
  }

  const adminPath = (rest) => `/api/admin/hunts/${encodeURIComponent(hunt.id)}/${rest}`;

  function applyLang() {
    document.documentElement.lang = lang;
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    const other = lang === 'de' ? 'en' : 'de';
    $('lang').textContent = other === 'en' ? 'English' : 'Deutsch';
    $('lang').lang = other;
    renderAll();
    renderWho();
    renderTeams();
    renderWinners();
    renderLog();
    renderAnns();
    renderFlags();
    photos.relabel();
  }

  // A button (or any control) that asks "really?" in place: question, yes, cancel.
  // Focus goes to "cancel" and back to `back` when it closes.
  function askInline(host, back, question, yesText, onYes) {
    const old = host.querySelector(':scope > .confirm');
    if (old) old.remove();
    const q = el('p', { text: question });
    const yes = el('button', { type: 'button', class: 'danger', text: yesText });
    const no = el('button', { type: 'button', class: 'ghost', text: t('cancel') });
    const box = el('div', { class: 'confirm', role: 'alertdialog' }, q, yes, no);
    q.id = 'ask-' + Math.random().toString(36).slice(2);
    box.setAttribute('aria-labelledby', q.id);
    const close = () => { box.remove(); if (back && back.isConnected) back.focus(); };
    no.addEventListener('click', close);
    box.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    yes.addEventListener('click', () => { box.remove(); onYes(); });
    host.append(box);
    no.focus();
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
    renderWho();
    if (!who) askWho('');
    loadTeams();
    loadWinners();
    loadLog();
    loadAnns();
    photos.load();
    if (pendingClaim) {
      $('claim-code').value = pendingClaim;
      pendingClaim = '';
      $('claim-form').scrollIntoView();
      checkClaim();
    }
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
    flags = null;
    loadFlags();
    let ticks = 0;
    timer = setInterval(() => {
      renderCountdown();
      if (++ticks % (STATS_MS / 1000) === 0) pollStats();
      if (ticks % (FLAGS_MS / 1000) === 0) loadFlags();
      if (ticks % (PHOTOS_MS / 1000) === 0) photos.load();
    }, 1000);
    events = new EventSource(`/api/hunts/${encodeURIComponent(hunt.id)}/events`);
    events.addEventListener('leaderboard', (ev) => {
      try { board = JSON.parse(ev.data); renderBoard(); } catch (e) { /* a broken event is skipped */ }
    });
    watchAnns(events);
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

  // ---- flagged check-ins ----

  async function loadFlags() {
    if (!hunt || !token) return;
    const r = await call('GET', adminPath('flags'));
    if (r.status === 200 && r.data && Array.isArray(r.data.flags)) flags = r.data;
    renderFlags();
  }

  // A row per flag: the team, the check-in and the one before, when, how fast it
  // would have been, how far and in what time, and how sure each position was.
  function renderFlags() {
    if (!$('flags')) return;
    const kmh = flags ? flags.limit_kmh : 50;
    $('flags-hint').textContent = t('flags_hint', kmh);
    $('flags-caption').textContent = t('flags_caption').replace('{kmh}', kmh);
    const list = flags ? flags.flags : [];
    $('flags-none').hidden = !flags || list.length > 0;
    $('flags').hidden = list.length === 0;
    const title = (id) => {
      const p = stats && stats.puzzles ? stats.puzzles.find((x) => x.id === id) : null;
      return p ? p.title : id;
    };
    const cell = (key, ...kids) => el('td', { 'data-label': t(key) }, ...kids);
    const num = (n) => Number(n).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');
    $('flags-rows').replaceChildren(...list.map((f) => el('tr', {},
      cell('flags_team', el('b', { text: f.team ? f.team.name : '' })),
      cell('flags_puzzle', title(f.puzzle), el('span', { class: 'muted', text: ' ' + t('flags_from', title(f.previous_puzzle)) })),
      cell('flags_at', when(f.at)),
      cell('flags_kmh', el('b', { text: num(f.kmh) })),
      cell('flags_dist', t('flags_m', f.distance_m)),
      cell('flags_secs', t('flags_s', f.seconds)),
      cell('flags_acc', t('flags_accs', f.accuracy_m, f.previous_accuracy_m)))));
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
  function huntTime(ms, short) {
    const opts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      ...(short ? {} : { second: '2-digit', timeZoneName: 'short' }) };
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

  // The puzzles in detail: a row per puzzle with the teams it is open for, its solves,
  // the median minutes from opening to solving, hints, and the most frequent wrong
  // answers (normalised, with how many teams gave each). Narrow screens show each row
  // as a block, every figure with its label (staff.css, data-label).
  function renderInsight() {
    const cols = ['ins_puzzle', 'ins_opened', 'ins_solved', 'ins_median', 'ins_hints', 'ins_wrong'];
    const num = (n) => n === null || n === undefined ? '–'
      : Number(n).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
    const cell = (key, text, cls) => el('td', { class: cls || 'num', 'data-label': t(key), text });
    const head = el('thead', {}, el('tr', {}, ...cols.map((k) => el('th', { scope: 'col', text: t(k) }))));
    const rows = stats.puzzles.map((p) => {
      const wrong = p.wrong_answers || [];
      const list = wrong.length ? el('ul', { class: 'wrong-list' }, ...wrong.map((w) =>
        el('li', {}, el('span', { class: 'wrong-text', text: w.text }), ` (${t('ins_teams', w.teams)})`)))
        : el('span', { class: 'muted', text: '–' });
      const wcell = el('td', { class: 'wrong', 'data-label': t('ins_wrong') }, list);
      // the kind after the title; a check-in's solves by position and by code
      const kind = (t('kinds') || {})[p.kind];
      const by = typeof p.by_position === 'number' ? ` · ${t('ins_by', num(p.by_position), num(p.by_code))}` : '';
      return el('tr', {}, el('th', { scope: 'row' }, p.title, kind ? el('span', { class: 'muted kind', text: ` · ${kind}${by}` }) : null),
        cell('ins_opened', num(p.opened)), cell('ins_solved', num(p.solved)),
        cell('ins_median', num(p.median_minutes)), cell('ins_hints', num(p.hints_taken)), wcell);
    });
    $('insight').replaceChildren(head, el('tbody', {}, ...rows));
  }

  function renderStats() {
    renderHeader();
    renderCountdown();
    if (!stats) return;
    renderInsight();
    renderFlags(); // the puzzles' titles
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
    $('screen-link').href = '/screen/' + encodeURIComponent(hunt.id);
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
    loadWinners();
  }

  // ---- the staff member's name (asked once, kept in localStorage) ----

  function renderWho() {
    $('who-shown').textContent = who || t('who_none');
    if (document.activeElement !== $('who-name')) $('who-name').value = who;
  }

  // Opens the name box; msg says why (a write waits for it).
  function askWho(msg) {
    $('who').hidden = false;
    $('who-msg').textContent = msg || '';
    $('who-name').value = who;
    $('who-cancel').hidden = !who; // a first name must be given; a change may be dropped
    $('who-name').focus();
  }

  function closeWho() {
    if (!who) return;
    $('who').hidden = true;
    whoPending = null;
    $('who-change').focus();
  }

  function saveWho(ev) {
    ev.preventDefault();
    const name = cleanName($('who-name').value);
    if (!name) { $('who-msg').textContent = t('who_needed'); return; }
    who = name;
    localStorage.setItem(WHO_KEY, who);
    $('who').hidden = true;
    $('who-msg').textContent = '';
    renderWho();
    const next = whoPending;
    whoPending = null;
    if (next) next(); else $('who-change').focus();
  }

  // Runs a staff write now, or once the staff member said who they are.
  function asStaff(fn) {
    if (who) { fn(); return; }
    whoPending = fn;
    askWho(t('who_needed'));
  }

  // ---- teams: the list, renaming, hiding, excluding ----

  async function loadTeams() {
    if (!hunt || !token) return;
    const q = teamsView.q;
    const qs = new URLSearchParams({ offset: String(teamsView.offset), limit: String(TEAMS_PAGE) });
    if (q) qs.set('q', q);
    const r = await call('GET', adminPath('teams?' + qs));
    if (q !== teamsView.q) return; // a newer search is under way
    if (r.status === 200) {
      teamsView.list = r.data.teams;
      teamsView.total = r.data.total;
      teamsView.err = '';
      for (const tm of teamsView.list) teamNames.set(tm.id, tm.name);
    } else {
      teamsView.list = [];
      teamsView.total = 0;
      teamsView.err = failText(r);
    }
    renderTeams();
    renderLog();
  }

  function renderTeams() {
    if (!hunt) return;
    const v = teamsView;
    $('teams-err').textContent = v.err;
    $('teams-info').textContent = v.err ? '' : (v.total === 0 && v.q ? t('teams_none_q', v.q)
      : t('teams_count', v.total, Math.min(v.total, v.offset + 1), v.offset + v.list.length));
    $('teams-list').replaceChildren(...v.list.map(teamRow));
    $('teams-prev').disabled = v.offset === 0;
    $('teams-next').disabled = v.offset + v.list.length >= v.total;
    $('teams-prev').hidden = $('teams-next').hidden = v.total <= TEAMS_PAGE && v.offset === 0;
  }

  function teamRow(tm) {
    const nameId = 'tn-' + tm.id;
    const badges = [];
    if (tm.test) badges.push(el('span', { class: 'badge test', text: t('badge_test') }));
    if (tm.hidden) badges.push(el('span', { class: 'badge hidden', text: t('badge_hidden'), title: t('hide_hint') }));
    if (tm.excluded) badges.push(el('span', { class: 'badge excluded', text: t('badge_excluded') }));
    const act = (key, text) => {
      const b = el('button', { type: 'button', class: 'ghost small', 'data-act': key, 'aria-describedby': nameId, text });
      b.addEventListener('click', () => teamAction(tm, key, b));
      return b;
    };
    return el('li', { class: 'team', 'data-id': String(tm.id) },
      el('p', { class: 'team-head' }, el('span', { class: 'name', id: nameId, text: tm.name }), ...badges),
      el('p', { class: 'meta muted', text: [`${tm.score} ${t('points')}`, `${tm.solved} ${t('solved')}`, t('phones', tm.phones),
        `${t('joined')} ${huntTime(Date.parse(tm.created), true)}`, '#' + tm.id].join(' · ') }),
      tm.excluded && tm.reason ? el('p', { class: 'reason', text: `${t('reason')} ${tm.reason}` }) : null,
      el('div', { class: 'actions' }, act('rename', t('rename')), act('hide', tm.hidden ? t('unhide') : t('hide')),
        act('exclude', tm.excluded ? t('include') : t('exclude'))),
      el('div', { class: 'edit' }),
      el('p', { class: 'err', role: 'alert' }));
  }

  function teamAction(tm, key, btn) {
    const li = btn.closest('li');
    li.querySelector('.err').textContent = '';
    if (key === 'hide') { asStaff(() => patchTeam(tm, { hidden: !tm.hidden }, li, key)); return; }
    if (key === 'exclude' && tm.excluded) { asStaff(() => patchTeam(tm, { excluded: false }, li, key)); return; }
    // rename and exclude ask for a text first, in a small form in the row
    const box = li.querySelector('.edit');
    const id = `edit-${key}-${tm.id}`;
    const input = el('input', { id, autocomplete: 'off', spellcheck: 'false', required: '' });
    if (key === 'rename') input.value = tm.name; else input.maxLength = 200;
    const cancel = el('button', { type: 'button', class: 'ghost', text: t('cancel') });
    const form = el('form', { class: 'inline-form' },
      el('label', { for: id, text: key === 'rename' ? t('new_name', tm.name) : t('reason_label', tm.name) }),
      el('div', { class: 'row' }, input,
        el('button', { type: 'submit', text: key === 'rename' ? t('save') : t('exclude_btn') }), cancel));
    const close = () => { box.replaceChildren(); btn.focus(); };
    cancel.addEventListener('click', close);
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) { input.focus(); return; }
      asStaff(() => patchTeam(tm, key === 'rename' ? { name: text } : { excluded: true, reason: text }, li, key));
    });
    box.replaceChildren(form);
    input.focus();
    if (key === 'rename') input.select();
  }

  async function patchTeam(tm, body, li, key) {
    const err = li.querySelector('.err');
    for (const b of li.querySelectorAll('button')) b.disabled = true;
    const r = await call('PATCH', adminPath('teams/' + tm.id), body);
    for (const b of li.querySelectorAll('button')) b.disabled = false;
    if (r.status !== 200) {
      err.textContent = failText(r);
      const input = li.querySelector('.edit input');
      if (input) input.focus();
      return;
    }
    const i = teamsView.list.findIndex((x) => x.id === tm.id);
    if (i >= 0) teamsView.list[i] = r.data;
    teamNames.set(r.data.id, r.data.name);
    const row = teamRow(r.data);
    li.replaceWith(row);
    row.querySelector(`[data-act="${key}"]`).focus();
    $('teams-info').textContent = t('saved', r.data.name);
    loadLog();
  }

  function searchTeams(ev) {
    if (ev) ev.preventDefault();
    teamsView.q = $('teams-q').value.trim();
    teamsView.offset = 0;
    loadTeams();
  }

  // ---- test runs ----

  function testIds() {
    try { return JSON.parse(localStorage.getItem(TEST_IDS_KEY) || '[]'); } catch (e) { return []; }
  }

  // The participants' app keeps its team per hunt in localStorage under
  // "spur.team.<hunt>" as {team, token} (assets/api.js saveTeam): the console is on
  // the same origin, so it hands the test team over there and no token ever appears
  // in an address.
  const appTeamKey = () => 'spur.team.' + hunt.id;

  function testRun(sure) {
    const btn = $('test-run');
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(appTeamKey()) || 'null'); } catch (e) { saved = null; }
    if (!sure && saved && saved.team && !testIds().includes(saved.team.id)) {
      askInline(btn.closest('section'), btn, t('test_replace', saved.team.name), t('test_replace_yes'), () => asStaff(() => testRun(true)));
      return;
    }
    // The tab opens now, during the click: one opened after the request would be
    // blocked as a pop-up. It gets the app's address once the team exists.
    const tab = window.open('', '_blank');
    makeTestTeam(tab);
  }

  async function makeTestTeam(tab) {
    const out = $('test-out');
    out.className = 'result-line';
    out.textContent = t('test_running');
    $('test-run').disabled = true;
    const stamp = new Date().toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    let name = 'Test ' + stamp;
    let r = await call('POST', `/api/hunts/${encodeURIComponent(hunt.id)}/teams`, { name, test: true }, { staff: true });
    for (let k = 2; r.status === 409 && r.data && r.data.error === 'name_taken' && k < 10; k++) {
      name = `Test ${stamp} ${k}`;
      r = await call('POST', `/api/hunts/${encodeURIComponent(hunt.id)}/teams`, { name, test: true }, { staff: true });
    }
    $('test-run').disabled = false;
    if (r.status !== 201) {
      if (tab) tab.close();
      out.classList.add('bad');
      out.textContent = failText(r);
      return;
    }
    localStorage.setItem(appTeamKey(), JSON.stringify({ team: r.data.team, token: r.data.token }));
    localStorage.setItem(TEST_IDS_KEY, JSON.stringify([...testIds(), r.data.team.id].slice(-50)));
    const url = '/?hunt=' + encodeURIComponent(hunt.id);
    if (tab) { tab.opener = null; tab.location.href = url; }
    out.classList.add('ok');
    out.replaceChildren(el('span', { text: t('test_made', r.data.team.name) + ' ' }),
      el('a', { href: url, target: '_blank', rel: 'noopener', text: t('open_app') }));
    loadTeams();
    loadLog();
  }

  function askDeleteTests() {
    const btn = $('test-delete');
    askInline(btn.closest('section'), btn, t('test_delete_q'), t('test_delete_yes'), () => asStaff(deleteTests));
  }

  async function deleteTests() {
    const out = $('test-out');
    out.className = 'result-line';
    const r = await call('DELETE', adminPath('test-teams'));
    if (r.status === 200) {
      out.classList.add('ok');
      out.textContent = t('test_deleted', r.data.deleted);
      loadTeams();
      loadLog();
    } else {
      out.classList.add('bad');
      out.textContent = failText(r);
    }
    $('test-delete').focus();
  }

  // ---- the prize hand-over desk ----

  async function loadWinners() {
    if (!hunt || !token) return;
    const r = await call('GET', adminPath('winners'));
    $('winners-err').textContent = r.status === 200 ? '' : failText(r);
    if (r.status === 200) winners = r.data;
    renderWinners();
  }

  function entryOf(code) {
    const c = String(code || '').toUpperCase();
    for (const p of (winners && winners.prizes) || []) {
      for (const e of p.entries) if (e.claim_code === c) return { prize: p, entry: e };
    }
    return null;
  }

  function entryState(e) {
    if (e.redeemed_at) return t('st_redeemed', huntTime(Date.parse(e.redeemed_at)), e.by);
    if (e.released_at) return t('st_released', huntTime(Date.parse(e.released_at)));
    return e.redeemable ? t('st_open') : t('st_waiting');
  }

  function renderWinners() {
    if (!winners) { $('winners').replaceChildren(); return; }
    if (!winners.prizes.length) { $('winners').replaceChildren(el('p', { class: 'muted', text: t('no_draw_yet') })); return; }
    $('winners').replaceChildren(...winners.prizes.map((p) => {
      const reserves = p.entries.filter((e) => e.kind === 'reserve').length;
      return el('article', { class: 'prize-w' }, el('h4', { text: p.name }),
        el('ol', { class: 'entries' }, ...p.entries.map((e) => {
          const done = e.redeemed_at ? ' redeemed' : e.released_at ? ' released' : '';
          const li = el('li', { class: 'entry' + done },
            el('p', {}, el('span', { class: 'kind', text: (e.kind === 'winner' ? t('winner_n', e.place) : t('reserve_n', e.place)) + ' ' }),
              el('strong', { text: e.team.name || '#' + e.team.id })),
            el('p', { class: 'muted' }, `${t('code')} `, el('span', { class: 'code', text: e.claim_code }),
              ' · ', e.contact ? `${t('contact')} ${e.contact}` : t('no_contact')),
            el('p', { class: 'status', text: entryState(e) }));
          if (e.redeemable && !e.redeemed_at && !e.released_at && p.released < reserves) {
            const b = el('button', { type: 'button', class: 'ghost small', text: t('release') });
            b.setAttribute('aria-label', `${t('release')} ${e.team.name}`);
            b.addEventListener('click', () => askInline(li, b, t('release_q', e.team.name, p.name), t('release_yes'),
              () => asStaff(() => release(e, p, li))));
            li.append(b);
          }
          return li;
        })));
    }));
  }

  async function release(e, p, li) {
    const r = await call('POST', adminPath(`claims/${encodeURIComponent(e.claim_code)}/release`));
    const out = $('handover-out');
    out.className = 'handover-out';
    if (r.status === 200) {
      out.classList.add('ok');
      out.textContent = t('released_ok', p.name);
    } else {
      out.classList.add('bad');
      out.textContent = failText(r);
    }
    await loadWinners();
    loadLog();
    if (!li.isConnected) $('claim-code').focus();
  }

  async function checkClaim(ev) {
    if (ev) ev.preventDefault();
    const code = $('claim-code').value.trim();
    const out = $('claim-out');
    out.className = 'claim-out';
    out.textContent = '';
    $('claim-state').textContent = '';
    $('claim-state').className = 'claim-state';
    $('handover-out').textContent = '';
    $('handover').hidden = true;
    claim = null;
    const r = await call('GET', adminPath('claims/' + encodeURIComponent(code)));
    if (r.status === 200) {
      const c = r.data;
      out.textContent = c.status === 'winner' ? t('claim_winner', c.team.name, c.prize_name)
        : t('claim_reserve', c.team.name, c.prize_name, c.reserve_rank);
      out.classList.add('ok');
      claim = c;
      await loadWinners();
      const found = entryOf(c.code);
      const e = found && found.entry;
      const st = $('claim-state');
      if (e && e.redeemed_at) { st.textContent = t('already', huntTime(Date.parse(e.redeemed_at)), e.by); st.classList.add('warn'); }
      else if (e && e.released_at) { st.textContent = t('released_state', huntTime(Date.parse(e.released_at))); st.classList.add('warn'); }
      else if (e && !e.redeemable) { st.textContent = t('not_yet'); st.classList.add('warn'); }
      else { $('handover').hidden = false; $('handover').focus(); }
    } else {
      out.textContent = !r.status ? t('offline') : r.status === 400 ? t('claim_bad') : t('claim_none');
      out.classList.add('bad');
    }
  }

  async function handOver() {
    if (!claim) return;
    const btn = $('handover');
    const out = $('handover-out');
    btn.disabled = true;
    out.className = 'handover-out';
    out.textContent = t('handing');
    const r = await call('POST', adminPath(`claims/${encodeURIComponent(claim.code)}/redeem`));
    btn.disabled = false;
    if (r.status === 200) {
      out.classList.add('ok');
      out.textContent = t('handed_at', huntTime(Date.parse(r.data.redeemed_at)));
    } else if (r.status === 409 && r.data && r.data.error === 'already_redeemed') {
      const e = entryOf(claim.code);
      out.classList.add('warn');
      out.textContent = t('already', huntTime(Date.parse(r.data.redeemed_at)), e && e.entry.by);
    } else {
      out.classList.add('bad');
      out.textContent = failText(r);
    }
    await loadWinners();
    loadLog();
  }

  // ---- scanning a claim QR (where the browser reads QR codes itself) ----
  // The server's /decode knows only this hunt's posters and takes a team token, so
  // the desk reads the code in the browser with BarcodeDetector (Chrome on Android,
  // ChromeOS and macOS); without it the button stays hidden and the code is typed.

  let scanRun = null;

  // The claim code in a QR text: the code itself or an address ending in it.
  function claimIn(text) {
    const all = [...String(text).matchAll(/(?:^|[^A-Za-z0-9])([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})(?=$|[^A-Za-z0-9])/g)];
    return all.length ? all[all.length - 1][1].toUpperCase() : '';
  }

  async function scanPossible() {
    if (!('BarcodeDetector' in window) || !navigator.mediaDevices) return false;
    try { return (await window.BarcodeDetector.getSupportedFormats()).includes('qr_code'); } catch (e) { return false; }
  }

  function stopScan(msg) {
    const my = scanRun;
    scanRun = null;
    if (my) {
      clearTimeout(my.timer);
      if (my.stream) for (const tr of my.stream.getTracks()) tr.stop();
    }
    const v = $('scan-video');
    v.pause();
    v.srcObject = null;
    $('scan-video').hidden = true;
    $('scan-msg').textContent = msg || '';
    $('scan').hidden = !msg;
  }

  async function startScan() {
    if (scanRun) return;
    const my = { stream: null, timer: 0, since: Date.now() };
    scanRun = my;
    $('scan').hidden = false;
    $('scan-video').hidden = false;
    $('scan-msg').textContent = t('scan_starting');
    $('scan-stop').focus();
    try {
      my.stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' } } });
    } catch (e) {
      if (scanRun === my) stopScan(e && e.name === 'NotAllowedError' ? t('scan_denied') : t('scan_failed'));
      return;
    }
    if (scanRun !== my) { for (const tr of my.stream.getTracks()) tr.stop(); return; }
    const v = $('scan-video');
    v.srcObject = my.stream;
    v.play().catch(() => {});
    const det = new window.BarcodeDetector({ formats: ['qr_code'] });
    $('scan-msg').textContent = t('scan_aim');
    const look = async () => {
      if (scanRun !== my) return;
      if (document.hidden) { stopScan(); return; }
      if (Date.now() - my.since > 120000) { stopScan(t('scan_idle')); return; }
      if (v.readyState >= 2) {
        let found = [];
        try { found = await det.detect(v); } catch (e) { found = []; }
        if (scanRun !== my) return;
        for (const f of found) {
          const code = claimIn(f.rawValue);
          if (code) {
            stopScan();
            $('claim-code').value = code;
            checkClaim();
            return;
          }
        }
        if (found.length) $('scan-msg').textContent = t('scan_foreign');
      }
      my.timer = setTimeout(look, 250);
    };
    look();
  }

  // ---- announcements: a text to every team's app, the ones sent, deleting one ----

  const annChars = (s) => [...s].length; // the server counts characters, not UTF-16 units

  async function loadAnns() {
    if (!hunt) return;
    const id = hunt.id;
    const r = await call('GET', `/api/hunts/${encodeURIComponent(id)}/announcements`);
    if (!hunt || hunt.id !== id) return;
    if (r.status === 200) anns = r.data.announcements;
    renderAnns();
  }

  // Another staff member's announcement (or deletion) shows here at once too.
  function watchAnns(es) {
    es.addEventListener('announcement', loadAnns);
    es.addEventListener('announcement_deleted', loadAnns);
  }

  function renderAnnCount() {
    const n = annChars($('ann-text').value.trim());
    const over = n > 1000;
    $('ann-count').textContent = over ? t('ann_too_long', n) : n ? t('ann_count', n) : '';
    $('ann-count').classList.toggle('over', over);
    if (over) $('ann-text').setAttribute('aria-invalid', 'true'); else $('ann-text').removeAttribute('aria-invalid');
  }

  function renderAnns() {
    renderAnnCount();
    const all = anns || [];
    const list = annsAll ? all : all.slice(0, ANNS_SHOWN);
    $('ann-empty').hidden = all.length > 0 || anns === null;
    $('ann-all').hidden = list.length === all.length;
    $('ann-all').textContent = t('ann_all', all.length);
    $('ann-list').replaceChildren(...list.map((a) => {
      const w = huntTime(Date.parse(a.at), true);
      const del = el('button', { type: 'button', class: 'ghost small', text: t('ann_delete'), 'aria-label': t('ann_delete_label', w) });
      const li = el('li', {}, el('p', { class: 'when', text: w }), el('p', { class: 'text', text: a.text }), del);
      del.addEventListener('click', () => askInline(li, del, t('ann_delete_q'), t('ann_delete_yes'), () => asStaff(() => deleteAnn(a.id))));
      return li;
    }));
  }

  function askAnn(ev) {
    ev.preventDefault();
    const text = $('ann-text').value.trim();
    $('ann-err').textContent = '';
    $('ann-out').textContent = '';
    if (!text) { $('ann-err').textContent = t('ann_empty_text'); $('ann-text').focus(); return; }
    if (annChars(text) > 1000) { $('ann-err').textContent = t('ann_too_long', annChars(text)); $('ann-text').focus(); return; }
    const btn = $('ann-send');
    askInline($('ann-form'), btn, t('ann_confirm'), t('ann_yes'), () => asStaff(sendAnn));
  }

  async function sendAnn() {
    const out = $('ann-out');
    const btn = $('ann-send');
    btn.disabled = true;
    out.className = 'result-line';
    out.textContent = t('ann_sending');
    const r = await call('POST', adminPath('announcements'), { text: $('ann-text').value });
    btn.disabled = false;
    if (r.status === 201) {
      $('ann-text').value = '';
      out.classList.add('ok');
      out.textContent = t('ann_sent');
      loadAnns();
      loadLog();
    } else {
      out.textContent = '';
      $('ann-err').textContent = failText(r);
    }
    $('ann-text').focus();
  }

  async function deleteAnn(id) {
    const out = $('ann-out');
    out.className = 'result-line';
    const r = await call('DELETE', adminPath('announcements/' + id));
    if (r.status === 200) {
      out.classList.add('ok');
      out.textContent = t('ann_deleted');
    } else {
      out.classList.add('bad');
      out.textContent = failText(r);
    }
    await loadAnns();
    loadLog();
    $('ann-text').focus();
  }

  // ---- the staff log ----

  async function loadLog() {
    if (!hunt || !token) return;
    const r = await call('GET', adminPath('log?limit=200'));
    if (r.status === 200) logEntries = r.data.entries;
    renderLog();
  }

  function logDetail(e) {
    const d = e.detail || {};
    if (e.action === 'edit_team') {
      return [d.name ? t('d_renamed', d.name[0], d.name[1]) : null, d.hidden ? t('d_hidden') : t('d_visible'),
        d.excluded ? t('d_excluded', d.reason || '') : t('d_included')].filter(Boolean).join(' · ');
    }
    if (e.action === 'create_test_team') return d.name || '';
    if (e.action === 'delete_test_teams') return t('test_deleted', d.deleted || 0);
    if (e.action === 'purge_contacts') return t('d_contacts', d.deleted || 0);
    if (e.action === 'announce' || e.action === 'delete_announcement') return d.text || '';
    if (e.action === 'review_photo') {
      const p = stats && stats.puzzles ? stats.puzzles.find((x) => x.id === d.puzzle) : null;
      return t('d_photo', p ? p.title : d.puzzle || '', d.from || '', d.to || '', d.points || 0, d.message || '');
    }
    if (e.action === 'redeem' || e.action === 'release' || e.action === 'draw') {
      const p = ((hunt && hunt.prizes) || []).find((x) => x.id === d.prize);
      return (p ? p.name : d.prize || '') + (d.reserve_rank ? ` (${t('reserve_n', d.reserve_rank)})` : '');
    }
    return e.detail ? JSON.stringify(e.detail) : '';
  }

  function logTeam(e) {
    if (e.team === null || e.team === undefined) return '';
    const d = e.detail || {};
    const name = teamNames.get(e.team) || (Array.isArray(d.name) ? d.name[1] : d.name);
    return name ? `${name} (#${e.team})` : '#' + e.team;
  }

  function renderLog() {
    if (!logEntries) { $('log-rows').replaceChildren(); return; }
    const cell = (label, text, cls) => el('td', { 'data-label': t(label), class: cls || '', text });
    $('log-rows').replaceChildren(...logEntries.map((e) => el('tr', {},
      cell('log_when', huntTime(Date.parse(e.at)), 'nowrap'), cell('log_who', e.who), cell('log_from', e.addr, 'addr'),
      cell('log_action', t('act_' + e.action) === 'act_' + e.action ? e.action : t('act_' + e.action)),
      cell('log_team', logTeam(e)), cell('log_detail', logDetail(e)))));
    $('log-empty').hidden = logEntries.length > 0;
    $('log').hidden = logEntries.length === 0;
  }

  // ---- start ----

  async function chooseHunt(id) {
    stopLive();
    stopScan();
    stats = null; board = null; records = [];
    winners = null; logEntries = null; claim = null;
    anns = null; annsAll = false; $('ann-out').textContent = ''; $('ann-err').textContent = '';
    photos.reset();
    Object.assign(teamsView, { q: '', offset: 0, total: 0, list: [], err: '' });
    $('teams-q').value = '';
    for (const id of ['claim-out', 'claim-state', 'handover-out', 'test-out']) $(id).textContent = '';
    $('handover').hidden = true;
    const r = await api('GET', `/api/hunts/${encodeURIComponent(id)}`);
    if (r.status !== 200) return;
    hunt = r.data;
    const u = new URL(location.href);
    u.searchParams.set('hunt', id);
    history.replaceState(null, '', u);
    document.title = `spur · Staff · ${hunt.title}`;
    $('editor-link').href = '/staff/editor/?hunt=' + encodeURIComponent(id);
    $('console-hunt').textContent = hunt.title;
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
    $('handover').addEventListener('click', handOver);
    $('scan-btn').addEventListener('click', startScan);
    $('scan-stop').addEventListener('click', () => { stopScan(); $('scan-btn').focus(); });
    document.addEventListener('visibilitychange', () => { if (document.hidden) stopScan(); });
    scanPossible().then((ok) => { $('scan-btn').hidden = !ok; });
    $('who-form').addEventListener('submit', saveWho);
    $('who-change').addEventListener('click', () => askWho(''));
    $('who-cancel').addEventListener('click', closeWho);
    $('who').addEventListener('keydown', (e) => { if (e.key === 'Escape') closeWho(); });
    $('teams-search').addEventListener('submit', searchTeams);
    let searchTimer = 0;
    $('teams-q').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchTeams, 300); });
    $('teams-reload').addEventListener('click', loadTeams);
    $('teams-prev').addEventListener('click', () => { teamsView.offset = Math.max(0, teamsView.offset - TEAMS_PAGE); loadTeams(); });
    $('teams-next').addEventListener('click', () => { teamsView.offset += TEAMS_PAGE; loadTeams(); });
    $('test-run').addEventListener('click', () => asStaff(() => testRun(false)));
    $('test-delete').addEventListener('click', askDeleteTests);
    $('log-reload').addEventListener('click', loadLog);
    $('ann-form').addEventListener('submit', askAnn);
    $('ann-text').addEventListener('input', renderAnnCount);
    $('ann-all').addEventListener('click', () => {
      annsAll = true;
      renderAnns();
      const next = $('ann-list').children[ANNS_SHOWN]; // the first one that was not shown
      if (next) next.querySelector('button').focus();
    });
    $('hunt').addEventListener('change', () => chooseHunt($('hunt').value));
    const fromQr = /(?:^#|&)claim=([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})(?:&|$)/.exec(location.hash);
    if (fromQr) {
      pendingClaim = fromQr[1].toUpperCase();
      history.replaceState(null, '', location.pathname + location.search);
    }
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

  // The photo review (photos.js, loaded before this file) with what it needs from here.
  const photos = window.spurStaffPhotos({
    $, el, t, call, adminPath, asStaff, huntTime, loadLog, failText,
    token: () => token,
    lang: () => lang,
  });

  start();
}());

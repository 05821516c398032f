// The public draw page: explains step by step how anyone checks the prize draw,
// shows the commitment published since the start, the public beacon's source,
// each prize's eligible_sha256 from the end on (GET /api/hunts/{h}) and the
// records (GET /api/hunts/{h}/draw), and, where the browser offers WebCrypto
// (HTTPS or localhost), recomputes each record right here with spur-draw-v1 or
// -v2 exactly as `spur verify-draw` does. Every text in German and English. No
// inline code: the CSP allows scripts from 'self'.
'use strict';
(function () {
  const T = {
    de: {
      how_h: 'So prüft ihr die Verlosung nach',
      intro: 'Niemand kann diese Verlosung steuern, auch nicht, wer den Server betreibt. Jeder Schritt lässt sich von außen prüfen:',
      step1: 'Vor dem Start hat der Server einen geheimen Startwert S gewählt und nur seine Zusage veröffentlicht, SHA-256(S). Notiert sie euch:',
      step2: 'Die Rallye nennt schon vor dem Start eine öffentliche Zufallsquelle, deren Wert es erst nach dem Ende gibt:',
      step3: 'Mit dem Ende steht fest, wer im Lostopf ist. Ab dann zeigt diese Seite für jeden Preis die Prüfsumme eligible_sha256 der Liste. Wer danach noch ein Team dazu nähme, änderte sie.',
      step4: 'Bei der Verlosung gibt das Team am Preistisch den Wert aus dieser Quelle ein. Weil er erst nach dem Ende entsteht, konnte niemand vorher wissen, wer gewinnt.',
      step5: 'Im Protokoll jeder Ziehung stehen S, die Liste der Teams im Lostopf, gegebenenfalls der Zufallswert und die Gewinner. Prüft: Steht euer Team auf der Liste? Ergibt SHA-256(S) die Zusage aus Schritt 1? Stimmt eligible_sha256 mit dem Wert vom Ende überein, der Zufallswert mit der Quelle?',
      step6: 'Dann rechnet die Ziehung nach: mit dem Befehl unten oder selbst nach der Beschreibung des Verfahrens (spur-draw-v1, mit Zufallswert spur-draw-v2).',
      cmd_note: 'spur verify-draw rechnet alles neu und antwortet VERIFIZIERT (VERIFIED) oder nennt jede Abweichung.',
      hashes_later: 'Die Prüfsummen erscheinen hier, sobald die Rallye vorbei ist.',
      hash_of: (name, n) => `${name} (${n === 1 ? '1 Team' : n + ' Teams'} im Lostopf):`,
      beacon: 'Zufallswert', beacon_source: 'Quelle',
      excluded: (n) => n === 1 ? '1 Team von der Verlosung ausgeschlossen (Team-Nummer im Protokoll)' : `${n} Teams von der Verlosung ausgeschlossen (Team-Nummern im Protokoll)`,

      records: 'Ziehungen', loading: 'Lädt …', none: 'Noch keine Ziehung – sie folgt nach dem Ende der Rallye.',
      winners: 'Gewinner', reserves: 'Nachrücker', nobody: 'niemand', eligible: (n) => `${n === 1 ? '1 Team' : n + ' Teams'} im Lostopf`,
      drawn: 'gezogen', record: 'Protokoll (JSON)', verified: 'Im Browser nachgerechnet: stimmt.',
      differs: 'Im Browser nachgerechnet: ABWEICHUNG – ', no_crypto: 'Nachrechnen im Browser braucht HTTPS; nutzt spur verify-draw.',
      no_hunt: 'Keine Rallye gefunden.',
    },
    en: {
      how_h: 'How to verify the prize draw',
      intro: 'Nobody can steer this draw, not even whoever runs the server. Every step can be checked from outside:',
      step1: 'Before the start the server chose a secret seed S and published only its commitment, SHA-256(S). Write it down:',
      step2: 'Before the start the hunt also names a public source of a random value that will exist only after the end:',
      step3: 'At the end it is fixed who is in the draw. From then on this page shows each prize\'s checksum eligible_sha256 of that list. Adding a team afterwards would change it.',
      step4: 'At the draw the people at the prize table enter the value from that source. As it comes into being only after the end, nobody could know the winners beforehand.',
      step5: 'Each draw\'s record holds S, the list of teams in the draw, the random value if any, and the winners. Check: is your team on the list? Is SHA-256(S) the commitment of step 1? Does eligible_sha256 match the value from the end, and the random value the source?',
      step6: 'Then recompute the draw: with the command below, or yourself following the description of the algorithm (spur-draw-v1, with a random value spur-draw-v2).',
      cmd_note: 'spur verify-draw recomputes everything and answers VERIFIED or names every difference.',
      hashes_later: 'The checksums appear here once the hunt is over.',
      hash_of: (name, n) => `${name} (${n === 1 ? '1 team' : n + ' teams'} in the draw):`,
      beacon: 'Random value', beacon_source: 'Source',
      excluded: (n) => n === 1 ? '1 team excluded from the draw (team number in the record)' : `${n} teams excluded from the draw (team numbers in the record)`,

      records: 'Draws', loading: 'Loading …', none: 'No draw yet – it follows the end of the hunt.',
      winners: 'Winners', reserves: 'Reserves', nobody: 'nobody', eligible: (n) => `${n === 1 ? '1 team' : n + ' teams'} eligible`,
      drawn: 'drawn', record: 'Record (JSON)', verified: 'Recomputed in this browser: correct.',
      differs: 'Recomputed in this browser: DIFFERENCE – ', no_crypto: 'Recomputing in the browser needs HTTPS; use spur verify-draw.',
      no_hunt: 'No hunt found.',
    },
  };
  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem('spur_staff_lang') ||
    ((navigator.language || 'de').toLowerCase().startsWith('de') ? 'de' : 'en');
  let hunt = null;
  let doc = null;

  function t(key, ...a) { const v = T[lang][key]; return typeof v === 'function' ? v(...a) : v; }
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }

  // ---- spur-draw-v1 with WebCrypto and BigInt ----
  const enc = new TextEncoder();
  const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
  const unhex = (s) => new Uint8Array(s.match(/../g).map((h) => parseInt(h, 16)));
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const cat = (...parts) => { const n = parts.reduce((a, p) => a + p.length, 0); const o = new Uint8Array(n); let i = 0; for (const p of parts) { o.set(p, i); i += p.length; } return o; };

  async function recompute(rec) {
    const diffs = [];
    const v2 = rec.algorithm === 'spur-draw-v2';
    if (!v2 && rec.algorithm !== 'spur-draw-v1') return ['algorithm'];
    if (v2 && (typeof rec.beacon !== 'string' || !rec.beacon)) return ['beacon'];
    const seed = unhex(rec.seed);
    const commit = hex(await sha256(seed));
    if (commit !== rec.commitment) diffs.push('commitment');
    if (hunt && commit !== hunt.draw_commitment) diffs.push('published commitment');
    const ids = rec.eligible.map((l) => /^[1-9][0-9]*\t1$/.test(l) ? BigInt(l.split('\t')[0]) : null);
    if (ids.includes(null)) return diffs.concat('eligible lines');
    for (let i = 1; i < ids.length; i++) if (ids[i] <= ids[i - 1]) diffs.push('eligible order');
    const e = await sha256(enc.encode(rec.eligible.map((l) => l + '\n').join('')));
    if (hex(e) !== rec.eligible_sha256) diffs.push('eligible_sha256');
    let winners = ids.slice(), reserves = [];
    if (rec.count !== 'all') {
      // v2 appends 0x00 and the beacon to the key's input; the stream stays v1's
      const k = await sha256(v2 ? cat(seed, e, enc.encode(rec.prize), new Uint8Array([0]), enc.encode(rec.beacon))
        : cat(seed, e, enc.encode(rec.prize)));
      const key = await crypto.subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      let block = 0n, buf = null, used = 4;
      const next = async () => {
        if (used === 4) {
          const msg = new Uint8Array(20);
          msg.set(enc.encode('spur-draw-v1'));
          new DataView(msg.buffer).setBigUint64(12, block++);
          buf = new DataView(await crypto.subtle.sign('HMAC', key, msg));
          used = 0;
        }
        return buf.getBigUint64(8 * used++);
      };
      const left = ids.slice(), out = [];
      const want = rec.count + (rec.reserves || 0);
      while (out.length < want && left.length) {
        const n = BigInt(left.length), bound = (1n << 64n) - ((1n << 64n) % n);
        let x;
        do { x = await next(); } while (x >= bound);
        out.push(left.splice(Number(x % n), 1)[0]);
      }
      winners = out.slice(0, rec.count);
      reserves = out.slice(rec.count);
    }
    const same = (a, b) => a.length === b.length && a.every((v, i) => BigInt(b[i]) === v);
    if (!same(winners, rec.winners)) diffs.push('winners');
    if (!same(reserves, rec.reserve_winners)) diffs.push('reserve_winners');
    return diffs;
  }

  // ---- page ----

  function names(rec, ids) {
    if (!ids.length) return el('p', { class: 'muted', text: t('nobody') });
    return el('ol', { class: 'names' }, ...ids.map((id) => el('li', { text: `${rec.names[String(id)] || ''} (#${id})` })));
  }

  // A shell word: '…' with every ' written as '\''.
  const shq = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;

  function renderHashes() {
    const prizes = (hunt.prizes || []).filter((p) => p.eligible_sha256);
    $('eligible-hashes').replaceChildren(...(prizes.length ? prizes.map((p) => el('li', {},
      el('span', { text: t('hash_of', p.name, p.eligible_count) }), ' ',
      el('code', { class: 'hash', text: p.eligible_sha256 })))
      : [el('li', { class: 'muted', text: t('hashes_later') })]));
  }

  function render() {
    document.documentElement.lang = lang;
    for (const n of document.querySelectorAll('[data-i18n]')) n.textContent = t(n.dataset.i18n);
    $('lang').textContent = lang === 'de' ? 'English' : 'Deutsch';
    $('lang').lang = lang === 'de' ? 'en' : 'de';
    if (!hunt) return;
    $('title').textContent = hunt.title;
    $('commitment').textContent = hunt.draw_commitment;
    $('step-beacon-named').hidden = $('step-beacon-drawn').hidden = !hunt.draw_beacon;
    $('beacon-source').textContent = hunt.draw_beacon || '';
    renderHashes();
    const recs = doc ? doc.draws : [];
    // One beacon for the hunt: name it in the command when every v2 record agrees.
    const beacons = [...new Set(recs.filter((r) => r.algorithm === 'spur-draw-v2').map((r) => r.beacon))];
    $('cmd').textContent = `curl -s ${location.origin}/api/hunts/${hunt.id}/draw > draw.json\n` +
      `spur verify-draw draw.json --commitment ${hunt.draw_commitment}` +
      (beacons.length === 1 ? ` --beacon ${shq(beacons[0])}` : '');
    $('records').replaceChildren(...(recs.length ? recs.map((rec) => {
      const verdict = el('p', { class: 'verdict' });
      const box = el('article', { class: 'record' },
        el('h3', { text: rec.prize_name }),
        el('p', { class: 'muted', text: `${t('eligible', rec.eligible.length)} · ${t('drawn')} ${new Date(rec.drawn_at).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB')}` }),
        rec.algorithm === 'spur-draw-v2' ? el('p', { class: 'beacon' },
          el('strong', { text: t('beacon') + ': ' }), el('code', { text: rec.beacon }),
          el('br'), el('span', { class: 'muted', text: `${t('beacon_source')}: ${rec.beacon_description || ''}` })) : null,
        Array.isArray(rec.excluded) ? el('p', { class: 'muted excluded', text: t('excluded', rec.excluded.length) }) : null,
        el('h4', { text: t('winners') }), names(rec, rec.winners),
        rec.reserve_winners.length ? el('h4', { text: t('reserves') }) : null,
        rec.reserve_winners.length ? names(rec, rec.reserve_winners) : null,
        verdict,
        el('details', {}, el('summary', { text: t('record') }), el('pre', { class: 'json', text: JSON.stringify(rec, null, 1) })));
      if (window.crypto && crypto.subtle && typeof BigInt === 'function') {
        recompute(rec).then((d) => {
          verdict.textContent = d.length ? t('differs') + d.join(', ') : t('verified');
          verdict.classList.add(d.length ? 'bad' : 'ok');
        }, () => { verdict.textContent = t('no_crypto'); });
      } else {
        verdict.textContent = t('no_crypto');
      }
      return box;
    }) : [el('p', { class: 'muted', text: t('none') })]));
  }

  async function start() {
    $('lang').addEventListener('click', () => {
      lang = lang === 'de' ? 'en' : 'de';
      localStorage.setItem('spur_staff_lang', lang);
      render();
    });
    render();
    let id = new URL(location.href).searchParams.get('hunt');
    if (!id) {
      const hs = await (await fetch('/api/hunts')).json();
      id = hs.length ? hs[0].id : null;
    }
    if (!id) { $('records').replaceChildren(el('p', { text: t('no_hunt') })); return; }
    const h = await fetch(`/api/hunts/${encodeURIComponent(id)}`);
    if (h.status !== 200) { $('records').replaceChildren(el('p', { text: t('no_hunt') })); return; }
    hunt = await h.json();
    await load(id);
    // On a screen at the prize ceremony: each new draw appears as it is made.
    if (window.EventSource) {
      const es = new EventSource(`/api/hunts/${encodeURIComponent(id)}/events?limit=0`);
      es.addEventListener('draw', () => { load(id); });
    }
  }

  async function load(id) {
    const h = await fetch(`/api/hunts/${encodeURIComponent(id)}`, { cache: 'no-store' });
    if (h.status === 200) hunt = await h.json(); // eligible_sha256 and drawn change at the end and the draw
    const d = await fetch(`/api/hunts/${encodeURIComponent(id)}/draw`, { cache: 'no-store' });
    doc = d.status === 200 ? await d.json() : null;
    render();
  }

  start();
}());

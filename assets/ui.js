// Small DOM helpers. Nothing here ever parses HTML: text goes in as textContent,
// so team names and server messages can never become markup.

import { t, lang } from './i18n.js';

export const $ = (id) => document.getElementById(id);

// h('p', {class: 'x', text: 'hello'}, child...) — attributes set with setAttribute,
// except text (textContent) and on* (listeners).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function show(el, yes) { el.hidden = !yes; }

export function setText(el, s) { if (el.textContent !== s) el.textContent = s; }

let toastTimer = 0;
export function toast(msg) {
  const el = $('toast');
  el.textContent = '';
  // A fresh text node so screen readers announce repeats of the same message.
  requestAnimationFrame(() => { el.textContent = msg; el.classList.add('on'); });
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.classList.remove('on');
    toastTimer = setTimeout(() => { el.textContent = ''; }, 300);
  }, 6000);
}

// A modal yes/no question; resolves true for yes. Falls back to confirm() where
// <dialog> is missing.
export function ask(question) {
  const dlg = $('confirm');
  if (!dlg.showModal) return Promise.resolve(window.confirm(question));
  $('confirm-text').textContent = question;
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = '';
    dlg.showModal();
    $('confirm-yes').focus();
  });
}

export function points(n) { return n === 1 ? t('points_one') : t('points', { n }); }

// "Sa., 27. Juni, 14:00"; with the year when it is not this year (or when asked).
export function dateTime(ms, withYear = false) {
  const d = new Date(ms);
  const opts = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  if (withYear || d.getFullYear() !== new Date().getFullYear()) opts.year = 'numeric';
  return new Intl.DateTimeFormat(lang() === 'de' ? 'de-DE' : 'en-GB', opts).format(d);
}

// The hunt's "start bis end"; both with their year when the years differ, so
// "1. Jan. bis 31. Dez. 2027" cannot be read as one year.
export function dateRange(startIso, endIso) {
  const a = Date.parse(startIso), b = Date.parse(endIso);
  const both = new Date(a).getFullYear() !== new Date(b).getFullYear();
  return t('hunt_dates', { start: dateTime(a, both), end: dateTime(b, both) });
}

// "400 Tage", "3 Tage 4 Std", "2 Std 14 Min", "4:05 Min"; null when ms is not
// positive. dative: the German form after "in" ("in 400 Tagen"); English has none.
// Hours stop mattering after a week, and days after two years ("über 2 Jahre").
export function duration(ms, dative = false) {
  if (!(ms > 0)) return null;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const k = (key) => (dative ? key + '_dat' : key);
  if (d >= 730) return t(k('time_years'), { y: Math.floor(d / 365) });
  if (d >= 7 || (d >= 2 && hh === 0)) return t(k('time_days'), { d });
  if (d >= 2) return t(k('time_days_hours'), { d, h: hh });
  if (d === 1) return t(hh ? 'time_day_hours' : 'time_day', { h: hh });
  if (hh > 0) return t('time_hours', { h: hh, m });
  return t('time_minutes', { m, s: String(s % 60).padStart(2, '0') });
}

// The pictures of photo puzzles, on the phone: the photo the player took, scaled to
// at most MAX_SIDE pixels on its longer side and encoded again as a JPEG (which also
// leaves out its metadata: the EXIF block with the phone's GPS position), and the
// team's own sent photo, fetched with the team's token for its thumbnail. Loaded by
// clues.js with import() when a photo card is first shown; in the service worker's
// shell, so photos can be taken and queued without network.
//
// Pictures reach <img> as data: URLs: the page's CSP (spurd's header) allows data:
// but not blob: for images. A thumbnail's data URL is kept per photo URL (a photo's
// bytes never change under its id), at most THUMBS_MAX of them.

import { savedTeam } from './api.js';

const MAX_SIDE = 1600;     // what spurd keeps, too (docs/api.md, POST …/photo)
const QUALITY = 0.85;
const THUMBS_MAX = 12;

function dataUrlOf(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

// The picture upright, as something a canvas can draw: an ImageBitmap turned by its
// EXIF orientation where the browser can, else an <img> (which browsers also turn).
async function decode(file) {
  if (typeof createImageBitmap === 'function') {
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { src: bmp, w: bmp.width, h: bmp.height, done: () => bmp.close() };
    } catch { /* an older browser, or options it does not know: the <img> way */ }
  }
  const img = new Image();
  img.src = await dataUrlOf(file);
  await img.decode();
  return { src: img, w: img.naturalWidth, h: img.naturalHeight, done: () => {} };
}

function toBlob(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/jpeg', QUALITY);
  });
}

// The file the camera gave, as {jpeg (data: URL), width, height, bytes}. Rejects when
// the browser cannot read it as a picture.
export async function prepare(file) {
  const pic = await decode(file);
  try {
    if (!pic.w || !pic.h) throw new Error('empty picture');
    const scale = Math.min(1, MAX_SIDE / Math.max(pic.w, pic.h));
    const width = Math.max(1, Math.round(pic.w * scale));
    const height = Math.max(1, Math.round(pic.h * scale));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    g.imageSmoothingQuality = 'high';
    g.drawImage(pic.src, 0, 0, width, height);
    const blob = await toBlob(canvas);
    canvas.width = canvas.height = 0; // let the pixels go now, not at the next collection
    return { jpeg: await dataUrlOf(blob), width, height, bytes: blob.size };
  } finally {
    pic.done();
  }
}

const thumbs = new Map(); // photo url → Promise of a data: URL (or null)

// The team's own photo at url (a path the puzzle list gave), as a data: URL, or null
// when it cannot be had (offline and not in the browser's cache, or not ours). The
// token goes in the Authorization header, never in an address.
export function thumb(hunt, url) {
  if (typeof url !== 'string' || !/^\/api\/hunts\/[^/]+\/photos\/[0-9a-f]+\.jpg$/.test(url)) return Promise.resolve(null);
  if (!thumbs.has(url)) {
    const saved = savedTeam(hunt);
    const p = fetch(url, { headers: saved && saved.token ? { Authorization: 'Bearer ' + saved.token } : {}, credentials: 'same-origin' })
      .then((res) => (res.ok ? res.blob() : null))
      .then((b) => (b ? dataUrlOf(b) : null))
      .catch(() => null);
    thumbs.set(url, p);
    p.then((v) => { if (!v) thumbs.delete(url); }); // try again next time
    while (thumbs.size > THUMBS_MAX) thumbs.delete(thumbs.keys().next().value);
  }
  return thumbs.get(url);
}

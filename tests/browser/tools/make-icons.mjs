// Writes assets/icon-192.png and assets/icon-512.png: the same pin as assets/icon.svg
// (green square, white map pin), rasterised with 4x4 supersampling, as 8-bit RGB
// PNGs compressed with node:zlib. Run: node tests/browser/tools/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const GREEN = [0x1d, 0x54, 0x43], WHITE = [255, 255, 255];

// Colour at (x, y) in the 512-unit design space; maskable: pin within the safe zone.
function colour(x, y) {
  const cx = 256, cy = 218, r = 124;
  const d = Math.hypot(x - cx, y - cy);
  let inPin = d <= r;
  // the pin's point: triangle from the circle's tangents down to (256, 416)
  if (!inPin && y > cy && y <= 416) {
    const half = r * (416 - y) / (416 - cy);
    inPin = Math.abs(x - cx) <= half && y <= 416;
  }
  if (inPin && d <= 48) return GREEN;
  return inPin ? WHITE : GREEN;
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size) {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  const ss = 4, scale = 512 / size;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0;
      for (let sy = 0; sy < ss; sy++) for (let sx = 0; sx < ss; sx++) {
        const c = colour((x + (sx + .5) / ss) * scale, (y + (sy + .5) / ss) * scale);
        r += c[0]; g += c[1]; b += c[2];
      }
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = Math.round(r / 16); raw[o + 1] = Math.round(g / 16); raw[o + 2] = Math.round(b / 16);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('../../../assets/', import.meta.url);
for (const size of [192, 512]) writeFileSync(new URL(`icon-${size}.png`, dir), png(size));

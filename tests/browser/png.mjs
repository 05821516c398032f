// Small PNG files made in the test, for hunts that name pictures: signature, IHDR,
// one IDAT (zlib from node) and IEND, each chunk with its CRC-32. The CRC is computed
// here (zlib.crc32 is newer than Debian's Node 18).
import { deflateSync } from 'node:zlib';

const CRC = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC[n] = c >>> 0;
}

export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

// A w x h picture; pixel(x, y) → [r, g, b] or, with alpha, [r, g, b, a] (0..255).
export function png(w, h, pixel, { alpha = false } = {}) {
  const ch = alpha ? 4 : 3;
  const raw = Buffer.alloc((w * ch + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * ch + 1); // each row starts with filter type 0 (none)
    for (let x = 0; x < w; x++) {
      const px = pixel(x, y);
      for (let i = 0; i < ch; i++) raw[row + 1 + x * ch + i] = px[i] ?? 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;               // bits per channel
  ihdr[9] = alpha ? 6 : 2;   // RGBA or RGB
  // [10..12]: deflate, adaptive filtering, no interlace — all 0
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A fake camera for Chromium (--use-file-for-fake-video-capture=FILE.y4m) that films
// a real printed poster: page 1 of `spur posters` rendered by pdftoppm as a grey PGM,
// centred on a white 640x480 picture, written as a few YUV4MPEG2 frames (Chromium
// loops them). Grey only: U and V are 128.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// A binary PGM (P5, 8 bit): {w, h, pixels}.
export function readPgm(file) {
  const buf = readFileSync(file);
  const fields = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    if (buf[i] === 0x23) { while (buf[i] !== 0x0a) i++; continue; } // # comment
    let s = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) s += String.fromCharCode(buf[i++]);
    fields.push(s);
  }
  i++; // the one whitespace after maxval
  const [magic, w, h, max] = [fields[0], +fields[1], +fields[2], +fields[3]];
  if (magic !== 'P5' || max > 255) throw new Error(`${file}: not an 8-bit binary PGM`);
  return { w, h, pixels: buf.subarray(i, i + w * h) };
}

// The picture `img` centred on a white W x H frame, as a .y4m of `frames` frames.
export function writeY4m(out, img, { W = 640, H = 480, frames = 5 } = {}) {
  const y = Buffer.alloc(W * H, 255);
  const x0 = Math.floor((W - img.w) / 2), y0 = Math.floor((H - img.h) / 2);
  for (let r = 0; r < img.h; r++) {
    const yy = y0 + r;
    if (yy < 0 || yy >= H) continue;
    for (let c = 0; c < img.w; c++) {
      const xx = x0 + c;
      if (xx >= 0 && xx < W) y[yy * W + xx] = img.pixels[r * img.w + c];
    }
  }
  const uv = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, uv]);
  const head = Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(out, Buffer.concat([head, ...Array(frames).fill(frame)]));
}

// posters.pdf → page 1 at about 41 dpi (an A4 page about 339x480, its QR about
// 210 px) → dir/poster.y4m. Returns the .y4m's path.
export function posterVideo(pdf, dir) {
  execFileSync('pdftoppm', ['-r', '41', '-gray', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
  const pgm = readdirSync(dir).find((f) => /^page-0*1\.pgm$/.test(f));
  if (!pgm) throw new Error('pdftoppm wrote no page-1.pgm');
  const out = join(dir, 'poster.y4m');
  writeY4m(out, readPgm(join(dir, pgm)));
  return out;
}
